package dev.yubin.smtp.protocol;

import java.util.Objects;

/**
 * A command line that could not be parsed: the verb it was recognised as (empty if none) and the reply that
 * names what was expected, e.g. {@code 501 5.5.4 Syntax: MAIL FROM:<address>} or
 * {@code 501 5.1.7 Bad sender address syntax: Domain missing}. Immutable.
 */
public record SmtpSyntaxError(String verb, SmtpReply reply) implements SmtpCommand {
    /** Checks that neither component is {@code null} and the reply is negative (4xx or 5xx). */
    public SmtpSyntaxError {
        Objects.requireNonNull(verb, "verb");
        Objects.requireNonNull(reply, "reply");
        if (reply.isPositive()) {
            throw new IllegalArgumentException("a syntax error needs a negative reply: " + reply);
        }
    }
}
