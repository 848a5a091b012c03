package dev.yubin.delivery.queue;

/**
 * Where a queued message waits, as in Postfix's {@code active/} and {@code deferred/} queues. A message being
 * written is in neither: it becomes visible only when {@link StagedMessage#commit(QueueState)} returns.
 */
public enum QueueState {
    /** Ready for delivery now. */
    ACTIVE,
    /** Waiting for a later delivery attempt. */
    DEFERRED
}
