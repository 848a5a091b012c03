package dev.yubin.core.message;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Path;

/**
 * The bytes of one message (header and body), sized and re-readable, in memory when small and in a file when
 * large. Line endings are LF, as in Postfix's and Dovecot's mail files; protocols convert to CRLF on the wire.
 *
 * <p>There is deliberately no method that returns the whole message as one array: read it with
 * {@link #openStream()} or copy it with {@link #transferTo(WritableByteChannel)} (a file-to-file copy then stays
 * in the kernel). Reads may happen concurrently from several threads; {@link #close()} releases the storage
 * (deletes a spool file) and must be called once, by the owner, after every reader is done.
 */
public interface MessageContent extends AutoCloseable {

    /** The size in octets, as stored (LF line endings). */
    long size();

    /** A new stream over the content from its first byte. */
    InputStream openStream() throws IOException;

    /** Writes the whole content to {@code target} and returns the number of bytes written. */
    long transferTo(WritableByteChannel target) throws IOException;

    /** Releases the storage behind this content. Idempotent. */
    @Override
    void close();

    /** Content held in memory; for small messages and test fixtures. The array is not copied. */
    static MessageContent ofBytes(byte[] bytes) {
        return new BytesContent(bytes);
    }

    /** Content of an existing file; when {@code deleteOnClose}, {@link #close()} deletes it. */
    static MessageContent ofFile(Path file, long size, boolean deleteOnClose) {
        return new FileContent(file, size, deleteOnClose);
    }

    /**
     * A view of {@code prefix} followed by {@code rest}, e.g. trace headers added by a delivery agent.
     * Closing the view does not close {@code rest}.
     */
    static MessageContent prefixed(byte[] prefix, MessageContent rest) {
        return new PrefixedContent(prefix, rest);
    }

    /** Writes all of {@code buffer} to {@code target}, looping over short writes. */
    static void writeFully(WritableByteChannel target, ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            target.write(buffer);
        }
    }
}
