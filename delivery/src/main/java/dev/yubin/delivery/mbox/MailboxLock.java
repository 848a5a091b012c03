package dev.yubin.delivery.mbox;

import dev.yubin.core.store.StoreException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The locks on one mbox file, taken in Postfix's order and released in reverse: this JVM's lock for the path (fair,
 * so threads take turns), the dotlock {@code <mbox>.lock}, then an fcntl lock ({@link FileChannel#tryLock}) on the
 * file, all before one deadline. After the fcntl lock is granted, the path must still name the file that was opened
 * (a rewriter may have renamed a new file over it meanwhile); otherwise the file is opened again.
 *
 * <p>fcntl locks belong to the process and any close of the file drops them, so every channel on an mbox is closed
 * while this JVM's lock for it is held ({@link MboxStore#closeLocked}). Not thread-safe; one holder.
 */
final class MailboxLock implements AutoCloseable {
    /** What the holder does with the file. */
    enum Mode {
        /** Deliver: create the file if missing, exclusive lock. */
        APPEND,
        /** Index for a maildrop: shared fcntl lock; the channel is handed to the maildrop. */
        READ,
        /** Delete messages: exclusive lock; a missing file is not created. */
        REWRITE
    }

    private final ReentrantLock jvmLock;
    private final DotLock dotLock;
    private FileChannel channel;
    private FileLock fileLock;
    private final boolean created;
    private boolean detached;

    private MailboxLock(ReentrantLock jvmLock, DotLock dotLock, FileChannel channel, FileLock fileLock,
            boolean created) {
        this.jvmLock = jvmLock;
        this.dotLock = dotLock;
        this.channel = channel;
        this.fileLock = fileLock;
        this.created = created;
    }

    static MailboxLock acquire(MboxStore store, Path mbox, Mode mode) throws StoreException {
        long deadline = System.nanoTime() + store.lockTimeout().toNanos();
        ReentrantLock jvmLock = store.jvmLock(mbox);
        try {
            if (!jvmLock.tryLock(store.lockTimeout().toNanos(), TimeUnit.NANOSECONDS)) {
                throw new StoreException("mailbox " + mbox + " is busy in this process", true, null);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("interrupted while waiting for the mailbox lock", true, e);
        }
        DotLock dot = null;
        try {
            if (store.dotlock()) {
                dot = DotLock.acquire(mbox.resolveSibling(mbox.getFileName() + ".lock"), deadline,
                        store.staleLockAge(), Backoff.DEFAULT);
            }
        } catch (StoreException | RuntimeException e) {
            jvmLock.unlock();
            throw e;
        }
        return lockFile(store, mbox, mode, jvmLock, dot, deadline); // releases both if it fails
    }

    private static MailboxLock lockFile(MboxStore store, Path mbox, Mode mode, ReentrantLock jvmLock, DotLock dot,
            long deadline) throws StoreException {
        boolean success = false;
        try {
            boolean created = false;
            if (mode == Mode.APPEND) {
                created = createIfMissing(mbox);
            }
            for (int attempt = 0; ; attempt++) {
                Object before;
                try {
                    BasicFileAttributes seen = attributes(mbox);
                    if (!seen.isRegularFile()) {
                        throw new StoreException("mailbox " + mbox + " is not a regular file", false, null);
                    }
                    before = seen.fileKey();
                } catch (NoSuchFileException e) {
                    if (mode != Mode.APPEND) {
                        success = true;
                        return new MailboxLock(jvmLock, dot, null, null, false);
                    }
                    created |= createIfMissing(mbox);
                    continue;
                }
                FileChannel channel = FileChannel.open(mbox, options(mode));
                FileLock fileLock = null;
                try {
                    fileLock = tryLockUntil(channel, mode, deadline, mbox);
                    BasicFileAttributes after = attributes(mbox);
                    if (!after.isRegularFile()) {
                        throw new StoreException("mailbox " + mbox + " is not a regular file", false, null);
                    }
                    if (Objects.equals(before, after.fileKey())) {
                        success = true;
                        return new MailboxLock(jvmLock, dot, channel, fileLock, created);
                    }
                } catch (NoSuchFileException e) {
                    // removed or renamed after we opened it: open again
                } finally {
                    if (!success) {
                        if (fileLock != null) {
                            fileLock.release();
                        }
                        channel.close();
                    }
                }
                if (attempt > 100) {
                    throw new StoreException("mailbox " + mbox + " keeps being replaced", true, null);
                }
            }
        } catch (IOException e) {
            throw new StoreException("cannot open mailbox " + mbox + ": " + MboxStore.reason(e), true, e);
        } finally {
            if (!success) {
                if (dot != null) {
                    dot.close();
                }
                jvmLock.unlock();
            }
        }
    }

    private static Set<OpenOption> options(Mode mode) {
        return mode == Mode.READ
                ? Set.of(StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)
                : Set.of(StandardOpenOption.READ, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
    }

    private static boolean createIfMissing(Path mbox) throws IOException {
        try {
            Files.newByteChannel(mbox, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                    LinkOption.NOFOLLOW_LINKS), MboxStore.fileAttributes()).close();
            return true;
        } catch (FileAlreadyExistsException e) {
            return false;
        }
    }

    private static BasicFileAttributes attributes(Path mbox) throws IOException {
        return Files.readAttributes(mbox, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    }

    private static FileLock tryLockUntil(FileChannel channel, Mode mode, long deadline, Path mbox)
            throws IOException, StoreException {
        boolean shared = mode == Mode.READ;
        for (int attempt = 0; ; attempt++) {
            FileLock lock = channel.tryLock(0, Long.MAX_VALUE, shared);
            if (lock != null) {
                return lock;
            }
            if (!Backoff.DEFAULT.sleep(attempt, deadline)) {
                throw new StoreException("mailbox " + mbox + " is locked (fcntl) by another process", true, null);
            }
        }
    }

    /** The locked file, or null when it does not exist (only in {@link Mode#READ} and {@link Mode#REWRITE}). */
    FileChannel channel() {
        return channel;
    }

    /** Whether this lock created the file. */
    boolean created() {
        return created;
    }

    DotLock dotLock() {
        return dotLock;
    }

    /** Leaves the channel open for the caller when the locks are released; the caller closes it locked. */
    FileChannel detach() {
        detached = true;
        return channel;
    }

    @Override
    public void close() {
        try {
            if (fileLock != null && channel.isOpen()) {
                fileLock.release();
            }
        } catch (IOException e) {
            // closing the channel below releases it too
        }
        try {
            if (channel != null && !detached) {
                channel.close();
            }
        } catch (IOException e) {
            // nothing was pending on it
        } finally {
            fileLock = null;
            channel = null;
            if (dotLock != null) {
                dotLock.close();
            }
            jvmLock.unlock();
        }
    }
}
