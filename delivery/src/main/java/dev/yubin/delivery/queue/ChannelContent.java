package dev.yubin.delivery.queue;

import dev.yubin.core.message.MessageContent;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;

/**
 * The content part of an open queue file: {@code size} bytes from {@code offset}. Reads are positional, so they
 * may run concurrently and keep working after the file is renamed or unlinked. {@link #close()} closes the channel.
 */
final class ChannelContent implements MessageContent {
    private final FileChannel channel;
    private final long offset;
    private final long size;

    ChannelContent(FileChannel channel, long offset, long size) {
        this.channel = channel;
        this.offset = offset;
        this.size = size;
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public InputStream openStream() {
        return new RangeStream(channel, offset, offset + size);
    }

    @Override
    public long transferTo(WritableByteChannel target) throws IOException {
        long done = 0;
        while (done < size) {
            long n = channel.transferTo(offset + done, size - done, target);
            if (n <= 0 && channel.size() < offset + size) {
                throw new IOException("queue file shorter than its content size");
            }
            done += n;
        }
        return done;
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close queue file", e);
        }
    }

    /** Positional reads of {@code [position, end)} of a channel, not moving the channel's own position. */
    static final class RangeStream extends InputStream {
        private final FileChannel channel;
        private final long end;
        private long position;

        RangeStream(FileChannel channel, long from, long end) {
            this.channel = channel;
            this.position = from;
            this.end = end;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] bytes, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            if (position >= end) {
                return -1;
            }
            int want = (int) Math.min(len, end - position);
            int n = channel.read(ByteBuffer.wrap(bytes, off, want), position);
            if (n < 0) {
                throw new IOException("queue file ends " + (end - position) + " bytes early");
            }
            position += n;
            return n;
        }

        @Override
        public long skip(long n) {
            long skipped = Math.max(0, Math.min(n, end - position));
            position += skipped;
            return skipped;
        }

        @Override
        public int available() {
            return (int) Math.min(Integer.MAX_VALUE, end - position);
        }
    }
}
