package dev.yubin.auth.password;

import java.util.Objects;

/**
 * What a server stores for SCRAM (RFC 5802 §3): the salt, the iteration count, {@code StoredKey = H(ClientKey)} and
 * {@code ServerKey}. Arrays are not copied: treat them as read-only.
 * Thread-safe as long as nobody writes to the arrays.
 *
 * @param hashName the hash, as a {@link java.security.MessageDigest} name: {@code SHA-256}
 */
public record ScramSecrets(String hashName, byte[] salt, int iterations, byte[] storedKey, byte[] serverKey) {
    /** Checks that nothing is {@code null} and {@code iterations} is at least 1; the arrays are kept, not copied. */
    public ScramSecrets {
        Objects.requireNonNull(hashName, "hashName");
        Objects.requireNonNull(salt, "salt");
        Objects.requireNonNull(storedKey, "storedKey");
        Objects.requireNonNull(serverKey, "serverKey");
        if (iterations < 1) {
            throw new IllegalArgumentException("iterations must be positive");
        }
    }
}
