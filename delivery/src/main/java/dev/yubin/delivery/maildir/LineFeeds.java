package dev.yubin.delivery.maildir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * Counts LF bytes, for the {@code W=} (CRLF size) field. Reads back the file just written, through a per-thread
 * direct buffer: the data is in the page cache, and this keeps file-to-file copies in the kernel instead of
 * routing them through a counting channel (which the JDK would feed through a heap buffer).
 */
final class LineFeeds {
    private static final int BUFFER_SIZE = 64 * 1024;
    private static final long LF_BYTES = 0x0A0A0A0A0A0A0A0AL;
    private static final long LOW_SEVEN = 0x7F7F7F7F7F7F7F7FL;
    private static final ThreadLocal<ByteBuffer> BUFFERS =
            ThreadLocal.withInitial(() -> ByteBuffer.allocateDirect(BUFFER_SIZE));

    private LineFeeds() {
    }

    /** The number of LFs in the first {@code length} bytes of {@code file}, read with positional reads. */
    static long count(FileChannel file, long length) throws IOException {
        ByteBuffer buffer = BUFFERS.get();
        long total = 0;
        long position = 0;
        while (position < length) {
            buffer.clear();
            if (length - position < buffer.capacity()) {
                buffer.limit((int) (length - position));
            }
            int n = file.read(buffer, position);
            if (n < 0) {
                throw new IOException("file shorter than written: " + position + " < " + length);
            }
            buffer.flip();
            total += count(buffer);
            position += n;
        }
        return total;
    }

    /** The number of LFs between the buffer's position and limit; the buffer is not changed. */
    static long count(ByteBuffer buffer) {
        long total = 0;
        int i = buffer.position();
        int end = buffer.limit();
        for (; i + Long.BYTES <= end; i += Long.BYTES) {
            // SWAR: a byte of v is zero exactly where the input byte was LF; count the zero bytes exactly.
            long v = buffer.getLong(i) ^ LF_BYTES;
            long nonZero = ((v & LOW_SEVEN) + LOW_SEVEN) | v | LOW_SEVEN;
            total += Long.bitCount(~nonZero);
        }
        for (; i < end; i++) {
            if (buffer.get(i) == '\n') {
                total++;
            }
        }
        return total;
    }
}
