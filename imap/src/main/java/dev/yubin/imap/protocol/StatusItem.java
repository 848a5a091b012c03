package dev.yubin.imap.protocol;

/** A {@code status-att} (RFC 3501 §6.3.10, RFC 9051 §6.3.11 adds SIZE and DELETED; RFC 7162 HIGHESTMODSEQ). */
public enum StatusItem {
    /** The number of messages. */
    MESSAGES,
    /** The number of messages with {@code \Recent}. */
    RECENT,
    /** The next UID the mailbox will assign. */
    UIDNEXT,
    /** The mailbox's UIDVALIDITY. */
    UIDVALIDITY,
    /** The number of messages without {@code \Seen}. */
    UNSEEN,
    /** The total size of the messages in octets (RFC 9051). */
    SIZE,
    /** The number of messages with {@code \Deleted} (RFC 9051). */
    DELETED,
    /** The highest mod-sequence (RFC 7162 CONDSTORE). */
    HIGHESTMODSEQ
}
