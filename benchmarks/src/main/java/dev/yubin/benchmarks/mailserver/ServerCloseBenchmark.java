package dev.yubin.benchmarks.mailserver;

import java.io.IOException;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@code close()} of an idle embedded server (SMTP, POP3 and IMAP, no connections), until its listeners and threads
 * have stopped: Yubin's {@code MailServer} against GreenMail's {@code stop()}. Each iteration closes a server
 * started in its set-up; this is what a test pays after each method with a per-method server.
 */
@State(Scope.Benchmark)
@Fork(2)
@Warmup(iterations = 20)
@Measurement(iterations = 50)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class ServerCloseBenchmark {
    @Param({EmbeddedServer.YUBIN, EmbeddedServer.GREENMAIL})
    public String server;

    private EmbeddedServer started;

    @Setup(Level.Iteration)
    public void start() throws IOException {
        started = EmbeddedServer.create(server, 1000);
        started.start();
    }

    @Benchmark
    public void close() {
        started.close();
    }
}
