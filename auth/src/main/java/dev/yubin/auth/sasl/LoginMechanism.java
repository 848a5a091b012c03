package dev.yubin.auth.sasl;

import dev.yubin.auth.Account;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * LOGIN, the de-facto mechanism (draft-murchison-sasl-login): the server asks {@code Username:} and then
 * {@code Password:}, the client answers each. An initial response is taken as the user name (some clients send
 * {@code AUTH LOGIN <b64 user>}); an empty user name is {@link SaslStep.Reason#MALFORMED}. A plaintext mechanism.
 * Stateless and thread-safe; each exchange has its own {@link SaslServer}.
 */
public final class LoginMechanism implements SaslMechanism {

    /** The mechanism name, {@code LOGIN}. */
    public static final String NAME = "LOGIN";
    static final byte[] USERNAME = "Username:".getBytes(StandardCharsets.US_ASCII);
    static final byte[] PASSWORD = "Password:".getBytes(StandardCharsets.US_ASCII);

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public boolean isPlaintext() {
        return true;
    }

    @Override
    public SaslServer newServer(SaslContext context) {
        return new Server(context);
    }

    private static final class Server extends AbstractSaslServer {
        private String username;

        Server(SaslContext context) {
            super(NAME, context);
        }

        @Override
        SaslStep first(Optional<byte[]> initialResponse) throws Malformed {
            return initialResponse.isPresent() ? next(initialResponse.get()) : new SaslStep.Challenge(USERNAME.clone());
        }

        @Override
        SaslStep next(byte[] response) throws Malformed {
            if (username == null) {
                username = identity(utf8(response, "user name"), "user name", false);
                return new SaslStep.Challenge(PASSWORD.clone());
            }
            if (response.length == 0) {
                return badCredentials("empty password for " + username);
            }
            Optional<Account> account = find(username);
            if (account.isEmpty()) {
                return unknownUser(username, response);
            }
            if (!matches(account.get(), response)) {
                return badCredentials("wrong password for " + account.get().login());
            }
            return authorize(account.get(), username, "", new byte[0]);
        }
    }
}
