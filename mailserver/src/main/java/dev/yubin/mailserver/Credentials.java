package dev.yubin.mailserver;

import java.util.Objects;

/**
 * A user of a {@link MailServer} as a client sees it: the login to give SMTP AUTH, POP3 and IMAP, the address that
 * receives mail, and the clear-text password given to {@link MailServer.Builder#user}. Immutable.
 *
 * @param login the name as added ({@code abe}, or {@code kato@example.test}); either it or {@code address} logs in
 * @param address the whole address ({@code abe@example.test})
 * @param password the password
 */
public record Credentials(String login, String address, String password) {
    /** All three are required. */
    public Credentials {
        Objects.requireNonNull(login, "login");
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(password, "password");
    }

    /** Without the password, so that a test report does not print it. */
    @Override
    public String toString() {
        return "Credentials[" + login + ", " + address + "]";
    }
}
