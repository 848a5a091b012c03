package dev.yubin.delivery.maildir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class GroupSyncTest {

    /** Changes made so far, and the number of changes every finished action made durable. */
    private final AtomicLong changes = new AtomicLong();
    private final AtomicLong durable = new AtomicLong();
    private final AtomicInteger actions = new AtomicInteger();

    private void slowSync() throws IOException {
        long snapshot = changes.get(); // what this action covers: changes made before it started
        actions.incrementAndGet();
        try {
            Thread.sleep(20);
        } catch (InterruptedException e) {
            throw new IOException(e);
        }
        durable.accumulateAndGet(snapshot, Math::max);
    }

    @Test
    void concurrentCallersShareActionsAndReturnOnlyWhenTheirChangeIsCovered() throws Exception {
        GroupSync sync = new GroupSync(this::slowSync);
        int callers = 32;
        ExecutorService pool = Executors.newFixedThreadPool(callers);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Boolean>> results = new ArrayList<>();
        for (int i = 0; i < callers; i++) {
            results.add(pool.submit(() -> {
                start.await();
                long mine = changes.incrementAndGet();
                sync.sync();
                return durable.get() >= mine;
            }));
        }
        start.countDown();
        for (Future<Boolean> result : results) {
            assertTrue(result.get(), "a caller returned before its change was synced");
        }
        pool.shutdown();
        assertTrue(actions.get() < callers / 2, "expected shared syncs, got " + actions.get() + " for " + callers);
    }

    @Test
    void aLoneCallerRunsItsOwnActionEachTime() throws Exception {
        GroupSync sync = new GroupSync(this::slowSync);
        for (int i = 1; i <= 3; i++) {
            changes.incrementAndGet();
            sync.sync();
            assertEquals(i, actions.get());
            assertEquals(i, durable.get());
        }
    }

    @Test
    void aFailedActionFailsItsRunnerAndTheOthersTryAgain() throws Exception {
        AtomicBoolean failNext = new AtomicBoolean(true);
        CountDownLatch failing = new CountDownLatch(1);
        CountDownLatch waiterQueued = new CountDownLatch(1);
        GroupSync sync = new GroupSync(() -> {
            if (failNext.compareAndSet(true, false)) {
                failing.countDown();
                try {
                    waiterQueued.await();
                    Thread.sleep(50); // let the second caller reach its wait
                } catch (InterruptedException e) {
                    throw new IOException(e);
                }
                throw new IOException("disk gone");
            }
            slowSync();
        });
        ExecutorService pool = Executors.newFixedThreadPool(2);
        Future<?> first = pool.submit(() -> {
            changes.incrementAndGet();
            sync.sync();
            return null;
        });
        failing.await();
        Future<Boolean> second = pool.submit(() -> {
            long mine = changes.incrementAndGet();
            waiterQueued.countDown();
            sync.sync();
            return durable.get() >= mine;
        });
        Exception error = assertThrows(Exception.class, first::get);
        assertTrue(error.getCause() instanceof IOException && error.getCause().getMessage().equals("disk gone"));
        assertTrue(second.get(), "the waiter ran a sync of its own after the failure");
        assertEquals(1, actions.get());
        pool.shutdown();
    }
}
