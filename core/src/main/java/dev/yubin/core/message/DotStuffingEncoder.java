package dev.yubin.core.message;

/**
 * Turns a stored message (LF line endings, as {@link dev.yubin.core.store.Maildrop#open} gives it) into dot-ended
 * wire text, chunk by chunk: the body of a POP3 multi-line response (RFC 1939 §3) or SMTP's DATA (RFC 5321
 * §4.5.2). Every LF becomes CRLF, a dot that begins a line is doubled, and {@link #finish} ends the text with
 * {@code .CRLF} after a CRLF of its own if the message did not end with a line break. For TOP (RFC 1939 §7) it passes the header, the blank line and at most
 * the given number of body lines, then reports {@link #isDone()}. Never holds more than the chunk it is given.
 *
 * <p>Every LF, and nothing else, gains a CR, so the octets sent are exactly {@code StoredMessage.wireSize()} plus
 * one per stuffed dot: what LIST announced. Not thread-safe; one instance per response.
 *
 * <table>
 *   <caption>Output size</caption>
 *   <tr><th>call</th><th>at most</th></tr>
 *   <tr><td>{@link #encode}</td><td>{@link #maxEncodedLength}{@code (length)}: twice the input</td></tr>
 *   <tr><td>{@link #finish}</td><td>{@value #MAX_TRAILER} octets</td></tr>
 * </table>
 */
public final class DotStuffingEncoder {
    /** The most octets {@link #finish} writes: CRLF, dot, CRLF. */
    public static final int MAX_TRAILER = 5;

    private static final byte CR = '\r';
    private static final byte LF = '\n';
    private static final byte DOT = '.';

    private final boolean limited;
    private boolean inBody;
    private int bodyLinesLeft;
    private boolean atLineStart = true;
    private boolean done;
    private long dotsStuffed;

    private DotStuffingEncoder(boolean limited, int bodyLines) {
        this.limited = limited;
        this.bodyLinesLeft = bodyLines;
    }

    /** An encoder for a whole message (RETR). */
    public static DotStuffingEncoder whole() {
        return new DotStuffingEncoder(false, 0);
    }

    /** An encoder for the header and the first {@code bodyLines} lines of the body (TOP). */
    public static DotStuffingEncoder top(int bodyLines) {
        if (bodyLines < 0) {
            throw new IllegalArgumentException("negative line count " + bodyLines);
        }
        return new DotStuffingEncoder(true, bodyLines);
    }

    /** The largest output of {@link #encode} for {@code length} input octets. */
    public static int maxEncodedLength(int length) {
        return 2 * length;
    }

    /** Whether TOP's lines are all written: further input is ignored and need not be read. */
    public boolean isDone() {
        return done;
    }

    /** The dots doubled so far. */
    public long dotsStuffed() {
        return dotsStuffed;
    }

    /**
     * Encodes {@code in[offset, offset + length)} into {@code out} from {@code outOffset}, which must have room for
     * {@link #maxEncodedLength}{@code (length)} octets, and returns the number of octets written.
     */
    public int encode(byte[] in, int offset, int length, byte[] out, int outOffset) {
        if (offset < 0 || length < 0 || offset + length > in.length) {
            throw new IndexOutOfBoundsException("offset " + offset + ", length " + length + ", array " + in.length);
        }
        if (outOffset < 0 || out.length - outOffset < maxEncodedLength(length)) {
            throw new IndexOutOfBoundsException("no room for " + maxEncodedLength(length) + " octets at " + outOffset
                    + " in " + out.length);
        }
        if (done) {
            return 0;
        }
        return limited ? encodeLimited(in, offset, length, out, outOffset) : encodeAll(in, offset, length, out,
                outOffset);
    }

    private int encodeAll(byte[] in, int offset, int length, byte[] out, int outOffset) {
        int o = outOffset;
        boolean lineStart = atLineStart;
        long dots = 0;
        for (int i = offset, end = offset + length; i < end; i++) {
            byte b = in[i];
            if (b == LF) {
                out[o++] = CR;
                out[o++] = LF;
                lineStart = true;
                continue;
            }
            if (lineStart && b == DOT) {
                out[o++] = DOT;
                dots++;
            }
            out[o++] = b;
            lineStart = false;
        }
        atLineStart = lineStart;
        dotsStuffed += dots;
        return o - outOffset;
    }

    private int encodeLimited(byte[] in, int offset, int length, byte[] out, int outOffset) {
        int o = outOffset;
        for (int i = offset, end = offset + length; i < end; i++) {
            byte b = in[i];
            if (b == LF) {
                out[o++] = CR;
                out[o++] = LF;
                if (inBody) {
                    bodyLinesLeft--;
                } else if (atLineStart) {
                    inBody = true; // the blank line after the header
                }
                atLineStart = true;
                if (inBody && bodyLinesLeft <= 0) {
                    done = true;
                    break;
                }
                continue;
            }
            if (atLineStart && b == DOT) {
                out[o++] = DOT;
                dotsStuffed++;
            }
            out[o++] = b;
            atLineStart = false;
        }
        return o - outOffset;
    }

    /**
     * Writes the end of the response into {@code out} from {@code outOffset} (room for {@value #MAX_TRAILER}
     * octets): a CRLF if the last line had none, then {@code .CRLF}. Returns the number of octets written.
     */
    public int finish(byte[] out, int outOffset) {
        if (outOffset < 0 || out.length - outOffset < MAX_TRAILER) {
            throw new IndexOutOfBoundsException("no room for the trailer at " + outOffset + " in " + out.length);
        }
        int o = outOffset;
        if (!atLineStart) {
            out[o++] = CR;
            out[o++] = LF;
            atLineStart = true;
        }
        out[o++] = DOT;
        out[o++] = CR;
        out[o++] = LF;
        done = true;
        return o - outOffset;
    }
}
