package dev.yubin.delivery.queue;

import dev.yubin.core.message.QueueId;
import dev.yubin.core.store.StoreException;

/**
 * A message written durably to the queue but not yet in it: no reader sees it and a restart discards it. It
 * lets a caller do other work between writing and committing (deliver the local recipients first, say) and
 * withdraw the message if that work fails. Not thread-safe; one caller owns it.
 */
public interface StagedMessage extends AutoCloseable {

    /** The id the message will have in the queue. */
    QueueId queueId();

    /**
     * Puts the message into {@code state}; returns once that is durable. Called at most once. If it throws,
     * the message is not queued.
     */
    void commit(QueueState state) throws StoreException;

    /** Withdraws the message unless it was committed. Idempotent. */
    @Override
    void close();
}
