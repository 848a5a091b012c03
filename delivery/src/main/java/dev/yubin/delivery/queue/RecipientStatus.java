package dev.yubin.delivery.queue;

import java.time.Instant;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What is known about the delivery to one recipient of a queued message. Immutable.
 *
 * @param state where the recipient stands
 * @param dsn the RFC 3463 status code of the last attempt ({@code 2.0.0}, {@code 4.4.1}, {@code 5.1.1}); empty
 *     while {@link RecipientState#PENDING}. Its class matches the state: 2 for sent, 4 for deferred, 5 for bounced
 * @param reason the text after {@code status=… (}, e.g. the remote server's reply; may be empty
 * @param at when the status was recorded (for a pending recipient: when the message arrived)
 */
public record RecipientStatus(RecipientState state, String dsn, String reason, Instant at) {
    private static final Pattern DSN = Pattern.compile("[245]\\.\\d{1,3}\\.\\d{1,3}");

    /**
     * Checks that nothing is {@code null} and the DSN fits the state: empty while pending, else a code whose class
     * matches (2 sent, 4 deferred, 5 bounced).
     */
    public RecipientStatus {
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(dsn, "dsn");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(at, "at");
        if (state == RecipientState.PENDING) {
            if (!dsn.isEmpty()) {
                throw new IllegalArgumentException("a pending recipient has no dsn: " + dsn);
            }
        } else if (!DSN.matcher(dsn).matches() || dsn.charAt(0) != expectedClass(state)) {
            throw new IllegalArgumentException("dsn " + dsn + " does not fit state " + state.word());
        }
    }

    /** A recipient not yet tried, pending {@code since} the message arrived. */
    public static RecipientStatus pending(Instant since) {
        return new RecipientStatus(RecipientState.PENDING, "", "", since);
    }

    /** Delivered, with the DSN ({@code 2.x.x}) and reason of the successful attempt. */
    public static RecipientStatus sent(String dsn, String reason, Instant at) {
        return new RecipientStatus(RecipientState.SENT, dsn, reason, at);
    }

    /** Failed for now, with the DSN ({@code 4.x.x}) and reason of the last attempt; it will be tried again. */
    public static RecipientStatus deferred(String dsn, String reason, Instant at) {
        return new RecipientStatus(RecipientState.DEFERRED, dsn, reason, at);
    }

    /** Failed for good, with the DSN ({@code 5.x.x}) and reason; the sender gets a bounce. */
    public static RecipientStatus bounced(String dsn, String reason, Instant at) {
        return new RecipientStatus(RecipientState.BOUNCED, dsn, reason, at);
    }

    /** Whether nothing more will be tried: sent or bounced. */
    public boolean isDone() {
        return state.isDone();
    }

    private static char expectedClass(RecipientState state) {
        return state == RecipientState.SENT ? '2' : state == RecipientState.DEFERRED ? '4' : '5';
    }
}
