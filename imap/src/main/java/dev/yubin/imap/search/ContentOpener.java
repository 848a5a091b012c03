package dev.yubin.imap.search;

import dev.yubin.core.message.MessageContent;
import dev.yubin.core.store.MessageInfo;
import java.io.IOException;

/**
 * Opens a message's stored content (LF line endings) for {@link MessageSearch}, which calls it lazily, at most once
 * per message and search, and only when a key needs the header or body. The search closes the content it gets
 * when it is done with it; for store content ({@code Mailbox.content}) closing does not delete the message.
 * Implementations are called on the searching thread only.
 */
@FunctionalInterface
public interface ContentOpener {

    /**
     * The content of {@code message}, or {@code null} if it is gone (expunged by another session): it then matches
     * no key that needs the content.
     */
    MessageContent open(MessageInfo message) throws IOException;
}
