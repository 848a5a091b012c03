package dev.yubin.pop3.netty;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Frames the bytes of a POP3 server connection into {@link Pop3Frame}s, one per line. After a {@code STLS} line it
 * pauses (a {@linkplain Pop3Frame#barrier() barrier}) and keeps what follows unread until {@link #readCommands()}
 * (STLS was refused) or {@link #discardBuffered()} and then {@link #readCommands()} (TLS starts): so nothing the
 * client pipelined in plaintext behind STLS is ever read as a command (RFC 2595 §4, as CVE-2011-0411 for SMTP).
 * Other lines are framed eagerly, which keeps PIPELINING (RFC 2449 §6.6) cheap.
 *
 * <table>
 *   <caption>Framing rules</caption>
 *   <tr><th>input</th><th>rule</th></tr>
 *   <tr><td>line end</td><td>LF; a CR before it is dropped (bare LF tolerated for telnet users)</td></tr>
 *   <tr><td>longer than {@code maxLineLength} with the CRLF</td><td>{@link Pop3Frame#TOO_LONG} at once; the
 *     rest of the line is dropped as it comes</td></tr>
 *   <tr><td>octets</td><td>decoded as UTF-8 (malformed octets become U+FFFD)</td></tr>
 * </table>
 *
 * <p>Not thread-safe: confined to the channel's event loop; call {@link #readCommands()} there. Never throws on
 * client input.
 */
final class Pop3CommandDecoder extends ChannelInboundHandlerAdapter {
    private static final byte CR = '\r';
    private static final byte LF = '\n';

    private final int maxLineLength;
    private final List<Pop3Frame> out = new ArrayList<>();
    private ChannelHandlerContext ctx;
    private ByteBuf cumulation;
    private boolean paused;
    private boolean discarding;
    private boolean closed;
    private boolean decoding;

    /** @param maxLineLength the longest line in octets, CRLF included (RFC 2449 §4: 255; Yubin's default 512) */
    Pop3CommandDecoder(int maxLineLength) {
        if (maxLineLength < 3) {
            throw new IllegalArgumentException("maxLineLength must be at least 3, got " + maxLineLength);
        }
        this.maxLineLength = maxLineLength;
    }

    /** Whether the decoder stopped after a barrier line and waits for {@link #readCommands()}. */
    boolean isPaused() {
        return paused;
    }

    /** Octets received and not yet framed. */
    int bufferedBytes() {
        return cumulation == null ? 0 : cumulation.readableBytes();
    }

    /** Goes on framing lines after a barrier. */
    void readCommands() {
        if (closed) {
            return;
        }
        paused = false;
        if (ctx != null) {
            decode();
        }
    }

    /** Drops what was received after the barrier line and is not yet framed; stays paused. Not while decoding. */
    void discardBuffered() {
        if (decoding) {
            throw new IllegalStateException("discardBuffered while decoding");
        }
        releaseCumulation();
    }

    /** Drops everything buffered and all further input; for a connection that is closing. */
    void discardInput() {
        closed = true;
        paused = false;
        if (!decoding) {
            releaseCumulation();
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
        if (closed) {
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

    private void decode() {
        if (decoding) {
            return;
        }
        decoding = true;
        try {
            while (true) {
                while (cumulation != null && cumulation.isReadable() && !paused && !closed && frame(cumulation)) {
                    // framed one line (or dropped part of a long one)
                }
                if (out.isEmpty()) {
                    break;
                }
                for (int i = 0; i < out.size() && !closed; i++) {
                    ctx.fireChannelRead(out.get(i));
                }
                out.clear();
            }
        } finally {
            decoding = false;
            out.clear();
            if (closed || cumulation != null && !cumulation.isReadable()) {
                releaseCumulation();
            } else if (cumulation != null) {
                cumulation.discardSomeReadBytes();
            }
        }
    }

    /** Frames one line from {@code in}; false when more input is needed. */
    private boolean frame(ByteBuf in) {
        int start = in.readerIndex();
        int readable = in.readableBytes();
        int lf = in.indexOf(start, start + readable, LF);
        if (discarding) {
            if (lf < 0) {
                in.skipBytes(readable);
                return false;
            }
            in.readerIndex(lf + 1);
            discarding = false;
            return true;
        }
        if (lf < 0) {
            if (readable >= maxLineLength) {
                in.skipBytes(readable);
                discarding = true;
                out.add(Pop3Frame.TOO_LONG);
                return true;
            }
            return false;
        }
        boolean crlf = lf > start && in.getByte(lf - 1) == CR;
        int length = (crlf ? lf - 1 : lf) - start;
        in.readerIndex(lf + 1);
        if (length + 2 > maxLineLength) {
            out.add(Pop3Frame.TOO_LONG);
            return true;
        }
        String line = in.toString(start, length, StandardCharsets.UTF_8);
        boolean barrier = isStls(line);
        out.add(new Pop3Frame(line, false, barrier));
        if (barrier) {
            paused = true;
        }
        return true;
    }

    private static boolean isStls(String line) {
        return line.length() >= 4 && line.regionMatches(true, 0, "STLS", 0, 4)
                && line.substring(4).isBlank();
    }
}
