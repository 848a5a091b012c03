package dev.yubin.pop3.protocol;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A parsed POP3 command line (RFC 1939 §§4–7, RFC 2449 CAPA, RFC 5034 AUTH, RFC 2595 STLS). Message numbers are
 * 1-based, as on the wire. Lines the parser cannot accept become {@link Unknown} or {@link Invalid}, never an
 * exception. Immutable; {@code toString()} never shows a password or SASL data.
 */
public sealed interface Pop3Command {

    /** The verb in upper case ({@code RETR}), or {@code ""} for an empty line. */
    String verb();

    /** {@code USER name} (RFC 1939 §7). */
    record User(String name) implements Pop3Command {
        /** Checks that {@code name} is not {@code null}. */
        public User {
            Objects.requireNonNull(name, "name");
        }

        @Override
        public String verb() {
            return "USER";
        }
    }

    /** {@code PASS string} (RFC 1939 §7): the whole rest of the line, spaces included. */
    record Pass(String password) implements Pop3Command {
        /** Checks that {@code password} is not {@code null}. */
        public Pass {
            Objects.requireNonNull(password, "password");
        }

        @Override
        public String verb() {
            return "PASS";
        }

        @Override
        public String toString() {
            return "Pass[<redacted>]";
        }
    }

    /** {@code APOP name digest} (RFC 1939 §7): {@code digest} is 32 lower-case hex digits. */
    record Apop(String name, String digest) implements Pop3Command {
        /** Checks that neither component is {@code null}. */
        public Apop {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(digest, "digest");
        }

        @Override
        public String verb() {
            return "APOP";
        }

        @Override
        public String toString() {
            return "Apop[name=" + name + ", <redacted>]";
        }
    }

    /**
     * {@code AUTH [mechanism [initial-response]]} (RFC 5034 §4): without a mechanism the server lists its mechanisms
     * (the older RFC 1734 form that clients still send); {@code initialResponse} is base64 or {@code =}.
     */
    record Auth(Optional<String> mechanism, Optional<String> initialResponse) implements Pop3Command {
        /** Checks that nothing is {@code null} and an initial response comes with a mechanism. */
        public Auth {
            Objects.requireNonNull(mechanism, "mechanism");
            Objects.requireNonNull(initialResponse, "initialResponse");
            if (mechanism.isEmpty() && initialResponse.isPresent()) {
                throw new IllegalArgumentException("an initial response needs a mechanism");
            }
        }

        @Override
        public String verb() {
            return "AUTH";
        }

        @Override
        public String toString() {
            return "Auth[" + mechanism.orElse("") + (initialResponse.isPresent() ? ", <redacted>" : "") + "]";
        }
    }

    /** {@code STLS} (RFC 2595 §4). */
    record Stls() implements Pop3Command {
        @Override
        public String verb() {
            return "STLS";
        }
    }

    /** {@code CAPA} (RFC 2449 §5). */
    record Capa() implements Pop3Command {
        @Override
        public String verb() {
            return "CAPA";
        }
    }

    /** {@code STAT} (RFC 1939 §5). */
    record Stat() implements Pop3Command {
        @Override
        public String verb() {
            return "STAT";
        }
    }

    /** {@code LIST [msg]} (RFC 1939 §5). */
    record List(OptionalInt message) implements Pop3Command {
        /** Checks that {@code message} is not {@code null}; empty means the whole listing. */
        public List {
            Objects.requireNonNull(message, "message");
        }

        @Override
        public String verb() {
            return "LIST";
        }
    }

    /** {@code RETR msg} (RFC 1939 §5). */
    record Retr(int message) implements Pop3Command {
        /** Checks that {@code message} is at least 1. */
        public Retr {
            positive(message);
        }

        @Override
        public String verb() {
            return "RETR";
        }
    }

    /** {@code DELE msg} (RFC 1939 §5). */
    record Dele(int message) implements Pop3Command {
        /** Checks that {@code message} is at least 1. */
        public Dele {
            positive(message);
        }

        @Override
        public String verb() {
            return "DELE";
        }
    }

    /** {@code NOOP} (RFC 1939 §5). */
    record Noop() implements Pop3Command {
        @Override
        public String verb() {
            return "NOOP";
        }
    }

    /** {@code RSET} (RFC 1939 §5). */
    record Rset() implements Pop3Command {
        @Override
        public String verb() {
            return "RSET";
        }
    }

    /** {@code QUIT} (RFC 1939 §§4, 6). */
    record Quit() implements Pop3Command {
        @Override
        public String verb() {
            return "QUIT";
        }
    }

    /** {@code TOP msg n} (RFC 1939 §7): the header and the first {@code lines} lines of the body. */
    record Top(int message, int lines) implements Pop3Command {
        /** Checks that {@code message} is at least 1 and {@code lines} is not negative. */
        public Top {
            positive(message);
            if (lines < 0) {
                throw new IllegalArgumentException("negative line count " + lines);
            }
        }

        @Override
        public String verb() {
            return "TOP";
        }
    }

    /** {@code UIDL [msg]} (RFC 1939 §7). */
    record Uidl(OptionalInt message) implements Pop3Command {
        /** Checks that {@code message} is not {@code null}; empty means the whole listing. */
        public Uidl {
            Objects.requireNonNull(message, "message");
        }

        @Override
        public String verb() {
            return "UIDL";
        }
    }

    /** A verb this server does not know (or an empty line). */
    record Unknown(String verb) implements Pop3Command {
        /** Checks that {@code verb} is not {@code null}. */
        public Unknown {
            Objects.requireNonNull(verb, "verb");
        }
    }

    /**
     * A known verb with arguments that do not fit its syntax.
     *
     * @param reason what was expected, for the {@code -ERR} text: {@code Invalid message number: x}
     */
    record Invalid(String verb, String reason) implements Pop3Command {
        /** Checks that neither component is {@code null}. */
        public Invalid {
            Objects.requireNonNull(verb, "verb");
            Objects.requireNonNull(reason, "reason");
        }
    }

    private static void positive(int message) {
        if (message < 1) {
            throw new IllegalArgumentException("message numbers start at 1, got " + message);
        }
    }
}
