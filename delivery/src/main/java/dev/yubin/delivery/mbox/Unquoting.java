package dev.yubin.delivery.mbox;

import java.util.Arrays;

/**
 * The reader's transformation of a message's raw bytes in the file into what {@code Maildrop.open} returns:
 * mboxrd unquoting ({@code >From } → {@code From }, {@code >>From } → {@code >From }) and CRLF → LF. The same
 * instance type counts octets and line feeds while the index is built and produces the bytes when a message is
 * read, so the sizes always match the stream.
 *
 * <p>Memory is constant: of a {@code >+From } prefix only the first {@code >} and up to four letters are held back
 * (the other {@code >} are emitted at once, which gives the same bytes). Not thread-safe.
 */
final class Unquoting {
    private static final byte[] FROM = {'F', 'r', 'o', 'm', ' '};

    private enum State { LINE_START, QUOTES, MATCHING, BODY }

    private State state = State.LINE_START;
    private int matched;
    private boolean pendingCr;
    private long octets;
    private long lineFeeds;
    /** Output buffer, or null when only counting. */
    private byte[] out;
    private int outLength;

    /** A transformation that only counts. */
    static Unquoting counting() {
        return new Unquoting(null);
    }

    /** A transformation that collects its output for {@link #drain}. */
    static Unquoting producing(int capacity) {
        return new Unquoting(new byte[capacity]);
    }

    private Unquoting(byte[] out) {
        this.out = out;
    }

    void feed(byte[] bytes, int offset, int length) {
        for (int i = offset, end = offset + length; i < end; i++) {
            feed(bytes[i]);
        }
    }

    void feed(byte b) {
        if (pendingCr) {
            pendingCr = false;
            if (b == '\n') {
                process(b);
                return;
            }
            process((byte) '\r');
        }
        if (b == '\r') {
            pendingCr = true;
            return;
        }
        process(b);
    }

    private void process(byte b) {
        switch (state) {
            case LINE_START:
                if (b == '>') {
                    state = State.QUOTES; // the first '>' is held back
                } else {
                    body(b);
                }
                break;
            case QUOTES:
                if (b == '>') {
                    emit(b);
                } else if (b == FROM[0]) {
                    matched = 1;
                    state = State.MATCHING;
                } else {
                    emit((byte) '>');
                    body(b);
                }
                break;
            case MATCHING:
                if (b == FROM[matched]) {
                    if (++matched == FROM.length) {
                        emit(FROM, FROM.length); // a quoted From_ line: the held '>' is dropped
                        state = State.BODY;
                    }
                } else {
                    emit((byte) '>');
                    emit(FROM, matched);
                    body(b);
                }
                break;
            default:
                body(b);
        }
    }

    private void body(byte b) {
        emit(b);
        state = b == '\n' ? State.LINE_START : State.BODY;
    }

    /** Emits what is held back; the message ends here. */
    void finish() {
        if (pendingCr) {
            pendingCr = false;
            process((byte) '\r');
        }
        if (state == State.QUOTES) {
            emit((byte) '>');
        } else if (state == State.MATCHING) {
            emit((byte) '>');
            emit(FROM, matched);
        }
        state = State.LINE_START;
    }

    /** Forgets the last line, which was a blank line ({@code "\n"} after unquoting): the mbox separator. */
    void dropSeparatorLine() {
        octets--;
        lineFeeds--;
    }

    long octets() {
        return octets;
    }

    long lineFeeds() {
        return lineFeeds;
    }

    int available() {
        return outLength;
    }

    /** Copies up to {@code length} produced bytes into {@code target}; returns how many. */
    int drain(byte[] target, int offset, int length) {
        int n = Math.min(length, outLength);
        System.arraycopy(out, 0, target, offset, n);
        System.arraycopy(out, n, out, 0, outLength - n);
        outLength -= n;
        return n;
    }

    private void emit(byte[] bytes, int length) {
        for (int i = 0; i < length; i++) {
            emit(bytes[i]);
        }
    }

    private void emit(byte b) {
        octets++;
        if (b == '\n') {
            lineFeeds++;
        }
        if (out != null) {
            if (outLength == out.length) {
                out = Arrays.copyOf(out, out.length * 2);
            }
            out[outLength++] = b;
        }
    }
}
