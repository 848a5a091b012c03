package dev.yubin.auth.sasl;

import dev.yubin.auth.Account;
import dev.yubin.auth.UserDatabase;
import dev.yubin.auth.password.PasswordSchemes;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** A recording user database for the mechanism tests: logins are found case-insensitively, as lower case. */
final class TestUsers implements UserDatabase {
    private final Map<String, Account> accounts = new HashMap<>();
    final List<String> lookups = new ArrayList<>();
    private RuntimeException failure;

    TestUsers user(String login, String stored) {
        accounts.put(login, new Account(login, PasswordSchemes.parse(stored)));
        return this;
    }

    /** Every later lookup throws {@code e}, as a database that is down. */
    TestUsers failWith(RuntimeException e) {
        failure = e;
        return this;
    }

    @Override
    public Optional<Account> find(String login) {
        lookups.add(login);
        if (failure != null) {
            throw failure;
        }
        return Optional.ofNullable(accounts.get(login.toLowerCase(Locale.ROOT)));
    }

    static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    static String text(SaslStep step) {
        if (step instanceof SaslStep.Challenge challenge) {
            return new String(challenge.data(), StandardCharsets.UTF_8);
        }
        throw new AssertionError("expected a challenge, got " + step);
    }

    static byte[] b64(String base64) {
        return Base64.getDecoder().decode(base64);
    }
}
