package dev.yubin.auth.sasl;

import java.util.Optional;

/**
 * One client-side SASL exchange (RFC 4422), e.g. to authenticate to a smarthost: a state machine over decoded
 * octets, independent of any protocol. Ask for {@link #initialResponse()} first (send it with the command when the
 * protocol allows: SMTP {@code AUTH PLAIN <b64>}), then answer each server challenge (SMTP {@code 334}) with
 * {@link #evaluate}. The outcome (SMTP {@code 235} or {@code 535}) is the protocol's business.
 *
 * <p>Not thread-safe: one exchange belongs to one connection. Implementations never put the password in messages
 * or {@code toString()}.
 */
public interface SaslClient {

    /** The registered mechanism name, upper case: {@code PLAIN}. */
    String mechanismName();

    /**
     * The initial response, if the mechanism sends one. Call it before {@link #evaluate}, at most once: when the
     * protocol cannot carry it (no SASL-IR), do not call it and the mechanism answers the first challenge instead.
     *
     * @throws IllegalStateException when called twice or after {@link #evaluate}
     */
    Optional<byte[]> initialResponse();

    /**
     * The answer to a server challenge, decoded from base64.
     *
     * @throws SaslClientException when the challenge does not fit the mechanism (one too many, say); the protocol
     *     then cancels the exchange (SMTP {@code *})
     */
    byte[] evaluate(byte[] challenge) throws SaslClientException;

    /** Whether everything the mechanism has to say has been sent; another challenge would be an error. */
    boolean isComplete();
}
