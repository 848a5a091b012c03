package dev.yubin.auth;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.yubin.auth.password.PasswordSchemes;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class InMemoryUserDatabaseTest {

    private final InMemoryUserDatabase users = InMemoryUserDatabase.builder()
            .user("abe", "{PLAIN}secret")
            // openssl passwd -1 -salt saltsalt secret
            .user("Kato@example1.jp", "$1$saltsalt$9xy1btjgzLYfb7hivXtC//")
            .user(new Account("sato", PasswordSchemes.parse("{SSHA256}K7gNU3sdo+OL0wNhqoVWhr3g6s1xYv72ol/pe/Unols=")))
            .build();

    @Test
    void findsUsersIgnoringCaseAndKeepsTheirLogin() {
        assertEquals(3, users.size());
        Account kato = users.find("KATO@EXAMPLE1.JP").orElseThrow();
        assertEquals("Kato@example1.jp", kato.login());
        assertTrue(kato.password().matches("secret".getBytes(UTF_8)));
        assertEquals("abe", users.find("Abe").orElseThrow().login());
        assertTrue(users.find("sato").orElseThrow().password().matches("secret".getBytes(UTF_8)));
    }

    @Test
    void unknownUsersAreEmpty() {
        assertEquals(Optional.empty(), users.find("nobody"));
        assertEquals(Optional.empty(), users.find("kato"));
        assertEquals(Optional.empty(), users.find(""));
    }

    @Test
    void badPasswordNamesTheUserNotTheSecret() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> InMemoryUserDatabase.builder().user("abe", "{NOPE}topsecret"));
        assertTrue(e.getMessage().startsWith("password of abe: unknown password scheme {NOPE}"), e.getMessage());
        assertFalse(e.getMessage().contains("topsecret"));
    }

    @Test
    void duplicateAndEmptyLoginsAreRefused() {
        InMemoryUserDatabase.Builder builder = InMemoryUserDatabase.builder().user("abe", "{PLAIN}a");
        assertEquals("user ABE added twice",
                assertThrows(IllegalArgumentException.class, () -> builder.user("ABE", "{PLAIN}b")).getMessage());
        assertThrows(IllegalArgumentException.class, () -> builder.user("", "{PLAIN}b"));
    }

    @Test
    void theBuiltDatabaseDoesNotChangeWithTheBuilder() {
        InMemoryUserDatabase.Builder builder = InMemoryUserDatabase.builder().user("abe", "{PLAIN}a");
        InMemoryUserDatabase built = builder.build();
        builder.user("kato", "{PLAIN}k");
        assertEquals(Optional.empty(), built.find("kato"));
    }
}
