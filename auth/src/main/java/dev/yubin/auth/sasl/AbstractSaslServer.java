package dev.yubin.auth.sasl;

import dev.yubin.auth.Account;
import dev.yubin.auth.password.PasswordHasher;
import dev.yubin.auth.password.PasswordSchemes;
import dev.yubin.auth.password.StoredPassword;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Objects;
import java.util.Optional;

/**
 * The bookkeeping every mechanism shares: start/evaluate order, the response length limit, final data sent as a
 * challenge when the protocol cannot carry it with success, and user database failures turned into
 * {@link SaslStep.Reason#TEMPORARY_FAILURE}.
 */
abstract class AbstractSaslServer implements SaslServer {

    private enum State { NEW, RUNNING, FINAL_DATA_SENT, COMPLETE }

    /** A user database or password check that threw; becomes a temporary failure. */
    static final class LookupFailed extends RuntimeException {
        private static final long serialVersionUID = 1L;

        LookupFailed(RuntimeException cause) {
            super(cause);
        }
    }

    /** Thrown by parsing helpers; becomes a {@link SaslStep.Reason#MALFORMED} failure. */
    static final class Malformed extends Exception {
        private static final long serialVersionUID = 1L;

        Malformed(String message) {
            super(message, null, false, false);
        }
    }

    final SaslContext context;
    private final String name;
    private State state = State.NEW;
    private SaslStep.Success pending;
    private String attempted; // the first login looked up

    AbstractSaslServer(String name, SaslContext context) {
        this.name = name;
        this.context = Objects.requireNonNull(context, "context");
    }

    /** The first step: {@code initialResponse} is already within the length limit. */
    abstract SaslStep first(Optional<byte[]> initialResponse) throws Malformed;

    /** A later step: {@code response} is already within the length limit. */
    abstract SaslStep next(byte[] response) throws Malformed;

    @Override
    public final String mechanismName() {
        return name;
    }

    @Override
    public final SaslStep start(Optional<byte[]> initialResponse) {
        Objects.requireNonNull(initialResponse, "initialResponse");
        if (state != State.NEW) {
            throw new IllegalStateException(name + " exchange already started");
        }
        state = State.RUNNING;
        if (initialResponse.isPresent() && initialResponse.get().length > context.maxResponseLength()) {
            return finish(tooLong(initialResponse.get()));
        }
        return run(true, initialResponse.orElse(null));
    }

    @Override
    public final SaslStep evaluate(byte[] response) {
        Objects.requireNonNull(response, "response");
        if (state == State.NEW) {
            throw new IllegalStateException(name + " exchange not started");
        }
        if (state == State.COMPLETE) {
            throw new IllegalStateException(name + " exchange already complete");
        }
        if (response.length > context.maxResponseLength()) {
            return finish(tooLong(response));
        }
        if (state == State.FINAL_DATA_SENT) {
            return finish(response.length == 0 ? pending
                    : new SaslStep.Failure(SaslStep.Reason.MALFORMED,
                            "expected an empty response to the server's final data"));
        }
        return run(false, response);
    }

    @Override
    public final SaslStep.Failure abort(SaslStep.Reason reason) {
        Objects.requireNonNull(reason, "reason");
        if (state == State.COMPLETE) {
            throw new IllegalStateException(name + " exchange already complete");
        }
        state = State.COMPLETE;
        return new SaslStep.Failure(reason, reason == SaslStep.Reason.CANCELLED ? "cancelled by the client"
                : "aborted by the protocol: " + reason);
    }

    @Override
    public final Optional<String> attemptedLogin() {
        return Optional.ofNullable(attempted);
    }

    @Override
    public final boolean isComplete() {
        return state == State.COMPLETE;
    }

    private SaslStep run(boolean first, byte[] response) {
        SaslStep step;
        try {
            step = first ? first(Optional.ofNullable(response)) : next(response);
        } catch (Malformed e) {
            step = new SaslStep.Failure(SaslStep.Reason.MALFORMED, e.getMessage());
        } catch (LookupFailed e) {
            step = new SaslStep.Failure(SaslStep.Reason.TEMPORARY_FAILURE, "user lookup failed: " + e.getCause(),
                    e.getCause());
        }
        return finish(step);
    }

