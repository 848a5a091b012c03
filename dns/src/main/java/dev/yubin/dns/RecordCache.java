package dev.yubin.dns;

import java.time.Clock;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.xbill.DNS.Name;

/**
 * Answers by (name, type) until their TTL runs out by the given clock: positive answers for the smallest TTL of
 * their records and CNAMEs, negative ones for the SOA's negative TTL (RFC 2308 §5). Failures are not kept.
 * Thread-safe; lock-free reads.
 *
 * <p>When full, it first drops expired entries, then arbitrary ones until a tenth of the room is free: a simple
 * bound, not an LRU, since a mail server's working set of domains is small beside the default size.
 */
final class RecordCache {
    private record Key(Name name, int type) {
    }

    private record Entry(Answer answer, long expiresAtMillis) {
    }

    private final Map<Key, Entry> entries = new ConcurrentHashMap<>();
    private final int maxEntries;
    private final Clock clock;
    private final long maxTtlSeconds;
    private final long maxNegativeTtlSeconds;

    RecordCache(int maxEntries, Clock clock, long maxTtlSeconds, long maxNegativeTtlSeconds) {
        this.maxEntries = maxEntries;
        this.clock = clock;
        this.maxTtlSeconds = maxTtlSeconds;
        this.maxNegativeTtlSeconds = maxNegativeTtlSeconds;
    }

    /** The answer while it is fresh, else {@code null}. */
    Answer get(Name name, int type) {
        if (maxEntries == 0) {
            return null;
        }
        Key key = new Key(name, type);
        Entry entry = entries.get(key);
        if (entry == null) {
            return null;
        }
        if (clock.millis() >= entry.expiresAtMillis()) {
            entries.remove(key, entry);
            return null;
        }
        return entry.answer();
    }

    /** Keeps {@code answer} for its TTL, capped by the maximum for its kind; a TTL of 0 or less is not kept. */
    void put(Name name, int type, Answer answer) {
        long cap = answer instanceof Answer.Found ? maxTtlSeconds : maxNegativeTtlSeconds;
        long ttl = Math.min(answer.ttl(), cap);
        if (maxEntries == 0 || ttl <= 0 || answer instanceof Answer.Failure) {
            return;
        }
        if (entries.size() >= maxEntries) {
            makeRoom();
        }
        entries.put(new Key(name, type), new Entry(answer, clock.millis() + ttl * 1000));
    }

    int size() {
        return entries.size();
    }

    private void makeRoom() {
        long now = clock.millis();
        entries.values().removeIf(entry -> now >= entry.expiresAtMillis());
        int target = maxEntries - Math.max(1, maxEntries / 10);
        Iterator<Key> keys = entries.keySet().iterator();
        while (entries.size() > target && keys.hasNext()) {
            keys.next();
            keys.remove();
        }
    }
}
