package dev.yubin.examples.config;

import dev.yubin.auth.passwd.PasswdEntry;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.yubin.core.address.AddressException;
import dev.yubin.core.address.Domain;
import dev.yubin.core.address.MailAddress;
import dev.yubin.core.user.MailUser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PasswdUserDirectoryTest {

    private static final Path ROOT = Path.of("/srv/mail");
    private static final List<Domain> LOCAL = List.of(Domain.of("example1.jp"), Domain.of("mail.example1.jp"),
            Domain.of("localhost"));

    private static PasswdUserDirectory directory(String... lines) {
        return new PasswdUserDirectory(PasswdFile.parse(String.join("\n", lines), "users").entries(), LOCAL,
                "Maildir/", ROOT);
    }

    private static MailAddress address(String text) {
        try {
            return MailAddress.parse(text);
        } catch (AddressException e) {
            throw new AssertionError(e);
        }
    }

    private static Optional<MailUser> lookup(PasswdUserDirectory directory, String address) {
        return directory.lookup(address(address));
    }

    @Test
    void bareUserIsLocalInEveryMydestinationDomain() {
        PasswdUserDirectory d = directory("abe:{PLAIN}a");
        MailUser abe = new MailUser("abe", "/srv/mail/abe/Maildir/");
        assertEquals(Optional.of(abe), lookup(d, "abe@example1.jp"));
        assertEquals(Optional.of(abe), lookup(d, "abe@mail.example1.jp"));
        assertEquals(Optional.of(abe), lookup(d, "abe@localhost"));
        assertEquals(Optional.empty(), lookup(d, "abe@example2.jp"));
    }

    @Test
    void userWithADomainIsLocalOnlyInItsDomain() {
        PasswdUserDirectory d = directory("kato@example1.jp:{PLAIN}k", "sato@example2.jp:{PLAIN}s");
        assertEquals(Optional.of(new MailUser("kato@example1.jp", "/srv/mail/example1.jp/kato/Maildir/")),
                lookup(d, "kato@example1.jp"));
        assertEquals(Optional.empty(), lookup(d, "kato@mail.example1.jp"));
        assertEquals(Optional.empty(), lookup(d, "kato@localhost"));
        // Its own domain counts even outside mydestination (load() warns about it).
        assertEquals(Optional.of(new MailUser("sato@example2.jp", "/srv/mail/example2.jp/sato/Maildir/")),
                lookup(d, "sato@example2.jp"));
    }

    @Test
    void lookupIgnoresCaseInLocalPartAndDomain() {
        PasswdUserDirectory d = directory("Abe:{PLAIN}a", "kato@Example1.JP:{PLAIN}k");
        assertEquals("Abe", lookup(d, "ABE@EXAMPLE1.JP").orElseThrow().name());
        assertEquals("Abe", lookup(d, "abe@Mail.Example1.jp").orElseThrow().name());
        assertEquals("kato@Example1.JP", lookup(d, "KATO@example1.jp").orElseThrow().name());
        assertEquals("/srv/mail/example1.jp/kato/Maildir/", lookup(d, "Kato@EXAMPLE1.jp").orElseThrow()
                .mailLocation());
    }

    @Test
    void unknownUsersAreNotFound() {
        PasswdUserDirectory d = directory("abe:{PLAIN}a");
        assertEquals(Optional.empty(), lookup(d, "kato@example1.jp"));
        assertEquals(Optional.empty(), lookup(d, "ab@example1.jp"));
        assertEquals(Optional.empty(), lookup(d, "abe.x@example1.jp"));
    }

    @Test
    void entryWithADomainWinsOverTheBareUserInItsDomain() {
        PasswdUserDirectory d = directory("abe:{PLAIN}bare", "abe@example1.jp:{PLAIN}domain");
        assertEquals("domain", d.entry(address("abe@example1.jp")).orElseThrow().secret());
        assertEquals("bare", d.entry(address("abe@localhost")).orElseThrow().secret());
        assertEquals("/srv/mail/example1.jp/abe/Maildir/", lookup(d, "abe@example1.jp").orElseThrow()
                .mailLocation());
        assertEquals("/srv/mail/abe/Maildir/", lookup(d, "abe@localhost").orElseThrow().mailLocation());
    }

    @Test
    void homeWinsOverMailRoot() {
        PasswdUserDirectory d = directory("abe:{PLAIN}a:1000:1000::/home/abe::",
                "kato@example1.jp:{PLAIN}k:1001:1001::/home/kato/::");
        assertEquals("/home/abe/Maildir/", lookup(d, "abe@example1.jp").orElseThrow().mailLocation());
        assertEquals("/home/kato/Maildir/", lookup(d, "kato@example1.jp").orElseThrow().mailLocation());
    }

    @Test
    void homeMailboxIsAppended() {
        PasswdUserDirectory d = new PasswdUserDirectory(
                PasswdFile.parse("abe:{PLAIN}a::::/home/abe\nkato:{PLAIN}k", "users").entries(), LOCAL,
                "Mail/inbox/", ROOT);
        assertEquals("/home/abe/Mail/inbox/", lookup(d, "abe@localhost").orElseThrow().mailLocation());
        assertEquals("/srv/mail/kato/Mail/inbox/", lookup(d, "kato@localhost").orElseThrow().mailLocation());
    }

    @Test
    void internationalizedDomainUsesItsAsciiFormOnDisk() {
        PasswdUserDirectory d = new PasswdUserDirectory(
                PasswdFile.parse("阿部@例え.jp:{PLAIN}a", "users").entries(), List.of(Domain.of("例え.jp")),
                "Maildir/", ROOT);
        MailUser user = lookup(d, "阿部@xn--r8jz45g.jp").orElseThrow();
        assertEquals("/srv/mail/xn--r8jz45g.jp/阿部/Maildir/", user.mailLocation());
    }

    @Test
    void homeMailboxMustBeEmptyOrAMaildirInTheHome() {
        List<PasswdEntry> none = List.of();
        new PasswdUserDirectory(none, LOCAL, "", ROOT); // mbox in the mail spool
        assertThrows(IllegalArgumentException.class, () -> new PasswdUserDirectory(none, LOCAL, "Mailbox", ROOT));
        assertThrows(IllegalArgumentException.class, () -> new PasswdUserDirectory(none, LOCAL, "/x/", ROOT));
    }

    @Test
    void relativeMailRootIsMadeAbsolute() {
        PasswdUserDirectory d = new PasswdUserDirectory(PasswdFile.parse("abe:x", "users").entries(), LOCAL,
                "Maildir/", Path.of("data/mail"));
        String location = lookup(d, "abe@localhost").orElseThrow().mailLocation();
        assertTrue(Path.of(location).isAbsolute(), location);
        assertTrue(location.endsWith("/data/mail/abe/Maildir/"), location);
    }

    // --------------------------------------------------------------------------------------------- load(cf)

    @Test
    void loadReadsThePasswdFileNextToMainCf(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("main.cf"), String.join("\n",
                "myhostname = mail.example1.jp",
                "mydomain = example1.jp",
                "mydestination = $myhostname, localhost.$mydomain, localhost, $mydomain",
                "mail_root = data/mail",
                "passwd_file = users"));
        Files.writeString(dir.resolve("users"), String.join("\n",
                "# demo users",
                "abe:{PLAIN}abe-pass:::::: ",
                "kato@example1.jp:{PLAIN}kato-pass",
                "sato@example2.jp:{PLAIN}sato-pass",
                "bad line"));
        MainCf cf = MainCf.read(dir.resolve("main.cf"));
        assertEquals(List.of(), cf.check());
        PasswdUserDirectory users = PasswdUserDirectory.load(cf);
        Path users1 = dir.toAbsolutePath().normalize().resolve("users");
        assertEquals(List.of(users1 + ":4: warning: domain example2.jp of \"sato@example2.jp\" is not in "
                        + "mydestination",
                users1 + ":5: expected user:password[:uid:gid:gecos:home:shell:extra]"),
                users.problems().stream().map(ConfigProblem::toString).collect(Collectors.toList()));
        Path root = dir.toAbsolutePath().normalize().resolve("data/mail");
        assertEquals(Optional.of(new MailUser("abe", root + "/abe/Maildir/")),
                lookup(users, "abe@localhost.example1.jp"));
        assertEquals(Optional.of(new MailUser("kato@example1.jp", root + "/example1.jp/kato/Maildir/")),
                lookup(users, "kato@example1.jp"));
        assertEquals(Optional.empty(), lookup(users, "kato@mail.example1.jp"));
        assertEquals(3, users.entries().size());
    }

    @Test
    void loadReportsAMissingPasswdFileAtItsLine(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("main.cf"), "mail_name = x\npasswd_file = nowhere\n");
        MainCf cf = MainCf.read(dir.resolve("main.cf"));
        PasswdUserDirectory users = PasswdUserDirectory.load(cf);
        assertEquals(List.of(dir.resolve("main.cf") + ":2: cannot read passwd_file "
                        + dir.toAbsolutePath().normalize().resolve("nowhere") + ": no such file"),
                users.problems().stream().map(ConfigProblem::toString).collect(Collectors.toList()));
        assertTrue(users.problems().get(0).isError());
        assertEquals(List.of(), users.entries());
    }

    @Test
    void loadWarnsWhenThereIsNoPasswdFile() {
        MainCf cf = MainCf.parse("", "main.cf", Path.of("/etc/yubin"), "mail.example1.jp");
        PasswdUserDirectory users = PasswdUserDirectory.load(cf);
        assertEquals(List.of("main.cf: warning: passwd_file is empty: there are no local users"),
                users.problems().stream().map(ConfigProblem::toString).collect(Collectors.toList()));
        assertEquals(Optional.empty(), lookup(users, "abe@localhost"));
    }

    @Test
    void loadOfABadConfigurationThrows() {
        MainCf cf = MainCf.parse("home_mailbox = Mailbox", "main.cf", Path.of("/etc/yubin"), "mail.example1.jp");
        ConfigException e = assertThrows(ConfigException.class, () -> PasswdUserDirectory.load(cf));
        assertEquals(1, e.problems().get(0).line());
    }
}
