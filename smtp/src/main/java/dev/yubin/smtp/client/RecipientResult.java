package dev.yubin.smtp.client;

import dev.yubin.core.address.MailAddress;
import java.util.Objects;

/**
 * What became of one recipient in one SMTP session, in Postfix's words. Immutable.
 *
 * @param dsn the RFC 3463 status: from the server's reply, or made up from its code ({@code 4.0.0})
 * @param detail the text of {@code status=sent (…)}: for a reply, e.g. {@code host mx[192.0.2.1] said: 550 5.1.1
 *     <x@y>: User unknown (in reply to RCPT TO command)}
 */
public record RecipientResult(MailAddress recipient, Outcome outcome, String dsn, String detail) {
    /** Where a recipient stands after a session. */
    public enum Outcome {
        /** The next hop accepted the message for this recipient (2xx). */
        SENT,
        /** Failed for now (4xx, or no answer): try again later. */
        DEFERRED,
        /** Failed for good (5xx): send a bounce. */
        BOUNCED;

        /** Of a reply code: 2xx sent, 4xx deferred, 5xx bounced. */
        static Outcome of(int code) {
            return code < 400 ? SENT : code < 500 ? DEFERRED : BOUNCED;
        }

        /** The class digit of a DSN for this outcome. */
        char dsnClass() {
            return this == SENT ? '2' : this == DEFERRED ? '4' : '5';
        }
    }

    /**
     * Checks that nothing is {@code null} and the DSN's class digit fits the outcome (2 sent, 4 deferred, 5 bounced).
     */
    public RecipientResult {
        Objects.requireNonNull(recipient, "recipient");
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(detail, "detail");
        if (dsn.isEmpty() || dsn.charAt(0) != outcome.dsnClass()) {
            throw new IllegalArgumentException("dsn " + dsn + " does not fit " + outcome);
        }
    }
}
