package dev.yubin.delivery.maildir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * Stores a message that arrived with CRLF line ends (IMAP APPEND, RFC 3501 §6.3.11) the way the MDA stores
 * delivered mail: with LF, so that the {@code S=} and {@code W=} sizes and every reader agree. A CR not followed
 * by LF is kept.
 */
final class LineEnds {
    private static final int BUFFER_SIZE = 64 * 1024;

    private LineEnds() {
    }

    /** Copies {@code in} to {@code out}, CRLF becoming LF; returns the octets written. */
    static long copyAsLf(InputStream in, FileChannel out) throws IOException {
        byte[] input = new byte[BUFFER_SIZE];
        byte[] output = new byte[BUFFER_SIZE + 1];
        boolean pendingCr = false;
        long written = 0;
        int n;
        while ((n = in.read(input)) >= 0) {
            int k = 0;
            for (int i = 0; i < n; i++) {
                byte b = input[i];
                if (pendingCr) {
                    pendingCr = false;
                    if (b != '\n') {
                        output[k++] = '\r';
                    }
                }
                if (b == '\r') {
                    pendingCr = true;
                } else {
                    output[k++] = b;
                }
            }
            written += write(out, output, k);
        }
        if (pendingCr) {
            output[0] = '\r';
            written += write(out, output, 1);
        }
        return written;
    }

    private static int write(FileChannel out, byte[] bytes, int length) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(bytes, 0, length);
        while (buffer.hasRemaining()) {
            out.write(buffer);
        }
        return length;
    }
}
