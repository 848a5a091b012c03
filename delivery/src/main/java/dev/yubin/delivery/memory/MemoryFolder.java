package dev.yubin.delivery.memory;

import dev.yubin.core.store.Flags;
import dev.yubin.core.store.MailboxException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One mailbox of a {@link MailArea}: its messages by UID, UIDVALIDITY, UIDNEXT, the first UID no read-write
 * session has had as {@code \Recent} (Dovecot's {@code first_recent_uid}, as the Maildir store keeps it), the
 * keywords defined in it and its IDLE watchers. Guarded by the area's lock, except the watchers (thread-safe).
 */
final class MemoryFolder {
    /** As in a Maildir folder, which has the 26 letters {@code a}–{@code z} for keywords. */
    static final int MAX_KEYWORDS = 26;
    private static final Logger LOG = LoggerFactory.getLogger(MemoryFolder.class);
    private static final AtomicLong LAST_VALIDITY = new AtomicLong();

    final long uidValidity = nextValidity();
    final TreeMap<Long, MemoryMessage> messages = new TreeMap<>();
    /** Message id to UID, for POP3. */
    final Map<Long, Long> uidsById = new HashMap<>();
    final Set<String> keywords = new LinkedHashSet<>();
    long nextUid = 1;
    long firstRecentUid = 1;
    /** Set when the folder is deleted (or the store cleared): open views then find it gone. */
    boolean removed;
    private final List<Runnable> watchers = new CopyOnWriteArrayList<>();

    /** A UIDVALIDITY never handed out before by this process: the time in seconds, or one more than the last. */
    private static long nextValidity() {
        long now = System.currentTimeMillis() / 1000;
        long validity = LAST_VALIDITY.accumulateAndGet(now, (last, t) -> Math.max(last + 1, t));
        return (validity & 0xFFFF_FFFFL) == 0 ? 1 : validity & 0xFFFF_FFFFL;
    }

    /** Adds a message under the next UID; the caller has checked its keywords with {@link #define}. */
    MemoryMessage add(long id, byte[] content, long wireSize, java.time.Instant date, Flags flags) {
        MemoryMessage message = new MemoryMessage(id, nextUid++, content, wireSize, date, flags);
        put(message);
        return message;
    }

    void put(MemoryMessage message) {
        messages.put(message.uid(), message);
        uidsById.put(message.id(), message.uid());
    }

    void remove(long uid) {
        MemoryMessage gone = messages.remove(uid);
        if (gone != null) {
            uidsById.remove(gone.id());
        }
    }

    /** Defines the keywords of {@code flags}; refuses, defining none, when they would exceed the limit. */
    void define(Flags flags) throws MailboxException {
        List<String> fresh = new ArrayList<>();
        for (String keyword : flags.keywords()) {
            if (!keywords.contains(keyword)) {
                fresh.add(keyword);
            }
        }
        if (keywords.size() + fresh.size() > MAX_KEYWORDS) {
            throw new MailboxException(MailboxException.Reason.NOT_PERMITTED, "no room for keyword "
                    + fresh.get(fresh.size() - 1) + ": a mailbox holds at most " + MAX_KEYWORDS + " keywords");
        }
        keywords.addAll(fresh);
    }

    boolean canCreateKeywords() {
        return keywords.size() < MAX_KEYWORDS;
    }

    Runnable watch(Runnable watcher) {
        watchers.add(watcher);
        return () -> watchers.remove(watcher);
    }

    /** Calls the watchers; never with the area's lock held. */
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
