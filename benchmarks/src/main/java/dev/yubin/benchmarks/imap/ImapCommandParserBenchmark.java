package dev.yubin.benchmarks.imap;

import dev.yubin.core.message.MessageContent;
import dev.yubin.imap.protocol.ImapLimits;
import dev.yubin.imap.protocol.ImapParser;
import dev.yubin.imap.protocol.LiteralSink;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/** Parses the command lines of a Thunderbird session (capability, login, list, select, fetch, store, idle). */
@State(Scope.Benchmark)
@Fork(2)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class ImapCommandParserBenchmark {
    private static final String[] SESSION = {
        "1 capability",
        "2 authenticate PLAIN AGFiZQBwYXNzd29yZA==",
        "3 ID (\"name\" \"Thunderbird\" \"version\" \"128.5.0\")",
        "4 namespace",
        "5 list (SUBSCRIBED) \"\" \"*\" RETURN (SPECIAL-USE)",
        "6 select \"INBOX\"",
        "7 UID fetch 1:* (FLAGS)",
        "8 UID fetch 4120:4130 (UID RFC822.SIZE FLAGS BODY.PEEK[HEADER.FIELDS (From To Cc Bcc Subject Date"
                + " Message-ID Priority X-Priority References Newsgroups In-Reply-To Content-Type Reply-To)])",
        "9 UID fetch 4129 (UID RFC822.SIZE BODY.PEEK[])",
        "10 UID store 4129 +FLAGS (\\Seen)",
        "11 UID search UNDELETED SINCE 1-Jan-2026 NOT FROM \"noreply\"",
        "12 STATUS \"Sent\" (UIDNEXT MESSAGES UNSEEN RECENT)",
        "13 UID move 4100,4102:4105 \"Trash\"",
        "14 IDLE",
        "DONE",
        "15 logout",
    };

    private byte[][] lines;
    private ImapParser parser;

    @Setup(Level.Trial)
    public void setUp() {
        lines = new byte[SESSION.length][];
        for (int i = 0; i < SESSION.length; i++) {
            lines[i] = SESSION[i].getBytes(StandardCharsets.UTF_8);
        }
        parser = new ImapParser(ImapLimits.defaults(), size -> new LiteralSink() {
            private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

            @Override
            public void write(byte[] b, int offset, int length) {
                bytes.write(b, offset, length);
            }

            @Override
            public MessageContent finish() {
                return MessageContent.ofBytes(bytes.toByteArray());
            }

            @Override
            public void abort() {
            }
        });
    }

    /** Sixteen command lines per invocation. */
    @Benchmark
    public void parseSession(Blackhole blackhole) {
        for (byte[] line : lines) {
            blackhole.consume(parser.feedLine(line, 0, line.length));
        }
    }

    /** The header-fields FETCH Thunderbird sends for every new message list. */
    @Benchmark
    public ImapParser.Result parseHeaderFetch() {
        byte[] line = lines[7];
        return parser.feedLine(line, 0, line.length);
    }
}
