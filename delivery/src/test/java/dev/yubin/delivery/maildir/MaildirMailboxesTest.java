package dev.yubin.delivery.maildir;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.yubin.core.message.MessageContent;
import dev.yubin.core.store.AppendResult;
import dev.yubin.core.store.Flag;
import dev.yubin.core.store.FlagOperation;
import dev.yubin.core.store.Flags;
import dev.yubin.core.store.Mailbox;
import dev.yubin.core.store.MailboxAttribute;
import dev.yubin.core.store.MailboxDelta;
import dev.yubin.core.store.MailboxException;
import dev.yubin.core.store.MailboxInfo;
import dev.yubin.core.store.MessageInfo;
import dev.yubin.core.store.UserMailboxes;
import dev.yubin.core.user.MailUser;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MaildirMailboxesTest {
    private static final String MESSAGE = "From: kato@example1.jp\nSubject: hi\n\nhello! imap!\n";
    private static final Instant DATE = Instant.parse("2024-03-01T09:30:00Z");

    @TempDir
    Path root;

    private final MaildirStore store = MaildirStore.builder().hostname("mx.example1.jp").mailRoot(Path.of("/"))
            .build();

    private MailUser abe() {
        return new MailUser("abe", root.resolve("abe/Maildir").toString());
    }

    private Path maildir() {
        return root.resolve("abe/Maildir");
    }

    private UserMailboxes mailboxes() throws Exception {
        return store.openMailboxes(abe());
    }

    private void deliver(String text) throws Exception {
        store.deliver(abe(), MessageContent.ofBytes(text.getBytes(UTF_8)));
    }

    private static AppendResult append(UserMailboxes boxes, String name, String text, Flags flags) throws Exception {
        return boxes.append(name, MessageContent.ofBytes(text.getBytes(UTF_8)), flags, DATE);
    }

    private static String read(Mailbox mailbox, long uid) throws Exception {
        try (InputStream in = mailbox.content(uid).openStream()) {
            return new String(in.readAllBytes(), UTF_8);
        }
    }

    private static List<Long> uids(Mailbox mailbox) {
        return mailbox.messages().stream().map(MessageInfo::uid).collect(Collectors.toList());
    }

    private static Map<String, Set<MailboxAttribute>> listing(UserMailboxes boxes) throws Exception {
        return boxes.list().stream().collect(Collectors.toMap(MailboxInfo::name, MailboxInfo::attributes));
    }

    @Test
    void inboxAlwaysExistsAndIsListedFirst() throws Exception {
        List<MailboxInfo> list = mailboxes().list();
        assertEquals("INBOX", list.get(0).name());
        assertEquals(Set.of(MailboxAttribute.HAS_NO_CHILDREN), list.get(0).attributes());
        assertTrue(Files.isDirectory(maildir().resolve("cur")));
        assertEquals('.', mailboxes().delimiter());
    }

    @Test
    void createMakesMaildirPlusPlusFolderWithHierarchyAndNoselectParents() throws Exception {
        UserMailboxes boxes = mailboxes();
        boxes.create("Lists.yubin.dev");
        boxes.create("Work");
        Path folder = maildir().resolve(".Lists.yubin.dev");
        for (String sub : List.of("cur", "new", "tmp")) {
            assertTrue(Files.isDirectory(folder.resolve(sub)), sub);
        }
        assertTrue(Files.isRegularFile(folder.resolve("maildirfolder")));
        Map<String, Set<MailboxAttribute>> list = listing(boxes);
        assertEquals(Set.of(MailboxAttribute.NOSELECT, MailboxAttribute.HAS_CHILDREN), list.get("Lists"));
        assertEquals(Set.of(MailboxAttribute.NOSELECT, MailboxAttribute.HAS_CHILDREN), list.get("Lists.yubin"));
        assertEquals(Set.of(MailboxAttribute.HAS_NO_CHILDREN), list.get("Lists.yubin.dev"));
        assertEquals(Set.of(MailboxAttribute.HAS_NO_CHILDREN), list.get("Work"));
        assertEquals(List.of("INBOX", "Lists", "Lists.yubin", "Lists.yubin.dev", "Work"),
                boxes.list().stream().map(MailboxInfo::name).collect(Collectors.toList()));
        MailboxException again = assertThrows(MailboxException.class, () -> boxes.create("Work"));
        assertEquals(MailboxException.Reason.ALREADY_EXISTS, again.reason());
        assertEquals(MailboxException.Reason.ALREADY_EXISTS,
                assertThrows(MailboxException.class, () -> boxes.create("inbox")).reason());
        boxes.create("Archive.");
        assertTrue(listing(boxes).containsKey("Archive"), "a trailing delimiter is dropped");
    }

    @Test
    void utf8NamesAreStoredAsUtf8Directories() throws Exception {
        mailboxes().create("受信.日本語");
        assertTrue(Files.isDirectory(maildir().resolve(".受信.日本語")));
        assertTrue(listing(mailboxes()).containsKey("受信.日本語"));
    }

    @Test
    void deleteRemovesMessagesAndKeepsChildrenAsNoselectParent() throws Exception {
        UserMailboxes boxes = mailboxes();
        boxes.create("a");
        boxes.create("a.b");
        append(boxes, "a", MESSAGE, Flags.NONE);
        boxes.delete("a");
        assertFalse(Files.exists(maildir().resolve(".a")));
        assertEquals(Set.of(MailboxAttribute.NOSELECT, MailboxAttribute.HAS_CHILDREN), listing(boxes).get("a"));
        assertEquals(MailboxException.Reason.NOT_PERMITTED,
                assertThrows(MailboxException.class, () -> boxes.delete("a")).reason());
        assertEquals(MailboxException.Reason.NONEXISTENT,
                assertThrows(MailboxException.class, () -> boxes.delete("zzz")).reason());
        assertEquals(MailboxException.Reason.NOT_PERMITTED,
                assertThrows(MailboxException.class, () -> boxes.delete("INBOX")).reason());
        boxes.delete("a.b");
        assertEquals(List.of("INBOX"), boxes.list().stream().map(MailboxInfo::name).collect(Collectors.toList()));
        boxes.create("a");
        try (Mailbox recreated = boxes.open("a", false)) {
            assertEquals(List.of(), recreated.messages());
        }
    }

    @Test
    void subscriptionsAreAFileOfNames() throws Exception {
        UserMailboxes boxes = mailboxes();
        boxes.subscribe("Work");
        boxes.subscribe("inbox");
        boxes.subscribe("Not.there");
        boxes.unsubscribe("Work");
        boxes.unsubscribe("never");
        assertEquals(Set.of("INBOX", "Not.there"), boxes.subscriptions());
        assertEquals(List.of("INBOX", "Not.there"), Files.readAllLines(maildir().resolve("subscriptions")));
        assertTrue(boxes.list().get(0).subscribed());
    }

    @Test
    void dovecotVersion2SubscriptionsAreRead() throws Exception {
        Files.createDirectories(maildir());
        Files.writeString(maildir().resolve("subscriptions"), "V\t2\n\nLists\tyubin\nSent\n");
        assertEquals(Set.of("Lists.yubin", "Sent"), mailboxes().subscriptions());
    }

    @Test
    void namesThatCouldEscapeTheMailRootAreRefused() throws Exception {
        UserMailboxes boxes = mailboxes();
        for (String bad : List.of("..", "../etc", "a/../../b", "/etc/passwd", ".hidden", "a..b", "",
                "nul\0byte", "tab\tname", "bell\u0007", "back\\slash", "x".repeat(300), "\ud800")) {
            MailboxException e = assertThrows(MailboxException.class, () -> boxes.create(bad), bad);
            assertEquals(MailboxException.Reason.INVALID_NAME, e.reason(), bad);
            assertEquals(MailboxException.Reason.INVALID_NAME,
                    assertThrows(MailboxException.class, () -> boxes.open(bad, false)).reason());
            assertEquals(MailboxException.Reason.INVALID_NAME,
                    assertThrows(MailboxException.class, () -> boxes.rename("INBOX", bad)).reason());
            assertFalse(e.isTemporary());
        }
        try (Stream<Path> files = Files.list(root)) {
            assertEquals(List.of(root.resolve("abe")), files.collect(Collectors.toList()), "nothing outside");
        }
        assertEquals(MailboxException.Reason.INVALID_NAME,
                assertThrows(MailboxException.class, () -> boxes.subscribe("../x")).reason());
    }

    @Test
    void appendIsDurableAndGivesAppendUidWithFlagsAndInternalDate() throws Exception {
        UserMailboxes boxes = mailboxes();
        boxes.create("Sent");
        AppendResult first = append(boxes, "Sent", MESSAGE, new Flags(Set.of(Flag.SEEN, Flag.ANSWERED),
                Set.of("$Label1", "Junk")));
        AppendResult second = append(boxes, "Sent", "x\n", Flags.NONE);
        assertEquals(1, first.uid());
        assertEquals(2, second.uid());
        assertEquals(first.uidValidity(), second.uidValidity());
        try (Mailbox sent = boxes.open("Sent", false)) {
            assertEquals(first.uidValidity(), sent.uidValidity());
            MessageInfo info = sent.messages().get(0);
            assertEquals(new Flags(Set.of(Flag.SEEN, Flag.ANSWERED), Set.of("$Label1", "Junk")), info.flags());
            assertEquals(DATE, info.internalDate());
            assertEquals(MESSAGE.length(), info.size());
            assertEquals(MESSAGE.length() + 4, info.wireSize());
            assertTrue(info.recent(), "appended, and no read-write session looked since (RFC 3501 §6.3.11)");
            assertEquals(MESSAGE, read(sent, 1));
            assertEquals(MESSAGE.length(), sent.content(1).size());
            assertEquals(3, sent.uidNext());
            assertEquals(2, sent.highestUid());
            assertEquals(Set.of("$Label1", "Junk"), sent.keywords());
        }
        try (Stream<Path> files = Files.list(maildir().resolve(".Sent/cur"))) {
            List<String> names = files.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
            // names need not sort in delivery order (M<microseconds> is not zero-padded): find the flagged one
            assertEquals(2, names.size(), names.toString());
            assertTrue(names.stream().anyMatch(n -> n.endsWith(",S=" + MESSAGE.length() + ",W=" + (MESSAGE.length() + 4)
                    + ":2,RSab")), names.toString());
        }
        assertEquals(List.of("0 $Label1", "1 Junk"), Files.readAllLines(maildir().resolve(".Sent/dovecot-keywords")));
        try (Stream<Path> files = Files.list(maildir().resolve(".Sent/tmp"))) {
            assertEquals(0, files.count());
        }
        assertEquals(MailboxException.Reason.NONEXISTENT,
                assertThrows(MailboxException.class, () -> append(boxes, "Nope", MESSAGE, Flags.NONE)).reason());
    }

    @Test
    void uidsAndUidValidityPersistAcrossReopenAndRestart() throws Exception {
        deliver("one\n");
        deliver("two\n");
        long validity;
        List<Long> before;
        try (Mailbox inbox = mailboxes().open("INBOX", false)) {
            validity = inbox.uidValidity();
            before = uids(inbox);
        }
        assertEquals(List.of(1L, 2L), before);
        deliver("three\n");
        MaildirStore restarted = MaildirStore.builder().hostname("mx.example1.jp").build();
        try (Mailbox inbox = restarted.openMailboxes(abe()).open("INBOX", true)) {
            assertEquals(validity, inbox.uidValidity());
            assertEquals(List.of(1L, 2L, 3L), uids(inbox));
            assertEquals("one\n", read(inbox, 1));
            assertEquals("three\n", read(inbox, 3));
        }
        List<String> lines = Files.readAllLines(maildir().resolve("yubin-uidlist"));
        assertEquals("yubin-uidlist 2 " + validity + " 4 3", lines.get(0)); // 3 was only seen read-only
        assertEquals(4, lines.size());
    }

    @Test
    void messagesDeliveredWhileAMailboxIsOpenGetTheNextUidsAndShowInTheDelta() throws Exception {
        deliver("one\n");
        try (Mailbox inbox = mailboxes().open("INBOX", false)) {
            assertEquals(List.of(1L), uids(inbox));
            assertTrue(inbox.messages().get(0).recent());
            assertEquals(MailboxDelta.NONE, inbox.refresh());
            deliver("two\n");
            deliver("three\n");
            MailboxDelta delta = inbox.refresh();
            assertEquals(List.of(2L, 3L), delta.added().stream().map(MessageInfo::uid).collect(Collectors.toList()));
            assertTrue(delta.added().get(0).recent());
            assertEquals(List.of(), delta.expunged());
            assertEquals(4, inbox.uidNext());
            assertEquals("three\n", read(inbox, 3));
        }
        try (Stream<Path> files = Files.list(maildir().resolve("new"))) {
            assertEquals(0, files.count(), "the session claimed new/");
        }
    }

    @Test
    void flagsRoundTripThroughFileNamesIncludingKeywords() throws Exception {
        deliver("one\n");
        deliver("two\n");
        UserMailboxes boxes = mailboxes();
        try (Mailbox inbox = boxes.open("INBOX", false)) {
            List<MessageInfo> changed = inbox.setFlags(List.of(1L, 2L, 99L), FlagOperation.ADD,
                    new Flags(Set.of(Flag.FLAGGED, Flag.SEEN), Set.of("$Forwarded")));
            assertEquals(2, changed.size());
            inbox.setFlags(List.of(2L), FlagOperation.REMOVE, Flags.of(Flag.SEEN));
            inbox.setFlags(List.of(1L), FlagOperation.REPLACE, new Flags(Set.of(Flag.DRAFT), Set.of("todo")));
            assertEquals(new Flags(Set.of(Flag.DRAFT), Set.of("todo")), inbox.messages().get(0).flags());
            assertEquals("one\n", read(inbox, 1), "content is found after the rename");
        }
        try (Mailbox again = mailboxes().open("INBOX", true)) {
            assertEquals(new Flags(Set.of(Flag.DRAFT), Set.of("todo")), again.messages().get(0).flags());
            assertEquals(new Flags(Set.of(Flag.FLAGGED), Set.of("$Forwarded")), again.messages().get(1).flags());
            assertEquals(Set.of("$Forwarded", "todo"), again.keywords());
            assertEquals(MailboxException.Reason.NOT_PERMITTED, assertThrows(MailboxException.class,
                    () -> again.setFlags(List.of(1L), FlagOperation.ADD, Flags.of(Flag.SEEN))).reason());
        }
        try (Stream<Path> files = Files.list(maildir().resolve("cur"))) {
            Set<String> infos = files.map(p -> p.getFileName().toString().replaceAll(".*:2,", ""))
                    .collect(Collectors.toSet());
            assertEquals(Set.of("Db", "Fa"), infos);
        }
    }

    @Test
    void foreignLettersAndUnknownKeywordLettersSurviveAFlagChange() throws Exception {
        deliver("one\n");
        try (Mailbox inbox = mailboxes().open("INBOX", false)) {
            Path file = Files.list(maildir().resolve("cur")).findFirst().orElseThrow();
            Files.move(file, file.resolveSibling(file.getFileName().toString() + "Pz"));
            inbox.refresh();
            inbox.setFlags(List.of(1L), FlagOperation.ADD, Flags.of(Flag.SEEN));
        }
        try (Stream<Path> files = Files.list(maildir().resolve("cur"))) {
            assertTrue(files.findFirst().orElseThrow().toString().endsWith(":2,PSz"));
        }
    }

    @Test
    void aUidListLeftHalfWrittenByACrashIsIgnored() throws Exception {
        deliver("one\n");
        deliver("two\n");
        long validity;
        try (Mailbox inbox = mailboxes().open("INBOX", false)) {
            validity = inbox.uidValidity();
        }
        // the crash: a temp file with half a list next to the intact list
        Files.writeString(maildir().resolve("yubin-uidlist.tmp"), "yubin-uidlist 1 " + validity + " 9\n1 bogus");
        deliver("three\n");
        try (Mailbox inbox = mailboxes().open("INBOX", false)) {
            assertEquals(validity, inbox.uidValidity());
            assertEquals(List.of(1L, 2L, 3L), uids(inbox));
            assertEquals("three\n", read(inbox, 3));
        }
        assertFalse(Files.exists(maildir().resolve("yubin-uidlist.tmp")));
    }

    @Test
    void aCorruptUidListStartsOverWithANewUidValidity() throws Exception {
        deliver("one\n");
        long validity;
        try (Mailbox inbox = mailboxes().open("INBOX", false)) {
            validity = inbox.uidValidity();
        }
        Files.writeString(maildir().resolve("yubin-uidlist"), "garbage\n");
        try (Mailbox inbox = mailboxes().open("INBOX", false)) {
            assertTrue(inbox.uidValidity() != validity);
            assertEquals(List.of(1L), uids(inbox));
        }
    }

    @Test
    void aUidListOfANewerVersionIsNotOverwritten() throws Exception {
        Files.createDirectories(maildir());
        mailboxes();
        Files.writeString(maildir().resolve("yubin-uidlist"), "yubin-uidlist 3 5 5 5\n");
        assertThrows(dev.yubin.core.store.StoreException.class, () -> mailboxes().open("INBOX", false));
        assertEquals("yubin-uidlist 3 5 5 5\n", Files.readString(maildir().resolve("yubin-uidlist")));
    }

    @Test
    void aVersionOneUidListCountsWhatIsInNewAsRecent() throws Exception {
        deliver("one\n");
        deliver("two\n");
        long validity;
        try (Mailbox inbox = mailboxes().open("INBOX", false)) {
            validity = inbox.uidValidity();
        }
        deliver("three\n");
        Path list = maildir().resolve("yubin-uidlist");
        List<String> lines = new java.util.ArrayList<>(Files.readAllLines(list));
        lines.set(0, "yubin-uidlist 1 " + validity + " 3");
        Files.write(list, lines);
        try (Mailbox inbox = mailboxes().open("INBOX", false)) {
            assertEquals(validity, inbox.uidValidity(), "read, not replaced");
            assertEquals(List.of(false, false, true), inbox.messages().stream().map(MessageInfo::recent).toList());
        }
        assertEquals("yubin-uidlist 2 " + validity + " 4 4", Files.readAllLines(list).get(0));
    }
}
