package dev.yubin.benchmarks.delivery;

import dev.yubin.core.address.ReversePath;
import dev.yubin.core.message.MessageContent;
import dev.yubin.core.message.Recipient;
import dev.yubin.core.net.ConnectionInfo;
import dev.yubin.core.store.StoreException;
import dev.yubin.delivery.queue.FileQueueStore;
import dev.yubin.delivery.queue.QueueEntry;
import dev.yubin.delivery.queue.QueueState;
import java.io.IOException;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * Lists a queue of {@code messages} 2 KiB messages with {@link FileQueueStore#list()}, as the QueueManager does
 * at every scan: list the directories, open and parse every file's header and status records. The files are in
 * the page cache after the first call, so this measures the parsing and the system calls, not the disk. The queue
 * is filled without fsync (listing writes nothing). Set {@code -Dyubin.bench.dir} to choose the file system.
 */
@State(Scope.Benchmark)
@Fork(2)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class QueueListBenchmark {
    @Param({"1000"})
    public int messages;

    @Param({"1", "10"})
    public int recipients;

    private Path directory;
    private FileQueueStore store;

    @Setup(Level.Trial)
    public void prepare() throws IOException, StoreException {
        directory = QueueInputs.newQueueDirectory("queue-list-bench");
        store = QueueInputs.openStore(directory, QueueInputs.NOFSYNC);
        byte[] message = QueueInputs.message();
        ReversePath sender = QueueInputs.sender();
        List<Recipient> recipientList = QueueInputs.recipients(recipients);
        ConnectionInfo client = QueueInputs.client();
        for (int i = 0; i < messages; i++) {
            try (MessageContent content = MessageContent.ofBytes(message)) {
                store.enqueue(QueueInputs.envelope(sender, recipientList, client), content, QueueState.DEFERRED);
            }
        }
        if (store.list().size() != messages) {
            throw new IllegalStateException("queue holds " + store.list().size() + " messages, not " + messages);
        }
    }

    @TearDown(Level.Trial)
    public void removeAll() throws IOException {
        store.close();
        QueueInputs.deleteTree(directory);
    }

    @Benchmark
    public List<QueueEntry> list() throws StoreException {
        return store.list();
    }
}
