package dev.yubin.delivery.queue;

import dev.yubin.core.message.MessageContent;
import java.util.Objects;

/**
 * A queued message opened for delivery: its entry and its content. The content stays readable after the message
 * is moved or removed, until {@link #close()}. Close it once every reader is done.
 * Thread-safe as its content is: several threads may read it; one closes it.
 */
public record QueuedMessage(QueueEntry entry, MessageContent content) implements AutoCloseable {
    /** Checks that neither component is {@code null}. */
    public QueuedMessage {
        Objects.requireNonNull(entry, "entry");
        Objects.requireNonNull(content, "content");
    }

    @Override
    public void close() {
        content.close();
    }
}
