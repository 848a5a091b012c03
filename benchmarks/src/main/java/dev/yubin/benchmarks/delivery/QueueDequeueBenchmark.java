package dev.yubin.benchmarks.delivery;

import dev.yubin.core.address.ReversePath;
import dev.yubin.core.message.Envelope;
import dev.yubin.core.message.MessageContent;
import dev.yubin.core.message.QueueId;
import dev.yubin.core.message.Recipient;
import dev.yubin.core.net.ConnectionInfo;
import dev.yubin.core.store.StoreException;
import dev.yubin.delivery.queue.FileQueueStore;
import dev.yubin.delivery.queue.QueueEntry;
import dev.yubin.delivery.queue.QueueState;
import dev.yubin.delivery.queue.QueuedMessage;
import dev.yubin.delivery.queue.RecipientStatus;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
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
 * Takes a 2 KiB message out of a {@link FileQueueStore} the way the remote delivery (QueueManager) does after a
 * successful attempt: open it (read and parse the file), move it to {@code active/}, record every recipient as
 * sent (append a status record, fdatasync) and remove it (unlink, fsync the directory). With {@code from=active}
 * the message is already active and the move is a no-op; with {@code from=deferred} (where smtpd commits mail)
 * the move is a rename and two directory fsyncs. Each invocation gets a message queued beforehand, outside the
 * measured time. Set {@code -Dyubin.bench.dir} to choose the file system (default: java.io.tmpdir).
 */
@State(Scope.Benchmark)
@Fork(2)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class QueueDequeueBenchmark {
    @Param({QueueInputs.FSYNC, QueueInputs.NOFSYNC})
    public String durability;

    @Param({"1", "10"})
    public int recipients;

    @Param({"active", "deferred"})
    public String from;

    private Path directory;
    private FileQueueStore store;
    private QueueState initial;
    private byte[] message;
    private ReversePath sender;
    private List<Recipient> recipientList;
    private ConnectionInfo client;
    private RecipientStatus sent;

    /** The message the next invocation takes out, queued before it. */
    @State(Scope.Thread)
    public static class Next {
        QueueId queueId;

        @Setup(Level.Invocation)
        public void queue(QueueDequeueBenchmark bench) throws StoreException {
            queueId = bench.queueOne();
        }
    }

    @Setup(Level.Trial)
    public void prepare() throws IOException, StoreException {
        directory = QueueInputs.newQueueDirectory("queue-dequeue-bench");
        store = QueueInputs.openStore(directory, durability);
        initial = QueueState.valueOf(from.toUpperCase(Locale.ROOT));
        message = QueueInputs.message();
        sender = QueueInputs.sender();
        recipientList = QueueInputs.recipients(recipients);
        client = QueueInputs.client();
        sent = RecipientStatus.sent("2.0.0", "250 2.0.0 Ok: queued as 4Fb2kQ0xYz", Instant.now());
    }

    @TearDown(Level.Trial)
    public void removeAll() throws IOException {
        store.close();
        QueueInputs.deleteTree(directory);
    }

    @Benchmark
    public boolean deliverAndRemove(Next next) throws StoreException {
        QueueId id = next.queueId;
        Optional<QueuedMessage> opened = store.open(id);
        try (QueuedMessage message = opened.orElseThrow()) {
            QueueEntry entry = message.entry();
            store.move(id, QueueState.ACTIVE);
            Map<Integer, RecipientStatus> outcome = new HashMap<>();
            for (int i = 0; i < entry.statuses().size(); i++) {
                outcome.put(i, sent);
            }
            store.updateRecipients(id, outcome);
            return store.remove(id);
        }
    }

    QueueId queueOne() throws StoreException {
        Envelope envelope = QueueInputs.envelope(sender, recipientList, client);
        try (MessageContent content = MessageContent.ofBytes(message)) {
            store.enqueue(envelope, content, initial);
        }
        return envelope.queueId();
    }
}
