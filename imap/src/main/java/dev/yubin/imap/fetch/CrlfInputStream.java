package dev.yubin.imap.fetch;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * The stored octets as they go on the wire: every LF not preceded by CR becomes CRLF (RFC 3501 §2.2: CRLF line
 * ends), so a message stored with LF and one stored with CRLF read the same. Sizes and offsets of FETCH are in this
 * form. Not thread-safe.
 */
final class CrlfInputStream extends FilterInputStream {
    private boolean lastWasCr;
    private boolean pendingLf;

    CrlfInputStream(InputStream in) {
        super(in);
    }

    @Override
    public int read() throws IOException {
        if (pendingLf) {
            pendingLf = false;
            lastWasCr = false;
            return '\n';
        }
        int b = in.read();
        if (b == '\n' && !lastWasCr) {
            pendingLf = true;
            lastWasCr = true;
            return '\r';
        }
        lastWasCr = b == '\r';
        return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        if (length == 0) {
            return 0;
        }
        int n = 0;
        if (pendingLf) {
            buffer[offset + n++] = '\n';
            pendingLf = false;
            lastWasCr = false;
        }
        // read at most half the room, so that each LF can grow into CRLF in place
        int room = Math.max(1, (length - n) / 2);
        byte[] raw = new byte[room];
        int got = n < length ? in.read(raw, 0, Math.min(room, length - n)) : 0;
        if (got < 0) {
            return n == 0 ? -1 : n;
        }
        for (int i = 0; i < got; i++) {
            byte b = raw[i];
            if (b == '\n' && !lastWasCr) {
                buffer[offset + n++] = '\r';
                if (n < length) {
                    buffer[offset + n++] = '\n';
                    lastWasCr = false;
                } else {
                    pendingLf = true;
                    lastWasCr = true;
                }
            } else {
                buffer[offset + n++] = b;
                lastWasCr = b == '\r';
            }
        }
        return n;
    }

    @Override
    public long skip(long count) throws IOException {
        byte[] scratch = new byte[8192];
        long skipped = 0;
        while (skipped < count) {
            int n = read(scratch, 0, (int) Math.min(scratch.length, count - skipped));
            if (n < 0) {
                break;
            }
            skipped += n;
        }
        return skipped;
    }

    @Override
    public boolean markSupported() {
        return false;
    }
}
