package dev.yubin.delivery.mbox;

import static dev.yubin.delivery.mbox.Mboxes.content;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.yubin.core.store.Maildrop;
import dev.yubin.core.store.StoreException;
import dev.yubin.core.store.StoredMessage;
import dev.yubin.core.user.MailUser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MboxStoreTest {
    private static final String MESSAGE = "Return-Path: <kato@example1.jp>\nSubject: hi\n\nhello! postfix!\n";
    private static final String FROM_LINE = "From kato@example1.jp  Thu Jul 23 19:03:23 2020\n";

    @TempDir
    Path spool;

    private final MailUser abe = new MailUser("abe", "");

    @Test
    void deliveryWritesFromLineMessageAndBlankLineAsPostfixLocal() throws Exception {
        Mboxes.store(spool).deliver(abe, content(MESSAGE));
        assertEquals(FROM_LINE + MESSAGE + "\n", Files.readString(spool.resolve("abe")));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(spool.resolve("abe"))));
        assertFalse(Files.exists(spool.resolve("abe.lock")), "dotlock removed");
    }

    @Test
    void secondDeliveryAppendsAfterTheBlankLine() throws Exception {
        MboxStore store = Mboxes.store(spool);
        store.deliver(abe, content(MESSAGE));
        store.deliver(abe, content("Return-Path: <>\nSubject: bounce\n\nsorry\n"));
        assertEquals(FROM_LINE + MESSAGE + "\n"
                + "From MAILER-DAEMON  Thu Jul 23 19:03:23 2020\nReturn-Path: <>\nSubject: bounce\n\nsorry\n\n",
                Files.readString(spool.resolve("abe")));
    }

    @Test
    void fromLinesInTheBodyAreQuotedMboxrdStyle() throws Exception {
        Mboxes.store(spool).deliver(abe, content("Subject: q\n\nFrom here\n>From there\n>>From afar\nFrom: x\n"
                + "from low\n"));
        assertEquals("From MAILER-DAEMON  Thu Jul 23 19:03:23 2020\n"
                + "Subject: q\n\n>From here\n>>From there\n>>>From afar\nFrom: x\nfrom low\n\n",
                Files.readString(spool.resolve("abe")));
    }

    @Test
    void aMissingFinalLineFeedIsAdded() throws Exception {
        Mboxes.store(spool).deliver(abe, content("Subject: x\n\nno newline"));
        assertEquals("From MAILER-DAEMON  Thu Jul 23 19:03:23 2020\nSubject: x\n\nno newline\n\n",
                Files.readString(spool.resolve("abe")));
    }

    @Test
    void anEmptyMessageIsAFromLineAndABlankLine() throws Exception {
        Mboxes.store(spool).deliver(abe, content(""));
        assertEquals("From MAILER-DAEMON  Thu Jul 23 19:03:23 2020\n\n", Files.readString(spool.resolve("abe")));
    }

    @Test
    void senderWithBlanksStaysOneWordAndNoReturnPathMeansMailerDaemon() throws Exception {
        MboxStore store = Mboxes.store(spool);
        store.deliver(abe, content("Return-Path: <\"abe kato\"@example1.jp>\n\nx\n"));
        store.deliver(abe, content("Subject: no return path\n\nx\n"));
        String text = Files.readString(spool.resolve("abe"));
        assertTrue(text.startsWith("From \"abe_kato\"@example1.jp  Thu Jul 23 19:03:23 2020\n"), text);
        assertTrue(text.contains("\n\nFrom MAILER-DAEMON  Thu Jul 23 19:03:23 2020\nSubject: no return path\n"),
                text);
    }

    @Test
    void aFileWithoutFinalBlankLineGetsOneBeforeTheNextMessage() throws Exception {
        Path mbox = spool.resolve("abe");
        Files.writeString(mbox, "From a  Thu Jul 23 10:00:00 2020\nSubject: old\n\nlast line");
        Mboxes.store(spool).deliver(abe, content("Subject: new\n\nx\n"));
        assertEquals("From a  Thu Jul 23 10:00:00 2020\nSubject: old\n\nlast line\n\n"
                + "From MAILER-DAEMON  Thu Jul 23 19:03:23 2020\nSubject: new\n\nx\n\n", Files.readString(mbox));

        Files.writeString(mbox, "From a  Thu Jul 23 10:00:00 2020\nSubject: old\n\nline\n");
        Mboxes.store(spool).deliver(abe, content("Subject: new\n\nx\n"));
        assertEquals("From a  Thu Jul 23 10:00:00 2020\nSubject: old\n\nline\n\n"
                + "From MAILER-DAEMON  Thu Jul 23 19:03:23 2020\nSubject: new\n\nx\n\n", Files.readString(mbox));
    }

    @Test
    void deliveredBytesReadBackExactly() throws Exception {
        List<String> bodies = List.of("Subject: a\n\nFrom the start\n>From quoted\n\n\nFrom end\n",
                "Subject: b\n\n>>>>From deep\nFrom\nFrom \n", "Subject: c\n\n\n\n\n", "X: y\n\nFrom x", "");
        MboxStore store = Mboxes.store(spool);
        for (String body : bodies) {
            store.deliver(abe, content(body));
        }
        try (Maildrop drop = store.openMaildrop(abe)) {
            assertEquals(bodies.size(), drop.messages().size());
            for (int i = 0; i < bodies.size(); i++) {
                String expected = bodies.get(i).isEmpty() || bodies.get(i).endsWith("\n") ? bodies.get(i)
                        : bodies.get(i) + "\n";
                StoredMessage m = drop.messages().get(i);
                assertEquals(expected, Mboxes.read(drop, m));
                assertEquals(expected.length(), m.size());
                assertEquals(expected.length() + expected.chars().filter(c -> c == '\n').count(), m.wireSize());
            }
        }
    }

    @Test
    void userNamesWithDomainsAreFileNamesAndUnsafeNamesAreRefused() throws Exception {
        MboxStore store = Mboxes.store(spool);
        store.deliver(new MailUser("abe@example1.jp", ""), content("x\n"));
        assertTrue(Files.isRegularFile(spool.resolve("abe@example1.jp")));
        for (String bad : List.of("../etc/passwd", "a/b", "..", ".", ".hidden", "-rf", "abe.lock", "a..b", "a b",
                "ab\u00e9", "a\nb", "x".repeat(256))) {
            StoreException e = assertThrows(StoreException.class,
                    () -> store.deliver(new MailUser(bad, ""), content("x\n")), bad);
            assertFalse(e.isTemporary(), bad);
        }
        try (var files = Files.list(spool)) {
            assertEquals(List.of(spool.resolve("abe@example1.jp")), files.toList());
        }
    }

    @Test
    void aSymbolicLinkOrDirectoryIsNoMailbox() throws Exception {
        Path target = Files.writeString(spool.resolve("target"), "");
        Files.createSymbolicLink(spool.resolve("abe"), target);
        StoreException e = assertThrows(StoreException.class, () -> Mboxes.store(spool).deliver(abe, content("x\n")));
        assertFalse(e.isTemporary(), e.getMessage());
        assertEquals("", Files.readString(target));

        Files.createDirectory(spool.resolve("ito"));
        e = assertThrows(StoreException.class,
                () -> Mboxes.store(spool).deliver(new MailUser("ito", ""), content("x\n")));
        assertFalse(e.isTemporary(), e.getMessage());
    }

    @Test
    void aMissingSpoolDirectoryIsCreated() throws Exception {
        Path deeper = spool.resolve("var/mail");
        Mboxes.store(deeper).deliver(abe, content("x\n"));
        assertTrue(Files.isRegularFile(deeper.resolve("abe")));
    }

    @Test
    void failureMidWriteLeavesTheMailboxAsBefore() throws Exception {
        MboxStore store = Mboxes.store(spool);
        store.deliver(abe, content(MESSAGE));
        byte[] before = Files.readAllBytes(spool.resolve("abe"));
        StoreException e = assertThrows(StoreException.class,
                () -> store.deliver(abe, new Mboxes.FailingContent(200_000)));
        assertTrue(e.isTemporary());
        assertTrue(e.getMessage().contains("disk on fire"), e.getMessage());
        assertArrayEquals(before, Files.readAllBytes(spool.resolve("abe")));
        assertFalse(Files.exists(spool.resolve("abe.lock")));

        store.deliver(abe, content(MESSAGE));
        try (Maildrop drop = store.openMaildrop(abe)) {
            assertEquals(2, drop.messages().size());
        }
    }

    @Test
    void failedFirstDeliveryLeavesAnEmptyMailbox() throws Exception {
        MboxStore store = Mboxes.store(spool);
        assertThrows(StoreException.class, () -> store.deliver(abe, new Mboxes.FailingContent(100)));
        assertEquals(0, Files.size(spool.resolve("abe")));
        try (Maildrop drop = store.openMaildrop(abe)) {
            assertEquals(List.of(), drop.messages());
        }
    }

    @Test
    void concurrentDeliveriesToOneMailboxAreSerialisedAndIntact() throws Exception {
        MboxStore store = MboxStore.builder().spoolDirectory(spool).clock(Mboxes.CLOCK).fsync(false).build();
        int threads = 16;
        int perThread = 50;
        runInParallel(threads, thread -> {
            for (int i = 0; i < perThread; i++) {
                // Two users in parallel, one of them contended by all threads.
                MailUser user = i % 5 == 0 ? new MailUser("ito", "") : abe;
                store.deliver(user, content("X-Id: " + thread + "-" + i + "\n\nFrom body " + i + "\nline\n"));
            }
        });
        int abeCount = 0;
        for (String name : List.of("abe", "ito")) {
            try (Maildrop drop = store.openMaildrop(new MailUser(name, ""))) {
                Set<String> ids = new HashSet<>();
                Set<String> uids = new HashSet<>();
                for (StoredMessage m : drop.messages()) {
                    String text = Mboxes.read(drop, m);
                    String id = text.substring("X-Id: ".length(), text.indexOf('\n'));
                    String i = id.substring(id.indexOf('-') + 1);
                    assertEquals("X-Id: " + id + "\n\nFrom body " + i + "\nline\n", text);
                    assertTrue(ids.add(id), "duplicate " + id);
                    assertTrue(uids.add(m.uid()), "duplicate uid " + m.uid());
                }
                if (name.equals("abe")) {
                    abeCount = ids.size();
                } else {
                    assertEquals(threads * perThread / 5, ids.size());
                }
            }
        }
        assertEquals(threads * perThread * 4 / 5, abeCount);
    }

    interface ThreadBody {
        void run(int thread) throws Exception;
    }

    static void runInParallel(int threads, ThreadBody body) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                futures.add(pool.submit(() -> {
                    body.run(thread);
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
