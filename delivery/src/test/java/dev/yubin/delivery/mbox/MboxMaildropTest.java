package dev.yubin.delivery.mbox;

import static dev.yubin.delivery.mbox.Mboxes.content;
import static dev.yubin.delivery.mbox.Mboxes.read;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.yubin.core.store.Maildrop;
import dev.yubin.core.store.StoreException;
import dev.yubin.core.store.StoredMessage;
import dev.yubin.core.user.MailUser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MboxMaildropTest {
    private static final String D = "  Thu Jul 23 19:03:23 2020";

    @TempDir
    Path spool;

    private final MailUser abe = new MailUser("abe", "");

    private MboxStore store() {
        return Mboxes.store(spool);
    }

    private List<String> uids(Maildrop drop) {
        return drop.messages().stream().map(StoredMessage::uid).collect(Collectors.toList());
    }

    private List<String> texts(Maildrop drop) throws Exception {
        List<String> out = new java.util.ArrayList<>();
        for (StoredMessage m : drop.messages()) {
            out.add(read(drop, m));
        }
        return out;
    }

    @Test
    void handWrittenMailboxWithTrickyContent() throws Exception {
        Files.writeString(spool.resolve("abe"), ""
                + "From kato@example1.jp" + D + "\n"
                + "Subject: one\n\nbody\nFrom me, not a separator: it follows a text line\n"
                + ">From quoted\n>>From twice\n\n"
                + "From ito@example1.jp" + D + "\n"           // separator after a blank line
                + "Subject: two\n\nno blank line before the next one\n"
                + "From ueda@example1.jp Fri Jul 24 09:00:00 2020\n" // valid From_ line after a text line
                + "Subject: three\n\nlast line without a newline");
        try (Maildrop drop = store().openMaildrop(abe)) {
            assertEquals(List.of(
                    "Subject: one\n\nbody\nFrom me, not a separator: it follows a text line\n"
                            + "From quoted\n>From twice\n",
                    "Subject: two\n\nno blank line before the next one\n",
                    "Subject: three\n\nlast line without a newline\n"), texts(drop));
            StoredMessage first = drop.messages().get(0);
            assertEquals(read(drop, first).length(), first.size());
            assertEquals(first.size() + 6, first.wireSize()); // six lines
        }
    }

    @Test
    void crlfMailboxReadsWithLfLineEndings() throws Exception {
        Files.writeString(spool.resolve("abe"), "From a" + D + "\r\nSubject: crlf\r\n\r\nbody\r\n>From x\r\n\r\n"
                + "From b" + D + "\r\nSubject: two\r\n\r\nbare\rcr\r\n");
        try (Maildrop drop = store().openMaildrop(abe)) {
            assertEquals(List.of("Subject: crlf\n\nbody\nFrom x\n", "Subject: two\n\nbare\rcr\n"), texts(drop));
            assertEquals(List.of(27L, 22L), drop.messages().stream().map(StoredMessage::size).toList());
            assertEquals(List.of(31L, 25L), drop.messages().stream().map(StoredMessage::wireSize).toList());
        }
    }

    @Test
    void bytesBeforeTheFirstFromLineAreNoMessageAndSurviveADelete() throws Exception {
        Path mbox = spool.resolve("abe");
        Files.writeString(mbox, "junk\n\nFrom a" + D + "\nS: 1\n\nx\n\nFrom b" + D + "\nS: 2\n\ny\n\n");
        try (Maildrop drop = store().openMaildrop(abe)) {
            assertEquals(List.of("S: 1\n\nx\n", "S: 2\n\ny\n"), texts(drop));
            drop.delete(List.of(drop.messages().get(0)));
        }
        assertEquals("junk\n\nFrom b" + D + "\nS: 2\n\ny\n\n", Files.readString(mbox));
    }

    @Test
    void uidsAreStableAcrossReopenAndAfterDeletingOthers() throws Exception {
        MboxStore store = store();
        for (int i = 0; i < 4; i++) {
            store.deliver(abe, content("Return-Path: <kato@example1.jp>\nMessage-Id: <" + i + "@x>\n\nbody\n"));
        }
        List<String> before;
        try (Maildrop drop = store.openMaildrop(abe)) {
            before = uids(drop);
            assertEquals(4, before.stream().distinct().count());
            assertTrue(before.stream().allMatch(u -> u.matches("[0-9a-f]{32}")), before.toString());
        }
        try (Maildrop drop = store.openMaildrop(abe)) {
            assertEquals(before, uids(drop));
            drop.delete(List.of(drop.messages().get(0), drop.messages().get(2)));
        }
        try (Maildrop drop = store.openMaildrop(abe)) {
            assertEquals(List.of(before.get(1), before.get(3)), uids(drop));
        }
        try (Maildrop drop = Mboxes.store(spool).openMaildrop(abe)) { // another store, as after a restart
            assertEquals(List.of(before.get(1), before.get(3)), uids(drop));
        }
    }

    @Test
    void uidsIgnoreStatusHeadersThatMailReadersAdd() throws Exception {
        Path mbox = spool.resolve("abe");
        Files.writeString(mbox, "From a" + D + "\nSubject: s\n\nx\n\n");
        String uid;
        try (Maildrop drop = store().openMaildrop(abe)) {
            uid = drop.messages().get(0).uid();
        }
        Files.writeString(mbox, "From a" + D + "\nSubject: s\nStatus: RO\nX-Status: A\n\nx\n\n");
        try (Maildrop drop = store().openMaildrop(abe)) {
            assertEquals(List.of(uid), uids(drop));
        }
    }

    @Test
    void identicalMessagesGetDistinctUidsAndXuidlIsReused() throws Exception {
        String same = "From a" + D + "\nSubject: same\n\nx\n\n";
        Files.writeString(spool.resolve("abe"), same + same + "From b" + D + "\nX-UIDL: dovecot-42\n\ny\n\n");
        try (Maildrop drop = store().openMaildrop(abe)) {
            List<String> uids = uids(drop);
            assertEquals(uids.get(0) + "-2", uids.get(1));
            assertEquals("dovecot-42", uids.get(2));
        }
    }

    @Test
    void deleteKeepsAMessageDeliveredAfterTheSnapshot() throws Exception {
        MboxStore store = store();
        store.deliver(abe, content("Subject: 1\n\none\n"));
        store.deliver(abe, content("Subject: 2\n\ntwo\n"));
        Path mbox = spool.resolve("abe");
        Files.setPosixFilePermissions(mbox, PosixFilePermissions.fromString("rw-rw----"));
        try (Maildrop drop = store.openMaildrop(abe)) {
            store.deliver(abe, content("Subject: late\n\nFrom late\n"));
            assertEquals(2, drop.messages().size());
            drop.delete(drop.messages());
        }
        assertEquals("From MAILER-DAEMON" + D + "\nSubject: late\n\n>From late\n\n", Files.readString(mbox));
        assertEquals("rw-rw----", PosixFilePermissions.toString(Files.getPosixFilePermissions(mbox)));
        assertFalse(Files.exists(spool.resolve("abe.lock")));
        try (Stream<Path> files = Files.list(spool)) {
            assertEquals(List.of(mbox), files.toList(), "no temporary file left");
        }
    }

    @Test
    void deletingEverythingLeavesAnEmptyFile() throws Exception {
        MboxStore store = store();
        store.deliver(abe, content("Subject: 1\n\none\n"));
        try (Maildrop drop = store.openMaildrop(abe)) {
            drop.delete(drop.messages());
        }
        assertEquals(0, Files.size(spool.resolve("abe")));
    }

    @Test
    void deleteAddsTheBlankLineAMissingSeparatorNeedsWithoutChangingMessages() throws Exception {
        Path mbox = spool.resolve("abe");
        Files.writeString(mbox, "From a" + D + "\nS: 1\n\nx\nFrom b" + D + "\nS: 2\n\ny\nFrom c" + D + "\nS: 3\n\nz");
        List<String> kept;
        try (Maildrop drop = store().openMaildrop(abe)) {
            kept = List.of(drop.messages().get(0).uid(), drop.messages().get(2).uid());
            drop.delete(List.of(drop.messages().get(1)));
        }
        assertEquals("From a" + D + "\nS: 1\n\nx\n\nFrom c" + D + "\nS: 3\n\nz", Files.readString(mbox));
        try (Maildrop drop = store().openMaildrop(abe)) {
            assertEquals(kept, uids(drop));
            assertEquals(List.of("S: 1\n\nx\n", "S: 3\n\nz\n"), texts(drop));
        }
    }

    @Test
    void aMessageRewrittenAwayByAnotherProgramFailsAsGone() throws Exception {
        MboxStore store = store();
        store.deliver(abe, content("Return-Path: <kato@example1.jp>\nSubject: 1\n\none\n"));
        store.deliver(abe, content("Return-Path: <ito@example1.jp>\nSubject: 2\n\ntwo\n"));
        try (Maildrop drop = store.openMaildrop(abe)) {
            // another program removes the first message by rewriting the file in place
            Path mbox = spool.resolve("abe");
            String text = Files.readString(mbox);
            Files.writeString(mbox, text.substring(text.indexOf("\n\nFrom ") + 2));
            assertEquals("Return-Path: <ito@example1.jp>\nSubject: 2\n\ntwo\n", read(drop, drop.messages().get(1)),
                    "found again by UID");
            StoreException e = assertThrows(StoreException.class, () -> drop.open(drop.messages().get(0)));
            assertFalse(e.isTemporary(), e.getMessage());
        }
    }

    @Test
    void largeMessagesStreamWithExactSizes() throws Exception {
        StringBuilder body = new StringBuilder("Subject: big\n\n");
        for (int i = 0; i < 60_000; i++) {
            body.append(i % 7 == 0 ? "From line " : ">From line ").append(i).append('\n');
        }
        String text = body.toString();
        MboxStore store = store();
        store.deliver(abe, content(text));
        store.deliver(abe, content("Subject: small\n\nx\n"));
        try (Maildrop drop = store.openMaildrop(abe)) {
            StoredMessage big = drop.messages().get(0);
            assertEquals(text.length(), big.size());
            assertEquals(text.length() + 60_002, big.wireSize());
            assertEquals(text, read(drop, big));
            assertNotEquals(big.uid(), drop.messages().get(1).uid());
        }
    }
}
