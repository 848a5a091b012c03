package dev.yubin.auth.password;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PasswordHasherTest {

    static Stream<String> schemes() {
        return PasswordHasher.SCHEMES.stream();
    }

    @ParameterizedTest
    @MethodSource("schemes")
    void hashVerifiesItsPasswordOnly(String scheme) {
        byte[] password = "パスワード:1".getBytes(UTF_8);
        String stored = PasswordHasher.hash(scheme, password);
        StoredPassword parsed = PasswordSchemes.parse(stored);
        assertTrue(parsed.matches(password), stored);
        assertFalse(parsed.matches("パスワード:2".getBytes(UTF_8)), stored);
        assertTrue(stored.startsWith("{" + scheme), stored);
    }

    @ParameterizedTest
    @MethodSource("schemes")
    void saltsDiffer(String scheme) {
        byte[] password = "secret".getBytes(UTF_8);
        if (!scheme.equals("PLAIN")) {
            assertNotEquals(PasswordHasher.hash(scheme, password), PasswordHasher.hash(scheme, password));
        }
    }

    @Test
    void hashingDoesNotWipeTheCallersPassword() {
        byte[] password = "secret".getBytes(UTF_8);
        for (String scheme : PasswordHasher.SCHEMES) {
            PasswordHasher.hash(scheme, password);
            assertEquals("secret", new String(password, UTF_8), scheme);
        }
        StoredPassword sha = PasswordSchemes.parse(PasswordHasher.hash(password));
        assertTrue(sha.matches(password));
        assertTrue(sha.matches(password), "matches must not wipe the candidate either");
    }

    @Test
    void defaultIsSha512CryptWithDefaultRounds() {
        String stored = PasswordHasher.hash("secret".getBytes(UTF_8));
        assertTrue(stored.matches("\\{SHA512-CRYPT\\}\\$6\\$[./0-9A-Za-z]{16}\\$[./0-9A-Za-z]{86}"), stored);
    }

    @Test
    void parametersAreTheDocumentedOnes() {
        assertTrue(PasswordHasher.hash("blf-crypt", new byte[] {1}).startsWith("{BLF-CRYPT}$2y$10$"));
        assertTrue(PasswordHasher.hash("ARGON2ID", new byte[] {1}).startsWith("{ARGON2ID}$argon2id$v=19$m=65536,t=3,p=1$"));
        assertTrue(PasswordHasher.hash("SCRAM-SHA-256", new byte[] {1}).startsWith("{SCRAM-SHA-256}4096,"));
        // SSHA512: 64-byte digest and 16-byte salt = 80 bytes = 108 base64 characters
        assertEquals("{SSHA512}".length() + 108, PasswordHasher.hash("SSHA512", new byte[] {1}).length());
    }

    @Test
    void plainFallsBackToBase64WhenAPasswdFileCannotHoldIt() {
        assertEquals("{PLAIN}secret", PasswordHasher.hash("PLAIN", "secret".getBytes(UTF_8)));
        assertEquals("{PLAIN.B64}YTpi", PasswordHasher.hash("PLAIN", "a:b".getBytes(UTF_8)));
        assertEquals("{PLAIN.B64}YQpi", PasswordHasher.hash("PLAIN", "a\nb".getBytes(UTF_8)));
        assertEquals("{PLAIN.B64}/w==", PasswordHasher.hash("PLAIN", new byte[] {(byte) 0xff}));
        assertTrue(PasswordSchemes.parse("{PLAIN.B64}/w==").matches(new byte[] {(byte) 0xff}));
    }

    @Test
    void unknownOrWeakSchemesAreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PasswordHasher.hash("MD5-CRYPT", new byte[] {1}));
        assertTrue(e.getMessage().contains("supported: SHA512-CRYPT"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> PasswordHasher.hash("CRYPT", new byte[] {1}));
        assertThrows(IllegalArgumentException.class, () -> PasswordHasher.hash("SHA1", new byte[] {1}));
    }

    /**
     * Hashes our {@link PasswordTool} made ({@code PasswordTool -s SCHEME -p パスワード}) that Dovecot accepted:
     * {@code doveadm pw -t 'STORED' -p パスワード} printed "(verified)" for each, and "Password mismatch" for
     * {@code -p wrong}.
     */
    static Stream<Arguments> dovecotVerifiedOurs() {
        return Stream.of(
                Arguments.of("{SHA512-CRYPT}$6$hiBzEn/W59jk9eUV$5n1RydxqQ1bqTTQDYGWms0LaP9nAWuKTQQUMix2SHueHu1V.ReeuJeic"
                        + ".3PiSONvcj.ItK84lYaCFGxbHehmW."),
                Arguments.of("{SHA256-CRYPT}$5$yXksCA4ks9latgS6$mXyT3.123RiJZJz7CxfJx7NhVIkTNSeayfrHXYmCzx2"),
                Arguments.of("{BLF-CRYPT}$2y$10$Qv6OOeYhjcNzNC/6991wWOvGuH4XjvonOsnPuLSysJoqHN8l7TOeu"),
                Arguments.of("{ARGON2ID}$argon2id$v=19$m=65536,t=3,p=1$2Ck1cS//AFBGSWR2ket07A$z/t7M8Ink8rzvQZ61wTuPWeksL"
                        + "h+w/iZfNJqv02um0A"),
                Arguments.of("{SSHA256}Ew1EammlA9faKMEvQoyiAimOYNY+0VIqGi14QYKVxLpaMKBSr5CAURmJjvJgZD0Z"),
                Arguments.of("{SSHA512}ECNY07fXsxN9IKMpnl+rCvmAAYQEmMWn4YReBmqgQMY2bkdyJWwrZa8cfcKcuODRY889xuaBO5a99eBj"
                        + "srGxOkQxl8i/7pGTkW0cxEpQNss="),
                Arguments.of("{SCRAM-SHA-256}4096,Wo1to/juaxrc7NdSC9oFtA==,7G9OIllsFP9SB3yeN7gGNnYzHjn5EBU97DTC7eNcuCc=,"
                        + "WaLfbAPBenJ+URwjjDITIT6H9vbln3WcVGx09aG2rlA="),
                Arguments.of("{PLAIN}パスワード"));
    }

    @ParameterizedTest
    @MethodSource("dovecotVerifiedOurs")
    void oursAsDovecotVerifiedThemStillVerify(String stored) {
        StoredPassword parsed = PasswordSchemes.parse(stored);
        assertTrue(parsed.matches("パスワード".getBytes(UTF_8)), stored);
        assertFalse(parsed.matches("wrong".getBytes(UTF_8)), stored);
    }
}
