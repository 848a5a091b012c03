package dev.yubin.delivery.mbox;

import static dev.yubin.delivery.mbox.Mboxes.content;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.yubin.core.store.Maildrop;
import dev.yubin.core.store.StoreException;
import dev.yubin.core.user.MailUser;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MboxLockingTest {
    @TempDir
    Path spool;

    private final MailUser abe = new MailUser("abe", "");

    private MboxStore store(Duration lockTimeout) {
        return MboxStore.builder().spoolDirectory(spool).clock(Mboxes.CLOCK).lockTimeout(lockTimeout).build();
    }

    @Test
    void aStaleDotlockIsBroken() throws Exception {
        Path lock = Files.writeString(spool.resolve("abe.lock"), "99999\n");
        Files.setLastModifiedTime(lock, FileTime.from(Instant.now().minusSeconds(501)));
        store(Duration.ofSeconds(5)).deliver(abe, content("x\n"));
        assertFalse(Files.exists(lock));
        assertTrue(Files.readString(spool.resolve("abe")).endsWith("\nx\n\n"));
    }

    @Test
    void aFreshDotlockOfAnotherHolderMakesDeliveryWaitThenFailTemporarily() throws Exception {
        Path lock = Files.writeString(spool.resolve("abe.lock"), "1\n");
        long start = System.nanoTime();
        StoreException e = assertThrows(StoreException.class,
                () -> store(Duration.ofMillis(400)).deliver(abe, content("x\n")));
        long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertTrue(e.isTemporary());
        assertTrue(e.getMessage().contains("abe.lock"), e.getMessage());
        assertTrue(waited >= 390, "waited " + waited + " ms");
        assertTrue(Files.exists(lock), "another holder's lock is left alone");
        assertFalse(Files.exists(spool.resolve("abe")) && Files.size(spool.resolve("abe")) > 0);
    }

    @Test
    void deliveryWaitsForADotlockThatIsReleased() throws Exception {
        Path lock = Files.writeString(spool.resolve("abe.lock"), "1\n");
        CompletableFuture<Void> release = CompletableFuture.runAsync(() -> {
            try {
                Thread.sleep(300);
                Files.delete(lock);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        store(Duration.ofSeconds(10)).deliver(abe, content("x\n"));
        release.get();
        assertTrue(Files.readString(spool.resolve("abe")).endsWith("\nx\n\n"));
    }

    @Test
    void anFcntlLockOfAnotherProcessMakesDeliveryWaitThenFailTemporarily() throws Exception {
        Path mbox = Files.writeString(spool.resolve("abe"), "");
        Process holder = holdFcntlLock(mbox, 60_000);
        try {
            StoreException e = assertThrows(StoreException.class,
                    () -> store(Duration.ofMillis(500)).deliver(abe, content("x\n")));
            assertTrue(e.isTemporary());
            assertTrue(e.getMessage().contains("fcntl"), e.getMessage());
            assertFalse(Files.exists(spool.resolve("abe.lock")), "our dotlock is released on failure");
            assertEquals(0, Files.size(mbox));
            assertThrows(StoreException.class, () -> store(Duration.ofMillis(200)).openMaildrop(abe).close());
        } finally {
            holder.destroy();
            holder.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void deliveryWaitsForAnFcntlLockThatIsReleased() throws Exception {
        Path mbox = Files.writeString(spool.resolve("abe"), "");
        Process holder = holdFcntlLock(mbox, 700);
        try {
            long start = System.nanoTime();
            store(Duration.ofSeconds(20)).deliver(abe, content("x\n"));
            assertTrue(System.nanoTime() - start > TimeUnit.MILLISECONDS.toNanos(300), "it waited");
            try (Maildrop drop = store(Duration.ofSeconds(5)).openMaildrop(abe)) {
                assertEquals(1, drop.messages().size());
            }
        } finally {
            holder.destroy();
            holder.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void aMaildropClosingItsFileDoesNotDropADeliverysFcntlLock() throws Exception {
        // fcntl locks belong to the process: a careless close of another channel would release them
        MboxStore store = store(Duration.ofSeconds(5));
        store.deliver(abe, content("x\n"));
        Maildrop drop = store.openMaildrop(abe);
        CompletableFuture<Void> closing;
        try (MailboxLock lock = MailboxLock.acquire(store, spool.resolve("abe"), MailboxLock.Mode.APPEND)) {
            closing = CompletableFuture.runAsync(drop::close);
            Thread.sleep(200);
            assertFalse(closing.isDone(), "the close waits for the lock holder");
            assertTrue(lock.channel().isOpen());
        }
        closing.get(5, TimeUnit.SECONDS);
    }

    private static Process holdFcntlLock(Path file, long millis) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                LockHolder.class.getName(), file.toString(), Long.toString(millis))
                .redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        assertEquals("locked", out.readLine(), "the lock holder started");
        return p;
    }
}
