package dev.yubin.imap.server;

import dev.yubin.core.user.MailUser;
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
}
