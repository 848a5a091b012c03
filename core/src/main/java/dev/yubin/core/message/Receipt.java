package dev.yubin.core.message;

import java.util.Objects;

/** What a {@link MailSink} says once a message is durable: its queue id and a short text for the 250 reply. */
public record Receipt(QueueId queueId, String text) {
    public Receipt {
        Objects.requireNonNull(queueId, "queueId");
        Objects.requireNonNull(text, "text");
    }
}
