package dev.yubin.benchmarks.imap;

import dev.yubin.imap.protocol.ImapWriter;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * Encodes untagged FETCH lines as a message list needs them: {@code FLAGS} only, or FLAGS INTERNALDATE RFC822.SIZE
 * ENVELOPE (the RFC 3501 §7.4.2 example message), {@code batch} messages per invocation into one buffer.
 */
@State(Scope.Benchmark)
@Fork(2)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class FetchEncodeBenchmark {
    @Param({"1", "100"})
    public int batch;

    private ImapWriter writer;
    private OffsetDateTime internalDate;
    private List<String> flags;

    @Setup(Level.Trial)
    public void setUp() {
        writer = new ImapWriter(64 * 1024);
        internalDate = OffsetDateTime.of(1996, 7, 17, 2, 44, 25, 0, ZoneOffset.ofHours(-7));
        flags = List.of("\\Seen", "$Forwarded");
    }

    @Benchmark
    public int flagsOnly() {
        writer.clear();
        for (int i = 1; i <= batch; i++) {
            writer.untagged().number(i).raw(" FETCH (UID ").number(4000 + i).raw(" FLAGS ").flagList(flags)
                    .closeList().crlf();
        }
        return writer.length();
    }

    @Benchmark
    public int envelope() {
        writer.clear();
        for (int i = 1; i <= batch; i++) {
            writer.untagged().number(i).raw(" FETCH (UID ").number(4000 + i).raw(" FLAGS ").flagList(flags)
                    .raw(" INTERNALDATE ").dateTime(internalDate).raw(" RFC822.SIZE ").number(4286)
                    .raw(" ENVELOPE (").string("Wed, 17 Jul 1996 02:23:25 -0700 (PDT)").sp()
                    .string("IMAP4rev1 WG mtg summary and minutes").sp();
            for (int k = 0; k < 3; k++) {
                address(writer.openList(), "Terry Gray", "gray", "cac.washington.edu").closeList().sp();
            }
            address(writer.openList(), null, "imap", "cac.washington.edu").closeList().sp();
            address(writer.openList(), null, "minutes", "CNRI.Reston.VA.US").sp();
            address(writer, "John Klensin", "KLENSIN", "MIT.EDU").closeList().sp().nil().sp().nil().sp()
                    .string("<B27397-0100000@cac.washington.edu>").closeList().closeList().crlf();
        }
        return writer.length();
    }

    private static ImapWriter address(ImapWriter w, String name, String mailbox, String host) {
        return w.openList().nstring(Optional.ofNullable(name)).sp().nil().sp().string(mailbox).sp().string(host)
                .closeList();
    }
}
