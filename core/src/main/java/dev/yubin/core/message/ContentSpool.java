package dev.yubin.core.message;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * Collects the bytes of an incoming message: in memory up to a threshold, then in a temporary file in the
 * spool directory (put it on the same file system as the mail stores, so delivery copies stay in the kernel).
 *
 * <p>{@link #finish()} hands the bytes over as a {@link MessageContent}; {@link #abort()} throws them away and
 * deletes the file. Neither flushes to stable storage: durability is the job of the {@link MailSink}.
 * Not thread-safe; one session writes it.
 */
public final class ContentSpool extends OutputStream {
    /** The default amount kept in memory before spilling to a file. */
    public static final int DEFAULT_MEMORY_THRESHOLD = 64 * 1024;

    private final Path directory;
    private final int memoryThreshold;
    private byte[] buffer = new byte[4096];
    private int buffered;
    private Path file;
    private FileChannel channel;
    private long size;
    private boolean done;

    /**
     * A spool that keeps up to {@code memoryThreshold} bytes in memory, then spills to a temporary file in
     * {@code directory} (created when needed).
     */
    public ContentSpool(Path directory, int memoryThreshold) {
        this.directory = directory;
        this.memoryThreshold = memoryThreshold;
    }

    /** Whether the content went to a file (closing or aborting the spool then does file I/O). */
    public boolean isInFile() {
        return file != null;
    }

    /** The number of bytes written so far. */
    public long size() {
        return size;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
        if (done) {
            throw new IOException("spool already finished");
        }
        if (channel == null && buffered + length > memoryThreshold) {
            spill();
        }
        if (channel != null) {
            MessageContent.writeFully(channel, ByteBuffer.wrap(bytes, offset, length));
        } else {
            if (buffered + length > buffer.length) {
                buffer = Arrays.copyOf(buffer, Math.min(memoryThreshold, Math.max(buffer.length * 2,
                        buffered + length)));
            }
            System.arraycopy(bytes, offset, buffer, buffered, length);
            buffered += length;
        }
        size += length;
    }

    private void spill() throws IOException {
        Files.createDirectories(directory);
        file = Files.createTempFile(directory, "spool", ".tmp");
        try {
            channel = FileChannel.open(file, StandardOpenOption.WRITE);
        } catch (IOException e) {
            Files.deleteIfExists(file); // abort() only deletes what has a channel
            throw e;
        }
        MessageContent.writeFully(channel, ByteBuffer.wrap(buffer, 0, buffered));
        buffer = null;
        buffered = 0;
    }

    /** Ends writing and returns the content; the caller owns it and must {@link MessageContent#close()} it. */
    public MessageContent finish() throws IOException {
        if (done) {
            throw new IOException("spool already finished");
        }
        done = true;
        if (channel == null) {
            return new BytesContent(buffer, buffered);
        }
        channel.close();
        channel = null; // the file now belongs to the content: a later abort() must not delete it
        return MessageContent.ofFile(file, size, true);
    }

    /** Discards everything written and deletes the spool file. Safe to call more than once. */
    public void abort() {
        done = true;
        buffer = null;
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // deleting below is what matters
            }
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // best effort: a leftover temp file is harmless and named *.tmp
            }
            channel = null;
        }
    }

    @Override
    public void close() {
        if (!done) {
            abort();
        }
    }
}
