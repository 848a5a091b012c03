package dev.yubin.delivery.queue;

import dev.yubin.core.message.Envelope;
import dev.yubin.core.message.MessageContent;
import dev.yubin.core.message.QueueId;
import dev.yubin.core.store.StoreException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The storage of the mail queue: messages with their envelope and a status per recipient, kept durably until
 * removed. It stores and reports; deciding what to deliver when is the scheduler's job. {@link FileQueueStore} is
 * the local-disk implementation; the SPI keeps file-system types out of its signatures so that another backend
 * (a database) can take its place.
 *
 * <p>Every method that changes the queue returns only once the change is durable. Thread-safe: many sessions
 * enqueue at once. Methods block on I/O; never call them on an event loop. Failures are {@link StoreException}s;
 * an I/O failure is {@linkplain StoreException#isTemporary() temporary}.
 */
public interface QueueStore extends AutoCloseable {

    /**
     * Writes {@code envelope} and {@code content} durably, with every recipient {@link RecipientState#PENDING},
     * and returns them staged: invisible until {@link StagedMessage#commit(QueueState)}. The content is streamed,
     * never held in memory whole; the caller keeps ownership of it. The queue id is the envelope's and must not
     * be queued already.
     */
    StagedMessage stage(Envelope envelope, MessageContent content) throws StoreException;

    /** Stages and commits in one step: returns once the message is durably in {@code state}. */
    default void enqueue(Envelope envelope, MessageContent content, QueueState state) throws StoreException {
        try (StagedMessage staged = stage(envelope, content)) {
            staged.commit(state);
        }
    }

    /** Every queued message, oldest first (queue ids sort by time). A snapshot; it may be stale at once. */
    List<QueueEntry> list() throws StoreException;

    /** Opens a queued message for reading; empty if it is not (or no longer) queued. */
    Optional<QueuedMessage> open(QueueId queueId) throws StoreException;

    /**
     * Records new statuses for some recipients, keyed by their index in the envelope; returns once they are
     * durable. Each status is recorded atomically; a crash during the call may keep some of them and not others.
     *
     * @throws StoreException (permanent) if the message is not queued
     * @throws IllegalArgumentException if an index is not a recipient's
     */
    void updateRecipients(QueueId queueId, Map<Integer, RecipientStatus> statuses) throws StoreException;

    /**
     * Moves a queued message to {@code state} (nothing happens if it is there already).
     *
     * @throws StoreException (permanent) if the message is not queued
     */
    void move(QueueId queueId, QueueState state) throws StoreException;

    /** Removes a queued message; returns whether it was there. */
    boolean remove(QueueId queueId) throws StoreException;

    /** Releases the store; pending calls may fail afterwards. */
    @Override
    void close();
}
