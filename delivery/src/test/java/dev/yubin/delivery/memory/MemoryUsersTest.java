package dev.yubin.delivery.memory;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.yubin.auth.Account;
import dev.yubin.auth.password.PasswordSchemes;
import dev.yubin.core.address.Domain;
import dev.yubin.core.address.MailAddress;
import dev.yubin.core.message.MessageContent;
import dev.yubin.core.store.Maildrop;
import dev.yubin.core.user.MailUser;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class MemoryUsersTest {
    private static final Domain EXAMPLE1 = Domain.of("example1.jp");

    private final MemoryUsers users = new MemoryUsers(EXAMPLE1);

    @Test
    void aBareNameIsInTheDefaultDomainAndLookupsIgnoreCase() throws Exception {
        MailUser abe = users.add("abe", "secret");
        assertEquals(new MailUser("abe@example1.jp", "example1.jp/abe/"), abe);
        assertEquals(Optional.of(abe), users.lookup(MailAddress.parse("ABE@Example1.JP")));
        assertEquals(Optional.empty(), users.lookup(MailAddress.parse("abe@example2.jp")));
        assertEquals(Optional.of(abe), users.lookupLogin("Abe", EXAMPLE1));
        assertEquals(List.of(abe), users.users());
    }

    @Test
    void loginsFindTheAccountWithItsPasswordAndTheCanonicalLoginFindsTheMailbox() throws Exception {
        users.add("kato@example2.jp", "pa55");
        Account account = users.find("KATO@example2.jp").orElseThrow();
        assertEquals("kato@example2.jp", account.login());
        assertTrue(account.password().matches("pa55".getBytes(UTF_8)));
        assertFalse(account.password().matches("wrong".getBytes(UTF_8)));
        assertTrue(account.password().plaintext().isPresent(), "PLAIN, so CRAM-MD5 and APOP work");
        assertEquals(Optional.empty(), users.find("kato"), "bare logins are in the default domain");
        assertTrue(users.lookupLogin(account.login(), EXAMPLE1).isPresent());
        assertEquals(Optional.empty(), users.find("not an address"));
    }

    @Test
    void hashedPasswordsAndMailOnlyUsers() throws Exception {
        users.add("ito", PasswordSchemes.parse("{PLAIN}x"));
        users.add("list");
        assertTrue(users.find("ito").isPresent());
        assertEquals(Optional.empty(), users.find("list"), "receives mail, cannot log in");
        assertTrue(users.lookup(MailAddress.parse("list@example1.jp")).isPresent());
    }

    @Test
    void badOrDuplicateUsersAreRefusedAndUsersCanBeRemoved() throws Exception {
        users.add("abe", "secret");
        assertThrows(IllegalArgumentException.class, () -> users.add("ABE@example1.jp", "other"));
        assertThrows(IllegalArgumentException.class, () -> users.add("a b", "x"));
        assertThrows(IllegalArgumentException.class, () -> users.add("\"../x\"@example1.jp", "x"));
        assertThrows(IllegalArgumentException.class, () -> users.add("a/b@example1.jp", "x"));
        assertThrows(IllegalArgumentException.class, () -> users.add("kato", ""));
        assertTrue(users.remove("Abe"));
        assertFalse(users.remove("abe"));
        assertEquals(Optional.empty(), users.find("abe"));
    }

    @Test
    void theUsersLocationsServeTheMemoryStore() throws Exception {
        MemoryStore store = MemoryStore.create();
        users.add("abe", "secret");
        MailUser rcpt = users.lookup(MailAddress.parse("abe@example1.jp")).orElseThrow();
        store.deliver(rcpt, MessageContent.ofBytes("hi\n".getBytes(UTF_8)));
        MailUser login = users.lookupLogin(users.find("abe").orElseThrow().login(), EXAMPLE1).orElseThrow();
        try (Maildrop drop = store.openMaildrop(login)) {
            assertEquals(1, drop.messages().size());
        }
    }
}
