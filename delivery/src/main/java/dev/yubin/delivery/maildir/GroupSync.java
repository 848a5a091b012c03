package dev.yubin.delivery.maildir;

import java.io.IOException;
import java.io.InterruptedIOException;

/**
 * Group commit for one durable action, such as the fsync of a Maildir's {@code new/}: {@link #sync()} returns once
 * an action that <em>started after the call</em> has succeeded. Callers that arrive while an action runs wait for
 * the next one, which one of them runs for all, so N concurrent deliveries into one directory cost about two
 * directory fsyncs instead of N.
 *
 * <p>A failed action is not shared: its runner gets the exception, and the callers it would have covered try again
 * with an action of their own. Thread-safe; callers block, so never call it on an event loop.
 */
final class GroupSync {
    /** The durable action, e.g. an fsync. */
    @FunctionalInterface
    interface Action {
        void run() throws IOException;
    }

    private final Action action;
    /** Tickets handed out; a ticket is taken after the caller's change is made. */
    private long issued;
    /** Every ticket up to this one is covered by a successful action. */
    private long covered;
    private boolean running;

    GroupSync(Action action) {
        this.action = action;
    }

    /** Makes every change this thread made before the call durable. */
    void sync() throws IOException {
        long target;
        synchronized (this) {
            long ticket = ++issued;
            while (running && covered < ticket) {
                try {
                    wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException("interrupted while waiting for a directory sync");
                }
            }
            if (covered >= ticket) {
                return;
            }
            running = true;
            target = issued; // every ticket up to here was taken before the action starts
        }
        boolean succeeded = false;
        try {
            action.run();
            succeeded = true;
        } finally {
            synchronized (this) {
                running = false;
                if (succeeded) {
                    covered = Math.max(covered, target);
                }
                notifyAll();
            }
        }
    }
}
