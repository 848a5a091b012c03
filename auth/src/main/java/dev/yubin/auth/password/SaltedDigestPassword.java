package dev.yubin.auth.password;

import java.security.MessageDigest;
import java.util.Arrays;

/** {@code SSHA256} / {@code SSHA512}: {@code digest(password + salt)} followed by the salt. */
final class SaltedDigestPassword implements StoredPassword {
    private final String scheme;
    private final String algorithm;
    private final byte[] digest;
    private final byte[] salt;

    private SaltedDigestPassword(String scheme, String algorithm, byte[] digest, byte[] salt) {
        this.scheme = scheme;
        this.algorithm = algorithm;
        this.digest = digest;
        this.salt = salt;
    }

    /** The MessageDigest name behind {@code scheme}. */
    static String algorithm(String scheme) {
        return switch (scheme) {
            case "SSHA256" -> "SHA-256";
            case "SSHA512" -> "SHA-512";
            default -> throw new IllegalArgumentException("not a salted digest scheme: " + scheme);
        };
    }

    /** {@code raw} is the decoded value: the digest, then a salt of any length (Dovecot accepts an empty one). */
    static SaltedDigestPassword parse(String scheme, byte[] raw) {
        String algorithm = algorithm(scheme);
        int length = Bytes.digest(algorithm).getDigestLength();
        if (raw.length < length) {
            throw new IllegalArgumentException(scheme + " value is too short: " + raw.length + " bytes decoded, at least "
                    + length + " expected");
        }
        return new SaltedDigestPassword(scheme, algorithm, Arrays.copyOf(raw, length),
                Arrays.copyOfRange(raw, length, raw.length));
    }

    /** The raw value for a new password: digest then salt. */
    static byte[] hash(String scheme, byte[] password, byte[] salt) {
        MessageDigest md = Bytes.digest(algorithm(scheme));
        md.update(password);
        md.update(salt);
        byte[] digest = md.digest();
        byte[] raw = Arrays.copyOf(digest, digest.length + salt.length);
        System.arraycopy(salt, 0, raw, digest.length, salt.length);
        return raw;
    }

    @Override
    public String scheme() {
        return scheme;
    }

    @Override
    public boolean matches(byte[] password) {
        MessageDigest md = Bytes.digest(algorithm);
        md.update(password);
        md.update(salt);
        return MessageDigest.isEqual(md.digest(), digest);
    }

    @Override
    public String toString() {
        return "{" + scheme + "}…";
    }
}
