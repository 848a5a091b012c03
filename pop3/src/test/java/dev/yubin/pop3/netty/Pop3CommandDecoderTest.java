package dev.yubin.pop3.netty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class Pop3CommandDecoderTest {

    private static List<Pop3Frame> feed(Pop3CommandDecoder decoder, EmbeddedChannel channel, byte[] bytes,
            int[] chunks) {
        int offset = 0;
        for (int length : chunks) {
            channel.writeInbound(Unpooled.copiedBuffer(bytes, offset, length));
            offset += length;
        }
        List<Pop3Frame> frames = new ArrayList<>();
        for (Object frame = channel.readInbound(); frame != null; frame = channel.readInbound()) {
            frames.add((Pop3Frame) frame);
        }
        return frames;
    }

    private static void assertFramed(String input, List<Pop3Frame> expected, int maxLine) {
        byte[] bytes = input.getBytes(StandardCharsets.UTF_8);
        for (int split = 0; split <= bytes.length; split++) {
            Pop3CommandDecoder decoder = new Pop3CommandDecoder(maxLine);
            EmbeddedChannel channel = new EmbeddedChannel(decoder);
            assertEquals(expected, feed(decoder, channel, bytes, new int[] {split, bytes.length - split}),
                    "split at " + split);
        }
        Pop3CommandDecoder decoder = new Pop3CommandDecoder(maxLine);
        int[] ones = new int[bytes.length];
        java.util.Arrays.fill(ones, 1);
        assertEquals(expected, feed(decoder, new EmbeddedChannel(decoder), bytes, ones), "byte by byte");
    }

    private static Pop3Frame line(String text) {
        return new Pop3Frame(text, false, false);
    }

    @Test
    void linesEndAtCrlfOrBareLf() {
        assertFramed("USER abe\r\nPASS pass word\nLIST\r\n",
                List.of(line("USER abe"), line("PASS pass word"), line("LIST")), 512);
    }

    @Test
    void aBareCrIsPartOfTheLine() {
        assertFramed("NOOP\rX\r\n", List.of(line("NOOP\rX")), 512);
    }

    @Test
    void tooLongLinesAreSignalledOnceAndDrained() {
        assertFramed("USER " + "x".repeat(40) + "\r\nQUIT\r\n", List.of(Pop3Frame.TOO_LONG, line("QUIT")), 20);
        assertFramed("x".repeat(18) + "\r\n", List.of(line("x".repeat(18))), 20);
        assertFramed("x".repeat(19) + "\r\n", List.of(Pop3Frame.TOO_LONG), 20);
    }

    @Test
    void stlsIsABarrierAndWhatFollowsCanBeDropped() {
        Pop3CommandDecoder decoder = new Pop3CommandDecoder(512);
        EmbeddedChannel channel = new EmbeddedChannel(decoder);
        List<Pop3Frame> frames = feed(decoder, channel,
                "CAPA\r\nstls\r\nUSER injected\r\n".getBytes(StandardCharsets.US_ASCII), new int[] {27});
        assertEquals(List.of(line("CAPA"), new Pop3Frame("stls", false, true)), frames);
        assertTrue(decoder.isPaused());
        assertTrue(decoder.bufferedBytes() > 0);
        decoder.discardBuffered();
        decoder.readCommands();
        assertNull(channel.readInbound());
        assertFalse(decoder.isPaused());
        channel.writeInbound(Unpooled.wrappedBuffer("CAPA\r\n".getBytes(StandardCharsets.US_ASCII)));
        assertEquals(line("CAPA"), channel.readInbound());
    }

    @Test
    void aRefusedStlsGoesOnWithTheBufferedLines() {
        Pop3CommandDecoder decoder = new Pop3CommandDecoder(512);
        EmbeddedChannel channel = new EmbeddedChannel(decoder);
        feed(decoder, channel, "STLS\r\nNOOP\r\n".getBytes(StandardCharsets.US_ASCII), new int[] {12});
        decoder.readCommands();
        assertEquals(line("NOOP"), channel.readInbound());
    }

    @Test
    void utf8IsDecoded() {
        assertFramed("USER \u963f\u90e8\r\n", List.of(line("USER \u963f\u90e8")), 512);
    }
}
