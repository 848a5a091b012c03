package dev.yubin.core.message;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.atomic.AtomicBoolean;

final class FileContent implements MessageContent {
    private final Path file;
    private final long size;
    private final boolean deleteOnClose;
    private final AtomicBoolean closed = new AtomicBoolean();

    FileContent(Path file, long size, boolean deleteOnClose) {
        this.file = file;
        this.size = size;
        this.deleteOnClose = deleteOnClose;
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public InputStream openStream() throws IOException {
        return Files.newInputStream(file);
    }

    @Override
    public long transferTo(WritableByteChannel target) throws IOException {
        try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
            long position = 0;
            while (position < size) {
                long n = in.transferTo(position, size - position, target);
                if (n <= 0 && in.size() <= position) {
                    throw new IOException("spool file shorter than expected: " + file);
                }
                position += n;
            }
            return position;
        }
    }

    @Override
    public void close() {
        if (deleteOnClose && closed.compareAndSet(false, true)) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot delete spool file " + file, e);
            }
        }
    }

    @Override
    public String toString() {
        return "FileContent[" + file + ", " + size + " bytes]";
    }
}
