package dev.yubin.core.store;

import java.util.Objects;

/**
 * A message in a {@link Maildrop}. Immutable.
 *
 * @param uid unique within the mailbox and stable across sessions (POP3 UIDL, RFC 1939 §7): printable ASCII
 *     {@code 0x21}–{@code 0x7E}, at most 70 characters
 * @param size the stored octets, with LF line endings ({@link Maildrop#open} returns exactly these)
 * @param wireSize the octets with CRLF line endings, what POP3 LIST reports and RETR sends before byte-stuffing
 * @param storageKey where the store finds the message (a file name, an offset): opaque to callers
 */
public record StoredMessage(String uid, long size, long wireSize, String storageKey) {
    /** Checks the UID's syntax and that {@code wireSize} is at least {@code size}, which is at least 0. */
    public StoredMessage {
        Objects.requireNonNull(uid, "uid");
        Objects.requireNonNull(storageKey, "storageKey");
        if (uid.isEmpty() || uid.length() > 70 || !uid.chars().allMatch(c -> c >= 0x21 && c <= 0x7e)) {
            throw new IllegalArgumentException("bad uid: " + uid);
        }
        if (size < 0 || wireSize < size) {
            throw new IllegalArgumentException("bad sizes " + size + "/" + wireSize);
        }
    }
}
