package dev.yubin.core.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SerialExecutorTest {
    private final ExecutorService pool = Executors.newFixedThreadPool(8);

    @AfterEach
    void shutdown() {
        pool.shutdownNow();
    }

    /** A backing executor that queues tasks until the test runs them, to observe scheduling. */
    static final class ManualExecutor implements Executor {
        final List<Runnable> queued = new ArrayList<>();
        boolean reject;

        @Override
        public void execute(Runnable command) {
            if (reject) {
                throw new RejectedExecutionException("full");
            }
            queued.add(command);
        }

        void runAll() {
            while (!queued.isEmpty()) {
                queued.remove(0).run();
            }
        }
    }

    @Test
    void tasksRunInSubmissionOrder() throws InterruptedException {
        SerialExecutor executor = new SerialExecutor(pool);
        List<Integer> seen = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch done = new CountDownLatch(1);
        for (int i = 0; i < 10_000; i++) {
            int n = i;
            executor.execute(() -> seen.add(n));
        }
        executor.execute(done::countDown);
        assertTrue(done.await(10, TimeUnit.SECONDS));
        for (int i = 0; i < 10_000; i++) {
            assertEquals(i, seen.get(i));
        }
    }

    @Test
    void neverRunsTwoTasksAtOnceUnderManySubmitters() throws InterruptedException {
        SerialExecutor executor = new SerialExecutor(pool);
        AtomicInteger running = new AtomicInteger();
        AtomicInteger maxRunning = new AtomicInteger();
        AtomicInteger ran = new AtomicInteger();
        int submitters = 8;
        int perSubmitter = 5_000;
        ConcurrentLinkedQueue<String> perThreadOrder = new ConcurrentLinkedQueue<>();
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < submitters; t++) {
            int id = t;
            Thread thread = new Thread(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < perSubmitter; i++) {
                    int n = i;
                    executor.execute(() -> {
                        int now = running.incrementAndGet();
                        maxRunning.accumulateAndGet(now, Math::max);
                        perThreadOrder.add(id + ":" + n);
                        ran.incrementAndGet();
                        running.decrementAndGet();
                    });
                }
            });
            threads.add(thread);
            thread.start();
        }
        start.countDown();
        for (Thread thread : threads) {
            thread.join();
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (ran.get() < submitters * perSubmitter && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertEquals(submitters * perSubmitter, ran.get());
        assertEquals(1, maxRunning.get(), "tasks of one executor never overlap");
        // each submitter's tasks ran in the order it submitted them
        int[] next = new int[submitters];
        for (String entry : perThreadOrder) {
            int colon = entry.indexOf(':');
            int id = Integer.parseInt(entry.substring(0, colon));
            assertEquals(next[id]++, Integer.parseInt(entry.substring(colon + 1)));
        }
        assertEquals(0, executor.pending());
    }

    @Test
    void pendingCountsQueuedAndRunningTasks() {
        ManualExecutor backing = new ManualExecutor();
        SerialExecutor executor = new SerialExecutor(backing);
        assertEquals(0, executor.pending());
        AtomicInteger pendingSeenInside = new AtomicInteger(-1);
        executor.execute(() -> pendingSeenInside.set(executor.pending()));
        executor.execute(() -> { });
        executor.execute(() -> { });
        assertEquals(3, executor.pending());
        assertEquals(1, backing.queued.size(), "one drain scheduled for the whole batch");
        backing.runAll();
        assertEquals(3, pendingSeenInside.get(), "the running task still counts");
        assertEquals(0, executor.pending());
    }

    @Test
    void yieldsTheThreadAfterABatchAndContinuesLater() {
        ManualExecutor backing = new ManualExecutor();
        SerialExecutor executor = new SerialExecutor(backing);
        AtomicInteger ran = new AtomicInteger();
        for (int i = 0; i < 200; i++) {
            executor.execute(ran::incrementAndGet);
        }
        backing.queued.remove(0).run();
        assertTrue(ran.get() < 200, "ran a bounded batch, not everything");
        assertEquals(1, backing.queued.size(), "and rescheduled itself");
        backing.runAll();
        assertEquals(200, ran.get());
        assertEquals(0, executor.pending());
    }

    @Test
    void aFailingTaskIsReportedAndDoesNotStallTheTasksAfterIt() throws InterruptedException {
        ConcurrentLinkedQueue<Throwable> reported = new ConcurrentLinkedQueue<>();
        ExecutorService recordingPool = Executors.newFixedThreadPool(2, runnable -> {
            Thread thread = new Thread(runnable);
            thread.setUncaughtExceptionHandler((t, e) -> reported.add(e));
            return thread;
        });
        try {
            SerialExecutor executor = new SerialExecutor(recordingPool);
            CountDownLatch gate = new CountDownLatch(1);
            CountDownLatch after = new CountDownLatch(1);
            executor.execute(() -> {
                try {
                    gate.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            executor.execute(() -> {
                throw new IllegalStateException("boom");
            });
            executor.execute(after::countDown);
            gate.countDown();
            assertTrue(after.await(5, TimeUnit.SECONDS), "the task after a failing one still runs");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (executor.pending() != 0 && System.nanoTime() < deadline) {
                Thread.sleep(1);
            }
            assertEquals(0, executor.pending());
            assertEquals(1, reported.size());
            assertEquals("boom", reported.peek().getMessage());
            CountDownLatch later = new CountDownLatch(1);
            executor.execute(later::countDown);
            assertTrue(later.await(5, TimeUnit.SECONDS), "and the executor keeps working");
        } finally {
            recordingPool.shutdownNow();
        }
    }

    @Test
    void aFailingLastTaskDoesNotStallLaterSubmissions() {
        ManualExecutor backing = new ManualExecutor();
        SerialExecutor executor = new SerialExecutor(backing);
        executor.execute(() -> {
            throw new IllegalStateException("boom");
        });
        Thread current = Thread.currentThread();
        Thread.UncaughtExceptionHandler previous = current.getUncaughtExceptionHandler();
        List<Throwable> reported = new ArrayList<>();
        current.setUncaughtExceptionHandler((t, e) -> reported.add(e));
        try {
            backing.runAll();
        } finally {
            current.setUncaughtExceptionHandler(previous);
        }
        assertEquals(1, reported.size());
        assertEquals(0, executor.pending());
        AtomicBoolean ran = new AtomicBoolean();
        executor.execute(() -> ran.set(true));
        backing.runAll();
        assertTrue(ran.get());
    }

    @Test
    void rejectionPropagatesAndLaterSubmissionsRetry() {
        ManualExecutor backing = new ManualExecutor();
        SerialExecutor executor = new SerialExecutor(backing);
        backing.reject = true;
        AtomicBoolean rejectedRan = new AtomicBoolean();
        assertThrows(RejectedExecutionException.class, () -> executor.execute(() -> rejectedRan.set(true)));
        assertEquals(0, executor.pending());
        backing.reject = false;
        AtomicBoolean ran = new AtomicBoolean();
        executor.execute(() -> ran.set(true));
        backing.runAll();
        assertTrue(ran.get());
        assertTrue(!rejectedRan.get(), "a rejected task is not run later");
    }

    @Test
    void tasksQueuedBehindARejectedOneStillRunWhenTheRetryIsRejectedToo() throws InterruptedException {
        AtomicInteger attempts = new AtomicInteger();
        AtomicBoolean otherRan = new AtomicBoolean();
        CountDownLatch otherDone = new CountDownLatch(1);
        SerialExecutor[] executor = new SerialExecutor[1];
        // Rejects every drain; before the first rejection another submitter queues its task behind the rejected
        // one, counting on the drain that never comes.
        Executor saturated = command -> {
            if (attempts.incrementAndGet() == 1) {
                executor[0].execute(() -> {
                    otherRan.set(true);
                    otherDone.countDown();
                });
                assertEquals(2, executor[0].pending(), "queued behind, no drain of its own");
            }
            throw new RejectedExecutionException("full");
        };
        executor[0] = new SerialExecutor(saturated);
        AtomicBoolean rejectedRan = new AtomicBoolean();
        assertThrows(RejectedExecutionException.class, () -> executor[0].execute(() -> rejectedRan.set(true)));
        assertEquals(2, attempts.get(), "the first drain and one retry were refused");
        assertTrue(otherDone.await(5, TimeUnit.SECONDS), "the other submitter's task is not stranded");
        assertTrue(otherRan.get());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (executor[0].pending() != 0 && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        assertEquals(0, executor[0].pending());
        assertTrue(!rejectedRan.get(), "the rejected task is withdrawn");
    }
}
