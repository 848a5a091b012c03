package dev.yubin.delivery.maildir;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LineFeedsTest {

    @Test
    void countsEveryLfAtEveryOffsetAndLength() {
        Random random = new Random(7);
        for (int length = 0; length < 40; length++) {
            byte[] bytes = new byte[length + 3];
            for (int i = 0; i < bytes.length; i++) {
                // bytes near LF and with the high bit set catch SWAR mistakes
                int pick = random.nextInt(6);
                bytes[i] = (byte) (pick == 0 ? '\n' : pick == 1 ? 0x8A : pick == 2 ? 0x0B : pick == 3 ? 0 : pick == 4
                        ? 0xFF : 0x09);
            }
            ByteBuffer direct = ByteBuffer.allocateDirect(bytes.length).put(bytes);
            for (int start = 0; start < 3; start++) {
                long expected = 0;
                for (int i = start; i < start + length; i++) {
                    expected += bytes[i] == '\n' ? 1 : 0;
                }
                direct.limit(start + length).position(start);
                assertEquals(expected, LineFeeds.count(direct), "length " + length + " start " + start);
            }
        }
    }

    @Test
    void countsAcrossBufferBoundariesOfAFile(@TempDir Path dir) throws IOException {
        byte[] bytes = new byte[200_003];
        long expected = 0;
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) (i % 77 == 0 || i % 65_536 == 65_535 ? '\n' : 'x');
            expected += bytes[i] == '\n' ? 1 : 0;
        }
        Path file = Files.write(dir.resolve("f"), bytes);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            assertEquals(expected, LineFeeds.count(channel, bytes.length));
            assertEquals(1, LineFeeds.count(channel, 1));
        }
    }
}
