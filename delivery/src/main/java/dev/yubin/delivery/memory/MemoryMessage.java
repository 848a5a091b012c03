package dev.yubin.delivery.memory;

import dev.yubin.core.store.Flags;
import java.time.Instant;

/**
 * A stored message: its bytes (LF line endings, never changed after storing; copies share them), sizes, date and
 * flags. {@code id} is unique in the store and is the POP3 UIDL. Immutable; a flag change makes a new record.
 */
record MemoryMessage(long id, long uid, byte[] content, long wireSize, Instant internalDate, Flags flags) {

    long size() {
        return content.length;
    }

    MemoryMessage withFlags(Flags newFlags) {
        return new MemoryMessage(id, uid, content, wireSize, internalDate, newFlags);
    }

    /** The same content and date as a new message of another folder (COPY, or RENAME of INBOX). */
    MemoryMessage copyAs(long newId, long newUid, Flags newFlags) {
        return new MemoryMessage(newId, newUid, content, wireSize, internalDate, newFlags);
    }

    static long wireSize(byte[] content) {
        long lineFeeds = 0;
        for (byte b : content) {
            if (b == '\n') {
                lineFeeds++;
            }
        }
        return content.length + lineFeeds;
    }
}
