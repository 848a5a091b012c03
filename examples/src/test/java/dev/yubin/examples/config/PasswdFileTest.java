package dev.yubin.examples.config;

import dev.yubin.auth.passwd.PasswdEntry;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.yubin.core.address.Domain;
import java.io.IOException;
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

    private static List<String> problems(String... lines) {
        return parse(lines).problems().stream().map(ConfigProblem::toString).collect(Collectors.toList());
    }

    /** A one-line file gives exactly this error at line 1 and no entry. */
    private static void assertBad(String line, String message) {
        PasswdFile file = parse(line);
        assertEquals(List.of("users:1: " + message), problems(line), line);
        assertEquals(List.of(), file.entries(), line);
    }

    @Test
    void fullLineWithEveryField() {
        PasswdEntry e = parse("abe:{PLAIN}secret:1000:1001:Abe Hiroshi:/home/abe:/bin/sh:userdb_quota_rule=*:"
                + "storage=1G").entries().get(0);
        assertEquals(1, e.line());
        assertEquals("abe", e.user());
        assertEquals("abe", e.localPart());
        assertEquals(Optional.empty(), e.domain());
        assertEquals("PLAIN", e.scheme());
        assertEquals("secret", e.secret());
        assertTrue(e.hasPassword());
        assertEquals("1000", e.uid());
        assertEquals("1001", e.gid());
        assertEquals("/home/abe", e.home());
        assertEquals("userdb_quota_rule=*:storage=1G", e.extraFields());
    }

    @Test
    void dovecotStyleLineWithEmptyFields() {
        PasswdEntry e = parse("kato@example1.jp:{PLAIN}pw:::::: ").entries().get(0);
        assertEquals("kato@example1.jp", e.user());
        assertEquals("kato", e.localPart());
        assertEquals(Optional.of(Domain.of("example1.jp")), e.domain());
        assertEquals("", e.uid());
        assertEquals("", e.home());
        assertEquals(" ", e.extraFields());
        assertEquals(List.of(), parse("kato@example1.jp:{PLAIN}pw::::::").problems());
    }

    @Test
    void issueFormatUserPasswordUidGidEmptyHomeEmpty() {
        PasswdEntry e = parse("abe:{PLAIN}abe-pass:1000:1000::/home/abe::").entries().get(0);
        assertEquals("/home/abe", e.home());
        assertEquals("abe-pass", e.secret());
        assertEquals("", e.extraFields());
    }

    @Test
    void userAndPasswordAreEnough() {
        PasswdEntry e = parse("abe:{PLAIN}x").entries().get(0);
        assertEquals("x", e.secret());
        assertEquals("", e.gid());
    }

    @Test
    void passwordWithoutSchemeIsCryptAsInDovecot() {
        PasswdEntry e = parse("abe:$6$salt$hash").entries().get(0);
        assertEquals(PasswdFile.DEFAULT_SCHEME, e.scheme());
        assertEquals("CRYPT", e.scheme());
        assertEquals("$6$salt$hash", e.secret());
        assertEquals("PLAIN", PasswdFile.parse("abe:x", "users", "plain").entries().get(0).scheme());
    }

    @Test
    void schemeIsUpperCasedAndKeptForTheAuthModule() {
        assertEquals("PLAIN", parse("abe:{plain}x").entries().get(0).scheme());
        PasswdEntry e = parse("abe:{SHA512-CRYPT}$6$abc$def").entries().get(0);
        assertEquals("SHA512-CRYPT", e.scheme());
        assertEquals("$6$abc$def", e.secret());
        assertEquals("PLAIN.B64", parse("abe:{PLAIN.b64}eA==").entries().get(0).scheme());
    }

    @Test
    void libpamPwdfileSuffixesGiveTheScheme() {
        PasswdEntry crypt = parse("abe:abcdefgh[13]").entries().get(0);
        assertEquals("CRYPT", crypt.scheme());
        assertEquals("abcdefgh", crypt.secret());
        assertEquals("MD5-CRYPT", parse("abe:$1$x$y[34]").entries().get(0).scheme());
    }

    @Test
    void emptyPasswordMeansNone() {
        PasswdEntry e = parse("abe::1000:1000::/home/abe::").entries().get(0);
        assertFalse(e.hasPassword());
        assertEquals("", e.scheme());
        assertEquals("", e.secret());
    }

    @Test
    void commentsAndBlankLinesAreIgnoredAndLinesKeepTheirNumbers() {
        PasswdFile file = parse("# users", "", "   # indented", "abe:{PLAIN}a", "\t", "kato@example1.jp:{PLAIN}k");
        assertEquals(List.of(), file.problems());
        assertEquals(List.of(4, 6), file.entries().stream().map(PasswdEntry::line).collect(Collectors.toList()));
    }

    @Test
    void crlfLinesAreAccepted() {
        PasswdFile file = PasswdFile.parse("abe:{PLAIN}a\r\nkato:{PLAIN}k\r\n", "users");
        assertEquals("a", file.entries().get(0).secret());
        assertEquals("k", file.entries().get(1).secret());
    }

    @Test
    void badLinesAreReportedWithTheirNumbers() {
        assertBad("abe", "expected user:password[:uid:gid:gecos:home:shell:extra]");
        assertBad(":{PLAIN}x", "empty user name");
        assertBad("@example1.jp:{PLAIN}x", "empty local part in \"@example1.jp\"");
        assertBad("a/b:{PLAIN}x", "character '/' not allowed in user name \"a/b\"");
        assertBad("a b:{PLAIN}x", "character ' ' not allowed in user name \"a b\"");
        assertBad("..:{PLAIN}x", "dots must separate words in user name \"..\"");
        assertBad(".abe:{PLAIN}x", "dots must separate words in user name \".abe\"");
        assertBad("abe@bad..example:{PLAIN}x", "bad domain \"bad..example\": empty domain label");
        assertBad("abe@[127.0.0.1]:{PLAIN}x", "address literals are not supported as domains: \"[127.0.0.1]\"");
        assertBad("abe:{PLAIN", "missing \"}\" after the password scheme");
        assertBad("abe:{}x", "bad password scheme \"{}\"");
        assertBad("abe:{PL AIN}x", "bad password scheme \"{PL AIN}\"");
        assertBad("abe:{PLAIN}x:1x:1000", "bad uid \"1x\" (a number or a system name)");
        assertBad("abe:{PLAIN}x:1000:-g", "bad gid \"-g\" (a number or a system name)");
        assertBad("abe:{PLAIN}x:1000:1000::home/abe", "home \"home/abe\" of \"abe\" must be an absolute path");
    }

    @Test
    void errorsNeverShowThePassword() {
        for (String problem : problems("abe:{PLAIN}topsecret:bad uid", "abe{PLAIN}topsecret",
                "a/b:{PLAIN}topsecret")) {
            assertFalse(problem.contains("topsecret"), problem);
        }
        assertFalse(parse("abe:{PLAIN}topsecret").entries().get(0).toString().contains("topsecret"));
    }

    @Test
    void goodLinesSurviveBadOnes() {
        PasswdFile file = parse("abe:{PLAIN}a", "bad", "kato:{PLAIN}k", "x:{PLAIN}x:zz z");
        assertEquals(List.of("abe", "kato"),
                file.entries().stream().map(PasswdEntry::user).collect(Collectors.toList()));
        assertEquals(List.of("users:2: expected user:password[:uid:gid:gecos:home:shell:extra]",
                "users:4: bad uid \"zz z\" (a number or a system name)"),
                file.problems().stream().map(ConfigProblem::toString).collect(Collectors.toList()));
    }

    @Test
    void duplicateUserKeepsTheFirstLineWithAWarning() {
        PasswdFile file = parse("abe:{PLAIN}first", "ABE:{PLAIN}second", "abe@example1.jp:{PLAIN}d",
                "Abe@EXAMPLE1.JP:{PLAIN}d2");
        assertEquals(List.of("first", "d"),
                file.entries().stream().map(PasswdEntry::secret).collect(Collectors.toList()));
        assertEquals(List.of("users:2: warning: user \"ABE\" exists more than once; using line 1",
                "users:4: warning: user \"Abe@EXAMPLE1.JP\" exists more than once; using line 3"),
                file.problems().stream().map(ConfigProblem::toString).collect(Collectors.toList()));
        assertFalse(file.problems().get(0).isError());
    }

    @Test
    void utf8LocalPartsAreAccepted() {
        PasswdEntry e = parse("阿部@例え.jp:{PLAIN}x").entries().get(0);
        assertEquals("阿部", e.localPart());
        assertEquals("xn--r8jz45g.jp", e.domain().orElseThrow().ascii());
    }

    @Test
    void entryConstructorValidates() {
        assertThrows(IllegalArgumentException.class, () -> new PasswdEntry(1, "../x", "PLAIN", "x", "", "", "", "", "", ""));
        assertThrows(IllegalArgumentException.class, () -> new PasswdEntry(1, "abe", "PLAIN", "x", "", "", "", "rel",
                "", ""));
    }

    @Test
    void readNamesTheFile(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("users");
        Files.writeString(file, "abe:{PLAIN}a\nbroken\n");
        PasswdFile passwd = PasswdFile.read(file);
        assertEquals(file.toString(), passwd.fileName());
        assertEquals(file + ":2: expected user:password[:uid:gid:gecos:home:shell:extra]",
                passwd.problems().get(0).toString());
    }
}
