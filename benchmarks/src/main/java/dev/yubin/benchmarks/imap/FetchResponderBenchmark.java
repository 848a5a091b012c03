package dev.yubin.benchmarks.imap;

import dev.yubin.core.message.MessageContent;
import dev.yubin.core.store.Flag;
import dev.yubin.core.store.Flags;
import dev.yubin.core.store.MessageInfo;
import dev.yubin.imap.fetch.FetchResponder;
import dev.yubin.imap.protocol.FetchItem;
import dev.yubin.imap.protocol.ImapCommand;
import dev.yubin.imap.protocol.ImapLimits;
import dev.yubin.imap.protocol.ImapParser;
import dev.yubin.imap.protocol.LiteralSink;
import dev.yubin.imap.protocol.ResponseStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Set;
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
 * One message's whole FETCH response as the server renders it ({@link FetchResponder}, from the stored LF content
 * to the CRLF octets on the wire), for what Thunderbird asks when it lists a folder and opens a message: the
 * header fields of its message list, ENVELOPE with BODYSTRUCTURE (a MIME parse), and {@code BODY.PEEK[]}. The
 * message is a multipart/alternative of {@code size} octets, held in memory (the store's file read is not
 * measured).
 */
@State(Scope.Benchmark)
@Fork(2)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class FetchResponderBenchmark {
    @Param({"4096", "65536"})
    public int size;

    private final FetchResponder responder = new FetchResponder(false);
    private byte[] message;
    private MessageInfo info;
    private List<FetchItem> headerFields;
    private List<FetchItem> envelopeAndStructure;
    private List<FetchItem> wholeBody;

    @Setup(Level.Trial)
    public void setUp() {
        message = multipartAlternative(size);
        info = new MessageInfo(4711, new Flags(Set.of(Flag.SEEN), Set.of("$Forwarded")), false,
                Instant.parse("2026-12-02T08:00:00Z"), message.length, message.length + lines(message));
        headerFields = items("a UID FETCH 4711 (UID RFC822.SIZE FLAGS BODY.PEEK[HEADER.FIELDS (From To Cc Bcc"
                + " Subject Date Message-ID Priority X-Priority References Newsgroups In-Reply-To Content-Type"
                + " Reply-To)])");
        envelopeAndStructure = items("a UID FETCH 4711 (UID FLAGS INTERNALDATE RFC822.SIZE ENVELOPE BODYSTRUCTURE)");
        wholeBody = items("a UID FETCH 4711 (UID BODY.PEEK[])");
    }

    @Benchmark
    public long headerFields() throws IOException {
        return drain(headerFields);
    }

    @Benchmark
    public long envelopeAndBodystructure() throws IOException {
        return drain(envelopeAndStructure);
    }

    @Benchmark
    public long wholeBody() throws IOException {
        return drain(wholeBody);
    }

    private long drain(List<FetchItem> items) throws IOException {
        long octets = 0;
        try (ResponseStream stream = responder.respond(1, info, items, () -> MessageContent.ofBytes(message))) {
            for (byte[] chunk = stream.next(); chunk != null; chunk = stream.next()) {
                octets += chunk.length;
            }
        }
        return octets;
    }

    private static List<FetchItem> items(String command) {
        ImapParser parser = new ImapParser(ImapLimits.defaults(),
                LiteralSink.spooling(Path.of(System.getProperty("java.io.tmpdir")), 1 << 16));
        ImapParser.Complete complete = (ImapParser.Complete) parser.feedLine(command);
        return ((ImapCommand.Fetch) complete.command()).items();
    }

    private static long lines(byte[] bytes) {
        long n = 0;
        for (byte b : bytes) {
            if (b == '\n') {
                n++;
            }
        }
        return n;
    }

    /** A text and an HTML part of about {@code size} octets together, LF line ends as stored. */
    static byte[] multipartAlternative(int size) {
        StringBuilder text = new StringBuilder();
        StringBuilder html = new StringBuilder("<html><body>\n");
        for (int i = 0; text.length() + html.length() < size - 900; i++) {
            String line = "Line " + i + " of the minutes: the working group discussed IDLE, MOVE and UIDPLUS.";
            text.append(line).append('\n');
            html.append("<p>").append(line).append("</p>\n");
        }
        html.append("</body></html>\n");
        String mail = "Return-Path: <kato@example1.jp>\n"
                + "Received: from mail.example2.jp (mail.example2.jp [192.0.2.25])\n"
                + "\tby mail.example1.jp (Yubin) with ESMTPS id 4Zx9Qk1nB2z9sW\n"
                + "\tfor <abe@example1.jp>; Wed, 2 Dec 2026 17:00:00 +0900\n"
                + "Date: Wed, 2 Dec 2026 17:00:00 +0900\n"
                + "From: =?UTF-8?B?5Yqg6Jek?= <kato@example2.jp>\n"
                + "To: Abe <abe@example1.jp>, \"Sato, Jiro\" <sato@example1.jp>\n"
                + "Cc: team@example1.jp\n"
                + "Subject: =?UTF-8?B?6K2w5LqL6Yyy?= minutes of the meeting\n"
                + "Message-ID: <20261202170000.4711@example2.jp>\n"
                + "In-Reply-To: <20261201090000.1@example1.jp>\n"
                + "MIME-Version: 1.0\n"
                + "Content-Type: multipart/alternative; boundary=\"=_b0undary\"\n"
                + "\n"
                + "--=_b0undary\n"
                + "Content-Type: text/plain; charset=UTF-8\n"
                + "Content-Transfer-Encoding: 8bit\n"
                + "\n"
                + text
                + "--=_b0undary\n"
                + "Content-Type: text/html; charset=UTF-8\n"
                + "Content-Transfer-Encoding: 8bit\n"
                + "\n"
                + html
                + "--=_b0undary--\n";
        return mail.getBytes(StandardCharsets.UTF_8);
    }
}
