package dev.yubin.delivery.queue;

import dev.yubin.core.message.Envelope;
import dev.yubin.core.message.QueueId;
import java.util.List;
import java.util.Objects;

/**
 * One queued message as the queue knows it: its envelope, where it waits, its size and the status of each
 * recipient ({@code statuses.get(i)} belongs to {@code envelope.recipients().get(i)}). Immutable; a snapshot.
 *
 * @param size the content size in octets (LF line endings, as stored)
 */
public record QueueEntry(Envelope envelope, QueueState state, long size, List<RecipientStatus> statuses) {
    /**
     * Copies the statuses.
     *
     * @throws IllegalArgumentException if there is not one status per recipient, or {@code size} is negative
     */
    public QueueEntry {
        Objects.requireNonNull(envelope, "envelope");
        Objects.requireNonNull(state, "state");
        statuses = List.copyOf(statuses);
        if (statuses.size() != envelope.recipients().size()) {
            throw new IllegalArgumentException(statuses.size() + " statuses for " + envelope.recipients().size()
                    + " recipients");
        }
        if (size < 0) {
            throw new IllegalArgumentException("negative size " + size);
        }
    }

    /** The message's queue id, from its envelope. */
    public QueueId queueId() {
        return envelope.queueId();
    }

    /** Whether every recipient is done (sent or bounced), so the message may be removed. */
    public boolean isDone() {
        return statuses.stream().allMatch(RecipientStatus::isDone);
    }
}
