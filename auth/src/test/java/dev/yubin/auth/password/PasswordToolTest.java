package dev.yubin.auth.password;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import org.junit.jupiter.api.Test;

class PasswordToolTest {

    /** One run of the tool: exit status, standard output and error. */
    private record Run(int status, String out, String err) {
    }

    private static Run run(String stdin, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = PasswordTool.run(args, new ByteArrayInputStream(stdin.getBytes(UTF_8)),
                new PrintStream(out, true, UTF_8), new PrintStream(err, true, UTF_8));
        return new Run(status, out.toString(UTF_8), err.toString(UTF_8));
    }

    @Test
    void hashesWithTheDefaultSchemeAndTheHashVerifies() {
        Run hashed = run("", "-p", "secret");
        assertEquals(0, hashed.status(), hashed.err());
        String stored = hashed.out().strip();
        assertTrue(stored.startsWith("{SHA512-CRYPT}$6$"), stored);
        assertTrue(PasswordSchemes.parse(stored).matches("secret".getBytes(UTF_8)));

        Run verified = run("", "-t", stored, "-p", "secret");
        assertEquals(new Run(0, "SHA512-CRYPT (verified)\n", ""), verified);
        Run mismatch = run("", "-t", stored, "-p", "Secret");
        assertEquals(new Run(1, "SHA512-CRYPT (password mismatch)\n", ""), mismatch);
    }

    @Test
    void everySchemeRoundTripsThroughTheTool() {
        for (String scheme : PasswordHasher.SCHEMES) {
            Run hashed = run("", "-s", scheme.toLowerCase(), "-p", "パスワード");
            assertEquals(0, hashed.status(), scheme + ": " + hashed.err());
            Run verified = run("パスワード\n", "-t", hashed.out().strip());
            assertEquals(0, verified.status(), scheme + ": " + verified.out() + verified.err());
        }
    }

    @Test
    void readsOneLineFromStandardInputWithoutItsEnd() {
        Run hashed = run("secret\r\nignored\n", "-s", "SSHA256");
        assertEquals(0, hashed.status());
        assertTrue(PasswordSchemes.parse(hashed.out().strip()).matches("secret".getBytes(UTF_8)));
        Run lastLine = run("secret", "-s", "PLAIN");
        assertEquals("{PLAIN}secret\n", lastLine.out());
    }

    @Test
    void verifiesDovecotHashes() {
        // doveadm pw -s ARGON2I -p secret
        Run run = run("secret\n", "-t", "{ARGON2I}$argon2i$v=19$m=32768,t=4,p=1$rjXqfA4DPl9yyvY7J5CW8Q$ncuqFm/ZDN0OF20"
                + "HvzMUfhGob4+erE9fI/PK/Eeh+SI");
        assertEquals(new Run(0, "ARGON2I (verified)\n", ""), run);
    }

    @Test
    void usageErrorsExitWith2() {
        assertEquals(2, run("", "-x").status());
        assertEquals(2, run("", "-s").status());
        Run unknown = run("", "-s", "MD5", "-p", "secret");
        assertEquals(2, unknown.status());
        assertTrue(unknown.err().startsWith("unknown scheme MD5; supported: SHA512-CRYPT"), unknown.err());
        Run malformed = run("", "-t", "{SSHA256}c2VjcmV0", "-p", "secret");
        assertEquals(new Run(2, "", "-t: SSHA256 value is too short: 6 bytes decoded, at least 32 expected\n"),
                malformed);
    }

    @Test
    void noOrEmptyPasswordFails() {
        assertEquals(new Run(1, "", "no password on standard input\n"), run(""));
        assertEquals(new Run(1, "", "empty password\n"), run("\n"));
        assertEquals(new Run(1, "", "empty password\n"), run("", "-p", ""));
    }

    @Test
    void listAndHelp() {
        assertEquals(new Run(0, String.join(" ", PasswordHasher.SCHEMES) + "\n", ""), run("", "-l"));
        Run help = run("", "-h");
        assertEquals(0, help.status());
        assertTrue(help.out().startsWith("usage: PasswordTool"));
    }

    @Test
    void thePasswordIsNeverPrinted() {
        Run run = run("", "-t", "{PLAIN}topsecret", "-p", "wrong-guess");
        assertFalse((run.out() + run.err()).contains("topsecret"));
        assertFalse((run.out() + run.err()).contains("wrong-guess"));
    }
}
