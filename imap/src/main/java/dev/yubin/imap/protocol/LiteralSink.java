package dev.yubin.imap.protocol;

import dev.yubin.core.message.ContentSpool;
import dev.yubin.core.message.MessageContent;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Where {@link ImapParser} streams the octets of an APPEND message literal, so that a 50 MB message never sits in
 * the heap. The parser opens one sink per message literal through a {@link Factory} the caller provides, writes the
 * octets as they are fed, then calls {@link #finish()} (the content goes into the {@link ImapCommand.Append}) or
 * {@link #abort()} (the command failed). Confined to the thread that feeds the parser.
 */
public interface LiteralSink {

    /** Appends {@code length} octets. */
    void write(byte[] bytes, int offset, int length) throws IOException;

    /** All octets have been written; the content, which the APPEND command now owns. */
    MessageContent finish() throws IOException;

    /** Discards what was written; never throws. */
    void abort();

    /** Opens a sink for a message literal of {@code size} octets. */
    @FunctionalInterface
    interface Factory {
        /**
         * A sink for {@code size} octets.
         *
         * @throws IOException if no sink can be made; the parser answers the APPEND with {@code NO [UNAVAILABLE]}
         */
        LiteralSink open(long size) throws IOException;
    }

    /** A sink over a core {@link ContentSpool}. */
    static LiteralSink of(ContentSpool spool) {
        return new LiteralSink() {
            @Override
            public void write(byte[] bytes, int offset, int length) throws IOException {
                spool.write(bytes, offset, length);
            }

            @Override
            public MessageContent finish() throws IOException {
                return spool.finish();
            }

            @Override
            public void abort() {
                spool.abort();
            }
        };
    }

    /**
     * Sinks that keep up to {@code memoryThreshold} octets in memory and then move to a temporary file in
     * {@code directory} (put it on the same file system as the mail store, so that delivery is a rename).
     */
    static Factory spooling(Path directory, int memoryThreshold) {
        return size -> of(new ContentSpool(directory, memoryThreshold));
    }
}
