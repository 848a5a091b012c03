package dev.yubin.imap.protocol;

import java.io.IOException;

/**
 * Response octets produced a chunk at a time, for output too large to buffer: FETCH of message bodies, or of many
 * messages. The I/O shell pulls {@link #next()} on a thread that may block (never the event loop), writes each chunk
 * when the channel is writable, and closes the stream when it returns {@code null} or the connection fails.
 *
 * <p>Not thread-safe: used by one thread at a time, in order.
 */
public interface ResponseStream extends AutoCloseable {
    /** The size a chunk aims at (ARCHITECTURE.md §4: 64 KiB); one response line may make it somewhat larger. */
    int CHUNK = 64 * 1024;

    /** The next octets to write (never empty), or {@code null} at the end. May block. */
    byte[] next() throws IOException;

    /** Releases files and other resources; idempotent, never throws. */
    @Override
    void close();
}
