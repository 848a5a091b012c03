package dev.yubin.pop3.server;

import dev.yubin.auth.FailureDelay;
import dev.yubin.auth.sasl.SaslContext;
import dev.yubin.auth.sasl.SaslMechanism;
import dev.yubin.auth.sasl.SaslMechanisms;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * How POP3 clients log in: USER/PASS (RFC 1939 §7), APOP, and AUTH (RFC 5034) with the auth module's SASL
 * mechanisms, all against the {@link SaslContext}'s user database. Plaintext logins (USER/PASS, PLAIN, LOGIN) are
 * refused before TLS unless {@link Builder#plaintextWithoutTls} says otherwise (Dovecot
 * {@code disable_plaintext_auth = yes}). Failed attempts are answered late ({@link FailureDelay}, Dovecot's
 * {@code auth_failure_delay}) and the connection is closed after {@link #maxFailures()} of them. Immutable.
 */
public final class Pop3Auth {


    /** Failed attempts after which the connection is closed, as Dovecot's default does. */
    public static final int DEFAULT_MAX_FAILURES = 3;

    private final SaslMechanisms mechanisms;
    private final SaslContext context;
    private final boolean plaintextWithoutTls;
    private final boolean apop;
    private final FailureDelay failureDelay;
    private final int maxFailures;

    private Pop3Auth(Builder builder) {
        this.mechanisms = builder.mechanisms;
        this.context = builder.context;
        this.plaintextWithoutTls = builder.plaintextWithoutTls;
        this.apop = builder.apop;
        this.failureDelay = builder.failureDelay;
        this.maxFailures = builder.maxFailures;
    }

    /** A builder; {@code context} is required. */
    public static Builder builder() {
        return new Builder();
    }

    /** The SASL mechanisms in the order CAPA lists them; may be empty (USER/PASS and APOP only). */
    public List<SaslMechanism> mechanisms() {
        return mechanisms.all();
    }

    /** The user database and server name the logins are checked against. */
    public SaslContext context() {
        return context;
    }

    /** Whether USER/PASS, PLAIN and LOGIN are allowed on connections without TLS. */
    public boolean plaintextWithoutTls() {
        return plaintextWithoutTls;
    }

    /** Whether APOP is offered (the greeting then carries a timestamp). */
    public boolean apop() {
        return apop;
    }

    /** How long to hold back the reply to a failed login; {@link FailureDelay#NONE} by default. */
    public FailureDelay failureDelay() {
        return failureDelay;
    }

    /** Failed logins after which the connection is closed; {@value #DEFAULT_MAX_FAILURES} by default. */
    public int maxFailures() {
        return maxFailures;
    }

    /** Whether a plaintext login may be used on this connection now. */
    public boolean plaintextAllowed(boolean tls) {
        return tls || plaintextWithoutTls;
    }

    /** The mechanisms usable now: all over TLS, the non-plaintext ones otherwise unless plaintext is allowed. */
    public List<SaslMechanism> offered(boolean tls) {
        return mechanisms.usable(plaintextAllowed(tls));
    }

    /** The configured mechanism called {@code name} (case-insensitive), whether or not it is usable now. */
    public Optional<SaslMechanism> mechanism(String name) {
        return mechanisms.find(name);
    }

    /** A copy that allows plaintext logins without TLS (or not). */
    public Pop3Auth withPlaintextWithoutTls(boolean value) {
        Builder copy = toBuilder();
        copy.plaintextWithoutTls = value;
        return copy.build();
    }

    private Builder toBuilder() {
        Builder copy = new Builder();
        copy.mechanisms = mechanisms;
        copy.context = context;
        copy.plaintextWithoutTls = plaintextWithoutTls;
        copy.apop = apop;
        copy.failureDelay = failureDelay;
        copy.maxFailures = maxFailures;
        return copy;
    }

    /** Builds a {@link Pop3Auth}. Not thread-safe. */
    public static final class Builder {
        private SaslMechanisms mechanisms = SaslMechanisms.NONE;
        private SaslContext context;
        private boolean plaintextWithoutTls;
        private boolean apop;
        private FailureDelay failureDelay = FailureDelay.NONE;
        private int maxFailures = DEFAULT_MAX_FAILURES;

        private Builder() {
        }

        /** Adds SASL mechanisms for AUTH, offered in this order; default none. */
        public Builder mechanisms(SaslMechanism... values) {
            mechanisms = mechanisms.plus(values);
            return this;
        }

        /** Required: the user database and server name. */
        public Builder context(SaslContext value) {
            this.context = Objects.requireNonNull(value, "context");
            return this;
        }

        /**
         * Allow USER/PASS, PLAIN and LOGIN before TLS; default false (Dovecot {@code disable_plaintext_auth =
         * yes}). The textbooks' {@code telnet host 110} needs it.
         */
        public Builder plaintextWithoutTls(boolean value) {
            this.plaintextWithoutTls = value;
            return this;
        }

        /**
         * Offer APOP (RFC 1939 §7); default false. It needs passwords stored in a scheme that keeps the
         * plaintext ({@code {PLAIN}}); other accounts fail APOP.
         */
        public Builder apop(boolean value) {
            this.apop = value;
            return this;
        }

        /** How failed attempts are slowed down; default {@link FailureDelay#NONE}. */
        public Builder failureDelay(FailureDelay value) {
            this.failureDelay = Objects.requireNonNull(value, "failureDelay");
            return this;
        }

        /** Failed attempts after which the connection is closed; default {@value #DEFAULT_MAX_FAILURES}. */
        public Builder maxFailures(int value) {
            if (value < 1) {
                throw new IllegalArgumentException("maxFailures must be positive, got " + value);
            }
            this.maxFailures = value;
            return this;
        }

        /**
         * The configuration.
         *
         * @throws IllegalStateException if no context was given
         */
        public Pop3Auth build() {
            if (context == null) {
                throw new IllegalStateException("Pop3Auth: context is required");
            }
            return new Pop3Auth(this);
        }
    }
}
