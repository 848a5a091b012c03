package dev.yubin.smtp.protocol;

import dev.yubin.core.address.MailAddress;
import dev.yubin.core.address.ReversePath;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One parsed SMTP command line (RFC 5321 §4.1.1), as produced by {@link SmtpCommandParser}: a closed set of
 * records, plus {@link SmtpSyntaxError} for a recognised command with bad arguments and {@link Unknown} for an
 * unrecognised verb. Immutable.
 *
 * <p>ESMTP parameter maps keep the client's order; keys are upper case, values are kept as sent (xtext is not
 * decoded), and a keyword without a value maps to the empty string.
 */
public sealed interface SmtpCommand permits SmtpCommand.Helo, SmtpCommand.Ehlo, SmtpCommand.Mail,
        SmtpCommand.Rcpt, SmtpCommand.Data, SmtpCommand.Bdat, SmtpCommand.Rset, SmtpCommand.Noop,
        SmtpCommand.Quit, SmtpCommand.Vrfy, SmtpCommand.Help, SmtpCommand.Auth, SmtpCommand.StartTls,
        SmtpCommand.Unknown, SmtpSyntaxError {

    /** The command verb in upper case ({@code "MAIL"}); for {@link Unknown}, the verb as the client sent it. */
    String verb();

    /** {@code HELO domain} (RFC 5321 §4.1.1.1); the argument is kept as given, unchecked, as Postfix does. */
    record Helo(String domain) implements SmtpCommand {
        /** Checks that {@code domain} is not {@code null}. */
        public Helo {
            Objects.requireNonNull(domain, "domain");
        }

        @Override
        public String verb() {
            return "HELO";
        }
    }

    /** {@code EHLO domain} (RFC 5321 §4.1.1.1). */
    record Ehlo(String domain) implements SmtpCommand {
        /** Checks that {@code domain} is not {@code null}. */
        public Ehlo {
            Objects.requireNonNull(domain, "domain");
        }

        @Override
        public String verb() {
            return "EHLO";
        }
    }

    /** {@code MAIL FROM:<reverse-path> [parameters]} (RFC 5321 §4.1.1.2). */
    record Mail(ReversePath reversePath, Map<String, String> parameters) implements SmtpCommand {
        /** Copies the parameters, keeping their order. */
        public Mail {
            Objects.requireNonNull(reversePath, "reversePath");
            parameters = copy(parameters);
        }

        @Override
        public String verb() {
            return "MAIL";
        }
    }

    /** {@code RCPT TO:<forward-path> [parameters]} (RFC 5321 §4.1.1.3). */
    record Rcpt(MailAddress forwardPath, Map<String, String> parameters) implements SmtpCommand {
        /** Copies the parameters, keeping their order. */
        public Rcpt {
            Objects.requireNonNull(forwardPath, "forwardPath");
            parameters = copy(parameters);
        }

        @Override
        public String verb() {
            return "RCPT";
        }
    }

    /** {@code DATA} (RFC 5321 §4.1.1.4). */
    record Data() implements SmtpCommand {
        @Override
        public String verb() {
            return "DATA";
        }
    }

    /** {@code BDAT size [LAST]} (RFC 3030 §2): {@code size} octets of message data follow the command line. */
    record Bdat(long size, boolean last) implements SmtpCommand {
        /** Checks that {@code size} is not negative. */
        public Bdat {
            if (size < 0) {
                throw new IllegalArgumentException("BDAT size must not be negative: " + size);
            }
        }

        @Override
        public String verb() {
            return "BDAT";
        }
    }

    /** {@code RSET} (RFC 5321 §4.1.1.5). */
    record Rset() implements SmtpCommand {
        @Override
        public String verb() {
            return "RSET";
        }
    }

    /** {@code NOOP [string]} (RFC 5321 §4.1.1.9); the argument is ignored. */
    record Noop() implements SmtpCommand {
        @Override
        public String verb() {
            return "NOOP";
        }
    }

    /** {@code QUIT} (RFC 5321 §4.1.1.10). */
    record Quit() implements SmtpCommand {
        @Override
        public String verb() {
            return "QUIT";
        }
    }

    /** {@code VRFY string} (RFC 5321 §4.1.1.6). */
    record Vrfy(String argument) implements SmtpCommand {
        /** Checks that {@code argument} is not {@code null}. */
        public Vrfy {
            Objects.requireNonNull(argument, "argument");
        }

        @Override
        public String verb() {
            return "VRFY";
        }
    }

    /**
     * {@code AUTH mechanism [initial-response]} (RFC 4954 §4): the mechanism in upper case; the initial response as
     * sent (base64, or {@code =} for an empty one), empty when none was given.
     */
    record Auth(String mechanism, Optional<String> initialResponse) implements SmtpCommand {
        /** Checks that neither component is {@code null}. */
        public Auth {
            Objects.requireNonNull(mechanism, "mechanism");
            Objects.requireNonNull(initialResponse, "initialResponse");
        }

        @Override
        public String verb() {
            return "AUTH";
        }
    }

    /** {@code STARTTLS} (RFC 3207). */
    record StartTls() implements SmtpCommand {
        @Override
        public String verb() {
            return "STARTTLS";
        }
    }

    /** {@code HELP [string]} (RFC 5321 §4.1.1.8); {@code topic} is empty when none was given. */
    record Help(String topic) implements SmtpCommand {
        /** Checks that {@code topic} is not {@code null}; use the empty string for none. */
        public Help {
            Objects.requireNonNull(topic, "topic");
        }

        @Override
        public String verb() {
            return "HELP";
        }
    }

    /** A verb this parser does not know (answered {@code 500 5.5.2}). */
    record Unknown(String verb) implements SmtpCommand {
        /** Checks that {@code verb} is not {@code null}. */
        public Unknown {
            Objects.requireNonNull(verb, "verb");
        }
    }

    private static Map<String, String> copy(Map<String, String> parameters) {
        return Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
    }
}
