package dev.yubin.core.message;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;

final class PrefixedContent implements MessageContent {
    private final byte[] prefix;
    private final MessageContent rest;

    PrefixedContent(byte[] prefix, MessageContent rest) {
        this.prefix = prefix;
        this.rest = rest;
    }

    @Override
    public long size() {
        return prefix.length + rest.size();
    }

    @Override
    public InputStream openStream() throws IOException {
        return new SequenceInputStream(new ByteArrayInputStream(prefix), rest.openStream());
    }

    @Override
    public long transferTo(WritableByteChannel target) throws IOException {
        MessageContent.writeFully(target, ByteBuffer.wrap(prefix));
        return prefix.length + rest.transferTo(target);
    }

    @Override
    public void close() {
        // the rest belongs to the caller
    }
}
