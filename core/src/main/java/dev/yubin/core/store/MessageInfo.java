package dev.yubin.core.store;

import java.time.Instant;
import java.util.Objects;

/**
 * A message as a session sees it. Immutable.
 *
 * @param uid the UID, at least 1 (RFC 3501 §2.3.1.1)
 * @param flags the stored flags and keywords
 * @param recent whether this session is the first to see the message ({@code \Recent}, RFC 3501 §2.3.2)
 * @param internalDate INTERNALDATE
 * @param size the stored octets (LF line endings), what {@link Mailbox#content} returns
 * @param wireSize the octets with CRLF line endings: RFC822.SIZE
 */
public record MessageInfo(long uid, Flags flags, boolean recent, Instant internalDate, long size, long wireSize) {
    /**
     * Checks the UID (1 to 2<sup>32</sup>-1) and that {@code wireSize} is at least {@code size}, which is at least 0.
     */
    public MessageInfo {
        Objects.requireNonNull(flags, "flags");
        Objects.requireNonNull(internalDate, "internalDate");
        if (uid < 1 || uid > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("bad uid " + uid);
        }
        if (size < 0 || wireSize < size) {
            throw new IllegalArgumentException("bad sizes " + size + "/" + wireSize);
        }
    }

    /** This message with its flags replaced by {@code newFlags}. */
    public MessageInfo withFlags(Flags newFlags) {
        return new MessageInfo(uid, newFlags, recent, internalDate, size, wireSize);
    }
}
