package dev.yubin.auth.password;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/** Small helpers shared by the schemes: decoding with useful messages, random salts, digests. */
final class Bytes {
    static final SecureRandom RANDOM = new SecureRandom();
    private static final String CRYPT_ALPHABET = "./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    private Bytes() {
    }

    /** Standard base64, padded or not; {@code what} names the field in the message, never the data. */
    static byte[] base64(String data, String what) {
        try {
            return Base64.getDecoder().decode(data);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(what + " is not valid base64");
        }
    }

    static byte[] hex(String data, String what) {
        try {
            return HexFormat.of().parseHex(data);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(what + " is not valid hex");
        }
    }

    static byte[] random(int length) {
        byte[] bytes = new byte[length];
        RANDOM.nextBytes(bytes);
        return bytes;
    }

    /** A random salt of {@code length} characters from crypt(3)'s alphabet {@code [./0-9A-Za-z]}. */
    static String cryptSalt(int length) {
        StringBuilder salt = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            salt.append(CRYPT_ALPHABET.charAt(RANDOM.nextInt(CRYPT_ALPHABET.length())));
        }
        return salt.toString();
    }

    static MessageDigest digest(String algorithm) {
        try {
            return MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(algorithm + " is missing from this JVM", e);
        }
    }

    /** Constant-time equality that does not leak the lengths either: compares SHA-256 digests. */
    static boolean equalsHashed(byte[] a, byte[] b) {
        return MessageDigest.isEqual(digest("SHA-256").digest(a), digest("SHA-256").digest(b));
    }
}
