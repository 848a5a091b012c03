package dev.yubin.delivery.mbox;

import dev.yubin.core.store.StoreException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Retry delays for a busy lock: from {@code 5 ms} doubling to {@code 500 ms}, with jitter so that waiters do not
 * retry in step, and never past the deadline. Stateless and thread-safe.
 */
final class Backoff {
    static final Backoff DEFAULT = new Backoff(5, 500);

    private final long firstMillis;
    private final long maxMillis;

    Backoff(long firstMillis, long maxMillis) {
        this.firstMillis = firstMillis;
        this.maxMillis = maxMillis;
    }

    /** Sleeps before attempt {@code attempt + 1}; false (without sleeping) when the deadline has passed. */
    boolean sleep(int attempt, long deadlineNanos) throws StoreException {
        long left = deadlineNanos - System.nanoTime();
        if (left <= 0) {
            return false;
        }
        long delay = Math.min(maxMillis, firstMillis << Math.min(attempt, 20));
        delay = delay / 2 + ThreadLocalRandom.current().nextLong(delay / 2 + 1);
        try {
            TimeUnit.NANOSECONDS.sleep(Math.min(left, TimeUnit.MILLISECONDS.toNanos(Math.max(1, delay))));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("interrupted while waiting for the mailbox lock", true, e);
        }
        return true;
    }
}
