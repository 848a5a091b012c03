package dev.yubin.delivery.queue;

import static dev.yubin.delivery.queue.Fixtures.bytes;
import static dev.yubin.delivery.queue.Fixtures.envelope;
import static dev.yubin.delivery.queue.Fixtures.transferred;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.yubin.core.address.MailAddress;
import dev.yubin.core.address.ReversePath;
import dev.yubin.core.message.Envelope;
import dev.yubin.core.message.MessageContent;
import dev.yubin.core.message.QueueId;
import dev.yubin.core.message.Recipient;
import dev.yubin.core.net.ConnectionInfo;
import dev.yubin.core.store.StoreException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileQueueStoreTest {
    /** Bytes that a text format could trip over: CR LF, NUL, a lone "." line, %, =, non-ASCII, 0xff. */
    private static final byte[] AWKWARD = concat("From: kato@example1.jp\nSubject: =?UTF-8?B?5L6L?=\n\n"
            .getBytes(UTF_8), new byte[] {'.', '\n', 0, '%', '2', '0', '\r', '\n', (byte) 0xff, '\n'},
            "end 00000000\nstatus 0 sent\n".getBytes(UTF_8));

    @TempDir
    Path dir;

    private final List<FileQueueStore> opened = new ArrayList<>();

    @AfterEach
    void closeStores() {
        opened.forEach(FileQueueStore::close);
    }

    private FileQueueStore store() throws StoreException {
        FileQueueStore store = FileQueueStore.open(dir.resolve("queue"));
        opened.add(store);
        return store;
    }

    private FileQueueStore reopen(FileQueueStore store) throws StoreException {
        store.close();
        return store();
    }

    @Test
    void enqueuedMessageReadsBackWithExactBytesAndEnvelope() throws Exception {
        FileQueueStore store = store();
        Envelope envelope = richEnvelope();

        store.enqueue(envelope, MessageContent.ofBytes(AWKWARD), QueueState.ACTIVE);

        List<QueueEntry> entries = store.list();
        assertEquals(1, entries.size());
        QueueEntry entry = entries.get(0);
        assertEquals(envelope, entry.envelope());
        assertEquals(QueueState.ACTIVE, entry.state());
        assertEquals(AWKWARD.length, entry.size());
        assertEquals(List.of(RecipientStatus.pending(envelope.receivedAt()),
                RecipientStatus.pending(envelope.receivedAt())), entry.statuses());
        try (QueuedMessage message = store.open(envelope.queueId()).orElseThrow()) {
            assertEquals(entry, message.entry());
            assertEquals(AWKWARD.length, message.content().size());
            assertArrayEquals(AWKWARD, bytes(message.content()));
            assertArrayEquals(AWKWARD, transferred(message.content()));
        }
    }

    @Test
    void enqueueLeavesOneReadableFileInItsStateAndNothingInIncoming() throws Exception {
        FileQueueStore store = store();
        Envelope envelope = envelope("<kato@example1.jp>", "user2@example2.jp");

        store.enqueue(envelope, MessageContent.ofBytes("hello\n".getBytes(UTF_8)), QueueState.DEFERRED);

        Path file = store.directory().resolve("deferred").resolve(envelope.queueId().value());
        String text = Files.readString(file, UTF_8);
        assertTrue(text.startsWith("YUBIN-QUEUE 1\nid " + envelope.queueId() + "\n"), text);
        assertTrue(text.contains("\nsender <kato@example1.jp>\n"), text);
        assertTrue(text.contains("\nrcpt <user2@example2.jp>\n"), text);
        assertTrue(text.endsWith("\nhello\n"), text);
        assertEquals(List.of(), names(store.directory().resolve("incoming")));
        assertEquals(List.of(), names(store.directory().resolve("active")));
        assertEquals(QueueState.DEFERRED, store.list().get(0).state());
    }

    @Test
    void truncatedFileInIncomingIsDiscardedAtOpenWithALogLine() throws Exception {
        FileQueueStore store = store();
        Envelope envelope = envelope("<kato@example1.jp>", "user2@example2.jp");
        byte[] header = QueueFile.header(envelope, 1000);
        Path torn = store.directory().resolve("incoming").resolve(envelope.queueId().value());
        Files.write(torn, Arrays.copyOf(header, header.length + 10)); // the crash hit during the content
        Envelope other = envelope("<>", "x@example2.jp");
        Files.write(store.directory().resolve("incoming").resolve(other.queueId().value()),
                Arrays.copyOf(QueueFile.header(other, 5), 17)); // and another during the header
        store.close();

        String log = stderrOf(() -> store());

        FileQueueStore reopened = opened.get(opened.size() - 1);
        assertEquals(List.of(), names(reopened.directory().resolve("incoming")));
        assertEquals(List.of(), reopened.list());
        assertTrue(log.contains("yubin.qmgr - " + envelope.queueId()
                + ": discarded from incoming, never acknowledged (" + (header.length + 10) + " bytes)"), log);
        assertTrue(log.contains("yubin.qmgr - " + other.queueId() + ": discarded from incoming"), log);
    }

    @Test
    void stagedButUncommittedMessageIsInvisibleAndGoneAfterARestart() throws Exception {
        FileQueueStore store = store();
        Envelope envelope = envelope("<kato@example1.jp>", "user2@example2.jp");
        StagedMessage staged = store.stage(envelope, MessageContent.ofBytes(AWKWARD));

        assertEquals(List.of(), store.list());
        assertEquals(Optional.empty(), store.open(envelope.queueId()));
        FileQueueStore reopened = reopen(store); // the process "died" before commit: never acknowledged

        assertEquals(List.of(), reopened.list());
        assertEquals(List.of(), names(reopened.directory().resolve("incoming")));
        staged.close();
    }

    @Test
    void closingAStagedMessageWithdrawsIt() throws Exception {
        FileQueueStore store = store();
        Envelope envelope = envelope("<kato@example1.jp>", "user2@example2.jp");

        try (StagedMessage staged = store.stage(envelope, MessageContent.ofBytes(AWKWARD))) {
            assertEquals(envelope.queueId(), staged.queueId());
        }

        assertEquals(List.of(), names(store.directory().resolve("incoming")));
        assertEquals(List.of(), store.list());
    }

    @Test
    void messagesInActiveAndDeferredSurviveAReopen() throws Exception {
        FileQueueStore store = store();
        Envelope first = envelope("<kato@example1.jp>", "user2@example2.jp");
        Envelope second = envelope("<>", "user3@example3.jp");
        store.enqueue(first, MessageContent.ofBytes(AWKWARD), QueueState.ACTIVE);
        store.enqueue(second, MessageContent.ofBytes("bounce\n".getBytes(UTF_8)), QueueState.DEFERRED);

        FileQueueStore reopened = reopen(store);

        List<QueueEntry> entries = reopened.list();
        assertEquals(List.of(first.queueId(), second.queueId()),
                entries.stream().map(QueueEntry::queueId).collect(Collectors.toList()));
        assertEquals(List.of(QueueState.ACTIVE, QueueState.DEFERRED),
                entries.stream().map(QueueEntry::state).collect(Collectors.toList()));
        try (QueuedMessage message = reopened.open(first.queueId()).orElseThrow()) {
            assertEquals(first, message.entry().envelope());
            assertArrayEquals(AWKWARD, bytes(message.content()));
        }
    }

    @Test
    void recipientStatusUpdatesAreDurableAndTheLatestWins() throws Exception {
        FileQueueStore store = store();
        Envelope envelope = envelope("<kato@example1.jp>", "a@example2.jp", "b@example2.jp", "c@example3.jp");
        store.enqueue(envelope, MessageContent.ofBytes(AWKWARD), QueueState.ACTIVE);
        Instant t = Instant.parse("2024-05-01T10:00:02.5Z");
        RecipientStatus sent = RecipientStatus.sent("2.0.0", "250 2.0.0 Ok: queued as 4Fb2kQ0xYz", t);
        RecipientStatus deferred = RecipientStatus.deferred("4.4.1", "connect to mx.example2.jp[192.0.2.7]:25: "
                + "Connection refused", t);
        RecipientStatus bounced = RecipientStatus.bounced("5.1.1", "550 5.1.1 <c@example3.jp>: user unknown\n"
                + "(second line, 100% = sure)", t.plusSeconds(1));

        store.updateRecipients(envelope.queueId(), Map.of(0, sent, 1, deferred));
        store.updateRecipients(envelope.queueId(), Map.of(2, bounced));
        store.updateRecipients(envelope.queueId(), Map.of(1, RecipientStatus.sent("2.0.0", "", t.plusSeconds(300))));
        FileQueueStore reopened = reopen(store);

        QueueEntry entry = reopened.list().get(0);
        assertEquals(List.of(sent, RecipientStatus.sent("2.0.0", "", t.plusSeconds(300)), bounced),
                entry.statuses());
        assertTrue(entry.isDone());
        try (QueuedMessage message = reopened.open(envelope.queueId()).orElseThrow()) {
            assertArrayEquals(AWKWARD, bytes(message.content()), "status records are not part of the content");
        }
    }

    @Test
    void tornStatusRecordIsIgnoredAndReplacedByTheNextUpdate() throws Exception {
        FileQueueStore store = store();
        Envelope envelope = envelope("<kato@example1.jp>", "a@example2.jp", "b@example2.jp");
        store.enqueue(envelope, MessageContent.ofBytes(AWKWARD), QueueState.ACTIVE);
        Instant t = Instant.parse("2024-05-01T10:00:00Z");
        RecipientStatus sent = RecipientStatus.sent("2.0.0", "250 Ok", t);
        store.updateRecipients(envelope.queueId(), Map.of(0, sent));
        Path file = store.directory().resolve("active").resolve(envelope.queueId().value());
        byte[] record = QueueFile.statusRecord(1, RecipientStatus.bounced("5.0.0", "no", t));
        Files.write(file, Arrays.copyOf(record, record.length - 3), StandardOpenOption.APPEND); // crash mid-append
        FileQueueStore reopened = reopen(store);

        assertEquals(List.of(sent, RecipientStatus.pending(envelope.receivedAt())), reopened.list().get(0).statuses());
        RecipientStatus deferred = RecipientStatus.deferred("4.0.0", "later", t);
        reopened.updateRecipients(envelope.queueId(), Map.of(1, deferred));

        assertEquals(List.of(sent, deferred), reopen(reopened).list().get(0).statuses());
    }

    @Test
    void statusRecordWithABadChecksumEndsTheValidPart() throws Exception {
        FileQueueStore store = store();
        Envelope envelope = envelope("<kato@example1.jp>", "a@example2.jp");
        store.enqueue(envelope, MessageContent.ofBytes(AWKWARD), QueueState.ACTIVE);
        Path file = store.directory().resolve("active").resolve(envelope.queueId().value());
        String record = new String(QueueFile.statusRecord(0, RecipientStatus.sent("2.0.0", "ok", Instant.EPOCH)),
                UTF_8);
        Files.writeString(file, record.replace("ok", "ko"), StandardOpenOption.APPEND);

        assertEquals(RecipientStatus.pending(envelope.receivedAt()), store.list().get(0).statuses().get(0));
    }

    @Test
    void updateOfAMessageNotQueuedIsAPermanentFailureAndABadIndexIsRefused() throws Exception {
        FileQueueStore store = store();
        Envelope envelope = envelope("<kato@example1.jp>", "a@example2.jp");
        RecipientStatus sent = RecipientStatus.sent("2.0.0", "ok", Instant.EPOCH);

        StoreException missing = assertThrows(StoreException.class,
                () -> store.updateRecipients(envelope.queueId(), Map.of(0, sent)));
        assertFalse(missing.isTemporary());
        store.enqueue(envelope, MessageContent.ofBytes(AWKWARD), QueueState.ACTIVE);
        assertThrows(IllegalArgumentException.class, () -> store.updateRecipients(envelope.queueId(),
                Map.of(1, sent)));
        assertEquals(RecipientStatus.pending(envelope.receivedAt()), store.list().get(0).statuses().get(0));
    }

    @Test
    void moveChangesStateDurablyAndRemoveDeletesTheMessage() throws Exception {
        FileQueueStore store = store();
        Envelope envelope = envelope("<kato@example1.jp>", "a@example2.jp");
        store.enqueue(envelope, MessageContent.ofBytes(AWKWARD), QueueState.ACTIVE);

        store.move(envelope.queueId(), QueueState.DEFERRED);
        store.move(envelope.queueId(), QueueState.DEFERRED);
        FileQueueStore reopened = reopen(store);
        assertEquals(QueueState.DEFERRED, reopened.list().get(0).state());
        reopened.move(envelope.queueId(), QueueState.ACTIVE);
        assertEquals(QueueState.ACTIVE, reopened.open(envelope.queueId()).orElseThrow().entry().state());

        String log = stderrOf(() -> assertTrue(reopened.remove(envelope.queueId())));

        assertTrue(log.contains("yubin.qmgr - " + envelope.queueId() + ": removed"), log);
        assertFalse(reopened.remove(envelope.queueId()));
        assertEquals(Optional.empty(), reopened.open(envelope.queueId()));
        assertEquals(List.of(), reopen(reopened).list());
        assertThrows(StoreException.class, () -> reopened.move(envelope.queueId(), QueueState.ACTIVE));
    }

    @Test
    void openedContentStaysReadableAfterMoveAndRemove() throws Exception {
        FileQueueStore store = store();
        Envelope envelope = envelope("<kato@example1.jp>", "a@example2.jp");
        store.enqueue(envelope, MessageContent.ofBytes(AWKWARD), QueueState.ACTIVE);

        try (QueuedMessage message = store.open(envelope.queueId()).orElseThrow()) {
            store.move(envelope.queueId(), QueueState.DEFERRED);
            assertArrayEquals(AWKWARD, bytes(message.content()));
            store.remove(envelope.queueId());
            assertArrayEquals(AWKWARD, transferred(message.content()));
        }
    }

    @Test
    void aQueueIdThatIsQueuedAlreadyIsRefusedAndTheFirstMessageKept() throws Exception {
        FileQueueStore store = store();
        Envelope envelope = envelope("<kato@example1.jp>", "a@example2.jp");
        store.enqueue(envelope, MessageContent.ofBytes(AWKWARD), QueueState.ACTIVE);

        StoreException e = assertThrows(StoreException.class, () -> store.enqueue(envelope,
                MessageContent.ofBytes("other\n".getBytes(UTF_8)), QueueState.DEFERRED));

        assertTrue(e.isTemporary());
        assertEquals(List.of(), names(store.directory().resolve("incoming")));
        try (QueuedMessage message = store.open(envelope.queueId()).orElseThrow()) {
            assertEquals(QueueState.ACTIVE, message.entry().state());
            assertArrayEquals(AWKWARD, bytes(message.content()));
        }
    }

    @Test
    void contentShorterThanItsSizeFailsTheEnqueueAndLeavesNothing() throws Exception {
        FileQueueStore store = store();
        Envelope envelope = envelope("<kato@example1.jp>", "a@example2.jp");
        MessageContent liar = new GeneratedContent(100) {
            @Override
            public long transferTo(WritableByteChannel target) throws IOException {
                MessageContent.writeFully(target, ByteBuffer.wrap(new byte[60]));
                return 60;
            }
        };

        StoreException e = assertThrows(StoreException.class,
                () -> store.enqueue(envelope, liar, QueueState.ACTIVE));

        assertTrue(e.isTemporary());
        assertEquals(List.of(), names(store.directory().resolve("incoming")));
        assertEquals(List.of(), store.list());
    }

    @Test
    void corruptFileInActiveIsMovedAsideAndNotListed() throws Exception {
        FileQueueStore store = store();
        Envelope good = envelope("<kato@example1.jp>", "a@example2.jp");
        store.enqueue(good, MessageContent.ofBytes(AWKWARD), QueueState.ACTIVE);
        Envelope bad = envelope("<kato@example1.jp>", "b@example2.jp");
        byte[] header = QueueFile.header(bad, 50);
        Path active = store.directory().resolve("active");
        Files.write(active.resolve(bad.queueId().value()), Arrays.copyOf(header, header.length + 20)); // short
        QueueId flipped = QueueId.next();
        byte[] damaged = QueueFile.header(envelope("<>", "c@example2.jp"), 0);
        // a bit flip that leaves every field valid ("size 0" becomes "size 1"), so that only the checksum can tell;
        // flipping a fixed offset could hit the random queue id and make it invalid instead
        int size = new String(damaged, StandardCharsets.ISO_8859_1).indexOf("\nsize 0\n") + "\nsize ".length();
        damaged[size] ^= 1;
        Files.write(active.resolve(flipped.value()), damaged);

        String log = stderrOf(() -> assertEquals(List.of(good.queueId()),
                store.list().stream().map(QueueEntry::queueId).collect(Collectors.toList())));

        assertEquals(List.of(good.queueId().value()), names(active));
        assertEquals(List.of(bad.queueId().value(), flipped.value()).stream().sorted().collect(Collectors.toList()),
                names(store.directory().resolve("corrupt")));
        assertTrue(log.contains("content truncated"), log);
        assertTrue(log.contains("header checksum mismatch"), log);
    }

    @Test
    void openingACorruptFileIsAPermanentFailure() throws Exception {
        FileQueueStore store = store();
        QueueId id = QueueId.next();
        Files.writeString(store.directory().resolve("deferred").resolve(id.value()), "YUBIN-QUEUE 9\n");

        StoreException e = assertThrows(StoreException.class, () -> store.open(id));

        assertFalse(e.isTemporary());
        assertTrue(e.getMessage().contains("unsupported queue file version 9"), e.getMessage());
        assertEquals(List.of(id.value()), names(store.directory().resolve("corrupt")));
    }

    @Test
    void aSecondStoreOnTheSameDirectoryIsRefused() throws Exception {
        FileQueueStore store = store();

        StoreException e = assertThrows(StoreException.class, () -> FileQueueStore.open(store.directory()));

        assertFalse(e.isTemporary());
        assertTrue(e.getMessage().contains("in use"), e.getMessage());
        store.close();
        assertThrows(StoreException.class, () -> store.list(), "a closed store refuses work");
        store(); // the lock is free again
    }

    @Test
    void concurrentEnqueuesAllLandIntact() throws Exception {
        FileQueueStore store = store();
        int threads = 16;
        int perThread = 25;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<List<Envelope>>> futures = new ArrayList<>();
        try {
            for (int t = 0; t < threads; t++) {
                int thread = t;
                Callable<List<Envelope>> task = () -> {
                    start.await();
                    List<Envelope> mine = new ArrayList<>();
                    for (int i = 0; i < perThread; i++) {
                        Envelope envelope = envelope("<t" + thread + "@example1.jp>", "r" + i + "@example2.jp");
                        store.enqueue(envelope, MessageContent.ofBytes(body(envelope)),
                                i % 2 == 0 ? QueueState.ACTIVE : QueueState.DEFERRED);
                        mine.add(envelope);
                    }
                    return mine;
                };
                futures.add(pool.submit(task));
            }
            start.countDown();
            List<Envelope> all = new ArrayList<>();
            for (Future<List<Envelope>> f : futures) {
                all.addAll(f.get());
            }

            List<QueueEntry> entries = reopen(store).list();
            assertEquals(threads * perThread, entries.size());
            FileQueueStore reopened = opened.get(opened.size() - 1);
            for (Envelope envelope : all) {
                try (QueuedMessage message = reopened.open(envelope.queueId()).orElseThrow()) {
                    assertEquals(envelope, message.entry().envelope());
                    assertArrayEquals(body(envelope), bytes(message.content()));
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void largeMessageIsStreamedToDiskAndBack() throws Exception {
        FileQueueStore store = store();
        Envelope envelope = envelope("<kato@example1.jp>", "a@example2.jp");
        GeneratedContent content = new GeneratedContent(24L << 20);

        store.enqueue(envelope, content, QueueState.ACTIVE);

        try (QueuedMessage message = store.open(envelope.queueId()).orElseThrow()) {
            assertEquals(content.size(), message.content().size());
            CRC32 crc = new CRC32();
            byte[] buffer = new byte[65536];
            try (InputStream in = message.content().openStream()) {
                for (int n; (n = in.read(buffer)) > 0; ) {
                    crc.update(buffer, 0, n);
                }
            }
            assertEquals(content.crc(), crc.getValue());
        }
    }

    @Test
    void fieldEscapingRoundTripsAwkwardText() {
        for (String s : List.of("", "-", "--", "%", "%2D", "a b", "k=v", "line\nbreak", "tab\there", "例え.jp",
                "\u007f", "100% sure")) {
            String escaped = QueueFile.escape(s);
            assertFalse(escaped.isEmpty() || escaped.contains(" ") || escaped.contains("\n"), escaped);
            assertEquals(s, QueueFile.unescape(escaped), escaped);
        }
    }

    private static Envelope richEnvelope() throws Exception {
        ConnectionInfo client = new ConnectionInfo("s-42",
                new InetSocketAddress(InetAddress.getByName("2001:db8::10"), 50123),
                new InetSocketAddress(InetAddress.getByName("192.0.2.1"), 587),
                Optional.of("client.example"), Optional.of("TLSv1.3 TLS_AES_256_GCM_SHA384"), Optional.of("abe"));
        List<Recipient> recipients = List.of(
                new Recipient(MailAddress.parse("\"user two\"@example2.jp"),
                        Map.of("NOTIFY", "SUCCESS,FAILURE", "ORCPT", "rfc822;user+2B2@example2.jp")),
                Recipient.of(MailAddress.parse("ユーザー@例え.jp")));
        return new Envelope(QueueId.next(), ReversePath.parse("<kato@example1.jp>"), recipients,
                Map.of("BODY", "8BITMIME", "SMTPUTF8", "", "ENVID", "QQ314159"), "helo with spaces % and = ",
                "ESMTPSA", client, Instant.parse("2024-05-01T10:00:00.123456789Z"));
    }

    private static byte[] body(Envelope envelope) {
        return ("Subject: " + envelope.queueId() + "\n\n" + "x".repeat(envelope.queueId().hashCode() & 0x3ff)
                + "\n").getBytes(UTF_8);
    }

    private static List<String> names(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(f -> f.getFileName().toString()).sorted().collect(Collectors.toList());
        }
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    @FunctionalInterface
    interface Action {
        void run() throws Exception;
    }

    /** Runs {@code action} and returns what was logged to stderr meanwhile (slf4j-simple writes there). */
    static String stderrOf(Action action) throws Exception {
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, UTF_8));
        try {
            action.run();
        } finally {
            System.setErr(original);
        }
        return captured.toString(UTF_8);
    }

    /**
     * {@code size} bytes of a deterministic pattern, made on the fly: never one array. Only
     * {@link #transferTo} works, so the store must stream.
     */
    static class GeneratedContent implements MessageContent {
        private final long size;

        GeneratedContent(long size) {
            this.size = size;
        }

        static byte at(long i) {
            return i % 77 == 76 ? (byte) '\n' : (byte) ('!' + (i * 31 + (i >> 9)) % 90);
        }

        long crc() {
            CRC32 crc = new CRC32();
            generate(buffer -> crc.update(buffer));
            return crc.getValue();
        }

        @Override
        public long size() {
            return size;
        }

        @Override
        public InputStream openStream() {
            throw new UnsupportedOperationException("the queue must stream with transferTo");
        }

        @Override
        public long transferTo(WritableByteChannel target) throws IOException {
            IOException[] failure = new IOException[1];
            generate(buffer -> {
                try {
                    MessageContent.writeFully(target, buffer);
                } catch (IOException e) {
                    failure[0] = e;
                }
            });
            if (failure[0] != null) {
                throw failure[0];
            }
            return size;
        }

        private void generate(java.util.function.Consumer<ByteBuffer> sink) {
            byte[] chunk = new byte[65536];
            for (long done = 0; done < size; ) {
                int n = (int) Math.min(chunk.length, size - done);
                for (int i = 0; i < n; i++) {
                    chunk[i] = at(done + i);
                }
                sink.accept(ByteBuffer.wrap(chunk, 0, n));
                done += n;
            }
        }

        @Override
        public void close() {
        }
    }
}
