package dev.yubin.auth.sasl;

import dev.yubin.auth.UserDatabase;
import java.util.Objects;

/**
 * What a server mechanism needs from its surroundings. Immutable; one context can serve every connection.
 *
 * @param users where logins and stored passwords come from
 * @param serverName the host name put into CRAM-MD5 challenges
 * @param authorization who may act as somebody else
 * @param maxResponseLength the longest client response accepted, in decoded octets; longer ones fail as
 *     {@link SaslStep.Reason#MALFORMED}
 * @param additionalDataWithSuccess whether the protocol can carry data in its success reply (RFC 4422 §5). SMTP
 *     (RFC 4954), POP3 (RFC 5034) and IMAP4rev1 cannot: with {@code false} a mechanism's final data (SCRAM's
 *     {@code v=}) is sent as one more challenge, which the client answers with an empty response, and only then
 *     comes the {@link SaslStep.Success}
 */
public record SaslContext(UserDatabase users, String serverName, AuthorizationPolicy authorization,
        int maxResponseLength, boolean additionalDataWithSuccess) {

    /** 16 KiB: far more than any password mechanism needs. */
    public static final int DEFAULT_MAX_RESPONSE_LENGTH = 16 * 1024;

    /**
     * Checks that nothing is {@code null}, the server name is printable ASCII without spaces or {@code >}, and
     * {@code maxResponseLength} is at least 1.
     */
    public SaslContext {
        Objects.requireNonNull(users, "users");
        Objects.requireNonNull(serverName, "serverName");
        Objects.requireNonNull(authorization, "authorization");
        if (serverName.isEmpty() || serverName.chars().anyMatch(c -> c <= ' ' || c >= 0x7f || c == '>')) {
            throw new IllegalArgumentException("bad server name: " + serverName);
        }
        if (maxResponseLength < 1) {
            throw new IllegalArgumentException("maxResponseLength must be positive");
        }
    }

    /**
     * A context with the defaults: no proxying, {@link #DEFAULT_MAX_RESPONSE_LENGTH}, final data as a challenge.
     */
    public static SaslContext of(UserDatabase users, String serverName) {
        return new SaslContext(users, serverName, AuthorizationPolicy.denyAll(), DEFAULT_MAX_RESPONSE_LENGTH, false);
    }

    /** This context with the authorization policy set to {@code policy}. */
    public SaslContext withAuthorization(AuthorizationPolicy policy) {
        return new SaslContext(users, serverName, policy, maxResponseLength, additionalDataWithSuccess);
    }

    /** This context with {@code maxResponseLength} set to {@code length} octets. */
    public SaslContext withMaxResponseLength(int length) {
        return new SaslContext(users, serverName, authorization, length, additionalDataWithSuccess);
    }

    /** This context with {@code additionalDataWithSuccess} set to {@code allowed}. */
    public SaslContext withAdditionalDataWithSuccess(boolean allowed) {
        return new SaslContext(users, serverName, authorization, maxResponseLength, allowed);
    }
}
