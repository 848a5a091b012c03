package dev.yubin.auth.password;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Known vectors made by real tools (Dovecot 2.3's doveadm, whois' mkpasswd, OpenSSL, Python's hashlib); the
 * command that made each one is next to it. CI has none of these tools, so the strings are constants.
 */
class PasswordSchemesTest {

    private static final String JA = "パスワード";

    static Stream<Arguments> vectors() {
        return Stream.of(
                // doveadm pw -s SHA512-CRYPT -p secret
                vector("{SHA512-CRYPT}$6$cWRZfSdKaGqqtAVP$P/z0.OKWwuoc9vxGH5hINvpiSrt4pNOHvoMGnMQ8seIiV8tT9xeCyQBaPlF"
                        + "vzO1LKMzK0vw9bz1ovz0gB5j0b0", "secret", "SHA512-CRYPT"),
                // doveadm pw -s SHA512-CRYPT -p パスワード
                vector("{SHA512-CRYPT}$6$vFxWdowUUVdF0F1G$yOw8wvkufZzTCAC5xZB.unlBQ/.LwXmNflZo7ylU8WiViy8L2n9tV4YQjYw"
                        + "ME63p9iLjYOIMZeo3W84Qkipfj1", JA, "SHA512-CRYPT"),
                // openssl passwd -6 -salt saltsalt secret
                vector("{SHA512-CRYPT}$6$saltsalt$TVLlQcbpFVof5W3Yz4DTP6gRstiNuHwwTt6GLc1E5n0U0aDehy0S5knV8wiOQSpT0Y7"
                        + "7vwPZN.Pq.H91p5hVO1", "secret", "SHA512-CRYPT"),
                // mkpasswd -m sha512crypt -R 10000 secret
                vector("{SHA512-CRYPT}$6$rounds=10000$TaqyT.rnsHftb6pd$YTlqYQVOzC/dAi.YNObwWY3BG0ijXYbWemJ80pcZSMsvJc"
                        + "Yn8IsKclRlAxAuamKLhboKqAIZE3PdU9uI9Anjo1", "secret", "SHA512-CRYPT"),
                // mkpasswd -m sha512crypt -S saltsalt -R 5000 secret: the same hash as the default rounds above
                vector("{SHA512-CRYPT}$6$rounds=5000$saltsalt$TVLlQcbpFVof5W3Yz4DTP6gRstiNuHwwTt6GLc1E5n0U0aDehy0S5kn"
                        + "V8wiOQSpT0Y77vwPZN.Pq.H91p5hVO1", "secret", "SHA512-CRYPT"),
                // doveadm pw -s SHA256-CRYPT -p secret
                vector("{SHA256-CRYPT}$5$7REYEMEsESayM1K7$qhEYQcsA23QrcuDy.S0qYHs2E9q99XbllhfU0WgBZN8", "secret",
                        "SHA256-CRYPT"),
                // doveadm pw -s SHA256-CRYPT -p パスワード
                vector("{SHA256-CRYPT}$5$G3bo./1CraE94cta$exQiqeD8iZP5O8wjxmCQQBgh4UxGBqGxnaAxsXdPJ9C", JA,
                        "SHA256-CRYPT"),
                // openssl passwd -5 -salt saltsalt secret
                vector("{SHA256-CRYPT}$5$saltsalt$0IyaXrmV7.sGNS6tirgqHLqX/G.FBvgkYA.lpPdS5sA", "secret",
                        "SHA256-CRYPT"),
                // mkpasswd -m sha256crypt -R 1000 secret
                vector("{SHA256-CRYPT}$5$rounds=1000$AQDXM1VaYFItucv8$Bo875IyYrSoI7HnllrPFaGDhHQtF5EPtu/4GJ5uLMU7",
                        "secret", "SHA256-CRYPT"),
                // doveadm pw -s BLF-CRYPT -p secret
                vector("{BLF-CRYPT}$2y$05$xHv6K03Fc0KDhWEgJP.zh.qDZb3Llfd.UvYLAk4VEvXoJye.QT8za", "secret",
                        "BLF-CRYPT"),
                // doveadm pw -s BLF-CRYPT -p パスワード
                vector("{BLF-CRYPT}$2y$05$MSzp42ZfALrIQGjwyZy.ZuTqOtuEC4vD2ehqEkNXQ8ZIjg14FW.V6", JA, "BLF-CRYPT"),
                // mkpasswd -m bcrypt secret
                vector("{BLF-CRYPT}$2b$05$ugAd5NiR74yFCD/lRJ/WbenIcSA/XLvu3HFr36FKK.zyzx3EcDZCW", "secret",
                        "BLF-CRYPT"),
                // mkpasswd -m bcrypt-a secret
                vector("{BLF-CRYPT}$2a$05$JpB2k9aZ6N/eoAxMArAvXuvXEQEw/0KjlsIhZ4lEq6aRDUZrrT3hu", "secret",
                        "BLF-CRYPT"),
                // doveadm pw -s MD5-CRYPT -p secret
                vector("{MD5-CRYPT}$1$kAO..4lr$8PoDjJrnEzA/YMEw/ibh0/", "secret", "MD5-CRYPT"),
                // doveadm pw -s MD5-CRYPT -p パスワード
                vector("{MD5-CRYPT}$1$4lbfgrsn$oAJ89tzO.huNLr1.CYZqV/", JA, "MD5-CRYPT"),
                // openssl passwd -1 -salt saltsalt secret
                vector("{MD5-CRYPT}$1$saltsalt$9xy1btjgzLYfb7hivXtC//", "secret", "MD5-CRYPT"),
                // doveadm pw -s CRYPT -p secret (Dovecot 2.3's CRYPT makes bcrypt)
                vector("{CRYPT}$2y$05$kYcNZ6cQzhiBoVzBOGP63.bEzf6wJal4hoP25gnTRZWeNFzsh7xfi", "secret", "BLF-CRYPT"),
                // openssl passwd -6 -salt saltsalt secret, as {CRYPT}
                vector("{CRYPT}$6$saltsalt$TVLlQcbpFVof5W3Yz4DTP6gRstiNuHwwTt6GLc1E5n0U0aDehy0S5knV8wiOQSpT0Y77vwPZN"
                        + ".Pq.H91p5hVO1", "secret", "SHA512-CRYPT"),
                // doveadm pw -s ARGON2ID -p secret
                vector("{ARGON2ID}$argon2id$v=19$m=65536,t=3,p=1$mHYjZmFzqcthOhoe/IJ/ag$eI6kcmrXIa8tXUKENWmYwTHdAYA2D"
                        + "T5tpB9YgmQXG50", "secret", "ARGON2ID"),
                // doveadm pw -s ARGON2ID -p パスワード
                vector("{ARGON2ID}$argon2id$v=19$m=65536,t=3,p=1$F+esoDX3+BoL98pHx0ming$m0I5CzfOY02+p+tAOo22J6hy8KlaV"
                        + "i/VHyzMnxILw5k", JA, "ARGON2ID"),
                // doveadm pw -s ARGON2I -p secret
                vector("{ARGON2I}$argon2i$v=19$m=32768,t=4,p=1$rjXqfA4DPl9yyvY7J5CW8Q$ncuqFm/ZDN0OF20HvzMUfhGob4+erE9"
                        + "fI/PK/Eeh+SI", "secret", "ARGON2I"),
                // doveadm pw -s ARGON2I -p パスワード
                vector("{ARGON2I}$argon2i$v=19$m=32768,t=4,p=1$nsuBWoqLyJ9blWyZv2e1lA$CJyjnNT+vQDhOpUUQUvDO+pTo3eq/vT"
                        + "T7tSD5sPd4G4", JA, "ARGON2I"),
                // doveadm pw -s SSHA256 -p secret (4-byte salt)
                vector("{SSHA256}GIyct7YKhKdDsSgfkjP82Plvprlsifst+W39MsDpXV2Y+amJ", "secret", "SSHA256"),
                // doveadm pw -s SSHA256 -p パスワード
                vector("{SSHA256}3t269Fq5twEhqivKT0DGn0pAxpRjEiCPzZ2XekGkPbJW9bN9", JA, "SSHA256"),
                // doveadm pw -s SSHA256.HEX -p パスワード
                vector("{SSHA256.HEX}d9a5426d8b744a79c6310fdbbabfaf70bdff4f7b3e4f751fc8209f0b276542d4607faffc", JA,
                        "SSHA256"),
                // python3: base64.b64encode(hashlib.sha256(b"secret" + b"NaCl4yub").digest() + b"NaCl4yub")
                vector("{SSHA256}hX5+S9gzYcecGbcgG90gAWnpHcYFGCm8N5BEgrDYMUROYUNsNHl1Yg==", "secret", "SSHA256"),
                // python3: the same digest and salt, .hex()
                vector("{SSHA256.HEX}857e7e4bd83361c79c19b7201bdd200169e91dc6051829bc37904482b0d831444e61436c3479756"
                        + "2", "secret", "SSHA256"),
                // python3: base64.b64encode(hashlib.sha256(b"secret").digest()): no salt at all
                vector("{SSHA256}K7gNU3sdo+OL0wNhqoVWhr3g6s1xYv72ol/pe/Unols=", "secret", "SSHA256"),
                // doveadm pw -s SSHA512 -p secret
                vector("{SSHA512}N3OyDs+6JepVMwiRWO7TsCNTUThZYjOSBLYpbELGPEC8ffHLg8rosEuu6Z/Nd1emZgbRgWjpnoO3iQ2k4kSS"
                        + "oqIHN1E=", "secret", "SSHA512"),
                // doveadm pw -s SSHA512 -p パスワード
                vector("{SSHA512}RR/mA88oTu32l6LzG7+Y2k7prhWrLipGoUt1LuM6KpnXZLneZmofWRCbdwjTipj/nNpMcuK9p5xSHksBWzlj"
                        + "uHTVO4w=", JA, "SSHA512"),
                // doveadm pw -s SSHA512.HEX -p secret
                vector("{SSHA512.HEX}f239824e567b35589bbaa5dd48eabc72e9cb513ae38dbdead23e505bb4069cf31a5aa8470bc2f7ef9"
                        + "c52ea567062c00fb67ad7057d6fe2990bcb334c12b0decbc66ce1dc", "secret", "SSHA512"),
                // python3: base64.b64encode(hashlib.sha512(b"secret" + b"NaCl4yub").digest() + b"NaCl4yub")
                vector("{SSHA512.B64}ilS5wWYJKnY6LLYLdsr5znhAyfLHk0Ckyko8tM4Bqqc6RNfTZe15d0hDgk8fg5xsyPGdqzSFzes/aXnY"
                        + "wQmR8U5hQ2w0eXVi", "secret", "SSHA512"),
                // doveadm pw -s SCRAM-SHA-256 -p pencil
                vector("{SCRAM-SHA-256}4096,5E2aOi6xNx9WqvsAY8g5EQ==,EMr/PpLc7wbcaQqJ1DMxMe3Jzfz4yWLn80VtXT0BqSY=,G4LF"
                        + "jZZlzW+jLPk1YFMHcQ9PAMWR33cDHJ2jB2MHAe0=", "pencil", "SCRAM-SHA-256"),
                // doveadm pw -s SCRAM-SHA-256 -p パスワード
                vector("{SCRAM-SHA-256}4096,pg9EnC4SI0d+KFsMNy2wlQ==,jdB9hhdhHRLwAf1N2YxkpPc2SwBVNOU93y+a7x4kLDI=,RbxU"
                        + "qYH560OOMjmOBFuqK1OVEjiJVD5ZhlkNN7AngSQ=", JA, "SCRAM-SHA-256"),
                // doveadm pw -s SCRAM-SHA-1 -p pencil
                vector("{SCRAM-SHA-1}4096,hbgUTSv/q519sadqUhaJ+Q==,/DU4CuU7NwtYcUiHrYrpZcwZQQY=,3UfswIC+aTi1ViP5KPvqdve"
                        + "vaIw=", "pencil", "SCRAM-SHA-1"),
                // doveadm pw -s SCRAM-SHA-1 -p パスワード
                vector("{SCRAM-SHA-1}4096,KAKhyjrKiBgVgjuItMfr+g==,g8a0JgeOdfZ5q+Ivd8a2JEaeUpQ=,ekDYQxRZql9+OB8srlp3Tno"
                        + "d9RY=", JA, "SCRAM-SHA-1"),
                // doveadm pw -s PLAIN.B64 -p secret
                vector("{PLAIN.B64}c2VjcmV0", "secret", "PLAIN"),
                // doveadm pw -s PLAIN.HEX -p パスワード
                vector("{PLAIN.HEX}e38391e382b9e383afe383bce38389", JA, "PLAIN"),
                // doveadm pw -s PLAIN -p パスワード
                vector("{PLAIN}" + JA, JA, "PLAIN"),
                // doveadm pw -s CLEAR -p パスワード
                vector("{CLEAR}" + JA, JA, "CLEAR"),
                vector("{plain.base64}c2VjcmV0", "secret", "PLAIN"));
    }

    private static Arguments vector(String stored, String password, String scheme) {
        return Arguments.of(stored, password, scheme);
    }

    @ParameterizedTest
    @MethodSource("vectors")
    void knownVectorVerifiesItsPassword(String stored, String password, String scheme) {
        StoredPassword parsed = PasswordSchemes.parse(stored);
        assertEquals(scheme, parsed.scheme());
        assertTrue(parsed.matches(password.getBytes(UTF_8)), stored);
    }

    @ParameterizedTest
    @MethodSource("vectors")
    void knownVectorRefusesOtherPasswords(String stored, String password, String scheme) {
        StoredPassword parsed = PasswordSchemes.parse(stored);
        assertFalse(parsed.matches((password + "x").getBytes(UTF_8)), stored);
        assertFalse(parsed.matches(password.substring(0, password.length() - 1).getBytes(UTF_8)), stored);
        assertFalse(parsed.matches(new byte[0]), stored);
        byte[] flipped = password.getBytes(UTF_8);
        flipped[0] ^= 0x20;
        assertFalse(parsed.matches(flipped), stored);
    }

    @ParameterizedTest
    @MethodSource("vectors")
    void toStringHidesTheSecret(String stored, String password, String scheme) {
        String text = PasswordSchemes.parse(stored).toString();
        assertEquals("{" + scheme + "}…", text);
    }

    @Test
    void bareCryptStringsAreCryptByPrefix() {
        // openssl passwd -6 / -5 / -1 -salt saltsalt secret; mkpasswd -m bcrypt secret
        assertBare("$6$saltsalt$TVLlQcbpFVof5W3Yz4DTP6gRstiNuHwwTt6GLc1E5n0U0aDehy0S5knV8wiOQSpT0Y77vwPZN.Pq.H91p5hVO1",
                "SHA512-CRYPT");
        assertBare("$5$saltsalt$0IyaXrmV7.sGNS6tirgqHLqX/G.FBvgkYA.lpPdS5sA", "SHA256-CRYPT");
        assertBare("$1$saltsalt$9xy1btjgzLYfb7hivXtC//", "MD5-CRYPT");
        assertBare("$2b$05$ugAd5NiR74yFCD/lRJ/WbenIcSA/XLvu3HFr36FKK.zyzx3EcDZCW", "BLF-CRYPT");
    }

    private static void assertBare(String crypt, String scheme) {
        StoredPassword parsed = PasswordSchemes.parse(crypt);
        assertEquals(scheme, parsed.scheme());
        assertTrue(parsed.matches("secret".getBytes(UTF_8)));
        assertFalse(parsed.matches("Secret".getBytes(UTF_8)));
    }

    @Test
    void bcryptUsesTheFirst72Bytes() {
        // doveadm pw -s BLF-CRYPT -p "$(python3 -c "print('a'*100)")"
        StoredPassword parsed = PasswordSchemes.parse(
                "{BLF-CRYPT}$2y$05$roe/eggJ4.hnS/JNlYPUEOEkjo3RQLvu1g79jBiuI0DDFmEx9Bxe.");
        assertTrue(parsed.matches("a".repeat(100).getBytes(UTF_8)));
        assertTrue(parsed.matches("a".repeat(72).getBytes(UTF_8)));
        assertFalse(parsed.matches("a".repeat(71).getBytes(UTF_8)));
    }

    @Test
    void schemeNamesIgnoreCase() {
        assertTrue(PasswordSchemes.parse("{sha256-crypt}$5$saltsalt$0IyaXrmV7.sGNS6tirgqHLqX/G.FBvgkYA.lpPdS5sA")
                .matches("secret".getBytes(UTF_8)));
        assertEquals("SSHA256", PasswordSchemes.parse("{ssha256.hex}" + "00".repeat(32)).scheme());
    }

    @Test
    void plainKeepsThePasswordForCramMd5AndOthersDoNot() {
        assertEquals("secret", new String(PasswordSchemes.parse("{PLAIN}secret").plaintext().orElseThrow(), UTF_8));
        assertEquals(Optional.empty(), PasswordSchemes.parse("$1$saltsalt$9xy1btjgzLYfb7hivXtC//").plaintext());
    }

    @Test
    void plainPasswordWithColonsAndBracesIsTakenAsIs() {
        assertTrue(PasswordSchemes.parse("{PLAIN}a:{b}:c").matches("a:{b}:c".getBytes(UTF_8)));
    }

    @Test
    void scramEntryGivesItsSecretsOnlyForItsHash() {
        // python3 hashlib.pbkdf2_hmac("sha256", b"pencil", b64decode("W22ZaJ0SNY7soEsUEjb6gQ=="), 4096), RFC 7677
        StoredPassword parsed = PasswordSchemes.parse(ScramVectors.RFC7677_STORED);
        ScramSecrets secrets = parsed.scram("SHA-256").orElseThrow();
        assertEquals(4096, secrets.iterations());
        assertEquals("W22ZaJ0SNY7soEsUEjb6gQ==", java.util.Base64.getEncoder().encodeToString(secrets.salt()));
        assertEquals(Optional.empty(), parsed.scram("SHA-1"));
        assertTrue(parsed.matches("pencil".getBytes(UTF_8)));
    }

    @Test
    void plainPasswordDerivesStableScramSecrets() {
        StoredPassword plain = PasswordSchemes.parse("{PLAIN}pencil");
        ScramSecrets first = plain.scram("SHA-256").orElseThrow();
        ScramSecrets second = plain.scram("sha-256").orElseThrow();
        assertTrue(Arrays.equals(first.salt(), second.salt()), "a changing salt would reveal the account");
        assertTrue(Arrays.equals(first.storedKey(), second.storedKey()));
        assertEquals(Optional.empty(), plain.scram("MD5"));
        first.salt()[0] ^= 1;
        assertTrue(Arrays.equals(second.salt(), plain.scram("SHA-256").orElseThrow().salt()), "copies");
    }

    @Test
    void cryptHashesHaveNoScramSecrets() {
        assertEquals(Optional.empty(), PasswordSchemes.parse("$1$saltsalt$9xy1btjgzLYfb7hivXtC//").scram("SHA-256"));
    }

    // ----------------------------------------------------------------------------------------- malformed fields

    /** The message for {@code stored}, which must be refused; it never contains {@code secret}. */
    private static String refused(String stored, String secret) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PasswordSchemes.parse(stored),
                stored);
        assertFalse(e.getMessage().contains(secret), e.getMessage());
        return e.getMessage();
    }

    @Test
    void unknownSchemeIsNamed() {
        assertEquals("unknown password scheme {NOPE}; supported: PLAIN, CLEAR, CRYPT, SHA512-CRYPT, SHA256-CRYPT, "
                + "BLF-CRYPT, MD5-CRYPT, ARGON2ID, ARGON2I, SSHA256, SSHA512, SCRAM-SHA-256, SCRAM-SHA-1",
                refused("{NOPE}topsecret", "topsecret"));
        // Dovecot has these, we do not verify them.
        refused("{SHA1}topsecret", "topsecret");
        refused("{CRAM-MD5}topsecret", "topsecret");
    }

    @Test
    void brokenSchemeSyntax() {
        assertEquals("empty password field", refused("", "x"));
        assertTrue(refused("{PLAINtopsecret", "topsecret").contains("no '}'"));
        assertTrue(refused("{}topsecret", "topsecret").startsWith("empty password scheme"));
    }

    @Test
    void encodingSuffixes() {
        assertTrue(refused("{PLAIN.ROT13}topsecret", "topsecret").startsWith("unknown encoding suffix .ROT13"));
        assertEquals("PLAIN value is not valid base64", refused("{PLAIN.B64}top!secret", "top!secret"));
        assertEquals("PLAIN value is not valid hex", refused("{PLAIN.HEX}topsecret", "topsecret"));
        assertEquals("SSHA512 value is not valid hex", refused("{SSHA512.HEX}abc", "abc"));
        assertEquals("password scheme SHA512-CRYPT takes no encoding suffix .HEX",
                refused("{SHA512-CRYPT.HEX}$6$saltsalt$x", "saltsalt"));
        assertTrue(refused("{ARGON2ID.B64}abc", "abc").contains("no encoding suffix"));
        assertTrue(refused("{SCRAM-SHA-256.HEX}abc", "abc").contains("no encoding suffix"));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "$6$saltsalt$TVLlQcbpFVof5W3Yz4DTP6gRstiNuHwwTt6GLc1E5n0U0aDehy0S5knV8wiOQSpT0Y77vwPZN.Pq.H91p5hVO",
        "$6$saltsalt$TVLlQcbpFVof5W3Yz4DTP6gRstiNuHwwTt6GLc1E5n0U0aDehy0S5knV8wiOQSpT0Y77vwPZN.Pq.H91p5hVO1x",
        "$6$$TVLlQcbpFVof5W3Yz4DTP6gRstiNuHwwTt6GLc1E5n0U0aDehy0S5knV8wiOQSpT0Y77vwPZN.Pq.H91p5hVO1",
        "$6$salt:salt$TVLlQcbpFVof5W3Yz4DTP6gRstiNuHwwTt6GLc1E5n0U0aDehy0S5knV8wiOQSpT0Y77vwPZN.Pq.H91p5hVO1",
        "$6$rounds=x$saltsalt$TVLlQcbpFVof5W3Yz4DTP6gRstiNuHwwTt6GLc1E5n0U0aDehy0S5knV8wiOQSpT0Y77vwPZN.Pq.H91p5hVO1",
        "$5$saltsalt$0IyaXrmV7.sGNS6tirgqHLqX/G.FBvgkYA.lpPdS5s",
        "$1$saltsalt$9xy1btjgzLYfb7hivXtC/",
        "$1$saltsaltX$9xy1btjgzLYfb7hivXtC//",
        "$2b$05$ugAd5NiR74yFCD/lRJ/WbenIcSA/XLvu3HFr36FKK.zyzx3EcDZC",
        "$2b$03$ugAd5NiR74yFCD/lRJ/WbenIcSA/XLvu3HFr36FKK.zyzx3EcDZCW",
        "$2x$05$ugAd5NiR74yFCD/lRJ/WbenIcSA/XLvu3HFr36FKK.zyzx3EcDZCW"})
    void truncatedOrMangledCryptStringsAreRefused(String crypt) {
        String message = refused("{CRYPT}" + crypt, "TVLlQcbp");
        assertFalse(message.contains("saltsalt"), message);
        assertFalse(message.contains("ugAd5NiR"), message);
    }

    @Test
    void cryptSchemeMustMatchItsPrefix() {
        assertEquals("SHA512-CRYPT value is not a well-formed $6$ crypt(3) string (wrong prefix, bad salt, or "
                + "truncated hash)", refused("{SHA512-CRYPT}$5$saltsalt$0IyaXrmV7.sGNS6tirgqHLqX/G.FBvgkYA.lpPdS5sA",
                        "0IyaXrmV7"));
        refused("{BLF-CRYPT}$1$saltsalt$9xy1btjgzLYfb7hivXtC//", "9xy1btjg");
        refused("{MD5-CRYPT}$6$saltsalt$TVLlQcbpFVof5W3Yz4DTP6gRstiNuHwwTt6GLc1E5n0U0aDehy0S5knV8wiOQSpT0Y77vwPZN."
                + "Pq.H91p5hVO1", "TVLlQcbp");
    }

    @Test
    void bareTextThatIsNoCryptStringIsRefusedWithoutEchoingIt() {
        // A clear-text password that somebody forgot to prefix with {PLAIN}.
        String message = refused("$ecret$passw0rd", "ecret");
        assertTrue(message.startsWith("unsupported crypt(3) format (supported:"), message);
        refused("hunter2", "hunter2");
        refused("{CRYPT}hunter2", "hunter2");
    }

    @Test
    void desCryptIsRefusedAsTooWeak() {
        // mkpasswd -m descrypt secret
        assertTrue(refused("W1tatilDRJtIU", "W1tatil").startsWith("traditional DES crypt(3) passwords are not"));
    }

    @Test
    void otherCryptFormatsAreNamed() {
        // mkpasswd -m yescrypt secret
        assertTrue(refused("$y$j9T$18UWlPiU5Lk10qbgCIg/O1$SBg3SAC45bwAgVF5SoxcwCtiBwcQiNYixYxkS55lDP8", "18UWlPiU")
                .startsWith("unsupported crypt(3) format yescrypt ($y$)"));
        assertTrue(refused("$7$CU..../....abc$def", "CU....").contains("scrypt ($7$)"));
    }

    @Test
    void argon2Malformed() {
        String good = "$argon2id$v=19$m=65536,t=3,p=1$mHYjZmFzqcthOhoe/IJ/ag$eI6kcmrXIa8tXUKENWmYwTHdAYA2DT5tpB9YgmQXG50";
        refused("{ARGON2I}" + good, "mHYjZmFz");
        refused("{ARGON2ID}" + good.replace("v=19", "v=18"), "mHYjZmFz");
        refused("{ARGON2ID}" + good.replace("m=65536", "m=4"), "mHYjZmFz");
        refused("{ARGON2ID}" + good.replace("t=3", "t=0"), "mHYjZmFz");
        refused("{ARGON2ID}" + good.replace("p=1", "p=0"), "mHYjZmFz");
        refused("{ARGON2ID}" + good.replace("mHYjZmFzqcthOhoe/IJ/ag", "mHYj"), "mHYj");
        refused("{ARGON2ID}" + good.substring(0, good.lastIndexOf('$')), "mHYjZmFz");
        refused("{ARGON2ID}" + good.replace("$eI6", "$e!6"), "mHYjZmFz");
    }

    @Test
    void argon2WithoutVersionIsVersion16() {
        // Derived: the PHC string without v= means Argon2 1.0 (0x10); version 19 verification must not accept it.
        String v19 = "$argon2id$v=19$m=65536,t=3,p=1$mHYjZmFzqcthOhoe/IJ/ag$eI6kcmrXIa8tXUKENWmYwTHdAYA2DT5tpB9YgmQXG50";
        assertFalse(PasswordSchemes.parse("{ARGON2ID}" + v19.replace("v=19$", "")).matches("secret".getBytes(UTF_8)));
    }

    @Test
    void saltedDigestMalformed() {
        assertEquals("SSHA256 value is too short: 31 bytes decoded, at least 32 expected",
                refused("{SSHA256.HEX}" + "ab".repeat(31), "abab"));
        assertEquals("SSHA512 value is not valid base64", refused("{SSHA512}top secret", "top secret"));
    }

    @Test
    void scramMalformed() {
        String good = ScramVectors.RFC7677_STORED.substring("{SCRAM-SHA-256}".length());
        String[] f = good.split(",");
        assertTrue(refused("{SCRAM-SHA-256}" + f[0] + "," + f[1] + "," + f[2], f[2]).contains("3 comma-separated"));
        assertEquals("SCRAM-SHA-256 iteration count must be a positive integer",
                refused("{SCRAM-SHA-256}0," + f[1] + "," + f[2] + "," + f[3], f[2]));
        refused("{SCRAM-SHA-256}x," + f[1] + "," + f[2] + "," + f[3], f[2]);
        assertEquals("SCRAM-SHA-256 StoredKey is not valid base64",
                refused("{SCRAM-SHA-256}4096," + f[1] + ",***," + f[3], f[3]));
        assertTrue(refused("{SCRAM-SHA-1}" + good, f[2]).contains("not 20 bytes long"));
        refused("{SCRAM-SHA-256}4096,," + f[2] + "," + f[3], f[2]);
    }
}