    private SaslStep finish(SaslStep step) {
        if (step instanceof SaslStep.Success success && success.additionalData().length > 0
                && !context.additionalDataWithSuccess()) {
            pending = new SaslStep.Success(success.login(), success.authenticatedLogin(), new byte[0]);
            state = State.FINAL_DATA_SENT;
            return new SaslStep.Challenge(success.additionalData());
        }
        if (step.isFinal()) {
            state = State.COMPLETE;
            pending = null;
        }
        return step;
    }

    private SaslStep.Failure tooLong(byte[] response) {
        return new SaslStep.Failure(SaslStep.Reason.MALFORMED,
                "response of " + response.length + " octets, longer than " + context.maxResponseLength());
    }

    // ---- helpers for mechanisms

    /** The account for {@code login}; a database exception becomes {@link LookupFailed}. */
    final Optional<Account> find(String login) {
        if (attempted == null) {
            attempted = login;
        }
        try {
            return Objects.requireNonNull(context.users().find(login), "UserDatabase.find returned null");
        } catch (RuntimeException e) {
            throw new LookupFailed(e);
        }
    }

    /** Whether {@code password} is the account's; an exception becomes {@link LookupFailed}. */
    static boolean matches(Account account, byte[] password) {
        try {
            return account.password().matches(password);
        } catch (RuntimeException e) {
            throw new LookupFailed(e);
        }
    }

    /**
     * The failure for a login nobody has, after checking {@code password} against a dummy SHA512-CRYPT hash, so that
     * an unknown user costs about as long as a wrong password (no user enumeration by timing).
     */
    static SaslStep.Failure unknownUser(String login, byte[] password) {
        DummyPassword.VALUE.matches(password);
        return badCredentials("unknown user " + login);
    }

    /** A hash of random octets, made once, on first use. */
    private static final class DummyPassword {
        static final StoredPassword VALUE = PasswordSchemes.parse(PasswordHasher.hash("SHA512-CRYPT", random()));

        private static byte[] random() {
            byte[] octets = new byte[16];
            new SecureRandom().nextBytes(octets);
            return octets;
        }
    }

    static SaslStep.Failure badCredentials(String detail) {
        return new SaslStep.Failure(SaslStep.Reason.BAD_CREDENTIALS, detail);
    }

    /**
     * Success for {@code account}, whose credentials were verified, when the client may act as
     * {@code authorizationId} (empty: itself). {@code typedLogin} is the login as the client sent it.
     */
    final SaslStep authorize(Account account, String typedLogin, String authorizationId, byte[] additionalData) {
        if (authorizationId.isEmpty() || authorizationId.equals(typedLogin)
                || authorizationId.equals(account.login())) {
            return new SaslStep.Success(account.login(), account.login(), additionalData);
        }
        if (context.authorization().permits(account.login(), authorizationId)) {
            return new SaslStep.Success(authorizationId, account.login(), additionalData);
        }
        return badCredentials(account.login() + " may not act as " + authorizationId);
    }

    /** {@code bytes} as strict UTF-8. */
    static String utf8(byte[] bytes, int offset, int length, String what) throws Malformed {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes, offset, length))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new Malformed(what + " is not UTF-8");
        }
    }

    static String utf8(byte[] bytes, String what) throws Malformed {
        return utf8(bytes, 0, bytes.length, what);
    }

    /**
     * Checks a login or authorization identity: not empty (unless allowed) and without control characters (C0, DEL,
     * C1). This is the part of SASLprep (RFC 4013) that matters for lookups; names are not NFKC-normalized.
     */
    static String identity(String value, String what, boolean emptyAllowed) throws Malformed {
        if (value.isEmpty() && !emptyAllowed) {
            throw new Malformed(what + " is empty");
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c >= 0x7f && c <= 0x9f) {
                throw new Malformed(what + " contains a control character");
            }
        }
        return value;
    }
}
