package dev.yubin.smtp.client;

import java.util.List;

/**
 * The outcome of one SMTP session for each recipient of its message, in the message's order. Immutable.
 *
 * @param tryNextHost nothing was decided by the host itself: the connection, greeting, EHLO, TLS or MAIL FROM
 *     failed temporarily, so the message may go to the next MX host now (RFC 5321 §5.1) rather than wait
 * @param connected whether a connection was made at all (logs say {@code relay=none} when not)
 */
public record SessionResult(List<RecipientResult> recipients, boolean tryNextHost, boolean connected) {
    /** Copies the list. */
    public SessionResult {
        recipients = List.copyOf(recipients);
    }

    /** A result of a session that had a connection. */
    public SessionResult(List<RecipientResult> recipients, boolean tryNextHost) {
        this(recipients, tryNextHost, true);
    }

    /** Whether every recipient was delivered. */
    public boolean allSent() {
        return recipients.stream().allMatch(r -> r.outcome() == RecipientResult.Outcome.SENT);
    }
}
