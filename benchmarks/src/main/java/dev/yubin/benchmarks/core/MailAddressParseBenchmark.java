package dev.yubin.benchmarks.core;

import dev.yubin.core.address.AddressException;
import dev.yubin.core.address.MailAddress;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/** Parses a corpus of realistic addresses (ASCII, quoted, literals, IDN), the work done for every MAIL and RCPT. */
@State(Scope.Benchmark)
@Fork(2)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class MailAddressParseBenchmark {
    private String[] addresses;

    @Setup
    public void load() throws IOException {
        try (InputStream in = MailAddressParseBenchmark.class.getResourceAsStream("/addresses.txt")) {
            addresses = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
                    .filter(line -> !line.isBlank()).toArray(String[]::new);
        }
    }

    /** The whole corpus per invocation; divide by its size for the cost of one address. */
    @Benchmark
    public void parseCorpus(Blackhole blackhole) throws AddressException {
        for (String address : addresses) {
            blackhole.consume(MailAddress.parse(address));
        }
    }

    /** The common case: a plain ASCII address in a path, as in {@code RCPT TO:<abe@example1.jp>}. */
    @Benchmark
    public MailAddress parsePlainPath() throws AddressException {
        return MailAddress.parsePath("<abe@example1.jp>");
    }
}
