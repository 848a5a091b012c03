package dev.yubin.delivery.memory;

import dev.yubin.core.store.MailboxException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The mail of one mail location: its folders by canonical name (INBOX always among them) and its subscriptions.
 * Everything here is guarded by {@link #lock}; watchers are called after it is released.
 */
final class MailArea {
    final ReentrantLock lock = new ReentrantLock();
    final TreeMap<String, MemoryFolder> folders = new TreeMap<>();
    final Set<String> subscriptions = new LinkedHashSet<>();

    MailArea() {
        folders.put(MailboxNames.INBOX, new MemoryFolder());
    }

    MemoryFolder inbox() {
        return folders.get(MailboxNames.INBOX);
    }

    /** The folder {@code canonical}; the caller holds the lock. */
    MemoryFolder existing(String canonical) throws MailboxException {
        MemoryFolder folder = folders.get(canonical);
        if (folder == null) {
            throw new MailboxException(MailboxException.Reason.NONEXISTENT, "mailbox " + canonical
                    + " does not exist");
        }
        return folder;
    }

    /** Empties the area, as if new; returns the folders that went, whose watchers the caller tells. */
    List<MemoryFolder> clear() {
        lock.lock();
        try {
            List<MemoryFolder> gone = new ArrayList<>(folders.values());
            gone.forEach(folder -> folder.removed = true);
            folders.clear();
            subscriptions.clear();
            folders.put(MailboxNames.INBOX, new MemoryFolder());
            return gone;
        } finally {
            lock.unlock();
        }
    }
}
