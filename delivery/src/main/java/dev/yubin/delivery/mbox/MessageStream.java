package dev.yubin.delivery.mbox;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * One message streamed from the mbox file through {@link Unquoting}, with positional reads on a channel that the
 * maildrop owns (closing the stream does not close it). Fails if the bytes do not add up to the indexed size,
 * which means another program changed the file in place. Not thread-safe.
 */
final class MessageStream extends InputStream {
    private static final int CHUNK = 16 * 1024;

    private final FileChannel channel;
    private final MboxEntry entry;
    private final Unquoting unquoting = Unquoting.producing(CHUNK + 64);
    private final byte[] raw = new byte[CHUNK];
    private long position;
    private boolean finished;
    private boolean closed;

    MessageStream(FileChannel channel, MboxEntry entry) {
        this.channel = channel;
        this.entry = entry;
        this.position = entry.contentStart();
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (closed) {
            throw new IOException("stream closed");
        }
        if (len == 0) {
            return 0;
        }
        while (unquoting.available() == 0) {
            if (finished) {
                return -1;
            }
            advance();
        }
        int n = unquoting.drain(b, off, len);
        return n;
    }

    private void advance() throws IOException {
        long remaining = entry.contentEnd() - position;
        if (remaining > 0) {
            ByteBuffer target = ByteBuffer.wrap(raw, 0, (int) Math.min(raw.length, remaining));
            int n = channel.read(target, position);
            if (n < 0) {
                throw new IOException("mbox truncated by another program while reading");
            }
            unquoting.feed(raw, 0, n);
            position += n;
            return;
        }
        if (entry.appendNewline()) {
            unquoting.feed((byte) '\n');
        }
        unquoting.finish();
        finished = true;
        if (unquoting.octets() != entry.size()) {
            throw new IOException("mbox changed by another program: message has " + unquoting.octets()
                    + " octets instead of " + entry.size());
        }
    }

    @Override
    public void close() {
        closed = true;
    }
}
