package dev.yubin.auth.password;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Makes new stored passwords, as {@code doveadm pw -s SCHEME} does: the result, {@code {SCHEME}data}, goes into a
 * passwd file and {@link PasswordSchemes#parse} reads it back. Salts come from {@link java.security.SecureRandom}.
 *
 * <p>Parameters:
 * <ul>
 *   <li>{@code SHA512-CRYPT} (the default), {@code SHA256-CRYPT}: 16-character salt, crypt(3)'s default 5000 rounds;
 *   <li>{@code BLF-CRYPT}: {@code $2y$}, cost 10, 16-byte salt; bcrypt uses only the first 72 bytes of a password;
 *   <li>{@code ARGON2ID}: version 19, m=65536 KiB (64 MiB, as Dovecot's libsodium "interactive" limit), t=3 passes,
 *       p=1 lane, 16-byte salt, 32-byte hash;
 *   <li>{@code SSHA256}, {@code SSHA512}: 16-byte salt;
 *   <li>{@code SCRAM-SHA-256}: 16-byte salt, 4096 iterations (Dovecot's default);
 *   <li>{@code PLAIN}: the password itself, or {@code {PLAIN.B64}} when it is not UTF-8 text that a passwd file can
 *       hold (it contains ':' or control characters).
 * </ul>
 * Stateless and thread-safe.
 */
public final class PasswordHasher {

    /** The scheme used when none is given. */
    public static final String DEFAULT_SCHEME = "SHA512-CRYPT";

    /** The schemes {@link #hash} makes, upper case. */
    public static final List<String> SCHEMES = List.of("SHA512-CRYPT", "SHA256-CRYPT", "BLF-CRYPT", "ARGON2ID", "SSHA256",
            "SSHA512", "SCRAM-SHA-256", "PLAIN");

    static final int ARGON2_MEMORY_KIB = 65536;
    static final int ARGON2_PASSES = 3;
    static final int ARGON2_LANES = 1;

    private PasswordHasher() {
    }

    /** {@link #hash(String, byte[])} with {@link #DEFAULT_SCHEME}. */
    public static String hash(byte[] password) {
        return hash(DEFAULT_SCHEME, password);
    }

    /**
     * A new stored value for {@code password} (UTF-8 octets) in {@code scheme} (case-insensitive).
     *
     * @return {@code {SCHEME}data}
     * @throws IllegalArgumentException when {@code scheme} is not one of {@link #SCHEMES}
     */
    public static String hash(String scheme, byte[] password) {
        Objects.requireNonNull(password, "password");
        String name = Objects.requireNonNull(scheme, "scheme").toUpperCase(Locale.ROOT);
        String data = switch (name) {
            case "SHA512-CRYPT" -> CryptPassword.hash(CryptPassword.Kind.SHA512, password);
            case "SHA256-CRYPT" -> CryptPassword.hash(CryptPassword.Kind.SHA256, password);
            case "BLF-CRYPT" -> CryptPassword.hash(CryptPassword.Kind.BLF, password);
            case "ARGON2ID" -> Argon2Password.hashArgon2id(password, ARGON2_MEMORY_KIB, ARGON2_PASSES, ARGON2_LANES,
                    Bytes.random(16), 32);
            case "SSHA256", "SSHA512" -> Base64.getEncoder().encodeToString(
                    SaltedDigestPassword.hash(name, password, Bytes.random(16)));
            case "SCRAM-SHA-256" -> ScramPassword.hash("SHA-256", password, Bytes.random(Scram.SALT_LENGTH),
                    Scram.DEFAULT_ITERATIONS);
            case "PLAIN" -> {
                String text = passwdFileText(password);
                if (text == null) {
                    name = "PLAIN.B64";
                    text = Base64.getEncoder().encodeToString(password);
                }
                yield text;
            }
            default -> throw new IllegalArgumentException("cannot hash with password scheme " + scheme + "; supported: "
                    + String.join(", ", SCHEMES));
        };
        return "{" + name + "}" + data;
    }

    /** The password as text when it is valid UTF-8 without ':' or control characters, else null. */
    private static String passwdFileText(byte[] password) {
        String text;
        try {
            text = UTF_8.newDecoder().decode(ByteBuffer.wrap(password)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
        boolean safe = text.chars().noneMatch(c -> c == ':' || Character.isISOControl(c));
        return safe ? text : null;
    }
}
