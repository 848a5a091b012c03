package dev.yubin.imap.protocol;

/** A {@code status-att} (RFC 3501 §6.3.10, RFC 9051 §6.3.11 adds SIZE and DELETED; RFC 7162 HIGHESTMODSEQ). */
public enum StatusItem {
    MESSAGES, RECENT, UIDNEXT, UIDVALIDITY, UNSEEN, SIZE, DELETED, HIGHESTMODSEQ
}
