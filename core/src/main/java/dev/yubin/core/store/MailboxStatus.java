package dev.yubin.core.store;

/** The counters of STATUS (RFC 3501 §6.3.10). Immutable. */
public record MailboxStatus(long messages, long recent, long unseen, long uidNext, long uidValidity) {
    /** Checks that the counters are not negative and UIDNEXT and UIDVALIDITY are at least 1. */
    public MailboxStatus {
        if (messages < 0 || recent < 0 || unseen < 0 || uidNext < 1 || uidValidity < 1) {
            throw new IllegalArgumentException("bad status");
        }
    }
}
