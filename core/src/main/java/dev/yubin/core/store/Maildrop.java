package dev.yubin.core.store;

import java.io.InputStream;
import java.util.Collection;
import java.util.List;

/**
 * One session's view of a user's inbox, as POP3 (RFC 1939) needs it: the messages present when it was opened, in
 * arrival order, their content as streams, and the deletion of some of them when the session ends well. Messages
 * delivered after opening are not listed; messages removed by someone else meanwhile fail on {@link #open}.
 *
 * <p>Not thread-safe: one session uses it. Every method may block on disk I/O.
 */
public interface Maildrop extends AutoCloseable {

    /** The messages at opening, oldest first; the list never changes. */
    List<StoredMessage> messages();

    /**
     * The message as stored: header and body with LF line endings, exactly {@link StoredMessage#size()} octets (a
     * mbox store unquotes {@code >From } lines). The caller closes the stream.
     *
     * @throws StoreException when the message is gone or cannot be read
     */
    InputStream open(StoredMessage message) throws StoreException;

    /**
     * Removes {@code messages} from the mailbox, durably, and returns once done (POP3's UPDATE state). Messages that
     * are already gone are ignored.
     */
    void delete(Collection<StoredMessage> messages) throws StoreException;

    /** Releases the mailbox; deletes nothing. */
    @Override
    void close();
}
