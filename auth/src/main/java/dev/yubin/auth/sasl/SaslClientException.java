package dev.yubin.auth.sasl;

/** A server challenge that a {@link SaslClient} cannot answer. The message never contains a password. */
public final class SaslClientException extends Exception {
    private static final long serialVersionUID = 1L;

    /** An exception saying why the challenge cannot be answered. */
    public SaslClientException(String message) {
        super(message);
    }
}
