package dev.yubin.delivery.mbox;

import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Reads a message that arrived with CRLF line ends (IMAP APPEND, RFC 3501 §6.3.11) with LF, as delivered mail is
 * stored, so that sizes and every reader of the mbox agree. A CR not followed by LF is kept. Not thread-safe.
 */
final class CrlfToLf extends FilterInputStream {
    /** A byte read ahead after a CR, or -1. */
    private int pushed = -1;

    CrlfToLf(InputStream in) {
        super(new BufferedInputStream(in, 64 * 1024));
    }

    @Override
    public int read() throws IOException {
        int c = pushed >= 0 ? pushed : in.read();
        pushed = -1;
        if (c != '\r') {
            return c;
        }
        int next = in.read();
        if (next == '\n') {
            return '\n';
        }
        pushed = next;
        return '\r';
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = 0;
        while (n < len) {
            int c = read();
            if (c < 0) {
                return n == 0 ? -1 : n;
            }
            b[off + n++] = (byte) c;
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        long skipped = 0;
        while (skipped < n && read() >= 0) {
            skipped++;
        }
        return skipped;
    }

    @Override
    public int available() {
        return 0;
    }

    @Override
    public boolean markSupported() {
        return false;
    }
}
