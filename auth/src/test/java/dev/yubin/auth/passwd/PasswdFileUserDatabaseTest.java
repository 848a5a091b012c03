package dev.yubin.auth.passwd;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.yubin.auth.Account;
import dev.yubin.auth.sasl.PlainMechanism;
import dev.yubin.auth.sasl.SaslContext;
import dev.yubin.auth.sasl.SaslServer;
import dev.yubin.auth.sasl.SaslStep;
import dev.yubin.core.address.Domain;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PasswdFileUserDatabaseTest {

    // openssl passwd -6 -salt saltsalt secret
    private static final String SHA512 = "$6$saltsalt$TVLlQcbpFVof5W3Yz4DTP6gRstiNuHwwTt6GLc1E5n0U0aDehy0S5knV8wiOQSpT0"
            + "Y77vwPZN.Pq.H91p5hVO1";

    @TempDir
    Path dir;

    private Path write(String... lines) throws IOException {
        Path file = dir.resolve("users");
        Files.writeString(file, String.join("\n", lines) + "\n");
        return file;
    }

    private static boolean login(PasswdFileUserDatabase users, String login, String password) {
        return users.find(login).map(a -> a.password().matches(password.getBytes(UTF_8))).orElse(false);
    }

    @Test
    void everyHashedSchemeLogsIn() throws IOException {
        PasswdFileUserDatabase users = PasswdFileUserDatabase.builder(write(
                "abe:{PLAIN}secret:1000:1000::/home/abe::",
                "kato:{SHA512-CRYPT}" + SHA512,
                "sato:" + SHA512, // bare: CRYPT
                // doveadm pw -s BLF-CRYPT -p secret
                "suzuki:{BLF-CRYPT}$2y$05$xHv6K03Fc0KDhWEgJP.zh.qDZb3Llfd.UvYLAk4VEvXoJye.QT8za",
                // doveadm pw -s ARGON2ID -p secret
                "ito:{ARGON2ID}$argon2id$v=19$m=65536,t=3,p=1$mHYjZmFzqcthOhoe/IJ/ag$eI6kcmrXIa8tXUKENWmYwTHdAYA2DT5tp"
                        + "B9YgmQXG50",
                // doveadm pw -s SSHA512.HEX -p secret
                "kobayashi:{SSHA512.HEX}f239824e567b35589bbaa5dd48eabc72e9cb513ae38dbdead23e505bb4069cf31a5aa8470bc2f7"
                        + "ef9c52ea567062c00fb67ad7057d6fe2990bcb334c12b0decbc66ce1dc",
                // openssl passwd -1 -salt saltsalt secret, libpam-pwdfile style
                "tanaka:$1$saltsalt$9xy1btjgzLYfb7hivXtC//[34]")).open();
        assertEquals(List.of(), users.problems());
        assertEquals(7, users.size());
        for (String user : List.of("abe", "kato", "sato", "suzuki", "ito", "kobayashi", "tanaka")) {
            assertTrue(login(users, user, "secret"), user);
            assertFalse(login(users, user, "Secret"), user);
        }
    }

    @Test
    void badPasswordsAreErrorsWithLineNumbersAndTheUserCannotLogIn() throws IOException {
        Path file = write("# users", "abe:{PLAIN}secret", "kato:{SHA512-CRYPT}$6$topsecret", "sato:{NOPE}topsecret",
                "suzuki:hunter2", "ito::1000:1000", "broken");
        PasswdFileUserDatabase users = PasswdFileUserDatabase.builder(file).open();
        List<String> problems = users.problems().stream().map(PasswdProblem::toString).collect(Collectors.toList());
        assertEquals(4, problems.size(), problems.toString());
        assertTrue(problems.get(0).startsWith(file + ":3: password of \"kato\": SHA512-CRYPT value is not a"),
                problems.get(0));
        assertTrue(problems.get(1).startsWith(file + ":4: password of \"sato\": unknown password scheme {NOPE}"));
        assertTrue(problems.get(2).startsWith(file + ":5: password of \"suzuki\": unsupported crypt(3) format"));
        assertEquals(file + ":7: expected user:password[:uid:gid:gecos:home:shell:extra]", problems.get(3));
        assertTrue(problems.stream().noneMatch(p -> p.contains("topsecret") || p.contains("hunter2")));
        assertTrue(users.problems().stream().allMatch(PasswdProblem::isError));
        assertEquals(Optional.empty(), users.find("kato"));
        assertEquals(Optional.empty(), users.find("ito"), "no password, no login");
        assertTrue(login(users, "abe", "secret"));
    }

    @Test
    void lookupsIgnoreCaseAndDomainsFallBackToBareUsersInLocalDomains() throws IOException {
        PasswdFileUserDatabase users = PasswdFileUserDatabase.builder(write("Abe:{PLAIN}bare",
                "abe@example2.jp:{PLAIN}two", "kato@Example1.JP:{PLAIN}k", "阿部@例え.jp:{PLAIN}ja"))
                .localDomains(List.of(Domain.of("example1.jp"), Domain.of("example2.jp")))
                .open();
        assertEquals("Abe", users.find("ABE").orElseThrow().login());
        assertTrue(login(users, "abe@EXAMPLE1.JP", "bare"));
        assertTrue(login(users, "abe@example2.jp", "two"), "the entry with the domain wins");
        assertEquals(Optional.empty(), users.find("abe@example3.jp"), "not a local domain");
        assertEquals("kato@Example1.JP", users.find("KATO@example1.jp").orElseThrow().login());
        assertEquals(Optional.empty(), users.find("kato"), "a user with a domain needs it");
        assertTrue(login(users, "阿部@xn--r8jz45g.jp", "ja"));
        assertTrue(login(users, "阿部@例え.jp", "ja"));
        assertEquals(Optional.empty(), users.find("abe@bad..domain"));
        assertEquals(Optional.empty(), users.find(""));
    }

    @Test
    void withoutLocalDomainsOnlyExactUsersMatch() throws IOException {
        PasswdFileUserDatabase users = PasswdFileUserDatabase.builder(write("abe:{PLAIN}bare")).open();
        assertEquals(Optional.empty(), users.find("abe@example1.jp"));
    }

    @Test
    void reloadsWhenTheFileChanges() throws IOException {
        Path file = write("abe:{PLAIN}old");
        PasswdFileUserDatabase users = PasswdFileUserDatabase.builder(file).open();
        Account before = users.find("abe").orElseThrow();
        assertTrue(users.find("abe").orElseThrow() == before, "no reload without a change");
        assertFalse(users.reloadIfChanged());

        Files.writeString(file, "abe:{PLAIN}new\nkato:{PLAIN}k\n");
        assertTrue(login(users, "abe", "new"));
        assertTrue(login(users, "kato", "k"));
        assertFalse(login(users, "abe", "old"));
    }

    @Test
    void sameSizeRewriteIsNoticedByItsModificationTime() throws IOException {
        Path file = write("abe:{PLAIN}aaa");
        FileTime first = Files.getLastModifiedTime(file);
        PasswdFileUserDatabase users = PasswdFileUserDatabase.builder(file).open();
        Files.writeString(file, "abe:{PLAIN}bbb\n");
        Files.setLastModifiedTime(file, FileTime.from(first.toInstant().plusSeconds(1)));
        assertTrue(users.reloadIfChanged());
        assertTrue(login(users, "abe", "bbb"));
    }

    @Test
    void atomicReplacementWithTheSameTimeIsNoticedByItsInode() throws IOException {
        Path file = write("abe:{PLAIN}aaa");
        FileTime time = Files.getLastModifiedTime(file);
        PasswdFileUserDatabase users = PasswdFileUserDatabase.builder(file).open();
        Path next = dir.resolve("users.new");
        Files.writeString(next, "abe:{PLAIN}bbb\n");
        Files.setLastModifiedTime(next, time);
        Files.move(next, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        assertTrue(login(users, "abe", "bbb"));
    }

    @Test
    void aVanishedFileKeepsTheOldUsers() throws IOException {
        Path file = write("abe:{PLAIN}old");
        PasswdFileUserDatabase users = PasswdFileUserDatabase.builder(file).open();
        Files.delete(file);
        assertTrue(login(users, "abe", "old"));
        assertFalse(users.reloadIfChanged());
        Files.writeString(file, "abe:{PLAIN}back\n");
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(5)));
        assertTrue(login(users, "abe", "back"));
    }

    @Test
    void aBrokenNewVersionReportsItsProblems() throws IOException {
        Path file = write("abe:{PLAIN}old");
        PasswdFileUserDatabase users = PasswdFileUserDatabase.builder(file).open();
        Files.writeString(file, "abe:{PLAIN}new\nbroken line\n");
        assertTrue(users.reloadIfChanged());
        assertEquals(List.of(file + ":2: expected user:password[:uid:gid:gecos:home:shell:extra]"),
                users.problems().stream().map(PasswdProblem::toString).collect(Collectors.toList()));
    }

    @Test
    void openFailsOnAMissingFileOrBadDefaultScheme() throws IOException {
        assertThrows(NoSuchFileException.class, () -> PasswdFileUserDatabase.builder(dir.resolve("none")).open());
        Path file = write("abe:secret");
        assertThrows(IllegalArgumentException.class,
                () -> PasswdFileUserDatabase.builder(file).defaultScheme("ROT13").open());
        PasswdFileUserDatabase plain = PasswdFileUserDatabase.builder(file).defaultScheme("plain").open();
        assertTrue(login(plain, "abe", "secret"));
    }

    @Test
    void saslPlainAgainstThePasswdFile() throws IOException {
        PasswdFileUserDatabase users = PasswdFileUserDatabase.builder(write("kato:{SHA512-CRYPT}" + SHA512)).open();
        SaslServer server = new PlainMechanism().newServer(SaslContext.of(users, "mail.example1.jp"));
        SaslStep step = server.start(Optional.of("\0kato\0secret".getBytes(UTF_8)));
        assertEquals("kato", assertInstanceOf(SaslStep.Success.class, step).login());
    }
}
