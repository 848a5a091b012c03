package dev.yubin.core.net;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs one session's tasks one at a time, in submission order, on a shared executor: the session's state
 * machine needs no locks, and an idle session holds no thread.
 *
 * <p>Thread-safe: any thread may {@link #execute}. {@link #pending()} counts queued and running tasks, which
 * the I/O layer uses for back-pressure. If the backing executor rejects work, the rejection propagates to the
 * caller of {@code execute} and that task is withdrawn; tasks other threads queued behind it meanwhile still run,
 * on the common pool if the backing executor keeps refusing. A task that throws is reported to the thread's
 * uncaught-exception handler and does not stop the tasks after it.
 */
public final class SerialExecutor implements Executor {
    private static final int BATCH = 64;

    private final Executor backing;
    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final AtomicInteger pending = new AtomicInteger();

    /** A serial executor that runs its tasks on {@code backing}, which may run many such executors at once. */
    public SerialExecutor(Executor backing) {
        this.backing = backing;
    }

    @Override
    public void execute(Runnable task) {
        tasks.add(task);
        if (pending.getAndIncrement() == 0) {
            schedule(task);
        }
    }

    /** Tasks submitted and not yet finished. */
    public int pending() {
        return pending.get();
    }

    private void schedule(Runnable task) {
        try {
            backing.execute(this::drain);
        } catch (RejectedExecutionException e) {
            // withdraw the task that could not be scheduled (not whatever is at the head) and undo its count
            if (tasks.remove(task) && pending.decrementAndGet() > 0) {
                // other threads queued tasks meanwhile, counting on this drain: they must still run
                scheduleForOthers();
            }
            throw e;
        }
    }

    /**
     * Schedules the drain for tasks queued behind a rejected one. No later {@code execute} would (the count is
     * not 0), so if the backing executor still refuses, the common pool runs it rather than strand them.
     */
    private void scheduleForOthers() {
        try {
            backing.execute(this::drain);
        } catch (RejectedExecutionException again) {
            ForkJoinPool.commonPool().execute(this::drain);
        }
    }

    private void drain() {
        while (true) {
            // Run a bounded batch, then yield the thread to other sessions.
            for (int i = 0; i < BATCH; i++) {
                Runnable task = tasks.poll();
                if (task == null) {
                    return;
                }
                try {
                    task.run();
                } catch (RuntimeException | Error e) {
                    // A failing task must not stall the ones queued behind it: report it and go on.
                    Thread current = Thread.currentThread();
                    current.getUncaughtExceptionHandler().uncaughtException(current, e);
                }
                if (pending.decrementAndGet() == 0) {
                    return;
                }
            }
            try {
                backing.execute(this::drain);
                return;
            } catch (RejectedExecutionException e) {
                // the pool is saturated: keep going on this thread rather than strand the queued tasks
            }
        }
    }
}
