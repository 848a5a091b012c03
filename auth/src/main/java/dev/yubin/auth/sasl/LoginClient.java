package dev.yubin.auth.sasl;

import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Optional;

/**
 * The client side of LOGIN (draft-murchison-sasl-login): answers the server's first challenge with the user name
 * and its second with the password. The prompts' text ({@code Username:}, {@code Password:}, or anything else) is
 * not interpreted, since servers word them differently; their order is what counts. Optionally sends the user name
 * as the initial response ({@code AUTH LOGIN <b64 user>}, which Postfix and Dovecot accept); the first challenge is
 * then the password prompt. Not thread-safe.
 */
public final class LoginClient implements SaslClient {
    private enum State { USER, PASSWORD, DONE }

    private final byte[] user;
    private final byte[] password;
    private final boolean userAsInitialResponse;
    private State state = State.USER;
    private boolean started;

    /**
     * @param userAsInitialResponse whether {@link #initialResponse()} carries the user name; when {@code false} it is
     *     empty and the user name answers the first challenge
     * @throws IllegalArgumentException when the user or password is empty
     */
    public LoginClient(String user, String password, boolean userAsInitialResponse) {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(password, "password");
        if (user.isEmpty() || password.isEmpty()) {
            throw new IllegalArgumentException(user.isEmpty() ? "user is empty" : "password is empty");
        }
        this.user = user.getBytes(StandardCharsets.UTF_8);
        this.password = password.getBytes(StandardCharsets.UTF_8);
        this.userAsInitialResponse = userAsInitialResponse;
    }

    /** A client that waits for the server's {@code Username:} prompt. */
    public static LoginClient of(String user, String password) {
        return new LoginClient(user, password, false);
    }

    @Override
    public String mechanismName() {
        return LoginMechanism.NAME;
    }

    @Override
    public Optional<byte[]> initialResponse() {
        if (started) {
            throw new IllegalStateException("LOGIN exchange already started");
        }
        started = true;
        if (!userAsInitialResponse) {
            return Optional.empty();
        }
        state = State.PASSWORD;
        return Optional.of(user.clone());
    }

    @Override
    public byte[] evaluate(byte[] challenge) throws SaslClientException {
        Objects.requireNonNull(challenge, "challenge");
        started = true;
        switch (state) {
            case USER -> {
                state = State.PASSWORD;
                return user.clone();
            }
            case PASSWORD -> {
                state = State.DONE;
                return password.clone();
            }
            default -> throw new SaslClientException("LOGIN server sent a third challenge");
        }
    }

    @Override
    public boolean isComplete() {
        return state == State.DONE;
    }

    @Override
    public String toString() {
        return "LoginClient[state=" + state + "]";
    }
}
