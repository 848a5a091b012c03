package dev.yubin.auth.password;

import static java.nio.charset.StandardCharsets.US_ASCII;

import java.util.Arrays;
import java.util.Locale;
import org.bouncycastle.crypto.Digest;
import org.bouncycastle.crypto.digests.SHA1Digest;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.digests.SHA512Digest;
import org.bouncycastle.crypto.generators.PKCS5S2ParametersGenerator;
import org.bouncycastle.crypto.macs.HMac;
import org.bouncycastle.crypto.params.KeyParameter;

/** RFC 5802 §3 key derivation. Bouncy Castle's HMAC, unlike the JDK's, accepts an empty key (an empty password). */
final class Scram {
    static final int DEFAULT_ITERATIONS = 4096;
    static final int SALT_LENGTH = 16;

    private Scram() {
    }

    static boolean supports(String hashName) {
        return switch (hashName.toUpperCase(Locale.ROOT)) {
            case "SHA-1", "SHA-256", "SHA-512" -> true;
            default -> false;
        };
    }

    /** The digest for {@code hashName} ({@code SHA-1}, {@code SHA-256}, {@code SHA-512}). */
    static Digest digest(String hashName) {
        return switch (hashName.toUpperCase(Locale.ROOT)) {
            case "SHA-1" -> new SHA1Digest();
            case "SHA-256" -> new SHA256Digest();
            case "SHA-512" -> new SHA512Digest();
            default -> throw new IllegalArgumentException("SCRAM hash " + hashName + " is not supported");
        };
    }

    /**
     * SaltedPassword = Hi(password, salt, i), ClientKey = HMAC(SaltedPassword, "Client Key"), StoredKey = H(ClientKey),
     * ServerKey = HMAC(SaltedPassword, "Server Key"). The password is used as given, without SASLprep, as Dovecot does.
     */
    static ScramSecrets secrets(String hashName, byte[] password, byte[] salt, int iterations) {
        Digest digest = digest(hashName);
        PKCS5S2ParametersGenerator pbkdf2 = new PKCS5S2ParametersGenerator(digest);
        pbkdf2.init(password, salt, iterations);
        byte[] saltedPassword = ((KeyParameter) pbkdf2.generateDerivedMacParameters(digest.getDigestSize() * 8)).getKey();
        byte[] clientKey = hmac(digest, saltedPassword, "Client Key");
        byte[] storedKey = new byte[digest.getDigestSize()];
        digest.reset();
        digest.update(clientKey, 0, clientKey.length);
        digest.doFinal(storedKey, 0);
        byte[] serverKey = hmac(digest, saltedPassword, "Server Key");
        Arrays.fill(saltedPassword, (byte) 0);
        return new ScramSecrets(hashName.toUpperCase(Locale.ROOT), salt.clone(), iterations, storedKey, serverKey);
    }

    private static byte[] hmac(Digest digest, byte[] key, String text) {
        digest.reset();
        HMac mac = new HMac(digest);
        mac.init(new KeyParameter(key));
        byte[] data = text.getBytes(US_ASCII);
        mac.update(data, 0, data.length);
        byte[] out = new byte[mac.getMacSize()];
        mac.doFinal(out, 0);
        return out;
    }
}
