package dev.yubin.imap.server;

import dev.yubin.core.address.Domain;
import dev.yubin.core.user.MailUser;
import dev.yubin.core.user.UserDirectory;
import java.util.Objects;
import java.util.Optional;

/**
 * The SPI from a successful login to the user whose mailboxes it opens: the assembling application decides how
 * login names map to {@link MailUser}s of its {@link dev.yubin.core.store.MailboxStore}. Thread-safe; may block
 * (called off the event loop). A {@link RuntimeException} is answered {@code NO [UNAVAILABLE]}; an empty result
 * {@code NO [CONTACTADMIN]}.
 */
@FunctionalInterface
public interface MailboxLocator {

    /** The mail user of {@code login} (the canonical login the user database returned), or empty if none. */
    Optional<MailUser> locate(String login);

    /**
     * Looks logins up in a {@link UserDirectory} ({@link UserDirectory#lookupLogin}): {@code abe} is
     * {@code abe@<defaultDomain>}, as POP3 sees it too, so both protocols open one store.
     */
    static MailboxLocator of(UserDirectory directory, Domain defaultDomain) {
        Objects.requireNonNull(directory, "directory");
        Objects.requireNonNull(defaultDomain, "defaultDomain");
        return login -> directory.lookupLogin(login, defaultDomain);
    }
}
