package dev.yubin.core.net;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs one session's tasks one at a time, in submission order, on a shared executor: the session's state
 * machine needs no locks, and an idle session holds no thread.
 *
 * <p>Thread-safe: any thread may {@link #execute}. {@link #pending()} counts queued and running tasks, which
 * the I/O layer uses for back-pressure. If the backing executor rejects work, the rejection propagates to the
 * caller of {@code execute} and the queued tasks stay queued for the next attempt.
 */
public final class SerialExecutor implements Executor {
    private final Executor backing;
    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final AtomicInteger pending = new AtomicInteger();

    public SerialExecutor(Executor backing) {
        this.backing = backing;
    }

    @Override
    public void execute(Runnable task) {
        tasks.add(task);
        if (pending.getAndIncrement() == 0) {
            schedule();
        }
    }

    /** Tasks submitted and not yet finished. */
    public int pending() {
        return pending.get();
    }

    private void schedule() {
        try {
            backing.execute(this::drain);
        } catch (RejectedExecutionException e) {
            // undo the count of the task that could not be scheduled so later submissions retry
            tasks.poll();
            pending.decrementAndGet();
            throw e;
        }
    }

    private void drain() {
        // Run a bounded batch, then yield the thread to other sessions.
        for (int i = 0; i < 64; i++) {
            Runnable task = tasks.poll();
            if (task == null) {
                return;
            }
            try {
                task.run();
            } finally {
                if (pending.decrementAndGet() == 0) {
                    return;
                }
            }
        }
        backing.execute(this::drain);
    }
}
