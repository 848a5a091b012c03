package dev.yubin.core.store;

import dev.yubin.core.user.MailUser;

/**
 * A store that also offers IMAP's view of a user's mail: folders, UIDs, flags ({@link UserMailboxes}). An add-on
 * interface beside {@link MailStore}, in the go-imap manner: a store that cannot do folders simply does not
 * implement it.
 *
 * <p>Thread-safe. Every method may block on disk I/O and is never called on an event loop.
 */
public interface MailboxStore {

    /**
     * The mailboxes of {@code user}; INBOX always exists (it is created empty when missing). Cheap: nothing is
     * held open until a {@link Mailbox} is opened.
     */
    UserMailboxes openMailboxes(MailUser user) throws StoreException;
}
