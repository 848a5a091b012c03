package dev.yubin.smtp.netty;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Frames the bytes of an SMTP server connection into {@link SmtpFrame}s: command lines, DATA text (dot-unstuffed,
 * CRLF converted to LF) and BDAT chunks (RFC 3030), streamed in chunks of at most {@link #MAX_CHUNK} bytes; a
 * message is never held whole.
 *
 * <p><b>Mode switches are driven from outside.</b> After a command line whose verb may change the framing (DATA,
 * BDAT, QUIT, STARTTLS: a {@linkplain SmtpFrame.CommandLine#barrier() barrier}) the decoder stops and keeps the
 * following bytes unread until the session's answer is known and {@link #readCommands()}, {@link #readData()} or
 * {@link #readBdat(long, boolean)} is called. So text pipelined behind {@code DATA} is never parsed as commands
 * before the 354, and commands pipelined behind a refused {@code DATA} are never read as text. After the end of
 * DATA text or of a BDAT chunk it reads commands again by itself. Command lines without a barrier verb are framed
 * eagerly, which keeps pipelining (RFC 2920) fast.
 *
 * <table>
 *   <caption>Framing rules</caption>
 *   <tr><th>input</th><th>rule</th></tr>
 *   <tr><td>command line</td><td>ends at LF; a CR before it is dropped (bare LF tolerated for telnet users).
 *     Longer than {@code maxCommandLineLength} with the CRLF: {@link SmtpFrame.Signal#COMMAND_LINE_TOO_LONG}
 *     at once, and the rest of the line is drained (RFC 5321 §4.5.3.1.4)</td></tr>
 *   <tr><td>DATA line ending</td><td>CRLF and bare LF both end a line and are stored as LF; a CR not followed
 *     by LF is data</td></tr>
 *   <tr><td>DATA dot</td><td>a leading dot is removed (RFC 5321 §4.5.2)</td></tr>
 *   <tr><td>end of DATA</td><td>{@code <CR><LF>.<CR><LF>} only. If the DATA command itself ended with a bare
 *     LF (a human with netcat), {@code <LF>.<LF>} too. The mixed forms {@code <LF>.<CR><LF>} and
 *     {@code <CR><LF>.<LF>} never end the data: the line is unstuffed like any dotted line and stored as an
 *     empty line, as Postfix 3.9 does with {@code smtpd_forbid_bare_newline = normalize}. So nothing an MTA
 *     relays (it always sends CRLF) can smuggle a second message (CVE-2023-51764).</td></tr>
 *   <tr><td>DATA text line</td><td>longer than {@code maxTextLineLength} with the CRLF (not counting the
 *     stuffed dot): {@link SmtpFrame.Signal#CONTENT_LINE_TOO_LONG} once; the rest of the message is read and
 *     dropped up to the end of data (RFC 5321 §4.5.3.1.6)</td></tr>
 *   <tr><td>BDAT chunk</td><td>exactly the given number of octets, no dot handling; CRLF becomes LF, also
 *     when split across network reads or across chunks (RFC 3030 lets a sender cut anywhere): a CR that ends a
 *     read or a non-LAST chunk is held until the next octet of the message is seen. A CR still held at the end
 *     of the LAST chunk (even an empty one) is data. A command line other than BDAT drops a held CR, so that it
 *     never starts another message</td></tr>
 * </table>
 *
 * <p>Not thread-safe: confined to the channel's event loop, like every Netty handler; call the {@code read…}
 * methods there. Never throws on client input.
 */
public final class SmtpCommandDecoder extends ChannelInboundHandlerAdapter {
    /** The largest content chunk passed on, in bytes. */
    public static final int MAX_CHUNK = 64 * 1024;

    private static final byte CR = '\r';
    private static final byte LF = '\n';
    private static final int MIN_CHUNK = 256;

    /** What the decoder is reading. */
    public enum Mode {
        /** Command lines. */
        COMMAND,
        /** The rest of an over-long command line, which is dropped. */
        DISCARD,
        /** DATA text up to the end-of-data line. */
        DATA,
        /** The octets of one BDAT chunk. */
        BDAT,
        /** Nothing more: input is dropped (the connection is closing). */
        CLOSED
    }

    /** Where the DATA scanner is within a line. */
    private enum LineState { LINE_START, DOT, DOT_CR, IN_LINE, IN_LINE_CR }

    private final int maxCommandLineLength;
    private final int maxTextLineLength;
    private final List<SmtpFrame> out = new ArrayList<>();

    private ChannelHandlerContext ctx;
    private ByteBuf cumulation;
    private Mode mode = Mode.COMMAND;
    private boolean paused;
    private boolean decoding;
    private boolean lastCommandBareLf;

    // DATA state
    private LineState lineState;
    private boolean previousLineCrlf;
    private boolean bareLfEndAllowed;
    private long lineLength;
    private boolean textLineTooLong;

    // BDAT state
    private long bdatRemaining;
    private boolean bdatLast;
    /** A CR that ended a read or a non-LAST chunk: stored as LF if an LF follows, else as CR. */
    private boolean bdatHeldCr;

    // content chunk being filled
    private byte[] chunk;
    private int chunkLength;
    private int allocationHint;

    /**
     * @param maxCommandLineLength the longest command line in octets, CRLF included (RFC 5321: 512)
     * @param maxTextLineLength the longest DATA text line in octets, CRLF included (RFC 5321: 1000)
     */
    public SmtpCommandDecoder(int maxCommandLineLength, int maxTextLineLength) {
        if (maxCommandLineLength < 3 || maxTextLineLength < 3) {
            throw new IllegalArgumentException("line limits must be at least 3 octets: "
                    + maxCommandLineLength + ", " + maxTextLineLength);
        }
        this.maxCommandLineLength = maxCommandLineLength;
        this.maxTextLineLength = maxTextLineLength;
    }

    /** The current mode. */
    public Mode mode() {
        return mode;
    }

    /** Whether the decoder stopped after a barrier command line and waits for a {@code read…} call. */
    public boolean isPaused() {
        return paused;
    }

    /** Whether the session is inside message text: DATA or BDAT mode. */
    public boolean isReadingContent() {
        return mode == Mode.DATA || mode == Mode.BDAT;
    }

    /** Octets received and not yet framed (a partial line, or everything behind a barrier). */
    public int bufferedBytes() {
        return cumulation == null ? 0 : cumulation.readableBytes();
    }

    /** Goes on reading command lines after a barrier (e.g. DATA was refused). */
    public void readCommands() {
        resume(Mode.COMMAND);
    }

    /** Reads DATA text after a barrier (the 354 was sent), up to the end-of-data line. */
    public void readData() {
        lineState = LineState.LINE_START;
        previousLineCrlf = !lastCommandBareLf;
        bareLfEndAllowed = lastCommandBareLf;
        lineLength = 0;
        textLineTooLong = false;
        resume(Mode.DATA);
    }

    /**
     * Reads exactly {@code size} octets of a BDAT chunk after a barrier. A CR held from the chunk before is
     * resolved by this chunk's first octet; {@code last} says the message ends with this chunk (even an empty one),
     * so a CR held then is data, not the first half of a CRLF.
     */
    public void readBdat(long size, boolean last) {
        if (size < 0) {
            throw new IllegalArgumentException("negative BDAT size " + size);
        }
        bdatRemaining = size;
        bdatLast = last;
        resume(Mode.BDAT);
    }

    /** Drops everything buffered and all further input; for a connection that is closing. */
    public void discardInput() {
        mode = Mode.CLOSED;
        paused = false;
        if (!decoding) {
            releaseCumulation();
        }
    }

    /**
     * Drops the octets received after the barrier line and not yet framed, staying paused: after STARTTLS, what
     * the client sent in plaintext before the handshake must never be read as commands (RFC 3207 §5,
     * CVE-2011-0411). Call it on the event loop, outside {@code channelRead}.
     */
    public void discardBuffered() {
        if (decoding) {
            throw new IllegalStateException("discardBuffered while decoding");
        }
        releaseCumulation();
    }

    private void resume(Mode next) {
        if (mode == Mode.CLOSED) {
            return;
        }
        mode = next;
        paused = false;
        if (ctx != null) {
            decode();
        }
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        discardInput();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf)) {
            ctx.fireChannelRead(msg);
            return;
        }
        ByteBuf data = (ByteBuf) msg;
        if (mode == Mode.CLOSED) {
            data.release();
            return;
        }
        cumulation = cumulation == null ? data
                : ByteToMessageDecoder.MERGE_CUMULATOR.cumulate(ctx.alloc(), cumulation, data);
        decode();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        discardInput();
        ctx.fireChannelInactive();
    }

    private void releaseCumulation() {
        if (cumulation != null) {
            cumulation.release();
            cumulation = null;
        }
    }

    /**
     * Frames what can be framed now and passes it on. Re-entrant calls (a handler downstream resumes the decoder
     * while a frame is being passed on) only change the mode; the outer call goes on with it.
     */
    private void decode() {
        if (decoding) {
            return;
        }
        decoding = true;
        try {
            while (true) {
                decodeAvailable();
                if (out.isEmpty()) {
                    break;
                }
                for (int i = 0; i < out.size() && mode != Mode.CLOSED; i++) {
                    ctx.fireChannelRead(out.get(i));
                }
                out.clear();
            }
        } finally {
            decoding = false;
            out.clear();
            if (mode == Mode.CLOSED) {
                releaseCumulation();
            } else if (cumulation != null && !cumulation.isReadable()) {
                releaseCumulation();
            } else if (cumulation != null) {
                cumulation.discardSomeReadBytes();
            }
        }
    }

    private void decodeAvailable() {
        while (cumulation != null && cumulation.isReadable() && !paused) {
            boolean progress;
            switch (mode) {
                case COMMAND:
                    progress = decodeCommand(cumulation);
                    break;
                case DISCARD:
                    progress = discardLine(cumulation);
                    break;
                case DATA:
                    decodeData(cumulation);
                    progress = true;
                    break;
                case BDAT:
                    decodeBdat(cumulation);
                    progress = true;
                    break;
                default:
                    return;
            }
            if (!progress) {
                break;
            }
        }
        if (mode == Mode.BDAT && bdatRemaining == 0) {
            endBdatChunk();
        }
        flushChunk();
    }

    // ---- command lines --------------------------------------------------------------------------------------

    private boolean decodeCommand(ByteBuf in) {
        int start = in.readerIndex();
        int readable = in.readableBytes();
        int lf = in.indexOf(start, start + readable, LF);
        if (lf < 0) {
            if (readable >= maxCommandLineLength) {
                // Already too long and no end in sight: answer now, drain the rest as it comes.
                in.skipBytes(readable);
                mode = Mode.DISCARD;
                out.add(SmtpFrame.Signal.COMMAND_LINE_TOO_LONG);
                return true;
            }
            return false;
        }
        boolean crlf = lf > start && in.getByte(lf - 1) == CR;
        int length = (crlf ? lf - 1 : lf) - start;
        in.readerIndex(lf + 1);
        if (length + 2 > maxCommandLineLength) {
            out.add(SmtpFrame.Signal.COMMAND_LINE_TOO_LONG);
            return true;
        }
        String line = in.toString(start, length, StandardCharsets.UTF_8);
        boolean barrier = isBarrier(line);
        if (bdatHeldCr && !(barrier && isBdat(line))) {
            bdatHeldCr = false; // only a BDAT line leads to the next chunk; a new message must not start with it
        }
        lastCommandBareLf = !crlf;
        out.add(new SmtpFrame.CommandLine(line, barrier));
        if (barrier) {
            paused = true;
        }
        return true;
    }

    private boolean discardLine(ByteBuf in) {
        int lf = in.indexOf(in.readerIndex(), in.writerIndex(), LF);
        if (lf < 0) {
            in.skipBytes(in.readableBytes());
            return false;
        }
        in.readerIndex(lf + 1);
        mode = Mode.COMMAND;
        return true;
    }

    /**
     * Whether the verb may change the framing. The verb is found as the session's parser finds it (blanks
     * skipped, any case), so that every line the session could take for DATA or BDAT is a barrier.
     */
    static boolean isBarrier(String line) {
        int start = 0;
        int end = line.length();
        while (start < end && isBlank(line.charAt(start))) {
            start++;
        }
        int verbEnd = start;
        while (verbEnd < end && !isBlank(line.charAt(verbEnd))) {
            verbEnd++;
        }
        int length = verbEnd - start;
        if (length == 4) {
            return line.regionMatches(true, start, "DATA", 0, 4)
                    || line.regionMatches(true, start, "BDAT", 0, 4)
                    || line.regionMatches(true, start, "QUIT", 0, 4);
        }
        return length == 8 && line.regionMatches(true, start, "STARTTLS", 0, 8);
    }

    /** Whether a {@linkplain #isBarrier barrier} line is a BDAT command. */
    private static boolean isBdat(String line) {
        int start = 0;
        while (start < line.length() && isBlank(line.charAt(start))) {
            start++;
        }
        return line.regionMatches(true, start, "BDAT", 0, 4);
    }

    private static boolean isBlank(char c) {
        return c == ' ' || c == '\t';
    }

    // ---- DATA -----------------------------------------------------------------------------------------------

    /** Scans DATA text until the buffer is used up or the end-of-data line is found. */
    private void decodeData(ByteBuf in) {
        int index = in.readerIndex();
        final int end = in.writerIndex();
        allocationHint = end - index + 2;
        while (index < end) {
            switch (lineState) {
                case LINE_START:
                    if (in.getByte(index) == '.') {
                        index++;
                        lineState = LineState.DOT;
                    } else {
                        lineState = LineState.IN_LINE;
                    }
                    break;
                case DOT: {
                    byte b = in.getByte(index);
                    if (b == CR) {
                        index++;
                        lineState = LineState.DOT_CR;
                    } else if (b == LF) {
                        index++;
                        if (!previousLineCrlf && bareLfEndAllowed) {
                            endData(in, index);
                            return;
                        }
                        endLine(false);
                    } else {
                        lineState = LineState.IN_LINE; // the stuffed dot is dropped
                    }
                    break;
                }
                case DOT_CR:
                    if (in.getByte(index) == LF) {
                        index++;
                        if (previousLineCrlf) {
                            endData(in, index);
                            return;
                        }
                        endLine(true);
                    } else {
                        appendCr();
                        lineState = LineState.IN_LINE;
                    }
                    break;
                case IN_LINE_CR:
                    if (in.getByte(index) == LF) {
                        index++;
                        endLine(true);
                    } else {
                        appendCr();
                        lineState = LineState.IN_LINE;
                    }
                    break;
                default: {
                    int lf = in.indexOf(index, end, LF);
                    if (lf < 0) {
                        boolean trailingCr = in.getByte(end - 1) == CR;
                        appendText(in, index, (trailingCr ? end - 1 : end) - index);
                        index = end;
                        if (trailingCr) {
                            lineState = LineState.IN_LINE_CR;
                        }
                    } else {
                        boolean crlf = lf > index && in.getByte(lf - 1) == CR;
                        appendText(in, index, (crlf ? lf - 1 : lf) - index);
                        index = lf + 1;
                        endLine(crlf);
                    }
                    break;
                }
            }
        }
        in.readerIndex(end);
    }

    private void endLine(boolean crlf) {
        if (!textLineTooLong) {
            appendByte(LF);
        }
        previousLineCrlf = crlf;
        lineLength = 0;
        lineState = LineState.LINE_START;
    }

    private void endData(ByteBuf in, int index) {
        in.readerIndex(index);
        flushChunk();
        out.add(SmtpFrame.Signal.DATA_END);
        mode = Mode.COMMAND;
        lastCommandBareLf = false;
    }

    private void appendCr() {
        if (countLine(1)) {
            appendByte(CR);
        }
    }

    private void appendText(ByteBuf in, int index, int length) {
        if (length > 0 && countLine(length)) {
            appendBytes(in, index, length);
        }
    }

    /** Counts text line octets; false once the line (and so the message) is over the limit. */
    private boolean countLine(int length) {
        if (textLineTooLong) {
            return false;
        }
        lineLength += length;
        if (lineLength + 2 > maxTextLineLength) {
            textLineTooLong = true;
            flushChunk();
            out.add(SmtpFrame.Signal.CONTENT_LINE_TOO_LONG);
            return false;
        }
        return true;
    }

    // ---- BDAT -----------------------------------------------------------------------------------------------

    private void decodeBdat(ByteBuf in) {
        int start = in.readerIndex();
        int count = (int) Math.min(in.readableBytes(), bdatRemaining);
        int end = start + count;
        allocationHint = count + 2;
        bdatRemaining -= count;
        if (bdatHeldCr && count > 0) {
            bdatHeldCr = false;
            if (in.getByte(start) != LF) {
                appendByte(CR);
            }
        }
        int index = start;
        while (index < end) {
            int lf = in.indexOf(index, end, LF);
            if (lf < 0) {
                boolean hold = (bdatRemaining > 0 || !bdatLast) && in.getByte(end - 1) == CR;
                appendBytes(in, index, (hold ? end - 1 : end) - index);
                bdatHeldCr = hold;
                index = end;
            } else {
                boolean crlf = lf > index && in.getByte(lf - 1) == CR;
                appendBytes(in, index, (crlf ? lf - 1 : lf) - index);
                appendByte(LF);
                index = lf + 1;
            }
        }
        in.readerIndex(end);
        if (bdatRemaining == 0) {
            endBdatChunk();
        }
    }

    private void endBdatChunk() {
        if (bdatHeldCr && bdatLast) {
            bdatHeldCr = false;
            appendByte(CR);
        }
        flushChunk();
        out.add(SmtpFrame.Signal.BDAT_CHUNK_END);
        mode = Mode.COMMAND;
        lastCommandBareLf = false;
    }

    // ---- content chunks -------------------------------------------------------------------------------------

    private void appendBytes(ByteBuf in, int index, int length) {
        while (length > 0) {
            ensureChunkSpace();
            int n = Math.min(length, chunk.length - chunkLength);
            in.getBytes(index, chunk, chunkLength, n);
            chunkLength += n;
            index += n;
            length -= n;
        }
    }

    private void appendByte(byte b) {
        ensureChunkSpace();
        chunk[chunkLength++] = b;
    }

    private void ensureChunkSpace() {
        if (chunk != null && chunkLength == chunk.length) {
            flushChunk();
        }
        if (chunk == null) {
            int size = Math.max(MIN_CHUNK, Math.min(MAX_CHUNK, allocationHint));
            allocationHint = Math.max(0, allocationHint - size);
            chunk = new byte[size];
        }
    }

    private void flushChunk() {
        if (chunk != null && chunkLength > 0) {
            out.add(new SmtpFrame.Content(chunk, chunkLength));
            chunk = null;
            chunkLength = 0;
        }
    }
}
