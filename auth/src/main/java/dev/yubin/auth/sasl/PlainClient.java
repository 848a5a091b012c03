package dev.yubin.auth.sasl;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Optional;

/**
 * The client side of PLAIN (RFC 4616): one message {@code [authzid] NUL authcid NUL passwd}, in UTF-8, sent as the
 * initial response or as the answer to the server's first (empty) challenge. Not thread-safe.
 */
public final class PlainClient implements SaslClient {
    private final byte[] message;
    private boolean sent;

    /**
     * @param authorizationId who to act as; empty for the user itself (the usual case)
     * @param login the authentication identity
     * @param password the password
     * @throws IllegalArgumentException when the login or password is empty, or any of them contains NUL
     */
    public PlainClient(String authorizationId, String login, String password) {
        check(authorizationId, "authorizationId", true);
        check(login, "login", false);
        check(password, "password", false);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(authorizationId.getBytes(StandardCharsets.UTF_8));
        out.write(0);
        out.writeBytes(login.getBytes(StandardCharsets.UTF_8));
        out.write(0);
        out.writeBytes(password.getBytes(StandardCharsets.UTF_8));
        this.message = out.toByteArray();
    }

    /** A client that authenticates as {@code login} itself (no authorization identity). */
    public static PlainClient of(String login, String password) {
        return new PlainClient("", login, password);
    }

    private static void check(String value, String what, boolean emptyAllowed) {
        Objects.requireNonNull(value, what);
        if (value.isEmpty() && !emptyAllowed) {
            throw new IllegalArgumentException(what + " is empty");
        }
        if (value.indexOf('\0') >= 0) {
            throw new IllegalArgumentException(what + " contains NUL");
        }
    }

    @Override
    public String mechanismName() {
        return PlainMechanism.NAME;
    }

    @Override
    public Optional<byte[]> initialResponse() {
        if (sent) {
            throw new IllegalStateException("PLAIN message already sent");
        }
        sent = true;
        return Optional.of(message.clone());
    }

    @Override
    public byte[] evaluate(byte[] challenge) throws SaslClientException {
        Objects.requireNonNull(challenge, "challenge");
        if (sent) {
            throw new SaslClientException("PLAIN server sent a challenge after the message");
        }
        if (challenge.length != 0) {
            throw new SaslClientException("PLAIN server sent a non-empty challenge");
        }
        sent = true;
        return message.clone();
    }

    @Override
    public boolean isComplete() {
        return sent;
    }

    @Override
    public String toString() {
        return "PlainClient[sent=" + sent + "]";
    }
}
