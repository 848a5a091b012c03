package dev.yubin.auth.sasl;

/**
 * Whether an authenticated user may act as another identity (the SASL authorization identity, e.g. PLAIN's
 * {@code authzid}): Dovecot's master users. Consulted only after the credentials were verified and only when the
 * authorization identity is neither empty nor the user's own login. Thread-safe; may not block.
 */
@FunctionalInterface
public interface AuthorizationPolicy {

    /** The default: nobody may act as somebody else. */
    static AuthorizationPolicy denyAll() {
        return (authenticatedLogin, authorizationId) -> false;
    }

    /**
     * Whether {@code authenticatedLogin} (a canonical login) may act as {@code authorizationId} (as the client sent
     * it; resolving it is the caller's job).
     */
    boolean permits(String authenticatedLogin, String authorizationId);
}
