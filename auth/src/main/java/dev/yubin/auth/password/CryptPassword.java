package dev.yubin.auth.password;

import static java.nio.charset.StandardCharsets.US_ASCII;

import java.security.MessageDigest;
import java.util.regex.Pattern;
import org.apache.commons.codec.digest.Md5Crypt;
import org.apache.commons.codec.digest.Sha2Crypt;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;

/** crypt(3) strings: {@code SHA512-CRYPT} ($6$), {@code SHA256-CRYPT} ($5$), {@code BLF-CRYPT} ($2a$/$2b$/$2y$), {@code MD5-CRYPT} ($1$). */
final class CryptPassword implements StoredPassword {

    enum Kind {
        SHA512("SHA512-CRYPT", "$6$", "\\$6\\$(rounds=[0-9]{1,9}\\$)?[./0-9A-Za-z]{1,16}\\$[./0-9A-Za-z]{86}"),
        SHA256("SHA256-CRYPT", "$5$", "\\$5\\$(rounds=[0-9]{1,9}\\$)?[./0-9A-Za-z]{1,16}\\$[./0-9A-Za-z]{43}"),
        BLF("BLF-CRYPT", "$2y$", "\\$2[aby]\\$(0[4-9]|[12][0-9]|3[01])\\$[./0-9A-Za-z]{53}"),
        MD5("MD5-CRYPT", "$1$", "\\$1\\$[./0-9A-Za-z]{1,8}\\$[./0-9A-Za-z]{22}");

        final String scheme;
        final String prefix;
        final Pattern pattern;

        Kind(String scheme, String prefix, String regex) {
            this.scheme = scheme;
            this.prefix = prefix;
            this.pattern = Pattern.compile(regex);
        }

        static Kind of(String scheme) {
            for (Kind kind : values()) {
                if (kind.scheme.equals(scheme)) {
                    return kind;
                }
            }
            throw new IllegalArgumentException("not a crypt scheme: " + scheme);
        }

        /** Which kind a crypt(3) string is, by its prefix, as Dovecot's {@code CRYPT} scheme does. */
        static Kind detect(String hash) {
            if (hash.startsWith("$6$")) {
                return SHA512;
            } else if (hash.startsWith("$5$")) {
                return SHA256;
            } else if (hash.matches("\\$2[aby]\\$.*")) {
                return BLF;
            } else if (hash.startsWith("$1$")) {
                return MD5;
            } else if (hash.matches("[./0-9A-Za-z]{13}")) {
                throw new IllegalArgumentException("traditional DES crypt(3) passwords are not supported (too weak);"
                        + " rehash the password with PasswordTool");
            }
            throw new IllegalArgumentException("unsupported crypt(3) format" + knownFormat(hash)
                    + " (supported: $1$, $5$, $6$, $2a$/$2b$/$2y$); a password without {SCHEME} prefix is CRYPT");
        }

        /**
         * The name of a crypt(3) format we recognise but do not verify, or "". Only fixed prefixes are echoed: the
         * field may be a plaintext password that someone forgot to prefix with {PLAIN}.
         */
        private static String knownFormat(String hash) {
            String[][] formats = {{"$y$", "yescrypt"}, {"$gy$", "gost-yescrypt"}, {"$7$", "scrypt"},
                {"$sha1$", "SHA-1 crypt"}, {"$md5", "SunMD5"}, {"$3$", "NT hash"}, {"_", "BSDi DES"}};
            for (String[] format : formats) {
                if (hash.startsWith(format[0])) {
                    return " " + format[1] + " (" + format[0] + ")";
                }
            }
            return "";
        }
    }

    private final Kind kind;
    private final String hash;

    private CryptPassword(Kind kind, String hash) {
        this.kind = kind;
        this.hash = hash;
    }

    /** {@code scheme} is {@code CRYPT} (detect from the prefix) or one of {@link Kind}'s scheme names. */
    static CryptPassword parse(String scheme, String hash) {
        Kind kind = scheme.equals("CRYPT") ? Kind.detect(hash) : Kind.of(scheme);
        if (!kind.pattern.matcher(hash).matches()) {
            throw new IllegalArgumentException(kind.scheme + " value is not a well-formed " + kind.prefix
                    + " crypt(3) string (wrong prefix, bad salt, or truncated hash)");
        }
        return new CryptPassword(kind, hash);
    }

    @Override
    public String scheme() {
        return kind.scheme;
    }

    @Override
    public boolean matches(byte[] password) {
        // commons-codec wipes the key array it is given: hand it a copy.
        String computed;
        switch (kind) {
            case SHA512 -> computed = Sha2Crypt.sha512Crypt(password.clone(), hash);
            case SHA256 -> computed = Sha2Crypt.sha256Crypt(password.clone(), hash);
            case MD5 -> computed = Md5Crypt.md5Crypt(password.clone(), hash);
            case BLF -> {
                return OpenBSDBCrypt.checkPassword(hash, password.clone()); // compares in constant time
            }
            default -> throw new AssertionError(kind);
        }
        return MessageDigest.isEqual(computed.getBytes(US_ASCII), hash.getBytes(US_ASCII));
    }

    /** bcrypt's cost for new passwords: 2^10 rounds. */
    static final int BCRYPT_COST = 10;

    /** A new crypt(3) string: a random salt, SHA-crypt's default 5000 rounds, bcrypt {@code $2y$} with {@link #BCRYPT_COST}. */
    static String hash(Kind kind, byte[] password) {
        return switch (kind) {
            case SHA512 -> Sha2Crypt.sha512Crypt(password.clone(), "$6$" + Bytes.cryptSalt(16));
            case SHA256 -> Sha2Crypt.sha256Crypt(password.clone(), "$5$" + Bytes.cryptSalt(16));
            case BLF -> OpenBSDBCrypt.generate("2y", password.clone(), Bytes.random(16), BCRYPT_COST);
            case MD5 -> throw new IllegalArgumentException("MD5-CRYPT is too weak for new passwords");
        };
    }

    @Override
    public String toString() {
        return "{" + kind.scheme + "}…";
    }
}
