package dev.yubin.auth;

import dev.yubin.auth.password.StoredPassword;
import java.util.Objects;

/**
 * A user who can log in: the login name as the database knows it and the stored password. Immutable and thread-safe.
 *
 * @param login the canonical login name ({@code abe}, or {@code abe@example1.jp})
 */
public record Account(String login, StoredPassword password) {
    /** Checks that neither component is {@code null}. */
    public Account {
        Objects.requireNonNull(login, "login");
        Objects.requireNonNull(password, "password");
    }
}
