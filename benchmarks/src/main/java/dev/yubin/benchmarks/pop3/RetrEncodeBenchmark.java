package dev.yubin.benchmarks.pop3;

import dev.yubin.core.message.DotStuffingEncoder;
import java.nio.charset.StandardCharsets;
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
 * RETR's encoding of a stored message (LF line endings) into the wire form (CRLF, leading dots doubled, final
 * {@code .CRLF}), in the 64 KiB chunks the server reads, into one reused output buffer: the CPU cost per message
 * without I/O. Divide the size by the time for throughput. The message is a plain-text mail with a header of
 * typical length and 72-column body lines, one in 20 beginning with a dot (quoted text, signatures).
 */
@State(Scope.Benchmark)
@Fork(2)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class RetrEncodeBenchmark {
    private static final int CHUNK = 64 * 1024;

    /** Stored message size in octets. */
    @Param({"4096", "102400", "5242880"})
    public int size;

    private byte[] message;
    private byte[] out;
    private final byte[] trailer = new byte[DotStuffingEncoder.MAX_TRAILER];

    @Setup(Level.Trial)
    public void setUp() {
        StringBuilder text = new StringBuilder(size + 128)
                .append("Return-Path: <kato@example2.jp>\n")
                .append("Delivered-To: abe@example1.jp\n")
                .append("Received: from mail.example2.jp (mail.example2.jp [192.0.2.10])\n")
                .append("\tby mx.example1.jp (Yubin) with ESMTPS id 4Fb2kQ0xYz\n")
                .append("\tfor <abe@example1.jp>; Wed, 2 Dec 2026 10:00:00 +0900\n")
                .append("From: Kato <kato@example2.jp>\n")
                .append("To: Abe <abe@example1.jp>\n")
                .append("Subject: meeting notes\n")
                .append("Date: Wed, 2 Dec 2026 10:00:00 +0900\n")
                .append("Message-ID: <20261202100000.1234@example2.jp>\n")
                .append("MIME-Version: 1.0\n")
                .append("Content-Type: text/plain; charset=UTF-8\n\n");
        for (int line = 0; text.length() < size; line++) {
            text.append(line % 20 == 0 ? "." : "")
                    .append("The quick brown fox jumps over the lazy dog, line ").append(line)
                    .append(" of the body text.\n");
        }
        text.setLength(size - 1);
        text.append('\n');
        message = text.toString().getBytes(StandardCharsets.US_ASCII);
        out = new byte[DotStuffingEncoder.maxEncodedLength(CHUNK)];
    }

    /** Returns the octets that would be sent, so that nothing is optimised away. */
    @Benchmark
    public long encodeMessage() {
        DotStuffingEncoder encoder = DotStuffingEncoder.whole();
        long sent = 0;
        for (int offset = 0; offset < message.length; offset += CHUNK) {
            int length = Math.min(CHUNK, message.length - offset);
            sent += encoder.encode(message, offset, length, out, 0);
        }
        return sent + encoder.finish(trailer, 0);
    }
}
