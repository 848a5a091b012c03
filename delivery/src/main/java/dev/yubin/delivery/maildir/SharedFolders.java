package dev.yubin.delivery.maildir;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the sessions of one process share per folder: the lock that guards its UID list, keywords and renames, and
 * the IDLE watchers. The lock is a {@link ReentrantLock} plus an exclusive {@link FileLock} on
 * {@code yubin-uidlist.lock}, so that two JVMs on one Maildir take turns too. Thread-safe.
 */
final class SharedFolders {
    static final String LOCK_FILE = "yubin-uidlist.lock";
    private static final Logger LOG = LoggerFactory.getLogger(SharedFolders.class);

    private final Map<Path, Folder> folders = new ConcurrentHashMap<>();

    Folder get(Path dir) {
        return folders.computeIfAbsent(dir, Folder::new);
    }

    /** Tells the watchers of {@code dir}, if any, that it changed. */
    void changed(Path dir) {
        Folder folder = folders.get(dir);
        if (folder != null) {
            folder.changed();
        }
    }

    /** One folder's shared state. */
    static final class Folder {
        private final Path dir;
        private final ReentrantLock lock = new ReentrantLock();
        private final List<Runnable> watchers = new CopyOnWriteArrayList<>();
        private FileChannel lockChannel;
        private FileLock fileLock;
        /** The last listing of new/ and cur/, file name to parsed name: under the lock only. */
        private final Map<String, Map<String, MaildirFolder.FileRef>> listings = new HashMap<>();

        private Folder(Path dir) {
            this.dir = dir;
        }

        /** The file names of {@code sub} as last listed, parsed; the caller holds the lock. */
        Map<String, MaildirFolder.FileRef> listing(String sub) {
            return listings.getOrDefault(sub, Map.of());
        }

        /** Keeps {@code sub}'s new listing for the next; the caller holds the lock. */
        void listing(String sub, Map<String, MaildirFolder.FileRef> names) {
            listings.put(sub, names);
        }

        /** Takes the lock (in-process, then across processes); close the result to release it. */
        Held lock() throws IOException {
            lock.lock();
            if (lock.getHoldCount() == 1) {
                try {
                    lockChannel = FileChannel.open(dir.resolve(LOCK_FILE), StandardOpenOption.CREATE,
                            StandardOpenOption.WRITE);
                    fileLock = lockChannel.lock();
                } catch (IOException | RuntimeException e) {
                    closeChannel();
                    lock.unlock();
                    throw e;
                }
            }
            return this::unlock;
        }

        private void unlock() {
            if (lock.getHoldCount() == 1) {
                closeChannel(); // releases the file lock
            }
            lock.unlock();
        }

        private void closeChannel() {
            if (lockChannel != null) {
                try {
                    lockChannel.close();
                } catch (IOException e) {
                    LOG.warn("cannot close {}: {}", dir.resolve(LOCK_FILE), e.toString());
                }
            }
            lockChannel = null;
            fileLock = null;
        }

        Runnable watch(Runnable watcher) {
            watchers.add(watcher);
            return () -> watchers.remove(watcher);
        }

        void changed() {
            for (Runnable watcher : watchers) {
                try {
                    watcher.run();
                } catch (RuntimeException e) {
                    LOG.warn("mailbox watcher failed", e);
                }
            }
        }
    }

    /** A held lock. */
    interface Held extends AutoCloseable {
        @Override
        void close();
    }
}
