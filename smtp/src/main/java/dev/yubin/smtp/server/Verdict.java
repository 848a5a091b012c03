package dev.yubin.smtp.server;

import dev.yubin.smtp.protocol.SmtpReply;
import java.util.Objects;
import java.util.Optional;

/**
 * What an {@link SmtpHandler.Session} decides about a command: accept it (the session sends its usual positive
 * reply, with {@code text} instead of the default text when given) or reject it with a 4xx/5xx reply. Immutable.
 */
public sealed interface Verdict permits Verdict.Accept, Verdict.Reject {

    /** Accept with the default reply text. */
    static Verdict accept() {
        return Accept.DEFAULT;
    }

    /** Accept with {@code text} in the positive reply, e.g. {@code 250 2.1.5 <text>}. */
    static Verdict accept(String text) {
        return new Accept(Optional.of(text));
    }

    /** Reject with {@code reply}, which must be 4xx or 5xx. */
    static Verdict reject(SmtpReply reply) {
        return new Reject(reply);
    }

    /** Whether the command was accepted. */
    boolean isAccepted();

    /** Accepted; {@code text} replaces the default reply text when present. */
    record Accept(Optional<String> text) implements Verdict {
        static final Accept DEFAULT = new Accept(Optional.empty());

        /** Checks that the text, when given, has no control characters. */
        public Accept {
            Objects.requireNonNull(text, "text");
            if (text.isPresent() && text.get().chars().anyMatch(c -> c < ' ' || c == 0x7f)) {
                throw new IllegalArgumentException("reply text must not contain control characters");
            }
        }

        @Override
        public boolean isAccepted() {
            return true;
        }
    }

    /** Rejected with a 4xx or 5xx reply. */
    record Reject(SmtpReply reply) implements Verdict {
        /** Checks that the reply is 4xx or 5xx. */
        public Reject {
            Objects.requireNonNull(reply, "reply");
            if (reply.isPositive()) {
                throw new IllegalArgumentException("a rejection needs a 4xx or 5xx reply: " + reply);
            }
        }

        @Override
        public boolean isAccepted() {
            return false;
        }
    }
}
