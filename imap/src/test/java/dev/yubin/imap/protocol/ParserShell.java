package dev.yubin.imap.protocol;

import dev.yubin.core.message.MessageContent;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * What the I/O shell will do, without sockets: frame CRLF lines, feed them, feed literal octets as they arrive, and
 * record every result and every {@code +} continuation it would send.
 */
final class ParserShell {
    final ImapParser parser;
    final List<Object> events = new ArrayList<>();
    final List<RecordingSink> sinks = new ArrayList<>();
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();

    ParserShell(ImapLimits limits) {
        parser = new ImapParser(limits, size -> {
            RecordingSink sink = new RecordingSink();
            sinks.add(sink);
            return sink;
        });
    }

    ParserShell() {
        this(ImapLimits.defaults());
    }

    /** Feeds {@code wire} in chunks cut at {@code cuts} (ascending offsets). */
    ParserShell receive(byte[] wire, int... cuts) {
        int from = 0;
        for (int cut : cuts) {
            receiveChunk(wire, from, cut);
            from = cut;
        }
        receiveChunk(wire, from, wire.length);
        return this;
    }

    ParserShell receiveBytewise(byte[] wire) {
        for (int i = 0; i < wire.length; i++) {
            receiveChunk(wire, i, i + 1);
        }
        return this;
    }

    private void receiveChunk(byte[] chunk, int from, int to) {
        int i = from;
        while (i < to) {
            if (parser.literalRemaining() > 0) {
                i += parser.feedLiteral(chunk, i, to - i);
                continue;
            }
            byte b = chunk[i++];
            if (b == '\n') {
                byte[] bytes = line.toByteArray();
                int length = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                line.reset();
                handle(parser.feedLine(bytes, 0, length));
            } else {
                line.write(b);
            }
        }
    }

    private void handle(ImapParser.Result result) {
        if (result instanceof ImapParser.NeedLiteral) {
            ImapParser.NeedLiteral need = (ImapParser.NeedLiteral) result;
            if (need.synchronizing()) {
                events.add("+");
            }
            if (need.discarded()) {
                events.add("discard " + need.size());
            }
            return;
        }
        ImapParser.Complete complete = (ImapParser.Complete) result;
        events.add(comparable(complete));
    }

    /** Results that compare by value: an APPEND's content becomes its text. */
    static Object comparable(ImapParser.Complete complete) {
        if (complete.command() instanceof ImapCommand.Append) {
            ImapCommand.Append append = (ImapCommand.Append) complete.command();
            return new AppendView(complete.tag(), append.mailbox(), append.flags(), append.internalDate().toString(),
                    text(append.message()));
        }
        return complete;
    }

    static String text(MessageContent content) {
        try (InputStream in = content.openStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    record AppendView(String tag, String mailbox, List<String> flags, String date, String content) {
    }

    /** Collects what the parser streams; finish() hands out the bytes. */
    static final class RecordingSink implements LiteralSink {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int writes;
        boolean finished;
        boolean aborted;

        @Override
        public void write(byte[] b, int offset, int length) {
            bytes.write(b, offset, length);
            writes++;
        }

        @Override
        public MessageContent finish() {
            finished = true;
            return MessageContent.ofBytes(bytes.toByteArray());
        }

        @Override
        public void abort() {
            aborted = true;
        }
    }
}
