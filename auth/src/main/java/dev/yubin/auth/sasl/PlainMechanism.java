package dev.yubin.auth.sasl;

import dev.yubin.auth.Account;
import java.util.Arrays;
import java.util.Optional;

/**
 * PLAIN (RFC 4616): one client message {@code [authzid] NUL authcid NUL passwd} in UTF-8. With no initial response
 * the server first sends an empty challenge. An authzid that is empty, or equal to the login as typed or as the
 * database knows it, authenticates as the user; another one needs the context's {@link AuthorizationPolicy}.
 * Messages without exactly two NULs, with an empty authcid or password, or not UTF-8 are
 * {@link SaslStep.Reason#MALFORMED}. A plaintext mechanism.
 * Stateless and thread-safe; each exchange has its own {@link SaslServer}.
 */
public final class PlainMechanism implements SaslMechanism {

    /** The mechanism name, {@code PLAIN}. */
    public static final String NAME = "PLAIN";

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
        Server(SaslContext context) {
            super(NAME, context);
        }

        @Override
        SaslStep first(Optional<byte[]> initialResponse) throws Malformed {
            return initialResponse.isPresent() ? next(initialResponse.get()) : new SaslStep.Challenge(new byte[0]);
        }

        @Override
        SaslStep next(byte[] message) throws Malformed {
            int first = indexOfNul(message, 0);
            int second = first < 0 ? -1 : indexOfNul(message, first + 1);
            if (second < 0) {
                throw new Malformed("PLAIN message without two NULs");
            }
            if (indexOfNul(message, second + 1) >= 0) {
                throw new Malformed("PLAIN message with more than two NULs");
            }
            String authzid = identity(utf8(message, 0, first, "authzid"), "authzid", true);
            String authcid = identity(utf8(message, first + 1, second - first - 1, "authcid"), "authcid", false);
            byte[] password = Arrays.copyOfRange(message, second + 1, message.length);
            try {
                if (password.length == 0) {
                    throw new Malformed("PLAIN message with an empty password");
                }
                Optional<Account> account = find(authcid);
                if (account.isEmpty()) {
                    return unknownUser(authcid, password);
                }
                if (!matches(account.get(), password)) {
                    return badCredentials("wrong password for " + account.get().login());
                }
                return authorize(account.get(), authcid, authzid, new byte[0]);
            } finally {
                Arrays.fill(password, (byte) 0);
            }
        }

        private static int indexOfNul(byte[] bytes, int from) {
            for (int i = from; i < bytes.length; i++) {
                if (bytes[i] == 0) {
                    return i;
                }
            }
            return -1;
        }
    }
}
