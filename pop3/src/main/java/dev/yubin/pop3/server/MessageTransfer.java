package dev.yubin.pop3.server;

import dev.yubin.core.message.DotStuffingEncoder;
import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;
import java.util.function.LongConsumer;

/**
 * The content of one RETR or TOP response, to be streamed by the I/O shell: the stored octets, the encoder that
 * makes them a multi-line body, and the session's bookkeeping when done. The shell reads {@link #read} chunks of at
 * most {@link #CHUNK} octets on the session's executor (the stream may block), encodes and writes each when the
 * channel is writable, then calls {@link #finish} and never anything else; or {@link #abandon} if the connection
 * failed first.
 *
 * <p>Not thread-safe: used by one thread at a time, in order.
 */
public final class MessageTransfer implements AutoCloseable {
    /** The largest chunk read from the store at once (ARCHITECTURE.md §4: 64 KiB). */
    public static final int CHUNK = 64 * 1024;

    private final InputStream content;
    private final DotStuffingEncoder encoder;
    private final LongConsumer onFinished;
    private long octetsSent;
    private boolean closed;

    MessageTransfer(InputStream content, DotStuffingEncoder encoder, LongConsumer onFinished) {
        this.content = Objects.requireNonNull(content, "content");
        this.encoder = Objects.requireNonNull(encoder, "encoder");
        this.onFinished = Objects.requireNonNull(onFinished, "onFinished");
    }

    /** The encoder for this response (RETR: {@link DotStuffingEncoder#whole()}, TOP: a line limit). */
    public DotStuffingEncoder encoder() {
        return encoder;
    }

    /**
     * Reads up to {@code length} stored octets into {@code buffer}; -1 at the end of the message or once the encoder
     * {@linkplain DotStuffingEncoder#isDone() needs no more} (TOP). May block.
     */
    public int read(byte[] buffer, int offset, int length) throws IOException {
        if (closed || encoder.isDone()) {
            return -1;
        }
        return content.read(buffer, offset, Math.min(length, CHUNK));
    }

    /** Counts octets written to the client, for the session's log line. */
    public void sent(long octets) {
        octetsSent += octets;
    }

    /** The response went out whole: closes the content and tells the session. */
    public void finish() {
        close();
        onFinished.accept(octetsSent);
    }

    /** The connection failed before the end: closes the content; the session is told by its disconnect. */
    public void abandon() {
        close();
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            content.close();
        } catch (IOException e) {
            // reading is over; nothing to report
        }
    }
}
