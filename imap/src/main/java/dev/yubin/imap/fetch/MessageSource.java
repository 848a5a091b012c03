package dev.yubin.imap.fetch;

import dev.yubin.core.message.MessageContent;
import java.io.IOException;

/**
 * Opens a message's stored content (LF line ends, as {@code Mailbox.content} returns it). {@link FetchResponder}
 * calls it lazily, at most once per response, and only when an item needs the content; it closes what it got.
 * Called by the one response it was given to, on the thread that pulls that response; an implementation need not be
 * thread-safe.
 */
@FunctionalInterface
public interface MessageSource {
    /**
     * Opens the content; the caller closes it.
     *
     * @throws IOException if the message cannot be read
     */
    MessageContent open() throws IOException;
}
