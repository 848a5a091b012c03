package dev.yubin.auth;

import dev.yubin.auth.password.PasswordSchemes;
import dev.yubin.auth.password.StoredPassword;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A fixed set of users kept in memory, for embedding and tests:
 * <pre>
 * UserDatabase users = InMemoryUserDatabase.builder()
 *         .user("abe", "{PLAIN}secret")
 *         .user("kato@example1.jp", "{SHA512-CRYPT}$6$...")
 *         .build();
 * </pre>
 * Logins are matched ignoring case ({@link Locale#ROOT}); {@link Account#login()} is the login as given to the
 * builder. Immutable and thread-safe; lookups do not block (password checks may still be slow).
 */
public final class InMemoryUserDatabase implements UserDatabase {
    private final Map<String, Account> accounts;

    private InMemoryUserDatabase(Map<String, Account> accounts) {
        this.accounts = Map.copyOf(accounts);
    }

    /** An empty builder. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public Optional<Account> find(String login) {
        return Optional.ofNullable(accounts.get(key(Objects.requireNonNull(login, "login"))));
    }

    /** How many users there are. */
    public int size() {
        return accounts.size();
    }

    private static String key(String login) {
        return login.toLowerCase(Locale.ROOT);
    }

    /** Collects the users. Not thread-safe. */
    public static final class Builder {
        private final Map<String, Account> accounts = new LinkedHashMap<>();

        private Builder() {
        }

        /**
         * Adds a user whose password is {@code stored}, a passwd-file password field ({@code {PLAIN}secret},
         * {@code {BLF-CRYPT}$2y$...}, a bare crypt(3) string).
         *
         * @throws IllegalArgumentException when the login is empty or already added, or {@code stored} does not
         *     parse (the message names the login, never the password)
         */
        public Builder user(String login, String stored) {
            Objects.requireNonNull(stored, "stored");
            StoredPassword password;
            try {
                password = PasswordSchemes.parse(stored);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("password of " + login + ": " + e.getMessage(), e);
            }
            return user(new Account(login, password));
        }

        /** Adds {@code account}. */
        public Builder user(Account account) {
            Objects.requireNonNull(account, "account");
            if (account.login().isEmpty()) {
                throw new IllegalArgumentException("empty login");
            }
            if (accounts.putIfAbsent(key(account.login()), account) != null) {
                throw new IllegalArgumentException("user " + account.login() + " added twice");
            }
            return this;
        }

        /** The database of the users added so far; the builder may go on to build others. */
        public InMemoryUserDatabase build() {
            return new InMemoryUserDatabase(accounts);
        }
    }
}
