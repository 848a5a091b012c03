package dev.yubin.pop3.server;

import dev.yubin.core.address.Domain;
import dev.yubin.core.user.MailUser;
import dev.yubin.core.user.UserDirectory;
import java.util.Objects;
import java.util.Optional;

/**
 * The SPI from a successful login to the mailbox it reads: the assembling application decides how login names
 * ({@code abe}, {@code abe@example1.jp}) map to {@link MailUser}s of its {@link dev.yubin.core.store.MailStore}.
 * Thread-safe; may block (a file, a database): called on the session's executor, never on an event loop. A
 * {@link RuntimeException} is answered {@code -ERR [SYS/TEMP]}; an empty result {@code -ERR [SYS/PERM]}.
 */
@FunctionalInterface
public interface MaildropLocator {

    /** The mailbox of {@code login} (the canonical login the user database returned), or empty if it has none. */
    Optional<MailUser> locate(String login);

    /**
     * Looks logins up in a {@link UserDirectory}: {@code abe@example1.jp} as that address, a bare {@code abe} as
     * {@code abe@<defaultDomain>} (Postfix's {@code $myorigin}). A login that is no address finds nobody.
     */
    static MaildropLocator of(UserDirectory directory, Domain defaultDomain) {
        Objects.requireNonNull(directory, "directory");
        Objects.requireNonNull(defaultDomain, "defaultDomain");
        return login -> directory.lookupLogin(login, defaultDomain);
    }
}
