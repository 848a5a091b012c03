package dev.yubin.auth.sasl;

import dev.yubin.auth.Account;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * CRAM-MD5 (RFC 2195): the server sends {@code <random.timestamp@hostname>}, the client answers
 * {@code user SP hex(HMAC-MD5(password, challenge))}. Needs the password itself
 * ({@link dev.yubin.auth.password.StoredPassword#plaintext()}): a user without it fails exactly like a wrong password.
 * Server-first, so an initial response is {@link SaslStep.Reason#MALFORMED}. The password does not cross the wire,
 * so it is not a plaintext mechanism (though MD5 and the plaintext storage it needs are weak).
 * Thread-safe if the challenge supplier is; each exchange has its own {@link SaslServer}.
 */
public final class CramMd5Mechanism implements SaslMechanism {

    /** The mechanism name, {@code CRAM-MD5}. */
    public static final String NAME = "CRAM-MD5";

    private final Function<SaslContext, String> challenges;

    /** Random challenges: {@code <random.millis@serverName>}. */
    public CramMd5Mechanism() {
        SecureRandom random = new SecureRandom();
        this.challenges = context -> "<" + Long.toUnsignedString(random.nextLong()) + "." + System.currentTimeMillis()
                + "@" + context.serverName() + ">";
    }

    /** Challenges from {@code challenges} (tests); each must be printable ASCII and unique in practice. */
    public CramMd5Mechanism(Supplier<String> challenges) {
        Objects.requireNonNull(challenges, "challenges");
        this.challenges = context -> challenges.get();
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public boolean isPlaintext() {
        return false;
    }

    @Override
    public SaslServer newServer(SaslContext context) {
        return new Server(context, challenges.apply(context));
    }

    private static final class Server extends AbstractSaslServer {
        private final byte[] challenge;

        Server(SaslContext context, String challenge) {
            super(NAME, context);
            this.challenge = challenge.getBytes(StandardCharsets.US_ASCII);
        }

        @Override
        SaslStep first(Optional<byte[]> initialResponse) throws Malformed {
            if (initialResponse.isPresent()) {
                throw new Malformed("CRAM-MD5 takes no initial response");
            }
            return new SaslStep.Challenge(challenge.clone());
        }

        @Override
        SaslStep next(byte[] response) throws Malformed {
            String text = utf8(response, "CRAM-MD5 response");
            int space = text.lastIndexOf(' ');
            if (space < 0) {
                throw new Malformed("CRAM-MD5 response without a space");
            }
            String user = identity(text.substring(0, space), "user name", false);
            String digest = text.substring(space + 1).toLowerCase(Locale.ROOT);
            if (digest.length() != 32 || !digest.chars().allMatch(c -> c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
                throw new Malformed("CRAM-MD5 digest is not 32 hex digits");
            }
            Optional<Account> account = find(user);
            if (account.isEmpty()) {
                return badCredentials("unknown user " + user);
            }
            Optional<byte[]> password;
            try {
                password = account.get().password().plaintext();
            } catch (RuntimeException e) {
                throw new LookupFailed(e);
            }
            if (password.isEmpty()) {
                return badCredentials("no plaintext password for CRAM-MD5: " + account.get().login());
            }
            byte[] expected = HexFormat.of().formatHex(hmacMd5(password.get(), challenge))
                    .getBytes(StandardCharsets.US_ASCII);
            if (!MessageDigest.isEqual(expected, digest.getBytes(StandardCharsets.US_ASCII))) {
                return badCredentials("wrong password for " + account.get().login());
            }
            return authorize(account.get(), user, "", new byte[0]);
        }

        private static byte[] hmacMd5(byte[] key, byte[] data) {
            try {
                Mac mac = Mac.getInstance("HmacMD5");
                // An empty key is not allowed by SecretKeySpec; HMAC pads keys with zeros anyway.
                mac.init(new SecretKeySpec(key.length == 0 ? new byte[1] : key, "HmacMD5"));
                return mac.doFinal(data);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("HmacMD5 unavailable", e);
            }
        }
    }
}
