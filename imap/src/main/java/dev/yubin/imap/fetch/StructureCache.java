package dev.yubin.imap.fetch;

import dev.yubin.imap.mime.MessageStructure;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The parsed ENVELOPE and BODYSTRUCTURE of recently fetched messages, and the headers of recently searched ones, so
 * that a client listing or searching a folder again (or another session of the same user) does not make the server
 * read and parse every message again: Dovecot keeps the same in its {@code dovecot.index.cache}. A message's content never changes under its UID (RFC 3501 §2.3.1.1), so
 * an entry keyed by user, mailbox, UIDVALIDITY and UID stays right; the least recently used entries go first.
 *
 * <p>Thread-safe: the sessions of a server share one.
 */
public final class StructureCache {
    /** Entries kept by {@link #defaultSize()}: a few KB each. */
    public static final int DEFAULT_ENTRIES = 5_000;

    /** Header octets kept by {@link #defaultSize()}. */
    public static final long DEFAULT_HEADER_OCTETS = 16L << 20;

    private final Map<String, MessageStructure> entries;
    private final Map<String, byte[]> headers = new LinkedHashMap<>(256, 0.75f, true);
    private final long maxHeaderOctets;
    private long headerOctets;

    /** @param maxEntries how many structures to keep; headers up to {@link #DEFAULT_HEADER_OCTETS} */
    public StructureCache(int maxEntries) {
        this(maxEntries, DEFAULT_HEADER_OCTETS);
    }

    /**
     * @param maxEntries      how many structures to keep
     * @param maxHeaderOctets how many header octets to keep, all headers together
     */
    public StructureCache(int maxEntries, long maxHeaderOctets) {
        if (maxEntries < 1) {
            throw new IllegalArgumentException("maxEntries must be positive, got " + maxEntries);
        }
        if (maxHeaderOctets < 0) {
            throw new IllegalArgumentException("maxHeaderOctets must not be negative, got " + maxHeaderOctets);
        }
        this.maxHeaderOctets = maxHeaderOctets;
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

    /** The top-level header of the message under {@code key} (as stored, up to its empty line), if kept. */
    public synchronized Optional<byte[]> header(String key) {
        return Optional.ofNullable(headers.get(key));
    }

    /** Keeps a header, dropping the least recently used ones beyond the octet bound; the array must not change. */
    public synchronized void putHeader(String key, byte[] header) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(header, "header");
        if (header.length > maxHeaderOctets) {
            return;
        }
        byte[] old = headers.put(key, header);
        headerOctets += header.length - (old == null ? 0 : old.length);
        var eldest = headers.entrySet().iterator();
        while (headerOctets > maxHeaderOctets && eldest.hasNext()) {
            headerOctets -= eldest.next().getValue().length;
            eldest.remove();
        }
    }

    /** Entries held now. */
    public synchronized int size() {
        return entries.size();
    }
}
