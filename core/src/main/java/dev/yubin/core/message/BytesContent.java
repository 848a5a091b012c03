package dev.yubin.core.message;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;

final class BytesContent implements MessageContent {
    private final byte[] bytes;
    private final int length;

    BytesContent(byte[] bytes) {
        this(bytes, bytes.length);
    }

    BytesContent(byte[] bytes, int length) {
        this.bytes = bytes;
        this.length = length;
    }

    @Override
    public long size() {
        return length;
    }

    @Override
    public InputStream openStream() {
        return new ByteArrayInputStream(bytes, 0, length);
    }

    @Override
    public long transferTo(WritableByteChannel target) throws IOException {
        MessageContent.writeFully(target, ByteBuffer.wrap(bytes, 0, length));
        return length;
    }

    @Override
    public void close() {
        // nothing to release
    }
}
