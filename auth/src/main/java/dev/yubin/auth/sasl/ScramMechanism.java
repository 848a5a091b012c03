package dev.yubin.auth.sasl;

import dev.yubin.auth.Account;
import dev.yubin.auth.password.ScramSecrets;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * SCRAM (RFC 5802) without channel binding, e.g. SCRAM-SHA-256 (RFC 7677), built on
 * {@link dev.yubin.auth.password.StoredPassword#scram(String)}.
 *
 * <ol>
 *   <li>client-first {@code n,[a=authzid],n=user,r=cnonce[,ext]}: the gs2 flag {@code n}, or {@code y} ("client
 *       supports channel binding but thinks the server does not": true, we offer no {@code -PLUS}); {@code p=} and
 *       the mandatory extension {@code m=} are refused as {@link SaslStep.Reason#MALFORMED}. May come as the
 *       initial response, else the server starts with an empty challenge.</li>
 *   <li>server-first {@code r=cnonce+snonce,s=salt,i=iterations}. An unknown user, or one without SCRAM secrets
 *       for this hash, gets a salt derived from a server key and the user name, and the configured iteration count,
 *       so the same name always gets the same answer and probing does not tell whether an account exists; the
 *       exchange then fails at the proof like a wrong password.</li>
 *   <li>client-final {@code c=b64(gs2 header),r=nonce[,ext],p=proof}: the channel binding must repeat the gs2
 *       header and the nonce must be the combined one ({@link SaslStep.Reason#MALFORMED} otherwise); a wrong proof
 *       is {@link SaslStep.Reason#BAD_CREDENTIALS}.</li>
 *   <li>server-final {@code v=signature}: the success's additional data (or a last challenge, see
 *       {@link SaslContext#additionalDataWithSuccess()}).</li>
 * </ol>
 *
 * <p>SASLprep (RFC 4013) is not applied: user names are used as sent (after {@code =2C}/{@code =3D} decoding) and
 * only control characters are refused; the password never reaches the server, so whether it was prepared is
 * between the client and whoever derived the stored secrets. Not a plaintext mechanism.
 * Thread-safe if the nonce supplier is; each exchange has its own {@link SaslServer}.
 */
public final class ScramMechanism implements SaslMechanism {

    /** The iteration count RFC 7677 asks for at least, and what unknown users get by default. */
    public static final int DEFAULT_ITERATIONS = 4096;

    private static final int NONCE_BYTES = 18;
    private static final int FAKE_SALT_BYTES = 16;

    private final String name;
    private final String hashName;
    private final String hmacName;
    private final Supplier<String> serverNonces;
    private final byte[] fakeSaltKey;
    private final int fakeIterations;

    /**
     * @param hashName {@code SHA-256} (or {@code SHA-1}, {@code SHA-512}): the mechanism is {@code SCRAM-<hashName>}
     * @param serverNonces the server's part of each nonce: printable ASCII without {@code ,}, unpredictable
     * @param fakeSaltKey the key from which unknown users' salts are derived; keep it stable (configure it) so that
     *     restarts do not change those salts
     * @param fakeIterations the iteration count unknown users get: the one real accounts use
     */
    public ScramMechanism(String hashName, Supplier<String> serverNonces, byte[] fakeSaltKey, int fakeIterations) {
        this.hashName = Objects.requireNonNull(hashName, "hashName").toUpperCase(Locale.ROOT);
        this.name = "SCRAM-" + this.hashName;
        this.hmacName = "Hmac" + this.hashName.replace("-", "");
        this.serverNonces = Objects.requireNonNull(serverNonces, "serverNonces");
        this.fakeSaltKey = Objects.requireNonNull(fakeSaltKey, "fakeSaltKey").clone();
        if (fakeSaltKey.length == 0 || fakeIterations < 1) {
            throw new IllegalArgumentException("need a fake salt key and a positive iteration count");
        }
        this.fakeIterations = fakeIterations;
        try {
            MessageDigest.getInstance(this.hashName);
            Mac.getInstance(hmacName);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("unsupported hash: " + hashName, e);
        }
    }

    /**
     * SCRAM-SHA-256 with random nonces, {@link #DEFAULT_ITERATIONS} for unknown users and a random fake-salt key
     * (so an unknown user's salt stays the same until a restart).
     */
    public static ScramMechanism sha256() {
        SecureRandom random = new SecureRandom();
        byte[] key = new byte[32];
        random.nextBytes(key);
        return new ScramMechanism("SHA-256", randomNonces(random), key, DEFAULT_ITERATIONS);
    }

    /** Nonces of 18 random octets in base64 (24 characters). */
    public static Supplier<String> randomNonces(SecureRandom random) {
        Objects.requireNonNull(random, "random");
        return () -> {
            byte[] bytes = new byte[NONCE_BYTES];
            random.nextBytes(bytes);
            return Base64.getEncoder().encodeToString(bytes);
        };
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public boolean isPlaintext() {
        return false;
    }

    @Override
    public SaslServer newServer(SaslContext context) {
        return new Server(context);
    }

    private final class Server extends AbstractSaslServer {
        private boolean clientFirstSeen;
        private String gs2Header;
        private String authorizationId;
        private String username;
        private String clientFirstBare;
        private String serverFirst;
        private String nonce;
        private Account account;
        private ScramSecrets secrets;

        Server(SaslContext context) {
            super(name, context);
        }

        @Override
        SaslStep first(Optional<byte[]> initialResponse) throws Malformed {
            return initialResponse.isPresent() ? next(initialResponse.get()) : new SaslStep.Challenge(new byte[0]);
        }

        @Override
        SaslStep next(byte[] response) throws Malformed {
            if (!clientFirstSeen) {
                clientFirstSeen = true;
                return clientFirst(utf8(response, "client-first-message"));
            }
            return clientFinal(utf8(response, "client-final-message"));
        }

        private SaslStep clientFirst(String message) throws Malformed {
            if (message.startsWith("p=")) {
                throw new Malformed("channel binding requested, but " + name + "-PLUS is not offered");
            }
            if (!message.startsWith("n,") && !message.startsWith("y,")) {
                throw new Malformed("bad gs2 header");
            }
            int end = message.indexOf(',', 2);
            if (end < 0) {
                throw new Malformed("bad gs2 header");
            }
            String authzid = message.substring(2, end);
            if (!authzid.isEmpty() && !authzid.startsWith("a=")) {
                throw new Malformed("bad gs2 header");
            }
            authorizationId = authzid.isEmpty() ? "" : saslName(authzid.substring(2), "authzid");
            gs2Header = message.substring(0, end + 1);
            clientFirstBare = message.substring(end + 1);
            String[] attributes = clientFirstBare.split(",", -1);
            if (attributes[0].startsWith("m=")) {
                throw new Malformed("mandatory extension not supported");
            }
            if (attributes.length < 2 || !attributes[0].startsWith("n=") || !attributes[1].startsWith("r=")) {
                throw new Malformed("client-first-message needs n= and r=");
            }
            extensions(attributes, 2, attributes.length);
            username = saslName(attributes[0].substring(2), "user name");
            if (username.isEmpty()) {
                throw new Malformed("user name is empty");
            }
            String clientNonce = attributes[1].substring(2);
            if (clientNonce.isEmpty() || !clientNonce.chars().allMatch(c -> c > ' ' && c < 0x7f && c != ',')) {
                throw new Malformed("bad client nonce");
            }

            account = find(username).orElse(null);
            if (account != null) {
                try {
                    secrets = account.password().scram(hashName)
                            .filter(s -> s.hashName().equalsIgnoreCase(hashName))
                            .orElse(null);
                } catch (RuntimeException e) {
                    throw new LookupFailed(e);
                }
            }
            byte[] salt;
            int iterations;
            if (secrets != null) {
                salt = secrets.salt();
                iterations = secrets.iterations();
            } else {
                salt = Arrays.copyOf(hmac(fakeSaltKey, (hashName + "\0" + username).getBytes(StandardCharsets.UTF_8)),
                        FAKE_SALT_BYTES);
                iterations = fakeIterations;
            }
            nonce = clientNonce + serverNonces.get();
            serverFirst = "r=" + nonce + ",s=" + Base64.getEncoder().encodeToString(salt) + ",i=" + iterations;
            return new SaslStep.Challenge(serverFirst.getBytes(StandardCharsets.UTF_8));
        }

        private SaslStep clientFinal(String message) throws Malformed {
            int proofAt = message.lastIndexOf(",p=");
            if (proofAt < 0) {
                throw new Malformed("client-final-message without a proof");
            }
            String withoutProof = message.substring(0, proofAt);
            String[] attributes = withoutProof.split(",", -1);
            if (attributes.length < 2 || !attributes[0].startsWith("c=") || !attributes[1].startsWith("r=")) {
                throw new Malformed("client-final-message needs c= and r=");
            }
            extensions(attributes, 2, attributes.length);
            byte[] binding = base64(attributes[0].substring(2), "channel binding");
            if (!Arrays.equals(binding, gs2Header.getBytes(StandardCharsets.UTF_8))) {
                throw new Malformed("channel binding does not repeat the gs2 header");
            }
            if (!attributes[1].substring(2).equals(nonce)) {
                throw new Malformed("nonce mismatch");
            }
            byte[] proof = base64(message.substring(proofAt + 3), "proof");
            int hashLength = digest().getDigestLength();
            if (proof.length != hashLength) {
                throw new Malformed("proof of " + proof.length + " octets");
            }

            byte[] authMessage = (clientFirstBare + "," + serverFirst + "," + withoutProof)
                    .getBytes(StandardCharsets.UTF_8);
            // Without secrets, check against a throwaway key: same work, certain failure.
            byte[] storedKey = secrets != null ? secrets.storedKey() : new byte[hashLength];
            byte[] clientKey = hmac(storedKey.length == 0 ? new byte[1] : storedKey, authMessage);
            for (int i = 0; i < clientKey.length; i++) {
                clientKey[i] ^= proof[i];
            }
            boolean valid = MessageDigest.isEqual(digest().digest(clientKey), storedKey);
            if (secrets == null) {
                return badCredentials(account == null ? "unknown user " + username
                        : "no " + hashName + " SCRAM secrets for " + account.login());
            }
            if (!valid) {
                return badCredentials("wrong password for " + account.login());
            }
            byte[] serverSignature = hmac(secrets.serverKey(), authMessage);
            byte[] serverFinal = ("v=" + Base64.getEncoder().encodeToString(serverSignature))
                    .getBytes(StandardCharsets.US_ASCII);
            return authorize(account, username, authorizationId, serverFinal);
        }

        /** Optional extensions: each must look like {@code x=value}. */
        private void extensions(String[] attributes, int from, int to) throws Malformed {
            for (int i = from; i < to; i++) {
                String attribute = attributes[i];
                if (attribute.length() < 2 || attribute.charAt(1) != '='
                        || !(attribute.charAt(0) >= 'a' && attribute.charAt(0) <= 'z'
                                || attribute.charAt(0) >= 'A' && attribute.charAt(0) <= 'Z')) {
                    throw new Malformed("bad attribute");
                }
            }
        }
    }

    /** Decodes a {@code saslname}: {@code =2C} is {@code ,}, {@code =3D} is {@code =}, other {@code =} refused. */
    static String saslName(String value, String what) throws AbstractSaslServer.Malformed {
        StringBuilder out = new StringBuilder(value.length());
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '=') {
                if (value.startsWith("=2C", i)) {
                    out.append(',');
                } else if (value.startsWith("=3D", i)) {
                    out.append('=');
                } else {
                    throw new AbstractSaslServer.Malformed("bad escape in " + what);
                }
                i += 2;
            } else {
                out.append(c);
            }
        }
        return AbstractSaslServer.identity(out.toString(), what, true);
    }

    private static byte[] base64(String value, String what) throws AbstractSaslServer.Malformed {
        try {
            return Base64.getDecoder().decode(value);
        } catch (IllegalArgumentException e) {
            throw new AbstractSaslServer.Malformed(what + " is not base64");
        }
    }

    private MessageDigest digest() {
        try {
            return MessageDigest.getInstance(hashName);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private byte[] hmac(byte[] key, byte[] data) {
        try {
            Mac mac = Mac.getInstance(hmacName);
            mac.init(new SecretKeySpec(key, hmacName));
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(hmacName + " unavailable", e);
        }
    }
}
