package dev.yubin.auth.sasl;

import java.util.Objects;

/**
 * What a {@link SaslServer} answers to one client response: another challenge, success or failure. Immutable (the
 * arrays are not copied: treat them as read-only).
 */
public sealed interface SaslStep permits SaslStep.Challenge, SaslStep.Success, SaslStep.Failure {

    /** Whether the exchange is over (success or failure). */
    default boolean isFinal() {
        return !(this instanceof Challenge);
    }

    /**
     * Send {@code data} to the client (base64 in a continuation: SMTP {@code 334}, IMAP {@code +}, POP3 {@code +})
     * and feed its answer to {@link SaslServer#evaluate}. {@code data} may be empty.
     */
    record Challenge(byte[] data) implements SaslStep {
        /** Checks that {@code data} is not {@code null}; the array is kept, not copied. */
        public Challenge {
            Objects.requireNonNull(data, "data");
        }
    }

    /**
     * The client is authenticated.
     *
     * @param login the identity the session acts as: the canonical login of the account whose credentials were
     *     checked, or, when an {@link AuthorizationPolicy} allowed proxying, the authorization identity the client
     *     asked for (as the client sent it)
     * @param authenticatedLogin the canonical login ({@link dev.yubin.auth.Account#login()}) of the account whose
     *     credentials were checked; equal to {@code login} unless proxying
     * @param additionalData data the protocol sends with its success reply; empty unless the context asked for it
     *     with {@link SaslContext#additionalDataWithSuccess()} (otherwise such data is sent as a last challenge)
     */
    record Success(String login, String authenticatedLogin, byte[] additionalData) implements SaslStep {
        /** Checks that nothing is {@code null}; the array is kept, not copied. */
        public Success {
            Objects.requireNonNull(login, "login");
            Objects.requireNonNull(authenticatedLogin, "authenticatedLogin");
            Objects.requireNonNull(additionalData, "additionalData");
        }
    }

    /**
     * The exchange failed.
     *
     * @param detail what went wrong, for the server's log only: it may say whether the user exists, so never send
     *     it to the client. Never contains a password.
     * @param cause the exception behind a {@link Reason#TEMPORARY_FAILURE}, or {@code null}
     */
    record Failure(Reason reason, String detail, Throwable cause) implements SaslStep {
        /** Checks that {@code reason} and {@code detail} are given; {@code cause} may be {@code null}. */
        public Failure {
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(detail, "detail");
        }

        /** A failure without a cause. */
        public Failure(Reason reason, String detail) {
            this(reason, detail, null);
        }
    }

    /** Why an exchange failed; each protocol maps it to its reply (see the package documentation). */
    enum Reason {
        /**
         * Unknown user, wrong password, a user without the stored secret the mechanism needs, or an authorization
         * identity the user may not act as. Deliberately one reason, so that replies do not tell them apart.
         */
        BAD_CREDENTIALS,
        /** The client's response does not follow the mechanism's syntax, is too long, or is not base64. */
        MALFORMED,
        /** The client cancelled with {@code *}. */
        CANCELLED,
        /** The user database or password check failed (an exception): the client may try again later. */
        TEMPORARY_FAILURE
    }
}
