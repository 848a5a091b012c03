package dev.yubin.delivery.contract;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.yubin.core.message.MessageContent;
import dev.yubin.core.store.MailStore;
import dev.yubin.core.store.Maildrop;
import dev.yubin.core.store.StoreException;
import dev.yubin.core.store.StoredMessage;
import dev.yubin.core.user.MailUser;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every {@link MailStore} does through the SPI: delivery and the POP3 {@link Maildrop}. A subclass per store
 * supplies {@link #newStore(Path)}; messages end with a line feed, since an mbox store adds a missing one.
 */
public abstract class MailStoreContract {
    @TempDir
    protected Path dir;

    protected MailStore store;

    /** A new, empty store keeping its files (if any) under {@code dir}. */
    protected abstract MailStore newStore(Path dir) throws Exception;

    /** The user every test delivers to. */
    protected MailUser abe() {
        return new MailUser("abe", dir.resolve("abe/Maildir/").toString());
    }

    /** Whether the store finds a user's mail by {@link MailUser#mailLocation()} (mbox uses the name). */
    protected boolean usesMailLocation() {
        return true;
    }

    @BeforeEach
    void createStore() throws Exception {
        store = newStore(dir);
    }

    protected void deliver(String text) throws StoreException {
        store.deliver(abe(), MessageContent.ofBytes(text.getBytes(UTF_8)));
    }

    protected static String read(Maildrop drop, StoredMessage message) throws Exception {
        try (InputStream in = drop.open(message)) {
            return new String(in.readAllBytes(), UTF_8);
        }
    }

    private static List<String> uids(Maildrop drop) {
        return drop.messages().stream().map(StoredMessage::uid).toList();
    }

    @Test
    void kindIsAShortName() {
        assertTrue(store.kind().matches("[a-z]+"), store.kind());
    }

    @Test
    void aMissingMailboxIsAnEmptyMaildrop() throws Exception {
        try (Maildrop drop = store.openMaildrop(abe())) {
            assertEquals(List.of(), drop.messages());
        }
    }

    @Test
    void deliveredMessagesAreListedInOrderWithCrlfSizesAndStableUids() throws Exception {
        deliver("Subject: one\n\nfirst\n");
        deliver("Subject: two\n\nsecond\nline\n");
        List<String> first;
        try (Maildrop drop = store.openMaildrop(abe())) {
            List<StoredMessage> messages = drop.messages();
            assertEquals(2, messages.size());
            assertEquals(20, messages.get(0).size());
            assertEquals(23, messages.get(0).wireSize()); // three LFs become CRLF
            assertEquals("Subject: one\n\nfirst\n", read(drop, messages.get(0)));
            assertEquals("Subject: two\n\nsecond\nline\n", read(drop, messages.get(1)));
            first = uids(drop);
        }
        assertEquals(2, Set.copyOf(first).size());
        try (Maildrop drop = store.openMaildrop(abe())) {
            assertEquals(first, uids(drop));
        }
    }

    @Test
    void deleteRemovesOnlyTheChosenMessagesAndLaterDeliveriesStay() throws Exception {
        for (int i = 0; i < 3; i++) {
            deliver("Subject: " + i + "\n\nbody\n");
        }
        try (Maildrop drop = store.openMaildrop(abe())) {
            deliver("Subject: late\n\nlate\n");
            assertEquals(3, drop.messages().size(), "a snapshot: the late message is not listed");
            drop.delete(List.of(drop.messages().get(0), drop.messages().get(2)));
            drop.delete(List.of(drop.messages().get(0))); // already gone: ignored
        }
        try (Maildrop drop = store.openMaildrop(abe())) {
            List<String> subjects = new ArrayList<>();
            for (StoredMessage m : drop.messages()) {
                subjects.add(read(drop, m).lines().findFirst().orElseThrow());
            }
            assertEquals(List.of("Subject: 1", "Subject: late"), subjects);
        }
    }

    @Test
    void aMessageDeletedByAnotherSessionFailsToOpenButAnOpenStreamReadsOn() throws Exception {
        deliver("Subject: 1\n\none\n");
        try (Maildrop reader = store.openMaildrop(abe()); Maildrop deleter = store.openMaildrop(abe())) {
            try (InputStream in = reader.open(reader.messages().get(0))) {
                deleter.delete(deleter.messages());
                assertEquals("Subject: 1\n\none\n", new String(in.readAllBytes(), UTF_8));
            }
            StoreException e = assertThrows(StoreException.class, () -> reader.open(reader.messages().get(0)));
            assertFalse(e.isTemporary(), e.getMessage());
            reader.delete(reader.messages()); // nothing left to delete: fine
        }
    }

    @Test
    void contentThatFailsToReadStoresNothing() throws Exception {
        StoreException e = assertThrows(StoreException.class, () -> store.deliver(abe(), new FailingContent(10_000)));
        assertTrue(e.isTemporary());
        deliver("Subject: fine\n\nbody\n");
        try (Maildrop drop = store.openMaildrop(abe())) {
            assertEquals(1, drop.messages().size());
            assertEquals("Subject: fine\n\nbody\n", read(drop, drop.messages().get(0)));
        }
    }

    @Test
    void anEmptyMailLocationIsAPermanentFailureUnlessTheStoreGoesByName() throws Exception {
        MailUser nowhere = new MailUser("abe", "");
        MessageContent content = MessageContent.ofBytes("x\n".getBytes(UTF_8));
        if (usesMailLocation()) {
            StoreException e = assertThrows(StoreException.class, () -> store.deliver(nowhere, content));
            assertFalse(e.isTemporary());
        } else {
            store.deliver(nowhere, content);
            try (Maildrop drop = store.openMaildrop(abe())) {
                assertEquals(1, drop.messages().size(), "found by the name");
            }
        }
    }

    @Test
    void concurrentDeliveriesToOneUserAreAllKeptIntact() throws Exception {
        int threads = 4;
        int each = 25;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                futures.add(pool.submit(() -> {
                    for (int i = 0; i < each; i++) {
                        deliver("X-Id: " + thread + "-" + i + "\n\nline\n");
                    }
                    return null;
                }));
            }
            for (Future<?> future : futures) {
                future.get();
            }
        } finally {
            pool.shutdownNow();
        }
        try (Maildrop drop = store.openMaildrop(abe())) {
            assertEquals(threads * each, drop.messages().size());
            Set<String> ids = new HashSet<>();
            for (StoredMessage message : drop.messages()) {
                String text = read(drop, message);
                String id = text.substring("X-Id: ".length(), text.indexOf('\n'));
                assertEquals("X-Id: " + id + "\n\nline\n", text);
                assertTrue(ids.add(id), "duplicate " + id);
                assertEquals(text.length() + 3, message.wireSize());
            }
            assertEquals(threads * each, Set.copyOf(uids(drop)).size());
        }
    }

    /** Content whose reading fails after some bytes, as a spool file on a dying disk. */
    private static final class FailingContent implements MessageContent {
        private final int before;

        FailingContent(int before) {
            this.before = before;
        }

        @Override
        public long size() {
            return before * 2L;
        }

        @Override
        public InputStream openStream() {
            return new InputStream() {
                private int sent;

                @Override
                public int read() throws IOException {
                    if (sent >= before) {
                        throw new IOException("disk on fire");
                    }
                    sent++;
                    return sent % 80 == 0 ? '\n' : 'x';
                }
            };
        }

        @Override
        public long transferTo(WritableByteChannel target) throws IOException {
            MessageContent.writeFully(target, ByteBuffer.wrap(new byte[before]));
            throw new IOException("disk on fire");
        }

        @Override
        public void close() {
        }
    }
}
