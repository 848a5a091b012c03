package dev.yubin.auth;

import java.util.Optional;

/**
 * The SPI for "who may log in": a passwd file, a database, a directory. Thread-safe. Lookups may block (a file, a
 * database), so protocols call it off their event loops.
 */
public interface UserDatabase {

    /** The account for {@code login} as the client typed it, or empty when there is none. */
    Optional<Account> find(String login);
}
