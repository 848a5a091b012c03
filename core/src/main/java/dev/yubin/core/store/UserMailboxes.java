package dev.yubin.core.store;

import dev.yubin.core.message.MessageContent;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * One user's mailboxes (RFC 3501 §6.3). Names are Unicode strings with the hierarchy delimiter
 * {@link #delimiter()}; {@code INBOX} is case-insensitive and always exists. The IMAP layer converts modified
 * UTF-7 (RFC 3501 §5.1.3) to these names.
 *
 * <table>
 *   <caption>Failures</caption>
 *   <tr><th>Case</th><th>Exception</th></tr>
 *   <tr><td>a name that is empty, has an empty level, control characters, {@code /}, or would leave the mail root
 *       </td><td>{@link MailboxException.Reason#INVALID_NAME}</td></tr>
 *   <tr><td>no such mailbox</td><td>{@link MailboxException.Reason#NONEXISTENT} (IMAP {@code [TRYCREATE]} for
 *       APPEND/COPY)</td></tr>
 *   <tr><td>create or rename onto an existing name</td><td>{@link MailboxException.Reason#ALREADY_EXISTS}</td></tr>
 *   <tr><td>delete INBOX, delete a {@code \Noselect} name with children</td>
 *       <td>{@link MailboxException.Reason#NOT_PERMITTED}</td></tr>
 * </table>
 *
 * <p>Thread-safe. Every method may block.
 */
public interface UserMailboxes {

    /** The hierarchy delimiter of names, e.g. {@code '.'} in {@code Lists.yubin}. */
    char delimiter();

    /**
     * Every mailbox, INBOX first, then in name order; parents that exist only as a level of a child's name are
     * listed with {@link MailboxAttribute#NOSELECT}. Filtering by LIST patterns is the caller's job.
     */
    List<MailboxInfo> list() throws StoreException;

    /** Creates {@code name} (RFC 3501 §6.3.3); missing parents are implied, not created. */
    void create(String name) throws StoreException;

    /**
     * Deletes {@code name} and its messages (RFC 3501 §6.3.4). Its children stay, and it then lists as
     * {@code \Noselect} if it has any.
     */
    void delete(String name) throws StoreException;

    /**
     * Renames {@code from} and its children to {@code to} (RFC 3501 §6.3.5). Renaming INBOX moves its messages into
     * a new mailbox {@code to} and leaves INBOX empty; INBOX's children stay.
     */
    void rename(String from, String to) throws StoreException;

    /** Adds {@code name} to the subscriptions (RFC 3501 §6.3.6); the mailbox need not exist. */
    void subscribe(String name) throws StoreException;

    /** Removes {@code name} from the subscriptions; no error if it was not subscribed. */
    void unsubscribe(String name) throws StoreException;

    /** The subscribed names, whether the mailboxes exist or not (LSUB, RFC 3501 §6.3.9). */
    Set<String> subscriptions() throws StoreException;

    /** Creates and subscribes the missing special-use mailboxes {@code Sent Drafts Trash Junk} (RFC 6154). */
    void ensureSpecialUse() throws StoreException;

    /** STATUS (RFC 3501 §6.3.10), without selecting: claims no {@code \Recent} messages. */
    MailboxStatus status(String name) throws StoreException;

    /**
     * Opens {@code name} for one session (SELECT, or EXAMINE when {@code readOnly}). A read-write session claims
     * the messages no session has seen yet: they are {@code \Recent} in its view only.
     */
    Mailbox open(String name, boolean readOnly) throws StoreException;

    /**
     * APPEND (RFC 3501 §6.3.11): stores {@code content} in {@code name} with {@code flags} and the internal date,
     * durably (fsynced) before returning, and returns the new UID (UIDPLUS's {@code APPENDUID}, RFC 4315).
     */
    AppendResult append(String name, MessageContent content, Flags flags, Instant internalDate)
            throws StoreException;
}
