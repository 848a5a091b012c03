package dev.yubin.benchmarks.smtp;

import dev.yubin.smtp.protocol.SmtpCommand;
import dev.yubin.smtp.protocol.SmtpCommandParser;
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

/** Parses the command lines of one typical ESMTP transaction, as an MTA pipelines them. */
@State(Scope.Benchmark)
@Fork(2)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class SmtpCommandParserBenchmark {
    private final String[] transaction = {
        "EHLO mail.example2.jp",
        "MAIL FROM:<kato@example2.jp> SIZE=2048 BODY=8BITMIME",
        "RCPT TO:<abe@example1.jp>",
        "RCPT TO:<sato@example1.jp>",
        "DATA",
        "QUIT",
    };

    /** Six command lines per invocation. */
    @Benchmark
    public void parseTransaction(Blackhole blackhole) {
        for (String line : transaction) {
            blackhole.consume(SmtpCommandParser.parse(line));
        }
    }

    /** The textbook's lowercase typing: {@code rcpt to:<abe@example1.jp>}. */
    @Benchmark
    public SmtpCommand parseLowercaseRcpt() {
        return SmtpCommandParser.parse("rcpt to:<abe@example1.jp>");
    }
}
