package dev.yubin.delivery.mbox;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.yubin.core.store.AppendResult;
import dev.yubin.core.store.Flag;
import dev.yubin.core.store.FlagOperation;
import dev.yubin.core.store.Flags;
import dev.yubin.core.store.Mailbox;
import dev.yubin.core.store.MailboxDelta;
import dev.yubin.core.store.MailboxException;
import dev.yubin.core.store.Maildrop;
import dev.yubin.core.store.MessageInfo;
import dev.yubin.core.store.UserMailboxes;
import dev.yubin.core.user.MailUser;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MboxMailboxesTest {
    private static final MailUser ABE = new MailUser("abe", "");
    private static final String MESSAGE = "Return-Path: <kato@example1.jp>\nFrom: kato@example1.jp\nSubject: %s\n\n"
            + "From the start\nhello! imap!\n";

    @TempDir
    Path spool;

    private MboxStore store() {
        return Mboxes.store(spool);
    }

    private void deliver(MboxStore store, String subject) throws Exception {
        store.deliver(ABE, Mboxes.content(String.format(MESSAGE, subject)));
    }

    private static String read(Mailbox mailbox, long uid) throws Exception {
        try (InputStream in = mailbox.content(uid).openStream()) {
            return new String(in.readAllBytes(), UTF_8);
        }
    }

    private static List<Long> uids(Mailbox mailbox) {
        return mailbox.messages().stream().map(MessageInfo::uid).collect(Collectors.toList());
    }

    @Test
    void inboxIsTheOnlyMailboxAndFoldersAreRefused() throws Exception {
        UserMailboxes boxes = store().openMailboxes(ABE);
        assertEquals(List.of("INBOX"), boxes.list().stream().map(i -> i.name()).collect(Collectors.toList()));
        assertEquals(MailboxException.Reason.NOT_PERMITTED,
                assertThrows(MailboxException.class, () -> boxes.create("Sent")).reason());
        assertEquals(MailboxException.Reason.ALREADY_EXISTS,
                assertThrows(MailboxException.class, () -> boxes.create("inbox")).reason());
        assertEquals(MailboxException.Reason.NOT_PERMITTED,
                assertThrows(MailboxException.class, () -> boxes.delete("INBOX")).reason());
        assertEquals(MailboxException.Reason.NOT_PERMITTED,
                assertThrows(MailboxException.class, () -> boxes.rename("INBOX", "Old")).reason());
        assertEquals(MailboxException.Reason.NONEXISTENT,
                assertThrows(MailboxException.class, () -> boxes.open("Sent", false)).reason());
        assertEquals(MailboxException.Reason.NONEXISTENT, assertThrows(MailboxException.class,
                () -> boxes.append("../abe", Mboxes.content("x\n"), Flags.NONE, Instant.now())).reason());
        boxes.ensureSpecialUse();
        assertEquals(1, boxes.list().size());
        assertEquals(Set.of("INBOX"), boxes.subscriptions());
    }

    @Test
    void anEmptyOrMissingMboxIsAnEmptyInbox() throws Exception {
        try (Mailbox inbox = store().openMailboxes(ABE).open("inbox", false)) {
            assertEquals("INBOX", inbox.name());
            assertTrue(inbox.messages().isEmpty());
            assertEquals(1, inbox.uidNext());
            assertTrue(inbox.uidValidity() > 0);
        }
    }

    @Test
    void deliveredMessagesGetUidsThatSurviveARestartAndReadUnquoted() throws Exception {
        MboxStore store = store();
        deliver(store, "one");
        deliver(store, "two");
        long validity;
        try (Mailbox inbox = store.openMailboxes(ABE).open("INBOX", false)) {
            assertEquals(List.of(1L, 2L), uids(inbox));
            validity = inbox.uidValidity();
            assertEquals(String.format(MESSAGE, "two"), read(inbox, 2));
            MessageInfo first = inbox.messages().get(0);
            assertEquals(String.format(MESSAGE, "one").length(), first.size());
            assertEquals(first.size() + 6, first.wireSize()); // six lines
            assertEquals(Mboxes.CLOCK.instant(), first.internalDate()); // the From_ line's date
        }
        MboxStore restarted = store();
        deliver(restarted, "three");
        try (Mailbox inbox = restarted.openMailboxes(ABE).open("INBOX", true)) {
            assertEquals(List.of(1L, 2L, 3L), uids(inbox));
            assertEquals(validity, inbox.uidValidity());
            assertTrue(read(inbox, 3).contains("Subject: three"));
        }
        assertTrue(Files.readString(spool.resolve(".abe.imap")).startsWith("yubin-mbox-imap 1 " + validity + " 4 "));
    }

    @Test
    void flagsPersistInTheIndexAndOtherSessionsSeeThem() throws Exception {
        MboxStore store = store();
        deliver(store, "one");
        deliver(store, "two");
        long mboxSize = Files.size(spool.resolve("abe"));
        UserMailboxes boxes = store.openMailboxes(ABE);
        try (Mailbox a = boxes.open("INBOX", false); Mailbox b = boxes.open("INBOX", false)) {
            AtomicInteger heard = new AtomicInteger();
            try (Mailbox.Watch watch = b.watch(heard::incrementAndGet)) {
                Flags seenAndKeyword = new Flags(Set.of(Flag.SEEN), Set.of("$Forwarded"));
                List<MessageInfo> changed = a.setFlags(List.of(2L, 9L), FlagOperation.ADD, seenAndKeyword);
                assertEquals(1, changed.size());
                assertEquals(seenAndKeyword, changed.get(0).flags());
                assertEquals(1, heard.get());
            }
            b.setFlags(List.of(2L), FlagOperation.ADD, Flags.of(Flag.FLAGGED)); // applied to the index, not b's view
            MailboxDelta delta = a.refresh();
            assertEquals(new Flags(Set.of(Flag.SEEN, Flag.FLAGGED), Set.of("$Forwarded")),
                    delta.flagsChanged().get(0).flags());
            assertEquals(Set.of("$Forwarded"), a.keywords());
        }
        assertEquals(mboxSize, Files.size(spool.resolve("abe")), "flags never rewrite the mbox");
        try (Mailbox again = store().openMailboxes(ABE).open("INBOX", true)) {
            assertEquals(Flags.NONE, again.messages().get(0).flags());
            assertEquals(new Flags(Set.of(Flag.SEEN, Flag.FLAGGED), Set.of("$Forwarded")),
                    again.messages().get(1).flags());
        }
    }

    @Test
    void statusHeadersOfMailReadersBecomeTheFirstFlags() throws Exception {
        Files.writeString(spool.resolve("abe"), "From kato@example1.jp  Thu Jul 23 19:03:23 2020\n"
                + "Subject: read\nStatus: RO\nX-Status: AF\n\nbody\n\n"
                + "From kato@example1.jp  Fri Jul 24 08:00:00 2020\nSubject: unread\nStatus: O\n\nbody\n");
        try (Mailbox inbox = store().openMailboxes(ABE).open("INBOX", false)) {
            assertEquals(Set.of(Flag.SEEN, Flag.ANSWERED, Flag.FLAGGED), inbox.messages().get(0).flags().system());
            assertEquals(Flags.NONE, inbox.messages().get(1).flags());
            assertEquals(Instant.parse("2020-07-23T23:00:00Z"), inbox.messages().get(1).internalDate());
        }
    }

    @Test
    void appendAddsAFromLineWithTheInternalDateAndTheFlags() throws Exception {
        MboxStore store = store();
        deliver(store, "one");
        UserMailboxes boxes = store.openMailboxes(ABE);
        Instant date = Instant.parse("2024-03-01T09:30:00Z");
        try (Mailbox inbox = boxes.open("INBOX", false)) {
            AppendResult result = boxes.append("INBOX", Mboxes.content("Subject: draft\r\n\r\nFrom me\r\n"),
                    Flags.of(Flag.DRAFT, Flag.SEEN), date);
            assertEquals(new AppendResult(inbox.uidValidity(), 2), result);
            MessageInfo appended = inbox.refresh().added().get(0);
            assertEquals(date, appended.internalDate());
            assertEquals(Flags.of(Flag.DRAFT, Flag.SEEN), appended.flags());
            assertEquals("Subject: draft\n\nFrom me\n", read(inbox, 2)); // stored with LF, as delivered mail
            assertEquals(24, appended.size());
            assertEquals(27, appended.wireSize());
        }
        assertTrue(Files.readString(spool.resolve("abe")).contains("\nFrom MAILER-DAEMON  Fri Mar  1 18:30:00 2024\n"
                + "Subject: draft\n\n>From me\n"));
    }

    @Test
    void expungeRemovesOnlyDeletedMessagesAndPop3SeesTheSameMailbox() throws Exception {
        MboxStore store = store();
        deliver(store, "one");
        deliver(store, "two");
        deliver(store, "three");
        UserMailboxes boxes = store.openMailboxes(ABE);
        try (Mailbox a = boxes.open("INBOX", false); Mailbox b = boxes.open("INBOX", false)) {
            a.setFlags(List.of(1L, 3L), FlagOperation.ADD, Flags.of(Flag.DELETED));
            b.setFlags(List.of(3L), FlagOperation.REMOVE, Flags.of(Flag.DELETED)); // b changed its mind first
            assertEquals(List.of(1L), a.expunge());
            assertEquals(List.of(2L, 3L), uids(a));
            assertEquals(List.of(1L), b.refresh().expunged());
            try (Maildrop pop3 = store.openMaildrop(ABE)) {
                assertEquals(2, pop3.messages().size());
                pop3.delete(List.of(pop3.messages().get(0)));
            }
            assertEquals(List.of(2L), a.refresh().expunged());
            assertEquals(List.of(3L), uids(a));
            assertTrue(read(a, 3).contains("Subject: three"));
        }
        assertFalse(Files.readString(spool.resolve("abe")).contains("Subject: one"));
    }

    @Test
    void removingOneOfTwoEqualMessagesKeepsTheOtherOnesUidAndFlags() throws Exception {
        MboxStore store = store();
        deliver(store, "one");
        try (Mailbox inbox = store.openMailboxes(ABE).open("INBOX", false)) {
            inbox.copy(List.of(1L), "INBOX"); // the same From_ line and header: equal keys, told apart by position
            inbox.refresh();
            inbox.setFlags(List.of(2L), FlagOperation.ADD, Flags.of(Flag.FLAGGED));
            inbox.setFlags(List.of(1L), FlagOperation.ADD, Flags.of(Flag.DELETED));
            assertEquals(List.of(1L), inbox.expunge());
            assertTrue(inbox.refresh().isEmpty());
        }
        try (Mailbox again = store().openMailboxes(ABE).open("INBOX", false)) {
            assertEquals(List.of(2L), uids(again));
            assertEquals(Flags.of(Flag.FLAGGED), again.messages().get(0).flags());
            again.copy(List.of(2L), "INBOX");
            again.refresh();
            try (Maildrop pop3 = store.openMaildrop(ABE)) {
                pop3.delete(List.of(pop3.messages().get(0))); // POP3 removes the first of the two
            }
            assertEquals(List.of(2L), again.refresh().expunged());
            assertEquals(List.of(3L), uids(again));
        }
    }

    @Test
    void aMessageRemovedByAnotherProgramIsGoneNotAnotherMessage() throws Exception {
        MboxStore store = store();
        deliver(store, "one");
        deliver(store, "two");
        try (Mailbox inbox = store.openMailboxes(ABE).open("INBOX", true)) {
            // another program (mail(1), say) rewrites the file without the first message
            String text = Files.readString(spool.resolve("abe"));
            Path tmp = spool.resolve("abe.new");
            Files.writeString(tmp, text.substring(text.indexOf("From kato", 10)));
            Files.move(tmp, spool.resolve("abe"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            assertEquals(MailboxException.Reason.NONEXISTENT,
                    assertThrows(MailboxException.class, () -> read(inbox, 1)).reason());
            assertTrue(read(inbox, 2).contains("Subject: two"));
            assertEquals(List.of(1L), inbox.refresh().expunged());
        }
    }

    @Test
    void aCorruptIndexStartsOverWithANewUidValidity() throws Exception {
        MboxStore store = store();
        deliver(store, "one");
        long validity;
        try (Mailbox inbox = store.openMailboxes(ABE).open("INBOX", false)) {
            validity = inbox.uidValidity();
        }
        Files.writeString(spool.resolve(".abe.imap"), "yubin-mbox-imap 1 x\n");
        try (Mailbox inbox = store.openMailboxes(ABE).open("INBOX", false)) {
            assertTrue(inbox.uidValidity() != validity);
            assertEquals(List.of(1L), uids(inbox));
        }
        Files.writeString(spool.resolve(".abe.imap"), "yubin-mbox-imap 2 1 1 1\n");
        assertThrows(dev.yubin.core.store.StoreException.class,
                () -> store.openMailboxes(ABE).open("INBOX", false));
    }
}
