package dev.yubin.auth.password;

import java.security.MessageDigest;
import java.util.Base64;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * {@code ARGON2ID} / {@code ARGON2I}: the PHC string Dovecot (libsodium, libargon2) stores,
 * {@code $argon2id$v=19$m=65536,t=3,p=1$<salt>$<hash>}, salt and hash in unpadded standard base64.
 */
final class Argon2Password implements StoredPassword {
    private static final Pattern PHC = Pattern.compile(
            "\\$(argon2id|argon2i)\\$(?:v=([0-9]{1,3})\\$)?m=([0-9]{1,10}),t=([0-9]{1,10}),p=([0-9]{1,8})"
                    + "\\$([A-Za-z0-9+/]+)\\$([A-Za-z0-9+/]+)");

    private final String scheme;
    private final int type;
    private final int version;
    private final int memoryKiB;
    private final int iterations;
    private final int lanes;
    private final byte[] salt;
    private final byte[] hash;

    private Argon2Password(String scheme, int version, int memoryKiB, int iterations, int lanes, byte[] salt, byte[] hash) {
        this.scheme = scheme;
        this.type = scheme.equals("ARGON2ID") ? Argon2Parameters.ARGON2_id : Argon2Parameters.ARGON2_i;
        this.version = version;
        this.memoryKiB = memoryKiB;
        this.iterations = iterations;
        this.lanes = lanes;
        this.salt = salt;
        this.hash = hash;
    }

    static Argon2Password parse(String scheme, String phc) {
        Matcher m = PHC.matcher(phc);
        String expected = "$" + scheme.toLowerCase(Locale.ROOT) + "$";
        if (!m.matches() || !phc.startsWith(expected)) {
            throw new IllegalArgumentException(scheme + " value is not a " + expected
                    + "v=19$m=KIB,t=PASSES,p=LANES$SALT$HASH string");
        }
        int version = m.group(2) == null ? Argon2Parameters.ARGON2_VERSION_10 : Integer.parseInt(m.group(2));
        long memory = Long.parseLong(m.group(3));
        long passes = Long.parseLong(m.group(4));
        int lanes = Integer.parseInt(m.group(5));
        byte[] salt = Bytes.base64(m.group(6), scheme + " salt");
        byte[] hash = Bytes.base64(m.group(7), scheme + " hash");
        if (version != Argon2Parameters.ARGON2_VERSION_10 && version != Argon2Parameters.ARGON2_VERSION_13) {
            throw new IllegalArgumentException(scheme + " version v=" + version + " is unknown (16 or 19 expected)");
        }
        if (lanes < 1 || lanes > 0xFFFFFF || passes < 1 || passes > Integer.MAX_VALUE
                || memory < 8L * lanes || memory > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(scheme + " parameters m, t, p are out of range");
        }
        if (salt.length < 8 || hash.length < 4) {
            throw new IllegalArgumentException(scheme + " salt (at least 8 bytes) or hash (at least 4) is too short");
        }
        return new Argon2Password(scheme, version, (int) memory, (int) passes, lanes, salt, hash);
    }

    /** Hashes {@code password} with these parameters and {@code salt}, {@code length} bytes long. */
    static byte[] derive(int type, int version, int memoryKiB, int iterations, int lanes, byte[] salt, byte[] password,
            int length) {
        Argon2BytesGenerator generator = new Argon2BytesGenerator();
        generator.init(new Argon2Parameters.Builder(type).withVersion(version).withMemoryAsKB(memoryKiB)
                .withIterations(iterations).withParallelism(lanes).withSalt(salt).build());
        byte[] out = new byte[length];
        generator.generateBytes(password, out);
        return out;
    }

    /** A new {@code $argon2id$v=19$...} string. */
    static String hashArgon2id(byte[] password, int memoryKiB, int iterations, int lanes, byte[] salt, int length) {
        byte[] hash = derive(Argon2Parameters.ARGON2_id, Argon2Parameters.ARGON2_VERSION_13, memoryKiB, iterations, lanes,
                salt, password, length);
        Base64.Encoder b64 = Base64.getEncoder().withoutPadding();
        return "$argon2id$v=19$m=" + memoryKiB + ",t=" + iterations + ",p=" + lanes + "$" + b64.encodeToString(salt) + "$"
                + b64.encodeToString(hash);
    }

    @Override
    public String scheme() {
        return scheme;
    }

    @Override
    public boolean matches(byte[] password) {
        return MessageDigest.isEqual(derive(type, version, memoryKiB, iterations, lanes, salt, password, hash.length), hash);
    }

    @Override
    public String toString() {
        return "{" + scheme + "}…";
    }
}
