package dev.yubin.imap.protocol;

import dev.yubin.core.message.MessageContent;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The resumable IMAP command parser (RFC 3501 §9, RFC 9051 §9, LITERAL+ RFC 7888). The I/O shell frames lines and
 * feeds them; the parser says when a literal follows and takes its octets; the command comes out once its last line
 * is in. It never throws on client input: bad input becomes {@link ImapCommand.Invalid} ({@code BAD}) or
 * {@link ImapCommand.Refused} ({@code NO}). Not thread-safe; one per connection, confined to the thread that feeds
 * it.
 *
 * <p>The feeding protocol:
 * <pre>
 *   Result r = parser.feedLine(line, 0, line.length);      // one line without its CRLF
 *   while (r instanceof NeedLiteral need) {
 *       if (need.synchronizing()) send("+ Ready for literal data");
 *       while (parser.literalRemaining() &gt; 0) parser.feedLiteral(bytes, off, len);  // returns octets taken
 *       r = parser.feedLine(nextLine, 0, nextLine.length); // the rest of the command after the literal
 *   }
 *   Complete c = (Complete) r;                             // c.tag(), c.command()
 * </pre>
 * A synchronizing literal the parser refuses (too large, too many) is answered at once: {@code feedLine} returns
 * {@link Complete} with the verdict, and the client, which waits for {@code +}, abandons the command. A refused
 * LITERAL+ literal is drained: {@link NeedLiteral#discarded()} says its octets will be thrown away, and the verdict
 * comes when the command's last line is in.
 *
 * <p>The literal that carries an APPEND message goes to a {@link LiteralSink} from the caller's factory, octet by
 * octet as fed, and ends up in {@link ImapCommand.Append#message()}; every other literal is kept in memory, up to
 * {@link ImapLimits#maxLiteralSize()}. If the connection ends in the middle of a command, call {@link #abort()}.
 *
 * <p>After {@code ENABLE UTF8=ACCEPT} (RFC 6855) call {@link #enableUtf8()}: mailbox names are then taken as UTF-8
 * instead of modified UTF-7.
 */
public final class ImapParser {

    /** What the shell does next. Immutable. */
    public sealed interface Result permits Complete, NeedLiteral {
    }

    /**
     * A whole command. Immutable, except that an APPEND's message is owned by whoever handles it.
     *
     * @param tag     the client's tag; {@code *} when the line had no usable tag, empty for {@code DONE}
     * @param command the command or the parser's verdict on it
     */
    public record Complete(String tag, ImapCommand command) implements Result {
    }

    /**
     * A literal of {@code size} octets follows the line just fed. Immutable.
     *
     * @param synchronizing whether the client waits for a {@code +} continuation first ({@code {n}} rather
     *                      than {@code {n+}})
     * @param discarded     whether the parser will throw the octets away because the command is already refused
     */
    public record NeedLiteral(long size, boolean synchronizing, boolean discarded) implements Result {
    }

    private static final byte[] EMPTY = new byte[0];

    private final ImapLimits limits;
    private final LiteralSink.Factory sinks;
    private boolean utf8;

    private final List<Object> segments = new ArrayList<>();
    private String tag = "*";
    private long commandLength;
    private int literalCount;
    private ImapCommand verdict;

    private long literalRemaining;
    private byte[] literalBuffer;
    private int literalFilled;
    private LiteralSink sink;
    private boolean discarding;
    private boolean inLiteral;

    /**
     * @param limits the bounds for this connection's state (use {@link ImapLimits#unauthenticated()} before login
     *               and a new parser after it)
     * @param sinks  where APPEND messages go
     */
    public ImapParser(ImapLimits limits, LiteralSink.Factory sinks) {
        this.limits = java.util.Objects.requireNonNull(limits, "limits");
        this.sinks = java.util.Objects.requireNonNull(sinks, "sinks");
    }

    /** The limits this parser applies. */
    public ImapLimits limits() {
        return limits;
    }

    /** From now on mailbox names are UTF-8 (RFC 6855 §3), not modified UTF-7. */
    public void enableUtf8() {
        utf8 = true;
    }

    /** Octets of the current literal still to come; 0 when the parser wants a line. */
    public long literalRemaining() {
        return inLiteral ? literalRemaining : 0;
    }

    /** Whether the parser is in the middle of a command (a literal or a continuation line is due). */
    public boolean isInCommand() {
        return !segments.isEmpty() || inLiteral;
    }

    /** A line in UTF-8, for tests and tools. */
    public Result feedLine(String line) {
        byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
        return feedLine(bytes, 0, bytes.length);
    }

    /**
     * One line without its CRLF: the start of a command, or its continuation after a literal.
     *
     * @throws IllegalStateException if literal octets are due (a bug in the shell, not client input)
     */
    public Result feedLine(byte[] bytes, int offset, int length) {
        if (inLiteral) {
            throw new IllegalStateException(literalRemaining + " literal octets are due, not a line");
        }
        byte[] line = java.util.Arrays.copyOfRange(bytes, offset, offset + length);
        boolean first = segments.isEmpty() && verdict == null;
        if (first) {
            tag = tagOf(line);
            if (isDone(line)) {
                tag = "";
                return complete(new ImapCommand.Done());
            }
        }
        commandLength += length;
        if (verdict == null && length > limits.maxLineLength()) {
            verdict = new ImapCommand.Invalid("Line too long (max " + limits.maxLineLength() + " octets)");
        } else if (verdict == null && commandLength > limits.maxCommandLength()) {
            verdict = new ImapCommand.Invalid("Command too long (max " + limits.maxCommandLength() + " octets)");
        }
        int brace = trailingLiteralStart(line);
        if (brace < 0) {
            if (verdict != null) {
                return complete(verdict);
            }
            segments.add(line);
            return complete(parse());
        }
        segments.add(line);
        boolean synchronizing = line[line.length - 2] != '+';
        long size = literalSize(line, brace);
        literalCount++;
        if (verdict == null) {
            verdict = admitLiteral(line, brace, size);
        }
        if (verdict != null) {
            if (synchronizing) {
                return complete(verdict);
            }
            discarding = true;
            startLiteral(size);
            return new NeedLiteral(size, false, true);
        }
        startLiteral(size);
        return new NeedLiteral(size, synchronizing, false);
    }

    /**
     * Octets of the literal announced by the last {@link NeedLiteral}; takes at most {@link #literalRemaining()}.
     *
     * @return how many octets were taken
     * @throws IllegalStateException if no literal is due
     */
    public int feedLiteral(byte[] bytes, int offset, int length) {
        if (!inLiteral) {
            throw new IllegalStateException("no literal is due");
        }
        int take = (int) Math.min(length, literalRemaining);
        if (discarding) {
            // dropped
        } else if (sink != null) {
            try {
                sink.write(bytes, offset, take);
            } catch (IOException e) {
                sinkFailed();
            }
        } else {
            System.arraycopy(bytes, offset, literalBuffer, literalFilled, take);
            literalFilled += take;
        }
        literalRemaining -= take;
        if (literalRemaining == 0) {
            endLiteral();
        }
        return take;
    }

    /** Forgets the command in progress, discarding any message spooled for it; for a connection that ends. */
    public void abort() {
        if (sink != null) {
            sink.abort();
            sink = null;
        }
        for (Object segment : segments) {
            if (segment instanceof MessageContent) {
                ((MessageContent) segment).close();
            }
        }
        reset();
    }

    private ImapCommand admitLiteral(byte[] line, int brace, long size) {
        if (size < 0) {
            return new ImapCommand.Invalid("Invalid literal size");
        }
        if (literalCount > limits.maxLiterals()) {
            return new ImapCommand.Invalid("Too many literals (max " + limits.maxLiterals() + ")");
        }
        if (isMessageLiteral(line, brace)) {
            if (size > limits.maxAppendSize()) {
                return new ImapCommand.Refused(ResponseCode.TOOBIG,
                        "Message too large (max " + limits.maxAppendSize() + " octets)");
            }
            try {
                sink = sinks.open(size);
            } catch (IOException e) {
                return new ImapCommand.Refused(ResponseCode.UNAVAILABLE, "Cannot store the message now");
            }
            return null;
        }
        if (size > limits.maxLiteralSize()) {
            return new ImapCommand.Invalid("Literal too large (max " + limits.maxLiteralSize() + " octets)");
        }
        if (commandLength + size > limits.maxCommandLength()) {
            return new ImapCommand.Invalid("Command too long (max " + limits.maxCommandLength() + " octets)");
        }
        literalBuffer = size == 0 ? EMPTY : new byte[(int) size];
        literalFilled = 0;
        commandLength += size;
        return null;
    }

    private void startLiteral(long size) {
        inLiteral = true;
        literalRemaining = size;
        if (size == 0) {
            endLiteral();
        }
    }

    private void endLiteral() {
        inLiteral = false;
        if (discarding) {
            discarding = false;
            return;
        }
        if (sink != null) {
            LiteralSink done = sink;
            sink = null;
            try {
                segments.add(done.finish());
            } catch (IOException e) {
                done.abort();
                verdict = new ImapCommand.Refused(ResponseCode.UNAVAILABLE, "Cannot store the message now");
            }
            return;
        }
        segments.add(new Inline(literalBuffer));
        literalBuffer = null;
    }

    private void sinkFailed() {
        sink.abort();
        sink = null;
        discarding = true;
        verdict = new ImapCommand.Refused(ResponseCode.UNAVAILABLE, "Cannot store the message now");
    }

    private Complete complete(ImapCommand command) {
        Complete result = new Complete(tag, command);
        if (command instanceof ImapCommand.Invalid || command instanceof ImapCommand.Refused) {
            abort();
        } else {
            reset();
        }
        return result;
    }

    private void reset() {
        segments.clear();
        tag = "*";
        commandLength = 0;
        literalCount = 0;
        verdict = null;
        literalRemaining = 0;
        literalBuffer = null;
        discarding = false;
        inLiteral = false;
    }

    private ImapCommand parse() {
        CommandReader reader = new CommandReader(segments, limits, utf8);
        ImapCommand command = reader.commandOrUnknown();
        if (command instanceof ImapCommand.Invalid || command instanceof ImapCommand.Unknown) {
            for (Object segment : segments) {
                if (segment instanceof MessageContent) {
                    ((MessageContent) segment).close();
                }
            }
        }
        return command;
    }

    /** Whether the literal ending {@code line} at {@code brace} is an APPEND message rather than a mailbox name. */
    private boolean isMessageLiteral(byte[] line, int brace) {
        byte[] first = (byte[]) segments.get(0);
        int i = indexOf(first, ' ', 0);
        if (i < 0) {
            return false;
        }
        int end = indexOf(first, ' ', i + 1);
        int nameEnd = end < 0 ? (first == line ? brace : first.length) : end;
        String name = new String(first, i + 1, Math.max(0, nameEnd - i - 1), StandardCharsets.US_ASCII);
        if (!name.equalsIgnoreCase("APPEND")) {
            return false;
        }
        if (literalCount > 1) {
            return true;
        }
        for (int k = nameEnd; k < brace; k++) {
            if (line[k] != ' ') {
                return true;
            }
        }
        return false;
    }

    private static int indexOf(byte[] bytes, char c, int from) {
        for (int i = from; i < bytes.length; i++) {
            if (bytes[i] == c) {
                return i;
            }
        }
        return -1;
    }

    /** The index of the {@code {} of a {@code {n}} or {@code {n+}} ending the line, or -1. */
    static int trailingLiteralStart(byte[] line) {
        int end = line.length - 1;
        if (end < 2 || line[end] != '}') {
            return -1;
        }
        int i = end - 1;
        if (line[i] == '+') {
            i--;
        }
        int digitsEnd = i;
        while (i >= 0 && line[i] >= '0' && line[i] <= '9') {
            i--;
        }
        if (i < 0 || i == digitsEnd || line[i] != '{') {
            return -1;
        }
        return i;
    }

    /** The size in a trailing literal, or -1 if it does not fit in 63 bits. */
    private static long literalSize(byte[] line, int brace) {
        long size = 0;
        for (int i = brace + 1; i < line.length && line[i] >= '0' && line[i] <= '9'; i++) {
            if (size > (Long.MAX_VALUE - 9) / 10) {
                return -1;
            }
            size = size * 10 + (line[i] - '0');
        }
        return size;
    }

    private static boolean isDone(byte[] line) {
        return line.length == 4 && (line[0] | 0x20) == 'd' && (line[1] | 0x20) == 'o' && (line[2] | 0x20) == 'n'
                && (line[3] | 0x20) == 'e';
    }

    /** The tag for replies: up to the first space, if every octet may be in a tag, else {@code *}. */
    private static String tagOf(byte[] line) {
        int i = 0;
        while (i < line.length && line[i] != ' ') {
            if (!CommandReader.isTagChar(line[i] & 0xff)) {
                return "*";
            }
            i++;
        }
        return i == 0 ? "*" : new String(line, 0, i, StandardCharsets.US_ASCII);
    }

    /** An in-memory literal, kept apart from the lines in {@link #segments}. */
    record Inline(byte[] bytes) {
    }

    static String upper(String s) {
        return s.toUpperCase(Locale.ROOT);
    }
}
