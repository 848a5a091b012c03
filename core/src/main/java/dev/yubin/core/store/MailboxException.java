package dev.yubin.core.store;

/**
 * A mailbox operation was refused for a reason the client can act on; {@link #reason()} maps to IMAP response
 * codes (RFC 5530). Never temporary.
 */
public class MailboxException extends StoreException {
    private static final long serialVersionUID = 1L;

    /** Why; the IMAP response code in brackets. */
    public enum Reason {
        /** {@code [CANNOT]}: the name is not allowed (escapes the mail root, empty level, control characters). */
        INVALID_NAME,
        /** {@code [NONEXISTENT]}, or {@code [TRYCREATE]} for APPEND/COPY/MOVE; also a message that is gone. */
        NONEXISTENT,
        /** {@code [ALREADYEXISTS]}. */
        ALREADY_EXISTS,
        /** {@code [CANNOT]} or {@code [NOPERM]}: deleting INBOX, writing a read-only mailbox, too many keywords. */
        NOT_PERMITTED
    }

    private final Reason reason;

    /** A refusal for {@code reason}; not temporary, without a cause. */
    public MailboxException(Reason reason, String message) {
        super(message, false, null);
        this.reason = reason;
    }

    /** Why the operation was refused. */
    public Reason reason() {
        return reason;
    }
}
