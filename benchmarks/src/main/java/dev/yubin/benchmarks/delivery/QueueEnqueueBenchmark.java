package dev.yubin.benchmarks.delivery;

import dev.yubin.core.address.ReversePath;
import dev.yubin.core.message.MessageContent;
import dev.yubin.core.message.Recipient;
import dev.yubin.core.net.ConnectionInfo;
import dev.yubin.core.store.StoreException;
import dev.yubin.delivery.queue.FileQueueStore;
import dev.yubin.delivery.queue.QueueState;
import dev.yubin.delivery.queue.StagedMessage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Queues a 2 KiB message in a {@link FileQueueStore} as the SMTP server does before it answers 250: stage (write
 * to {@code incoming/}, fsync the file), then commit to {@code deferred/} (rename, fsync the directory). With
 * {@code durability=fsync} this is bound by the disk; the eight-thread variant shows how concurrent sessions share
 * it. Set {@code -Dyubin.bench.dir} to benchmark a particular file system (default: java.io.tmpdir, which must not
 * be a tmpfs).
 *
 * <p>On ext4 without a journal, creating a file right after many deletions is slow: the allocator steps over every
 * inode freed in the last minute or so ({@code recently_deleted()} in ext4's {@code ialloc.c}). The previous
 * trial's clean-up therefore slows the first iterations; give this benchmark warm-up time ({@code -wi 6 -w 2s}).
 */
@State(Scope.Benchmark)
@Fork(2)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class QueueEnqueueBenchmark {
    @Param({QueueInputs.FSYNC, QueueInputs.NOFSYNC})
    public String durability;

    @Param({"1", "10"})
    public int recipients;

    private Path directory;
    private FileQueueStore store;
    private byte[] message;
    private ReversePath sender;
    private List<Recipient> recipientList;
    private ConnectionInfo client;
    private int iterations;

    @Setup(Level.Trial)
    public void prepare() throws IOException, StoreException {
        directory = QueueInputs.newQueueDirectory("queue-enqueue-bench");
        store = QueueInputs.openStore(directory, durability);
        message = QueueInputs.message();
        sender = QueueInputs.sender();
        recipientList = QueueInputs.recipients(recipients);
        client = QueueInputs.client();
    }

    /**
     * Moves deferred/ aside between iterations so that the directory's size does not drift. Deleting its files
     * instead would slow down the next iteration's creates (see above).
     */
    @TearDown(Level.Iteration)
    public void emptyQueue() throws IOException {
        Path deferred = directory.resolve("deferred");
        Files.move(deferred, directory.resolve("done-" + ++iterations));
        Files.createDirectory(deferred);
    }

    @TearDown(Level.Trial)
    public void removeAll() throws IOException {
        store.close();
        QueueInputs.deleteTree(directory);
    }

    @Benchmark
    @Threads(1)
    public void enqueue() throws StoreException {
        queueOne();
    }

    @Benchmark
    @Threads(8)
    public void enqueueEightThreads() throws StoreException {
        queueOne();
    }

    private void queueOne() throws StoreException {
        try (MessageContent content = MessageContent.ofBytes(message);
                StagedMessage staged = store.stage(QueueInputs.envelope(sender, recipientList, client), content)) {
            staged.commit(QueueState.DEFERRED);
        }
    }
}
