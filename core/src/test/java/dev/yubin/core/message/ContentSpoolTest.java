package dev.yubin.core.message;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContentSpoolTest {
    private static final int THRESHOLD = 1024;

    @TempDir
    Path dir;

    private static byte[] randomBytes(int size) {
        byte[] bytes = new byte[size];
        new Random(size).nextBytes(bytes);
        return bytes;
    }

    private long spoolFiles() throws IOException {
        if (!Files.exists(dir)) {
            return 0;
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.count();
        }
    }

    private static byte[] readAll(MessageContent content) throws IOException {
        try (InputStream in = content.openStream()) {
            return in.readAllBytes();
        }
    }

    /** Writes in uneven chunks, with some single bytes, the way a decoder hands over network buffers. */
    private static void writeChunked(ContentSpool spool, byte[] data) throws IOException {
        int i = 0;
        int chunk = 1;
        while (i < data.length) {
            int n = Math.min(chunk, data.length - i);
            if (n == 1) {
                spool.write(data[i]);
            } else {
                spool.write(data, i, n);
            }
            i += n;
            chunk = chunk * 3 % 517 + 1;
        }
    }

    @Test
    void contentBelowThresholdStaysInMemory() throws IOException {
        byte[] data = randomBytes(THRESHOLD);
        try (ContentSpool spool = new ContentSpool(dir, THRESHOLD)) {
            writeChunked(spool, data);
            assertEquals(THRESHOLD, spool.size());
            assertEquals(0, spoolFiles(), "no file at or below the threshold");
            try (MessageContent content = spool.finish()) {
                assertEquals(THRESHOLD, content.size());
                assertArrayEquals(data, readAll(content));
                assertArrayEquals(data, readAll(content), "re-readable");
            }
        }
        assertEquals(0, spoolFiles());
    }

    @Test
    void contentAboveThresholdGoesToAFileAndReadsBackEqual() throws IOException {
        byte[] data = randomBytes(10 * THRESHOLD + 7);
        ContentSpool spool = new ContentSpool(dir, THRESHOLD);
        writeChunked(spool, data);
        assertEquals(1, spoolFiles(), "spilled to one file");
        MessageContent content = spool.finish();
        assertEquals(data.length, content.size());
        assertArrayEquals(data, readAll(content));
        assertArrayEquals(data, readAll(content), "re-readable");
        spool.close(); // closing a finished spool leaves the content alone
        assertArrayEquals(data, readAll(content));
        content.close();
        assertEquals(0, spoolFiles(), "closing the content deletes the spool file");
        content.close(); // idempotent
    }

    @Test
    void oneByteOverTheThresholdSpills() throws IOException {
        try (ContentSpool spool = new ContentSpool(dir, THRESHOLD)) {
            spool.write(randomBytes(THRESHOLD));
            assertEquals(0, spoolFiles());
            spool.write('x');
            assertEquals(1, spoolFiles());
            spool.abort();
        }
    }

    @Test
    void abortDeletesTheFile() throws IOException {
        ContentSpool spool = new ContentSpool(dir, THRESHOLD);
        spool.write(randomBytes(3 * THRESHOLD));
        assertEquals(1, spoolFiles());
        spool.abort();
        assertEquals(0, spoolFiles());
        spool.abort(); // safe twice
        assertThrows(IOException.class, () -> spool.write(1));
        assertThrows(IOException.class, spool::finish);
    }

    @Test
    void closeWithoutFinishDeletesTheFile() throws IOException {
        try (ContentSpool spool = new ContentSpool(dir, THRESHOLD)) {
            spool.write(randomBytes(3 * THRESHOLD));
            assertEquals(1, spoolFiles());
        }
        assertEquals(0, spoolFiles());
    }

    @Test
    void abortAfterFinishDoesNotDeleteTheFinishedContent() throws IOException {
        byte[] data = randomBytes(5 * THRESHOLD);
        ContentSpool spool = new ContentSpool(dir, THRESHOLD);
        spool.write(data);
        try (MessageContent content = spool.finish()) {
            spool.abort();
            assertArrayEquals(data, readAll(content));
        }
        assertEquals(0, spoolFiles());
    }

    @Test
    void finishTwiceFails() throws IOException {
        ContentSpool spool = new ContentSpool(dir, THRESHOLD);
        spool.write(1);
        spool.finish().close();
        assertThrows(IOException.class, spool::finish);
    }

    @Test
    void transferToAFileChannel() throws IOException {
        for (int size : new int[] {0, 100, 20 * THRESHOLD + 3}) {
            byte[] data = randomBytes(size);
            ContentSpool spool = new ContentSpool(dir.resolve("spool"), THRESHOLD);
            writeChunked(spool, data);
            Path target = dir.resolve("target-" + size);
            try (MessageContent content = spool.finish();
                    FileChannel out = FileChannel.open(target, StandardOpenOption.CREATE_NEW,
                            StandardOpenOption.WRITE)) {
                assertEquals(size, content.transferTo(out));
            }
            assertArrayEquals(data, Files.readAllBytes(target), "size " + size);
        }
    }

    @Test
    void transferToAStreamChannel() throws IOException {
        byte[] data = randomBytes(4 * THRESHOLD);
        ContentSpool spool = new ContentSpool(dir, THRESHOLD);
        spool.write(data);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (MessageContent content = spool.finish()) {
            assertEquals(data.length, content.transferTo(Channels.newChannel(out)));
        }
        assertArrayEquals(data, out.toByteArray());
    }

    @Test
    void spoolDirectoryIsCreatedOnlyWhenNeeded() throws IOException {
        Path nested = dir.resolve("a/b");
        try (ContentSpool spool = new ContentSpool(nested, THRESHOLD)) {
            spool.write(new byte[10]);
            assertFalse(Files.exists(nested));
            spool.write(new byte[2 * THRESHOLD]);
            assertTrue(Files.isDirectory(nested));
        }
    }
}
