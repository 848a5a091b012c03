package dev.yubin.benchmarks.mailserver;

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
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Building an embedded server before {@code start()}: {@code MailServer.builder()…build()} (its self-signed
 * certificate is made later, at the first TLS handshake), against {@code new GreenMail(setups)} and {@code setUser}.
 * Together with {@link ServerStartBenchmark} it is what a test pays before its first connection.
 */
@State(Scope.Benchmark)
@Fork(2)
@Warmup(iterations = 20)
@Measurement(iterations = 50)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class ServerBuildBenchmark {
    @Param({EmbeddedServer.YUBIN, EmbeddedServer.GREENMAIL})
    public String server;

    private EmbeddedServer built;

    @Benchmark
    public Object build() {
        built = EmbeddedServer.create(server, 1000);
        return built;
    }

    /** Nothing was started; dropping the reference is enough. */
    @TearDown(Level.Iteration)
    public void forget() {
        built = null;
    }
}
