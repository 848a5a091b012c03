package dev.yubin.core.message;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class DotStuffingEncoderTest {

    private record Case(String stored, String wire) {
    }

    private static final List<Case> RETR = List.of(
            new Case("", ".\r\n"),
            new Case("a\n", "a\r\n.\r\n"),
            new Case("a", "a\r\n.\r\n"),
            new Case("Subject: x\n\nbody\n", "Subject: x\r\n\r\nbody\r\n.\r\n"),
            new Case(".\n", "..\r\n.\r\n"),
            new Case("a\n.\nb\n", "a\r\n..\r\nb\r\n.\r\n"),
            new Case("a\n..x\n", "a\r\n...x\r\n.\r\n"),
            new Case("a.\n.b", "a.\r\n..b\r\n.\r\n"),
            new Case("\n\n", "\r\n\r\n.\r\n"),
            new Case(".", "..\r\n.\r\n"),
            // a stored CR is data: the LF after it still gains one, so the octets match wireSize exactly
            new Case("a\rb\n", "a\rb\r\n.\r\n"),
            new Case("x\r\n.\r\n", "x\r\r\n..\r\r\n.\r\n"));

    @Test
    void retrIsCrlfAndByteStuffedWhateverTheChunking() {
        for (Case c : RETR) {
            assertChunkings(c.stored(), c.wire(), DotStuffingEncoder::whole);
        }
    }

    @Test
    void topSendsTheHeaderTheBlankLineAndNLines() {
        String message = "From: a\nSubject: s\n\nline1\n.line2\nline3\n";
        assertChunkings(message, "From: a\r\nSubject: s\r\n\r\n.\r\n", () -> DotStuffingEncoder.top(0));
        assertChunkings(message, "From: a\r\nSubject: s\r\n\r\nline1\r\n.\r\n", () -> DotStuffingEncoder.top(1));
        assertChunkings(message, "From: a\r\nSubject: s\r\n\r\nline1\r\n..line2\r\n.\r\n",
                () -> DotStuffingEncoder.top(2));
        assertChunkings(message, "From: a\r\nSubject: s\r\n\r\nline1\r\n..line2\r\nline3\r\n.\r\n",
                () -> DotStuffingEncoder.top(99));
        assertChunkings("From: a\nSubject: s", "From: a\r\nSubject: s\r\n.\r\n", () -> DotStuffingEncoder.top(0));
        assertChunkings("\nbody\nmore\n", "\r\nbody\r\n.\r\n", () -> DotStuffingEncoder.top(1));
    }

    @Test
    void topStopsConsumingOnceDone() {
        DotStuffingEncoder encoder = DotStuffingEncoder.top(0);
        byte[] in = "H: v\n\nbody\n".getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[DotStuffingEncoder.maxEncodedLength(in.length)];
        int n = encoder.encode(in, 0, in.length, out, 0);
        assertEquals("H: v\r\n\r\n", new String(out, 0, n, StandardCharsets.US_ASCII));
        assertTrue(encoder.isDone());
        assertEquals(0, encoder.encode(in, 0, in.length, out, 0));
    }

    @Test
    void outputSizeIsWireSizePlusStuffedDots() {
        String stored = ".a\n.b\nc\n..\n";
        DotStuffingEncoder encoder = DotStuffingEncoder.whole();
        byte[] in = stored.getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[DotStuffingEncoder.maxEncodedLength(in.length)];
        int n = encoder.encode(in, 0, in.length, out, 0);
        long lf = stored.chars().filter(c -> c == '\n').count();
        assertEquals(in.length + lf + encoder.dotsStuffed(), n);
        assertEquals(3, encoder.dotsStuffed());
    }

    @Test
    void worstCaseFitsMaxEncodedLength() {
        for (String worst : List.of("\n\n\n\n", ".\n.\n.\n", "........")) {
            byte[] in = worst.getBytes(StandardCharsets.US_ASCII);
            byte[] out = new byte[DotStuffingEncoder.maxEncodedLength(in.length)];
            DotStuffingEncoder.whole().encode(in, 0, in.length, out, 0); // no IndexOutOfBounds
        }
        assertThrows(IndexOutOfBoundsException.class,
                () -> DotStuffingEncoder.whole().encode(new byte[4], 0, 4, new byte[7], 0));
        assertThrows(IndexOutOfBoundsException.class, () -> DotStuffingEncoder.whole().finish(new byte[4], 0));
    }

    /** Feeds {@code stored} whole, split at every position, and one byte at a time. */
    private static void assertChunkings(String stored, String wire, Supplier<DotStuffingEncoder> factory) {
        byte[] in = stored.getBytes(StandardCharsets.UTF_8);
        assertEquals(wire, run(factory.get(), in, new int[] {in.length}), "whole: " + stored);
        for (int split = 0; split <= in.length; split++) {
            assertEquals(wire, run(factory.get(), in, new int[] {split, in.length - split}),
                    "split at " + split + ": " + stored);
        }
        int[] ones = new int[in.length];
        java.util.Arrays.fill(ones, 1);
        assertEquals(wire, run(factory.get(), in, ones), "byte by byte: " + stored);
    }

    private static String run(DotStuffingEncoder encoder, byte[] in, int[] chunks) {
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        int offset = 0;
        for (int length : chunks) {
            byte[] out = new byte[DotStuffingEncoder.maxEncodedLength(length)];
            int n = encoder.encode(in, offset, length, out, 0);
            wire.write(out, 0, n);
            offset += length;
        }
        byte[] trailer = new byte[DotStuffingEncoder.MAX_TRAILER];
        wire.write(trailer, 0, encoder.finish(trailer, 0));
        return wire.toString(StandardCharsets.UTF_8);
    }
}
