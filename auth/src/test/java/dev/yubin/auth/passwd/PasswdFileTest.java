package dev.yubin.auth.passwd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.yubin.core.address.Domain;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PasswdFileTest {

    private static PasswdFile parse(String... lines) {
        return PasswdFile.parse(String.join("\n", lines), "users");
    }

    private static List<String> problems(PasswdFile file) {
        return file.problems().stream().map(PasswdProblem::toString).collect(Collectors.toList());
    }

    private static void assertBad(String line, String message) {
        PasswdFile file = parse(line);
        assertEquals(List.of("users:1: " + message), problems(file), line);
        assertEquals(List.of(), file.entries(), line);
    }

    @Test
    void everyField() {
        PasswdEntry e = parse("abe@example1.jp:{SHA512-CRYPT}$6$x$y:1000:1001:Abe Hiroshi:/home/abe:/bin/sh:"
                + "userdb_quota_rule=*:storage=1G").entries().get(0);
        assertEquals(new PasswdEntry(1, "abe@example1.jp", "SHA512-CRYPT", "$6$x$y", "1000", "1001", "Abe Hiroshi",
                "/home/abe", "/bin/sh", "userdb_quota_rule=*:storage=1G"), e);
        assertEquals("abe", e.localPart());
        assertEquals(Optional.of(Domain.of("example1.jp")), e.domain());
        assertEquals("abe@example1.jp", e.lookupKey());
        assertTrue(e.hasPassword());
    }

    @Test
    void trailingFieldsMayBeLeftOut() {
        PasswdEntry e = parse("abe:{PLAIN}x").entries().get(0);
        assertEquals(new PasswdEntry(1, "abe", "PLAIN", "x", "", "", "", "", "", ""), e);
        PasswdEntry dovecot = parse("kato@example1.jp:{PLAIN}pw:::::: ").entries().get(0);
        assertEquals(" ", dovecot.extraFields());
        assertEquals("", dovecot.shell());
    }

    @Test
    void passwordFieldForms() {
        assertEquals("CRYPT", parse("abe:$6$salt$hash").entries().get(0).scheme());
        assertEquals("PLAIN", PasswdFile.parse("abe:x", "users", "plain").entries().get(0).scheme());
        assertEquals("PLAIN.B64", parse("abe:{plain.b64}eA==").entries().get(0).scheme());
        PasswdEntry crypt = parse("abe:abcdefgh[13]").entries().get(0);
        assertEquals(List.of("CRYPT", "abcdefgh"), List.of(crypt.scheme(), crypt.secret()));
        assertEquals("MD5-CRYPT", parse("abe:$1$x$y[34]").entries().get(0).scheme());
        PasswdEntry none = parse("abe::1000").entries().get(0);
        assertFalse(none.hasPassword());
        assertEquals(Optional.empty(), none.password());
    }

    @Test
    void passwordIsParsedOnRequest() {
        // openssl passwd -1 -salt saltsalt secret
        PasswdEntry e = parse("abe:{MD5-CRYPT}$1$saltsalt$9xy1btjgzLYfb7hivXtC//").entries().get(0);
        assertTrue(e.password().orElseThrow().matches("secret".getBytes(StandardCharsets.UTF_8)));
        PasswdEntry bad = parse("abe:{MD5-CRYPT}topsecret").entries().get(0);
        IllegalArgumentException failure = assertThrows(IllegalArgumentException.class, bad::password);
        assertFalse(failure.getMessage().contains("topsecret"));
    }

    @Test
    void commentsBlankLinesAndCrlf() {
        PasswdFile file = PasswdFile.parse("# users\r\n\r\n   # indented\r\nabe:{PLAIN}a\r\n\t\nkato:{PLAIN}k\r\n",
                "users");
        assertEquals(List.of(), file.problems());
        assertEquals(List.of(4, 6), file.entries().stream().map(PasswdEntry::line).collect(Collectors.toList()));
        assertEquals("a", file.entries().get(0).secret());
    }

    @Test
    void badLinesAreReportedWithTheirNumbers() {
        assertBad("abe", "expected user:password[:uid:gid:gecos:home:shell:extra]");
        assertBad(":{PLAIN}x", "empty user name");
        assertBad("@example1.jp:{PLAIN}x", "empty local part in \"@example1.jp\"");
        assertBad("a/b:{PLAIN}x", "character '/' not allowed in user name \"a/b\"");
        assertBad("a\u0001b:{PLAIN}x", "character '\\x01' not allowed in user name \"a\u0001b\"");
        assertBad("a\u2028b:{PLAIN}x", "character U+2028 not allowed in user name");
        assertBad("a..b:{PLAIN}x", "dots must separate words in user name \"a..b\"");
        assertBad("abe@bad..example:{PLAIN}x", "bad domain \"bad..example\": empty domain label");
        assertBad("abe@[127.0.0.1]:{PLAIN}x", "address literals are not supported as domains: \"[127.0.0.1]\"");
        assertBad("abe:{PLAIN", "missing \"}\" after the password scheme");
        assertBad("abe:{}x", "bad password scheme \"{}\"");
        assertBad("abe:{PLAIN}x:1x", "bad uid \"1x\" (a number or a system name)");
        assertBad("abe:{PLAIN}x:1000:-g", "bad gid \"-g\" (a number or a system name)");
        assertBad("abe:{PLAIN}x:1000:1000::home/abe", "home \"home/abe\" of \"abe\" must be an absolute path");
    }

    @Test
    void problemsNeverShowThePassword() {
        PasswdFile file = parse("abe:{PLAIN}topsecret:bad uid", "topsecret", "a/b:{PLAIN}topsecret", "x{topsecret");
        assertEquals(4, file.problems().size());
        for (String problem : problems(file)) {
            assertFalse(problem.contains("topsecret"), problem);
        }
        assertFalse(parse("abe:{PLAIN}topsecret").entries().get(0).toString().contains("topsecret"));
    }

    @Test
    void duplicateUserKeepsTheFirstLineWithAWarning() {
        PasswdFile file = parse("abe:{PLAIN}first", "ABE:{PLAIN}second", "abe@example1.jp:{PLAIN}d",
                "Abe@EXAMPLE1.JP:{PLAIN}d2");
        assertEquals(List.of("first", "d"),
                file.entries().stream().map(PasswdEntry::secret).collect(Collectors.toList()));
        assertEquals(List.of("users:2: warning: user \"ABE\" exists more than once; using line 1",
                "users:4: warning: user \"Abe@EXAMPLE1.JP\" exists more than once; using line 3"), problems(file));
        assertFalse(file.problems().get(0).isError());
    }

    @Test
    void internationalizedUsers() {
        PasswdEntry e = parse("阿部@例え.jp:{PLAIN}x").entries().get(0);
        assertEquals("阿部", e.localPart());
        assertEquals("阿部@xn--r8jz45g.jp", e.lookupKey());
    }

    @Test
    void entryConstructorValidates() {
        assertThrows(IllegalArgumentException.class,
                () -> new PasswdEntry(1, "../x", "PLAIN", "x", "", "", "", "", "", ""));
        assertThrows(IllegalArgumentException.class,
                () -> new PasswdEntry(1, "abe", "PLAIN", "x", "", "", "", "rel", "", ""));
        assertThrows(IllegalArgumentException.class,
                () -> new PasswdEntry(1, "abe", "PLAIN", "x", "a b", "", "", "", "", ""));
        assertThrows(IllegalArgumentException.class,
                () -> new PasswdEntry(-1, "abe", "PLAIN", "x", "", "", "", "", "", ""));
    }

    @Test
    void readNamesTheFile(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("users");
        Files.writeString(file, "abe:{PLAIN}a\nbroken\n");
        PasswdFile passwd = PasswdFile.read(file);
        assertEquals(file.toString(), passwd.fileName());
        assertEquals(List.of(file + ":2: expected user:password[:uid:gid:gecos:home:shell:extra]"), problems(passwd));
    }

    /** Every prefix of a file parses without throwing. */
    @Test
    void neverThrowsOnContent() {
        String text = "abe:{SHA512-CRYPT}$6$x:1000:1000:Abe:/home/abe:/bin/sh:a=b\n#c\nkato@例え.jp:{PLAIN}k:::";
        for (int i = 0; i <= text.length(); i++) {
            PasswdFile.parse(text.substring(0, i), "users");
        }
    }
}
