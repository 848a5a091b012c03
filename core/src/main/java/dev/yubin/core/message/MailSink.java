package dev.yubin.core.message;

/**
 * Where an SMTP server hands a received message: the SPI behind "250 after DATA".
 *
 * <p>{@link #accept} returns only once the message is durable (written and fsynced) for every recipient, in
 * their mailboxes or in a queue; only then may the server say 250. It blocks, and is never called on an event
 * loop. On failure it throws, and the server answers 4xx or 5xx as {@link DeliveryException#isTemporary()}
 * says: a message is never silently dropped. Implementations must be thread-safe: many sessions call at once.
 * The caller keeps ownership of {@code content} and releases it after the call.
 */
public interface MailSink {
    /**
     * Takes responsibility for a message, returning only once it is durable for every recipient.
     *
     * @throws DeliveryException if the message was not taken; temporary failures become 4xx replies, others 5xx
     */
    Receipt accept(Envelope envelope, MessageContent content) throws DeliveryException;
}
