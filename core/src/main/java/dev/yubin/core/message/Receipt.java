package dev.yubin.core.message;

import java.util.Objects;

/**
 * What a {@link MailSink} says once a message is durable: its queue id and a short text for the 250 reply.
 * Immutable and thread-safe.
 */
public record Receipt(QueueId queueId, String text) {
    /** Checks that neither component is {@code null}. */
    public Receipt {
        Objects.requireNonNull(queueId, "queueId");
        Objects.requireNonNull(text, "text");
    }
}
