package dev.yubin.delivery.mbox;

import dev.yubin.core.store.StoreException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@code <mbox>.lock} file, as Postfix's {@code dot_lockfile} and liblockfile make it: created with
 * {@code O_CREAT|O_EXCL} (holding this process's pid), retried with backoff until a deadline, and removed when
 * it is older than the stale age (its holder died). A holder that keeps it long refreshes its time with
 * {@link #touchIfDue()}. Not thread-safe; one holder.
 *
 * <p>Breaking a stale lock is not atomic against another breaker: the lock is removed only if it is still the
 * file that was judged stale (same file key), which leaves a window of a few system calls, as in liblockfile.
 */
final class DotLock implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DotLock.class);
    private static final Duration TOUCH_INTERVAL = Duration.ofSeconds(30);

    private final Path file;
    private final Object fileKey;
    private Instant touched;

    private DotLock(Path file, Object fileKey) {
        this.file = file;
        this.fileKey = fileKey;
        this.touched = Instant.now();
    }

    static DotLock acquire(Path file, long deadlineNanos, Duration staleAge, Backoff backoff) throws StoreException {
        byte[] pid = (ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII);
        for (int attempt = 0; ; attempt++) {
            try (SeekableByteChannel channel = Files.newByteChannel(file,
                    Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), MboxStore.fileAttributes())) {
                channel.write(ByteBuffer.wrap(pid));
                return new DotLock(file, Files.readAttributes(file, BasicFileAttributes.class,
                        LinkOption.NOFOLLOW_LINKS).fileKey());
            } catch (FileAlreadyExistsException e) {
                if (breakIfStale(file, staleAge)) {
                    continue;
                }
            } catch (AccessDeniedException e) {
                throw new StoreException("cannot create lock file " + file + ": Permission denied", true, e);
            } catch (IOException e) {
                throw new StoreException("cannot create lock file " + file + ": " + MboxStore.reason(e), true, e);
            }
            if (!backoff.sleep(attempt, deadlineNanos)) {
                throw new StoreException("mailbox is locked: " + file + " is held by another process", true, null);
            }
        }
    }

    private static boolean breakIfStale(Path file, Duration staleAge) {
        try {
            BasicFileAttributes seen = Files.readAttributes(file, BasicFileAttributes.class,
                    LinkOption.NOFOLLOW_LINKS);
            Duration age = Duration.between(seen.lastModifiedTime().toInstant(), Instant.now());
            if (age.compareTo(staleAge) <= 0) {
                return false;
            }
            BasicFileAttributes now = Files.readAttributes(file, BasicFileAttributes.class,
                    LinkOption.NOFOLLOW_LINKS);
            if (!Objects.equals(seen.fileKey(), now.fileKey())
                    || !seen.lastModifiedTime().equals(now.lastModifiedTime())) {
                return false;
            }
            Files.delete(file);
            LOG.warn("removed stale lock file {} (age {} s)", file, age.toSeconds());
            return true;
        } catch (NoSuchFileException e) {
            return true; // released meanwhile: try again at once
        } catch (IOException e) {
            LOG.debug("cannot inspect lock file {}", file, e);
            return false;
        }
    }

    /** Refreshes the lock's time if it was last set a while ago, so that nobody judges it stale. */
    void touchIfDue() {
        Instant now = Instant.now();
        if (Duration.between(touched, now).compareTo(TOUCH_INTERVAL) < 0) {
            return;
        }
        try {
            Files.setLastModifiedTime(file, FileTime.from(now));
            touched = now;
        } catch (IOException e) {
            LOG.debug("cannot touch lock file {}", file, e);
        }
    }

    /** Removes the lock file, if it is still ours. */
    @Override
    public void close() {
        try {
            Object key = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
            if (Objects.equals(key, fileKey)) {
                Files.delete(file);
            } else {
                LOG.warn("lock file {} was replaced by another process while held", file);
            }
        } catch (NoSuchFileException e) {
            LOG.warn("lock file {} was removed by another process while held", file);
        } catch (IOException e) {
            LOG.warn("cannot remove lock file {}: {}", file, MboxStore.reason(e));
        }
    }
}
