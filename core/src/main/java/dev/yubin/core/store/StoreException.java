package dev.yubin.core.store;

/**
 * A mail store operation failed. {@link #isTemporary()} tells whether trying again later may succeed (disk
 * full, lock busy: SMTP 4xx, IMAP {@code NO [UNAVAILABLE]}) or not (mailbox is not a directory: 5xx).
 */
public class StoreException extends Exception {
    private static final long serialVersionUID = 1L;

    private final boolean temporary;

    /** A failure described by {@code message}; {@code cause} may be {@code null}. */
    public StoreException(String message, boolean temporary, Throwable cause) {
        super(message, cause);
        this.temporary = temporary;
    }

    /** Whether trying again later may succeed. */
    public boolean isTemporary() {
        return temporary;
    }
}
