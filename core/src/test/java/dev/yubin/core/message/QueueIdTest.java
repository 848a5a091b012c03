package dev.yubin.core.message;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class QueueIdTest {

    @Test
    void hundredThousandIdsAreUniqueAndStrictlyIncreasing() {
        QueueId previous = QueueId.next();
        Set<String> seen = new HashSet<>();
        seen.add(previous.value());
        for (int i = 0; i < 100_000; i++) {
            QueueId id = QueueId.next();
            QueueId before = previous;
            assertTrue(id.compareTo(before) > 0, () -> id + " not after " + before);
            assertTrue(id.value().compareTo(before.value()) > 0, "string order is creation order");
            assertTrue(seen.add(id.value()), () -> "duplicate " + id);
            previous = id;
        }
    }

    @Test
    void idsFromManyThreadsAreUniqueAndEachThreadSeesThemIncrease() throws Exception {
        int threads = 8;
        int perThread = 20_000;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<List<QueueId>>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                futures.add(pool.submit(() -> {
                    start.await();
                    List<QueueId> ids = new ArrayList<>(perThread);
                    for (int i = 0; i < perThread; i++) {
                        ids.add(QueueId.next());
                    }
                    return ids;
                }));
            }
            start.countDown();
            Set<QueueId> all = new HashSet<>();
            for (Future<List<QueueId>> future : futures) {
                List<QueueId> ids = future.get();
                for (int i = 1; i < ids.size(); i++) {
                    assertTrue(ids.get(i).compareTo(ids.get(i - 1)) > 0, "increasing within a thread");
                }
                all.addAll(ids);
            }
            assertEquals(threads * perThread, all.size(), "no duplicates across threads");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void idsAreShortAlphanumericAndFixedLength() {
        QueueId id = QueueId.next();
        assertEquals(11, id.value().length());
        assertTrue(id.value().chars().allMatch(c -> c < 128 && Character.isLetterOrDigit(c)), id.value());
        assertEquals(id.value(), id.toString());
    }

    @Test
    void laterIdsSortAfterEarlierOnesAcrossMilliseconds() throws InterruptedException {
        QueueId first = QueueId.next();
        Thread.sleep(5);
        QueueId second = QueueId.next();
        assertTrue(first.compareTo(second) < 0);
        assertTrue(second.compareTo(first) > 0);
        assertEquals(0, first.compareTo(new QueueId(first.value())));
    }

    @Test
    void constructorRejectsNonAlphanumeric() {
        assertThrows(IllegalArgumentException.class, () -> new QueueId(""));
        assertThrows(IllegalArgumentException.class, () -> new QueueId("ab-c"));
        assertThrows(IllegalArgumentException.class, () -> new QueueId("äb"));
        assertThrows(NullPointerException.class, () -> new QueueId(null));
        assertEquals("312D0207111", new QueueId("312D0207111").value());
    }
}
