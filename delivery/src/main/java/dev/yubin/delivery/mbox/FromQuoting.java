package dev.yubin.delivery.mbox;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/**
 * mboxrd quoting on the way into the file: a line that matches {@code >*From } gets one more {@code >}. Since only
 * {@code >} precede the match, the extra {@code >} is written just before {@code From }, so no more than four
 * bytes are ever held back. Tracks whether the last byte written was a line feed. Not thread-safe.
 */
final class FromQuoting extends FilterOutputStream {
    private static final byte[] FROM = {'F', 'r', 'o', 'm', ' '};

    /** At the start of a line, possibly after some {@code >}: still a candidate for quoting. */
    private boolean candidate = true;
    /** Bytes of {@code From } matched and held back. */
    private int matched;
    private boolean wroteAny;
    private int last = -1;

    FromQuoting(OutputStream out) {
        super(out);
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        int end = off + len;
        int runStart = off; // bytes from runStart to i pass through unchanged
        for (int i = off; i < end; i++) {
            byte c = b[i];
            if (!candidate) {
                if (c == '\n') {
                    candidate = true;
                }
                continue;
            }
            if (matched == 0 && c == '>') {
                continue;
            }
            if (c == FROM[matched]) {
                if (matched == 0) {
                    out.write(b, runStart, i - runStart); // the '>' run, then hold "From" back
                }
                matched++;
                runStart = i + 1;
                if (matched == FROM.length) {
                    out.write('>');
                    out.write(FROM);
                    matched = 0;
                    candidate = false;
                }
                continue;
            }
            if (matched > 0) {
                out.write(FROM, 0, matched);
                matched = 0;
            }
            candidate = c == '\n';
        }
        out.write(b, runStart, end - runStart);
        if (len > 0) {
            wroteAny = true;
            last = b[end - 1];
        }
    }

    /** Writes what is held back; call once at the end of the message. */
    void finish() throws IOException {
        if (matched > 0) {
            out.write(FROM, 0, matched);
            matched = 0;
        }
        candidate = true;
    }

    /** Whether the content so far is non-empty and does not end with a line feed. */
    boolean endsInsideLine() {
        return wroteAny && last != '\n';
    }

    @Override
    public void close() throws IOException {
        finish();
        flush();
    }
}
