package dev.yubin.core.net;

import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The bounded pool of named daemon threads on which blocking work runs: session steps, SPI calls, fsync.
 * Many threads by default, because deliveries spend their time waiting for the disk and parallel fsyncs are
 * what make a disk fast. When the queue is full, {@code execute} throws
 * {@link java.util.concurrent.RejectedExecutionException} and the protocol answers "try later".
 */
public final class BlockingPool {
    /** Default number of threads. */
    public static final int DEFAULT_THREADS = 64;
    /** Default number of queued tasks before work is refused. */
    public static final int DEFAULT_QUEUE = 10_000;

    private BlockingPool() {
    }

    /** A pool of {@code threads} threads named {@code name-N} with a queue of {@code queueSize} tasks. */
    public static ExecutorService create(String name, int threads, int queueSize) {
        ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(queueSize), namedDaemons(name));
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }

    /** A pool with the default size. */
    public static ExecutorService create(String name) {
        return create(name, DEFAULT_THREADS, DEFAULT_QUEUE);
    }

    /** Shuts {@code pool} down and waits up to {@code timeout} for running tasks; keeps the interrupt status. */
    public static void shutdown(ExecutorService pool, Duration timeout) {
        pool.shutdown();
        try {
            pool.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A thread factory for daemon threads named {@code name-1}, {@code name-2}… */
    public static ThreadFactory namedDaemons(String name) {
        AtomicInteger counter = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, name + "-" + counter.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
