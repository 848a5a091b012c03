package dev.yubin.smtp.server;

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
 * SMTP AUTH (RFC 4954) for one listener: the SASL mechanisms offered, where their users come from, whether
 * plaintext mechanisms may be used before TLS (Dovecot's {@code disable_plaintext_auth}, Postfix's
 * {@code smtpd_tls_auth_only}), whether MAIL needs a login first (the submission service, RFC 6409), and how
 * failed attempts are slowed down. Immutable; build it with {@link #builder()}.
 */
public final class SmtpAuth {


    private final SaslMechanisms mechanisms;
    private final SaslContext context;
    private final boolean plaintextWithoutTls;
    private final boolean required;
    private final FailureDelay failureDelay;

    private SmtpAuth(Builder builder) {
        this.mechanisms = builder.mechanisms;
        this.context = builder.context;
        this.plaintextWithoutTls = builder.plaintextWithoutTls;
        this.required = builder.required;
        this.failureDelay = builder.failureDelay;
    }

    /** A builder without mechanisms; at least one mechanism and the context are required. */
    public static Builder builder() {
        return new Builder();
    }

    /** The mechanisms in the order EHLO lists them. */
    public List<SaslMechanism> mechanisms() {
        return mechanisms.all();
    }

    /** The user database, server name and limits the mechanisms use. */
    public SaslContext context() {
        return context;
    }

    /** Whether PLAIN and LOGIN are offered on connections without TLS. */
    public boolean plaintextWithoutTls() {
        return plaintextWithoutTls;
    }

    /** Whether MAIL is refused with {@code 530 5.7.0} until the client authenticated. */
    public boolean required() {
        return required;
    }

    /** How long to hold back the reply to a failed AUTH; {@link FailureDelay#NONE} by default. */
    public FailureDelay failureDelay() {
        return failureDelay;
    }

    /** The mechanisms usable now: all over TLS, the non-plaintext ones otherwise unless plaintext is allowed. */
    public List<SaslMechanism> offered(boolean tls) {
        return mechanisms.usable(tls || plaintextWithoutTls);
    }

    /** The configured mechanism called {@code name} (case-insensitive), whether or not it is usable now. */
    public Optional<SaslMechanism> mechanism(String name) {
        return mechanisms.find(name);
    }

    /** A copy that requires authentication before MAIL (or not): the submission listener's. */
    public SmtpAuth withRequired(boolean value) {
        Builder copy = toBuilder();
        copy.required = value;
        return copy.build();
    }

    /** A copy that offers plaintext mechanisms without TLS (or not). */
    public SmtpAuth withPlaintextWithoutTls(boolean value) {
        Builder copy = toBuilder();
        copy.plaintextWithoutTls = value;
        return copy.build();
    }

    private Builder toBuilder() {
        Builder copy = new Builder();
        copy.mechanisms = mechanisms;
        copy.context = context;
        copy.plaintextWithoutTls = plaintextWithoutTls;
        copy.required = required;
        copy.failureDelay = failureDelay;
        return copy;
    }

    /** Builds an {@link SmtpAuth}; at least one mechanism and the context are required. Not thread-safe. */
    public static final class Builder {
        private SaslMechanisms mechanisms = SaslMechanisms.NONE;
        private SaslContext context;
        private boolean plaintextWithoutTls;
        private boolean required;
        private FailureDelay failureDelay = FailureDelay.NONE;

        private Builder() {
        }

        /** Adds mechanisms, offered in this order. */
        public Builder mechanisms(SaslMechanism... values) {
            mechanisms = mechanisms.plus(values);
            return this;
        }

        /** Required: the user database and server name the mechanisms use. */
        public Builder context(SaslContext value) {
            this.context = Objects.requireNonNull(value, "context");
            return this;
        }

        /**
         * Offer PLAIN and LOGIN before TLS too; default false (Dovecot {@code disable_plaintext_auth = yes}). The
         * textbooks set it for class use on a trusted network.
         */
        public Builder plaintextWithoutTls(boolean value) {
            this.plaintextWithoutTls = value;
            return this;
        }

        /** Refuse MAIL until the client authenticated (the submission service); default false. */
        public Builder required(boolean value) {
            this.required = value;
            return this;
        }

        /** How failed attempts are slowed down; default {@link FailureDelay#NONE}. */
        public Builder failureDelay(FailureDelay value) {
            this.failureDelay = Objects.requireNonNull(value, "failureDelay");
            return this;
        }

        /**
         * The configuration.
         *
         * @throws IllegalStateException if no mechanism or no context was given
         */
        public SmtpAuth build() {
            if (mechanisms.all().isEmpty()) {
                throw new IllegalStateException("SmtpAuth: at least one mechanism is required");
            }
            if (context == null) {
                throw new IllegalStateException("SmtpAuth: context is required");
            }
            return new SmtpAuth(this);
        }
    }
}
