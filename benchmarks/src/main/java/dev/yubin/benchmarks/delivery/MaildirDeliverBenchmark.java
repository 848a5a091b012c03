package dev.yubin.benchmarks.delivery;

import dev.yubin.core.message.MessageContent;
import dev.yubin.core.store.StoreException;
import dev.yubin.core.user.MailUser;
import dev.yubin.delivery.maildir.MaildirStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
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
 * Delivers a 2 KiB message into a Maildir: tmp/ file, write, fsync, link into new/, fsync of the directory. With
 * {@code fsync=true} this is bound by the disk; run it with {@code -t 8} to see how parallel deliveries share it.
 * Set {@code -Dyubin.bench.dir} to benchmark a particular file system (default: java.io.tmpdir).
 */
@State(Scope.Benchmark)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class MaildirDeliverBenchmark {
    @Param({"true", "false"})
    public boolean fsync;

    private Path root;
    private MaildirStore store;
    private MailUser user;
    private byte[] message;

    @Setup(Level.Trial)
    public void prepare() throws IOException {
        Path base = Path.of(System.getProperty("yubin.bench.dir", System.getProperty("java.io.tmpdir")));
        root = Files.createTempDirectory(base, "maildir-bench");
        store = MaildirStore.builder().hostname("bench.example").mailRoot(root).fsync(fsync).build();
        user = new MailUser("bench", root.resolve("bench/Maildir/").toString());
        StringBuilder text = new StringBuilder("From: kato@example2.jp\nTo: abe@example1.jp\nSubject: bench\n\n");
        while (text.length() < 2048) {
            text.append("x".repeat(70)).append('\n');
        }
        message = text.toString().getBytes(StandardCharsets.US_ASCII);
    }

    /** Empties new/ between iterations so that directory size does not drift. */
    @TearDown(Level.Iteration)
    public void emptyMailbox() throws IOException {
        deleteChildren(root.resolve("bench/Maildir/new"));
    }

    @TearDown(Level.Trial)
    public void removeAll() throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    @Benchmark
    public void deliver() throws StoreException {
        try (MessageContent content = MessageContent.ofBytes(message)) {
            store.deliver(user, content);
        }
    }

    private static void deleteChildren(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            try (Stream<Path> files = Files.list(dir)) {
                for (Path f : files.toList()) {
                    Files.deleteIfExists(f);
                }
            }
        }
    }
}
