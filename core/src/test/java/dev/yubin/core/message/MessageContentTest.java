package dev.yubin.core.message;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MessageContentTest {

    @TempDir
    Path dir;

    private static byte[] read(MessageContent content) throws IOException {
        try (InputStream in = content.openStream()) {
            return in.readAllBytes();
        }
    }

    @Test
    void prefixedReadsPrefixThenRest() throws IOException {
        MessageContent rest = MessageContent.ofBytes("Subject: hi\n\nbody\n".getBytes(US_ASCII));
        MessageContent view = MessageContent.prefixed("Return-Path: <a@b.jp>\n".getBytes(US_ASCII), rest);
        String expected = "Return-Path: <a@b.jp>\nSubject: hi\n\nbody\n";
        assertEquals(expected.length(), view.size());
        assertEquals(expected, new String(read(view), US_ASCII));
        assertEquals(expected, new String(read(view), US_ASCII), "re-readable");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertEquals(expected.length(), view.transferTo(Channels.newChannel(out)));
        assertEquals(expected, out.toString(US_ASCII));
    }

    @Test
    void prefixedOverAFileTransfersIntoAFileChannel() throws IOException {
        Path file = dir.resolve("body");
        byte[] body = new byte[100_000];
        for (int i = 0; i < body.length; i++) {
            body[i] = (byte) ('a' + i % 26);
        }
        Files.write(file, body);
        byte[] prefix = "X-Original-To: abe@example1.jp\n".getBytes(US_ASCII);
        MessageContent rest = MessageContent.ofFile(file, body.length, true);
        MessageContent view = MessageContent.prefixed(prefix, rest);
        Path target = dir.resolve("target");
        try (FileChannel out = FileChannel.open(target, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            assertEquals(prefix.length + body.length, view.transferTo(out));
        }
        byte[] written = Files.readAllBytes(target);
        byte[] expected = new byte[prefix.length + body.length];
        System.arraycopy(prefix, 0, expected, 0, prefix.length);
        System.arraycopy(body, 0, expected, prefix.length, body.length);
        assertArrayEquals(expected, written);

        view.close();
        assertTrue(Files.exists(file), "closing the view leaves the rest to its owner");
        rest.close();
        assertTrue(Files.notExists(file));
    }

    @Test
    void prefixedWithEmptyPrefixIsTheRest() throws IOException {
        MessageContent rest = MessageContent.ofBytes("x\n".getBytes(US_ASCII));
        MessageContent view = MessageContent.prefixed(new byte[0], rest);
        assertEquals(2, view.size());
        assertArrayEquals("x\n".getBytes(US_ASCII), read(view));
    }

    @Test
    void ofFileWithoutDeleteKeepsTheFile() throws IOException {
        Path file = dir.resolve("keep");
        Files.write(file, new byte[] {1, 2, 3});
        MessageContent content = MessageContent.ofFile(file, 3, false);
        assertArrayEquals(new byte[] {1, 2, 3}, read(content));
        content.close();
        assertTrue(Files.exists(file));
    }
}
