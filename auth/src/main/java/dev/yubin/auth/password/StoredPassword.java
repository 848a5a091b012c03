package dev.yubin.auth.password;

import java.util.Optional;

/**
 * A password as a user database stores it, in one of Dovecot's schemes ({@code {PLAIN}secret},
 * {@code {SHA512-CRYPT}$6$...}, {@code {BLF-CRYPT}$2y$...}, ...). Immutable and thread-safe.
 */
public interface StoredPassword {

    /** The scheme name as written between braces, upper case: {@code PLAIN}, {@code SHA512-CRYPT}, ... */
    String scheme();

    /**
     * Whether {@code password} (UTF-8 octets) is this password. Compares in constant time; may be slow on purpose
     * (bcrypt, Argon2id), so never call it on an event loop.
     */
    boolean matches(byte[] password);

    /** The password itself, for schemes that keep it ({@code PLAIN}); what CRAM-MD5 needs. */
    default Optional<byte[]> plaintext() {
        return Optional.empty();
    }

    /**
     * The SCRAM secrets for {@code hashName} ({@code "SHA-256"}), when this scheme has them or they can be derived
     * (a SCRAM entry of that hash, or a plaintext password); what SCRAM-SHA-256 needs.
     */
    default Optional<ScramSecrets> scram(String hashName) {
        return Optional.empty();
    }
}
