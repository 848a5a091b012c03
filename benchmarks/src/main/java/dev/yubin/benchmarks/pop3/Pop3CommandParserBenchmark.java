package dev.yubin.benchmarks.pop3;

import dev.yubin.pop3.protocol.Pop3Command;
import dev.yubin.pop3.protocol.Pop3CommandParser;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/** Parses the command lines of one fetchmail-style POP3 session (login, listing, two messages, quit). */
@State(Scope.Benchmark)
@Fork(2)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class Pop3CommandParserBenchmark {
    private final String[] session = {
        "CAPA",
        "USER abe",
        "PASS password",
        "STAT",
        "UIDL",
        "LIST",
        "RETR 1",
        "DELE 1",
        "TOP 2 0",
        "RETR 2",
        "DELE 2",
        "QUIT",
    };

    /** Twelve command lines per invocation. */
    @Benchmark
    public void parseSession(Blackhole blackhole) {
        for (String line : session) {
            blackhole.consume(Pop3CommandParser.parse(line));
        }
    }

    /** The textbook's lowercase typing: {@code retr 1}. */
    @Benchmark
    public Pop3Command parseLowercaseRetr() {
        return Pop3CommandParser.parse("retr 1");
    }
}
