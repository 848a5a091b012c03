package dev.yubin.auth.sasl;

/** A server-side SASL mechanism: a factory of {@link SaslServer}s, one per exchange. Thread-safe. */
public interface SaslMechanism {

    /** The registered name, upper case: {@code PLAIN}, {@code SCRAM-SHA-256}. */
    String name();

    /**
     * Whether the password travels in the clear (only base64-encoded): PLAIN, LOGIN. Such mechanisms are offered
     * only over TLS unless plaintext authentication is allowed (Dovecot's {@code disable_plaintext_auth = no}).
     */
    boolean isPlaintext();

    /** A fresh exchange. */
    SaslServer newServer(SaslContext context);
}
