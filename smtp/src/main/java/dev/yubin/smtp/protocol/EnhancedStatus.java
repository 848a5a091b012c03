package dev.yubin.smtp.protocol;

import java.util.Optional;

/**
 * An RFC 3463 enhanced mail system status code, {@code class.subject.detail}, as sent in front of the reply text
 * when ENHANCEDSTATUSCODES is advertised (RFC 2034). Immutable.
 *
 * @param klass 2 (success), 4 (persistent transient failure) or 5 (permanent failure)
 * @param subject 0 to 999
 * @param detail 0 to 999
 */
public record EnhancedStatus(int klass, int subject, int detail) {
    /** 2.0.0 Other undefined status: success. */
    public static final EnhancedStatus OK = new EnhancedStatus(2, 0, 0);
    /** 2.1.0 Other address status: sender accepted. */
    public static final EnhancedStatus SENDER_OK = new EnhancedStatus(2, 1, 0);
    /** 2.1.5 Destination address valid. */
    public static final EnhancedStatus RECIPIENT_OK = new EnhancedStatus(2, 1, 5);
    /** 4.3.0 Other or undefined mail system status (temporary). */
    public static final EnhancedStatus SYSTEM_TEMPORARY = new EnhancedStatus(4, 3, 0);
    /** 4.3.2 System not accepting network messages. */
    public static final EnhancedStatus SYSTEM_NOT_ACCEPTING = new EnhancedStatus(4, 3, 2);
    /** 4.4.2 Bad connection (timeout). */
    public static final EnhancedStatus BAD_CONNECTION = new EnhancedStatus(4, 4, 2);
    /** 4.5.3 Too many recipients. */
    public static final EnhancedStatus TOO_MANY_RECIPIENTS = new EnhancedStatus(4, 5, 3);
    /** 4.7.0 Other or undefined security status (temporary). */
    public static final EnhancedStatus SECURITY_TEMPORARY = new EnhancedStatus(4, 7, 0);
    /** 5.1.1 Bad destination mailbox address (user unknown). */
    public static final EnhancedStatus BAD_DESTINATION_MAILBOX = new EnhancedStatus(5, 1, 1);
    /** 5.1.3 Bad destination mailbox address syntax. */
    public static final EnhancedStatus BAD_DESTINATION_SYNTAX = new EnhancedStatus(5, 1, 3);
    /** 5.1.7 Bad sender's mailbox address syntax. */
    public static final EnhancedStatus BAD_SENDER_SYNTAX = new EnhancedStatus(5, 1, 7);
    /** 5.3.0 Other or undefined mail system status (permanent). */
    public static final EnhancedStatus SYSTEM_PERMANENT = new EnhancedStatus(5, 3, 0);
    /** 5.3.4 Message too big for system. */
    public static final EnhancedStatus MESSAGE_TOO_BIG = new EnhancedStatus(5, 3, 4);
    /** 5.5.1 Invalid command (bad sequence). */
    public static final EnhancedStatus INVALID_COMMAND = new EnhancedStatus(5, 5, 1);
    /** 5.5.2 Syntax error (command not recognized). */
    public static final EnhancedStatus SYNTAX_ERROR = new EnhancedStatus(5, 5, 2);
    /** 5.5.4 Invalid command arguments. */
    public static final EnhancedStatus INVALID_ARGUMENTS = new EnhancedStatus(5, 5, 4);
    /** 5.6.0 Other or undefined media error. */
    public static final EnhancedStatus MEDIA_ERROR = new EnhancedStatus(5, 6, 0);
    /** 5.6.7 Non-ASCII addresses not permitted for that sender/recipient (RFC 6531). */
    public static final EnhancedStatus NON_ASCII_ADDRESS = new EnhancedStatus(5, 6, 7);
    /** 5.7.1 Delivery not authorized, message refused (relay denied). */
    public static final EnhancedStatus NOT_AUTHORIZED = new EnhancedStatus(5, 7, 1);

    /**
     * Checks the ranges.
     *
     * @throws IllegalArgumentException if the class is not 2, 4 or 5, or the subject or detail is outside 0 to 999
     */
    public EnhancedStatus {
        if (klass != 2 && klass != 4 && klass != 5) {
            throw new IllegalArgumentException("enhanced status class must be 2, 4 or 5, got " + klass);
        }
        if (subject < 0 || subject > 999 || detail < 0 || detail > 999) {
            throw new IllegalArgumentException("enhanced status subject and detail must be 0-999: "
                    + subject + "." + detail);
        }
    }

    /** Parses {@code "4.3.0"}; empty when the text is not an enhanced status code. Never throws. */
    public static Optional<EnhancedStatus> parse(String text) {
        String[] parts = text.split("\\.", -1);
        if (parts.length != 3) {
            return Optional.empty();
        }
        int[] numbers = new int[3];
        for (int i = 0; i < 3; i++) {
            String part = parts[i];
            if (part.isEmpty() || part.length() > 3 || !part.chars().allMatch(c -> c >= '0' && c <= '9')) {
                return Optional.empty();
            }
            numbers[i] = Integer.parseInt(part);
        }
        if (numbers[0] != 2 && numbers[0] != 4 && numbers[0] != 5) {
            return Optional.empty();
        }
        return Optional.of(new EnhancedStatus(numbers[0], numbers[1], numbers[2]));
    }

    /** {@code "2.1.0"}. */
    @Override
    public String toString() {
        return klass + "." + subject + "." + detail;
    }
}
