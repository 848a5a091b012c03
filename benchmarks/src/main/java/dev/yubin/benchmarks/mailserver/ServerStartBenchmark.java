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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@code start()} of an embedded server with SMTP, POP3 and IMAP on free loopback ports, until all three are bound:
 * Yubin's {@code MailServer} against GreenMail, in the same run. Each iteration is one start of a server built in
 * its set-up (see {@link ServerBuildBenchmark}) and closed
 * in its tear-down. Single shots, so the figure is a warm JVM's; {@link ColdStart} gives the first start of a JVM.
 */
@State(Scope.Benchmark)
@Fork(2)
@Warmup(iterations = 20)
@Measurement(iterations = 50)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class ServerStartBenchmark {
    @Param({EmbeddedServer.YUBIN, EmbeddedServer.GREENMAIL})
    public String server;

    private EmbeddedServer built;

    @Setup(Level.Iteration)
    public void build() {
        built = EmbeddedServer.create(server, 1000);
    }

    /** Returns the bound IMAP port. */
    @Benchmark
    public int start() throws IOException {
        built.start();
        return built.imapPort();
    }

    @TearDown(Level.Iteration)
    public void close() {
        built.close();
    }
}
