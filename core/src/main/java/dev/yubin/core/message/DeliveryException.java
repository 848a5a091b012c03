package dev.yubin.core.message;

/**
 * A {@link MailSink} could not take responsibility for a message. {@link #isTemporary()} decides between a
 * 4xx (try again later) and a 5xx reply; {@link #enhancedStatus()} is the RFC 3463 code to send, e.g.
 * {@code 4.3.0} or {@code 5.2.2}.
 */
public class DeliveryException extends Exception {
    private static final long serialVersionUID = 1L;

    private final boolean temporary;
    private final String enhancedStatus;

    /**
     * A failure with an RFC 3463 {@code enhancedStatus} whose class matches {@code temporary}: {@code 4.x.x} for
     * temporary, {@code 5.x.x} for permanent.
     *
     * @throws IllegalArgumentException if the status class does not match {@code temporary}
     */
    public DeliveryException(String message, boolean temporary, String enhancedStatus, Throwable cause) {
        super(message, cause);
        this.temporary = temporary;
        this.enhancedStatus = enhancedStatus;
        char klass = enhancedStatus.isEmpty() ? '?' : enhancedStatus.charAt(0);
        if (klass != (temporary ? '4' : '5')) {
            throw new IllegalArgumentException("enhanced status " + enhancedStatus + " does not match temporary="
                    + temporary);
        }
    }

    /** A temporary failure with the generic status {@code 4.3.0}. */
    public static DeliveryException temporary(String message, Throwable cause) {
        return new DeliveryException(message, true, "4.3.0", cause);
    }

    /** Whether the sender may try again later (4xx) rather than give up (5xx). */
    public boolean isTemporary() {
        return temporary;
    }

    /** The RFC 3463 enhanced status code to send, e.g. {@code 4.3.0}. */
    public String enhancedStatus() {
        return enhancedStatus;
    }
}
