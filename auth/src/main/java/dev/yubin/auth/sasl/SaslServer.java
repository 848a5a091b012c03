package dev.yubin.auth.sasl;

import java.util.Optional;

/**
 * One server-side SASL exchange (RFC 4422): a state machine over the decoded octets of challenges and responses,
 * independent of any protocol. Call {@link #start} once, then {@link #evaluate} with each client response while the
 * last step was a {@link SaslStep.Challenge}, until a {@link SaslStep.Success} or {@link SaslStep.Failure}.
 *
 * <p>Steps may look up the user database and check passwords, which can block (files, databases, deliberately slow
 * hashes): call them off the event loop. Not thread-safe: one exchange belongs to one connection.
 */
public interface SaslServer {

    /** The mechanism's name, e.g. {@code PLAIN}. */
    String mechanismName();

    /**
     * Starts the exchange.
     *
     * @param initialResponse the initial response sent with the command (SMTP {@code AUTH PLAIN <b64>}, IMAP
     *     SASL-IR), decoded; an empty array for {@code =} (an empty initial response), {@link Optional#empty()} when
     *     there was none
     * @throws IllegalStateException when already started
     */
    SaslStep start(Optional<byte[]> initialResponse);

    /**
     * The next step given the client's (decoded) response to the last challenge.
     *
     * @throws IllegalStateException before {@link #start} or once {@link #isComplete()}
     */
    SaslStep evaluate(byte[] response);

    /**
     * Ends the exchange with a failure for {@code reason}: {@link SaslStep.Reason#CANCELLED} when the client sent
     * {@code *}, {@link SaslStep.Reason#MALFORMED} when its line was not base64. Allowed before {@link #start}.
     *
     * @throws IllegalStateException once {@link #isComplete()}
     */
    SaslStep.Failure abort(SaslStep.Reason reason);

    /** Whether a {@link SaslStep.Success} or {@link SaslStep.Failure} has been returned. */
    boolean isComplete();

    /**
     * The login the client gave, once the exchange has read one, for the log line of a failure (Dovecot's
     * {@code Login failed: user=<abe>}); empty before that, and for mechanisms that do not say.
     */
    default Optional<String> attemptedLogin() {
        return Optional.empty();
    }
}
