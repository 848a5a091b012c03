package dev.yubin.imap.fetch;

import dev.yubin.imap.mime.MessageStructure;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The parsed ENVELOPE and BODYSTRUCTURE of recently fetched messages, so that a client listing a folder again
 * (or another session of the same user) does not make the server parse every message again: Dovecot keeps the
 * same in its {@code dovecot.index.cache}. A message's content never changes under its UID (RFC 3501 §2.3.1.1), so
 * an entry keyed by user, mailbox, UIDVALIDITY and UID stays right; the least recently used entries go first.
 *
 * <p>Thread-safe: the sessions of a server share one.
 */
public final class StructureCache {
    /** Entries kept by {@link #defaultSize()}: a few KB each. */
    public static final int DEFAULT_ENTRIES = 5_000;

    private final Map<String, MessageStructure> entries;

    /** @param maxEntries how many structures to keep */
    public StructureCache(int maxEntries) {
        if (maxEntries < 1) {
            throw new IllegalArgumentException("maxEntries must be positive, got " + maxEntries);
        }
        this.entries = new LinkedHashMap<>(256, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, MessageStructure> eldest) {
                return size() > maxEntries;
            }
        };
    }

    /** A cache of {@value #DEFAULT_ENTRIES} entries. */
    public static StructureCache defaultSize() {
        return new StructureCache(DEFAULT_ENTRIES);
    }

    /** The key of one message: who, which mailbox (and which incarnation of its name), which message. */
    public static String key(String user, String mailbox, long uidValidity, long uid) {
        return user + '\0' + mailbox + '\0' + uidValidity + '\0' + uid;
    }

    synchronized Optional<MessageStructure> get(String key) {
        return Optional.ofNullable(entries.get(key));
    }

    synchronized void put(String key, MessageStructure structure) {
        entries.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(structure, "structure"));
    }

    /** Entries held now. */
    public synchronized int size() {
        return entries.size();
    }
}
