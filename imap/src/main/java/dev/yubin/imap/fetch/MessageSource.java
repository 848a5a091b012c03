package dev.yubin.imap.fetch;

import dev.yubin.core.message.MessageContent;
import java.io.IOException;

/**
 * Opens a message's stored content (LF line ends, as {@code Mailbox.content} returns it). {@link FetchResponder}
 * calls it lazily, at most once per response, and only when an item needs the content; it closes what it got.
 */
@FunctionalInterface
public interface MessageSource {
    MessageContent open() throws IOException;
}
