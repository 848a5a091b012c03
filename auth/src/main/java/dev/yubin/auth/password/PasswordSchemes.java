package dev.yubin.auth.password;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Reads the password field of a Dovecot passwd-file ({@code {SCHEME}data}) into a {@link StoredPassword}.
 *
 * <p>Schemes (case-insensitive): {@code PLAIN} and {@code CLEAR}; {@code SHA512-CRYPT}, {@code SHA256-CRYPT},
 * {@code BLF-CRYPT} ({@code $2a$}, {@code $2b$}, {@code $2y$}) and {@code MD5-CRYPT} (verification only: too weak for
 * new passwords); {@code ARGON2ID} and {@code ARGON2I} (PHC strings); {@code SSHA256} and {@code SSHA512};
 * {@code SCRAM-SHA-256} and {@code SCRAM-SHA-1}. {@code PLAIN}, {@code CLEAR}, {@code SSHA256} and {@code SSHA512}
 * take Dovecot's encoding suffixes {@code .B64} / {@code .BASE64} / {@code .HEX} ({@code {SSHA512.HEX}...}).
 *
 * <p>A field without a {@code {SCHEME}} prefix is {@code CRYPT}, Dovecot's default: a crypt(3) string recognised by
 * its prefix ({@code $6$}, {@code $5$}, {@code $2?$}, {@code $1$}). Traditional DES crypt and other crypt(3) formats
 * are rejected with an {@link IllegalArgumentException} rather than accepted as passwords that never match, so that a
 * bad passwd file fails when it is loaded, not at the first login.
 *
 * <p>Error messages name the scheme and what is wrong, never the stored secret. Stateless and thread-safe.
 */
public final class PasswordSchemes {

    /** The schemes {@link #parse} understands, upper case. */
    public static final List<String> SUPPORTED = List.of("PLAIN", "CLEAR", "CRYPT", "SHA512-CRYPT", "SHA256-CRYPT",
            "BLF-CRYPT", "MD5-CRYPT", "ARGON2ID", "ARGON2I", "SSHA256", "SSHA512", "SCRAM-SHA-256", "SCRAM-SHA-1");

    private PasswordSchemes() {
    }

    /**
     * Parses a stored password field.
     *
     * @param stored {@code {SCHEME}data}, or a bare crypt(3) string
     * @return the password, ready for {@link StoredPassword#matches}
     * @throws IllegalArgumentException when the scheme is unknown or the data is malformed for it
     */
    public static StoredPassword parse(String stored) {
        Objects.requireNonNull(stored, "stored");
        if (stored.isEmpty()) {
            throw new IllegalArgumentException("empty password field");
        }
        String scheme = "CRYPT";
        String data = stored;
        if (stored.startsWith("{")) {
            int end = stored.indexOf('}');
            if (end < 0) {
                throw new IllegalArgumentException("password field starts with '{' but no '}' ends the scheme name");
            }
            scheme = stored.substring(1, end).toUpperCase(Locale.ROOT);
            data = stored.substring(end + 1);
            if (scheme.isEmpty()) {
                throw new IllegalArgumentException("empty password scheme {}; supported: " + String.join(", ", SUPPORTED));
            }
        }
        String encoding = null;
        int dot = scheme.indexOf('.');
        if (dot >= 0) {
            encoding = scheme.substring(dot + 1);
            scheme = scheme.substring(0, dot);
        }
        return switch (scheme) {
            case "PLAIN", "CLEAR" -> new PlainPassword(scheme, decode(scheme, encoding, data, false));
            case "CRYPT", "SHA512-CRYPT", "SHA256-CRYPT", "BLF-CRYPT", "MD5-CRYPT" ->
                    CryptPassword.parse(scheme, text(scheme, encoding, data));
            case "ARGON2ID", "ARGON2I" -> Argon2Password.parse(scheme, text(scheme, encoding, data));
            case "SSHA256", "SSHA512" -> SaltedDigestPassword.parse(scheme, decode(scheme, encoding, data, true));
            case "SCRAM-SHA-256", "SCRAM-SHA-1" -> ScramPassword.parse(scheme, text(scheme, encoding, data));
            default -> throw new IllegalArgumentException("unknown password scheme {" + scheme + "}; supported: "
                    + String.join(", ", SUPPORTED));
        };
    }

    /** The data of a scheme with a fixed text format, which takes no encoding suffix. */
    private static String text(String scheme, String encoding, String data) {
        if (encoding != null) {
            throw new IllegalArgumentException("password scheme " + scheme + " takes no encoding suffix ." + encoding);
        }
        return data;
    }

    /** The data of a binary scheme: base64 or raw text by default, or as the suffix says. */
    private static byte[] decode(String scheme, String encoding, String data, boolean base64ByDefault) {
        String what = scheme + " value";
        if (encoding == null) {
            return base64ByDefault ? Bytes.base64(data, what) : data.getBytes(UTF_8);
        }
        return switch (encoding) {
            case "B64", "BASE64" -> Bytes.base64(data, what);
            case "HEX" -> Bytes.hex(data, what);
            default -> throw new IllegalArgumentException("unknown encoding suffix ." + encoding + " on " + scheme
                    + " (known: .B64, .BASE64, .HEX)");
        };
    }
}
