package dev.yubin.core.store;

import dev.yubin.core.message.MessageContent;
import java.util.Collection;
import java.util.List;
import java.util.Set;

/**
 * One session's view of a selected mailbox: a snapshot of its messages in UID order that changes only through
 * this session's own calls or {@link #refresh()}, which returns what others did meanwhile. The IMAP session keeps
 * sequence numbers; this interface speaks only UIDs (RFC 3501 §2.3.1.1).
 *
 * <p>Not thread-safe: one session uses it (on its serial executor). Sessions on one mailbox may run concurrently,
 * in this process or another. Every method may block; {@link #watch} callbacks run on the changer's thread.
 */
public interface Mailbox extends AutoCloseable {

    /** The mailbox name as given to {@link UserMailboxes#open}, INBOX normalised. */
    String name();

    /**
     * Whether the mailbox was opened read-only (EXAMINE); changes then fail with
     * {@link MailboxException.Reason#NOT_PERMITTED}.
     */
    boolean isReadOnly();

    /** UIDVALIDITY; never changes while the mailbox keeps its UIDs. */
    long uidValidity();

    /** UIDNEXT at the last refresh: every UID assigned later is at least this. */
    long uidNext();

    /** The highest UID in this view, 0 when empty. */
    long highestUid();

    /** This view's messages, ascending by UID. */
    List<MessageInfo> messages();

    /** The keywords defined in this mailbox, for the FLAGS and PERMANENTFLAGS responses. */
    Set<String> keywords();

    /** Whether STORE and APPEND may still define new keywords (IMAP's {@code \*} in PERMANENTFLAGS). */
    boolean canCreateKeywords();

    /**
     * Brings this view up to date: messages delivered or appended since (with new UIDs), messages expunged by
     * others and flags changed by others. The caller turns it into EXISTS, EXPUNGE and FETCH FLAGS.
     */
    MailboxDelta refresh() throws StoreException;

    /**
     * STORE (RFC 3501 §6.4.6) on the messages of this view among {@code uids}; UIDs not in the view are skipped.
     * Returns the messages with their new flags.
     */
    List<MessageInfo> setFlags(Collection<Long> uids, FlagOperation operation, Flags flags) throws StoreException;

    /** EXPUNGE: removes every message of this view flagged {@code \Deleted}; returns their UIDs, ascending. */
    List<Long> expunge() throws StoreException;

    /** UID EXPUNGE (RFC 4315): like {@link #expunge()}, but only those among {@code uids}. */
    List<Long> expunge(Collection<Long> uids) throws StoreException;

    /** COPY (RFC 3501 §6.4.7) with COPYUID (RFC 4315); flags and internal dates are kept; the copies are
     *  {@code \Recent} in the destination, as new messages. */
    CopyResult copy(Collection<Long> uids, String target) throws StoreException;

    /**
     * MOVE (RFC 6851): a copy, then the sources leave this mailbox; their UIDs are
     * {@link CopyResult#sourceUids()} and are no longer in {@link #messages()}.
     */
    CopyResult move(Collection<Long> uids, String target) throws StoreException;

    /**
     * The message's content as stored (LF line endings; {@link MessageContent#size()} octets). It stays readable
     * while its flags change. Closing it does not delete the message.
     *
     * @throws MailboxException {@link MailboxException.Reason#NONEXISTENT} when the message is gone
     */
    MessageContent content(long uid) throws StoreException;

    /**
     * Calls {@code onChange} after any change to this mailbox made through this store in this process (delivery,
     * append, flags, expunge), so that IDLE can refresh at once; changes by other processes are seen only by
     * {@link #refresh()}. The callback must be quick and must not call this mailbox.
     */
    Watch watch(Runnable onChange);

    /** Releases this view; the messages stay. */
    @Override
    void close();

    /** A registration of {@link #watch}; closing it stops the callbacks. */
    interface Watch extends AutoCloseable {
        @Override
        void close();
    }
}
