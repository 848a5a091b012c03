package dev.yubin.smtp.netty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ResourceLeakDetector;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class SmtpCommandDecoderTest {

    @BeforeAll
    static void paranoidLeakDetection() {
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
    }

    private final DecoderDriver driver = DecoderDriver.standard();

    // ---- command lines --------------------------------------------------------------------------------------

    @Test
    void commandLinesEndWithCrlf() {
        driver.assertFrames("EHLO client.example\r\nMAIL FROM:<kato@example1.jp>\r\nNOOP\r\n",
                List.of("CMD:EHLO client.example", "CMD:MAIL FROM:<kato@example1.jp>", "CMD:NOOP"));
    }

    @Test
    void bareLfEndsACommandLineForTelnetUsers() {
        driver.assertFrames("helo x\nmail from:<kato@example1.jp>\r\nrset\n",
                List.of("CMD:helo x", "CMD:mail from:<kato@example1.jp>", "CMD:rset"));
    }

    @Test
    void emptyLinesAndABareCrArePassedToTheSession() {
        driver.assertFrames("\r\n\nNO\rOP\r\n", List.of("CMD:", "CMD:", "CMD:NO\rOP"));
    }

    @Test
    void commandLineIsDecodedAsUtf8() {
        driver.assertFrames("MAIL FROM:<山田@例え.jp> SMTPUTF8\r\n", List.of("CMD:MAIL FROM:<山田@例え.jp> SMTPUTF8"));
    }

    @Test
    void malformedUtf8BecomesReplacementCharacters() {
        byte[] input = {'N', 'O', 'O', 'P', ' ', (byte) 0xff, (byte) 0xc3, '\r', '\n'};
        driver.assertFrames(input, List.of("CMD:NOOP \ufffd\ufffd"));
    }

    @Test
    void incompleteCommandLineWaitsForItsEnd() {
        assertEquals(List.of("CMD:NOOP"), driver.whole("NOOP\r\nRSE"));
    }

    @Test
    void commandLineOfExactlyTheLimitIsAccepted() {
        DecoderDriver small = DecoderDriver.withLimits(16, 1000);
        String fourteen = "NOOP 123456789";
        small.assertFrames(fourteen + "\r\n" + fourteen + "\n", List.of("CMD:" + fourteen, "CMD:" + fourteen));
    }

    @Test
    void commandLineOverTheLimitIsRefusedAndDrained() {
        DecoderDriver small = DecoderDriver.withLimits(16, 1000);
        small.assertFrames("NOOP 123456789X\r\nNOOP\r\n", List.of("COMMAND_LINE_TOO_LONG", "CMD:NOOP"));
        small.assertFrames("NOOP 123456789X\nNOOP\r\n", List.of("COMMAND_LINE_TOO_LONG", "CMD:NOOP"));
        small.assertFrames("NOOP " + "x".repeat(100) + "\r\nRSET\r\n", List.of("COMMAND_LINE_TOO_LONG", "CMD:RSET"));
    }

    @Test
    void overLongCommandLineIsAnsweredBeforeItsEnd() {
        DecoderDriver small = DecoderDriver.withLimits(16, 1000);
        assertEquals(List.of("COMMAND_LINE_TOO_LONG"), small.whole("x".repeat(40)));
        List<byte[]> pieces = List.of(DecoderDriver.bytes("x".repeat(40)), DecoderDriver.bytes("y".repeat(40)),
                DecoderDriver.bytes("zz\r\nQUIT\r\n"));
        assertEquals(List.of("COMMAND_LINE_TOO_LONG", "CMD*:QUIT"), small.run(pieces));
    }

    @Test
    void barrierVerbsAreFoundAsTheParserFindsThem() {
        assertTrue(SmtpCommandDecoder.isBarrier("DATA"));
        assertTrue(SmtpCommandDecoder.isBarrier("data"));
        assertTrue(SmtpCommandDecoder.isBarrier(" \tDaTa  "));
        assertTrue(SmtpCommandDecoder.isBarrier("DATA extra"));
        assertTrue(SmtpCommandDecoder.isBarrier("bdat 100 LAST"));
        assertTrue(SmtpCommandDecoder.isBarrier("QUIT"));
        assertTrue(SmtpCommandDecoder.isBarrier("StartTLS"));
        assertFalse(SmtpCommandDecoder.isBarrier("DATAX"));
        assertFalse(SmtpCommandDecoder.isBarrier("DAT"));
        assertFalse(SmtpCommandDecoder.isBarrier("MAIL FROM:<data@example.jp>"));
        assertFalse(SmtpCommandDecoder.isBarrier(""));
    }

    // ---- DATA -----------------------------------------------------------------------------------------------

    @Test
    void pipelinedTransactionIsFramedInOrder() {
        driver.assertFrames("MAIL FROM:<a@example.jp>\r\nRCPT TO:<b@example.jp>\r\nDATA\r\n"
                        + "Subject: hi\r\n\r\nbody\r\n.\r\nQUIT\r\n",
                List.of("CMD:MAIL FROM:<a@example.jp>", "CMD:RCPT TO:<b@example.jp>", "CMD*:DATA",
                        "TEXT:Subject: hi\n\nbody\n", "DATA_END", "CMD*:QUIT"));
    }

    @Test
    void sameFramesWhenTheSessionResumesFromInsideChannelRead() {
        DecoderDriver.standard().resumingInsideChannelRead().assertFrames(
                "MAIL FROM:<a@example.jp>\r\nDATA\r\nx\r\n.\r\nBDAT 3 LAST\r\nabcNOOP\r\n",
                List.of("CMD:MAIL FROM:<a@example.jp>", "CMD*:DATA", "TEXT:x\n", "DATA_END",
                        "CMD*:BDAT 3 LAST", "TEXT:abc", "BDAT_CHUNK_END", "CMD:NOOP"));
    }

    @Test
    void textBehindDataIsNotFramedBeforeTheSessionAnswers() {
        SmtpCommandDecoder decoder = new SmtpCommandDecoder(512, 1000);
        EmbeddedChannel channel = new EmbeddedChannel(decoder);
        channel.writeInbound(buffer("DATA\r\nRCPT TO:<evil@example.jp>\r\n.\r\n"));
        assertEquals(List.of("CMD*:DATA"), readAll(channel));
        assertTrue(decoder.isPaused());
        assertEquals("RCPT TO:<evil@example.jp>\r\n.\r\n".length(), decoder.bufferedBytes());
        channel.writeInbound(buffer("NOOP\r\n"));
        assertEquals(List.of(), readAll(channel));
        decoder.readData();
        assertEquals(List.of("TEXT:RCPT TO:<evil@example.jp>\n", "DATA_END", "CMD:NOOP"), readAll(channel));
        assertFalse(channel.finishAndReleaseAll());
    }

    @Test
    void commandsBehindARefusedDataAreCommands() {
        DecoderDriver.standard().refusingData().assertFrames("DATA\r\nRSET\r\nNOOP\r\n",
                List.of("CMD*:DATA", "CMD:RSET", "CMD:NOOP"));
    }

    @Test
    void leadingDotsAreUnstuffed() {
        driver.assertFrames("DATA\r\n..\r\n...x\r\n.y\r\n\r\n.\r\n",
                List.of("CMD*:DATA", "TEXT:.\n..x\ny\n\n", "DATA_END"));
    }

    @Test
    void emptyMessage() {
        driver.assertFrames("DATA\r\n.\r\nNOOP\r\n", List.of("CMD*:DATA", "DATA_END", "CMD:NOOP"));
    }

    @Test
    void bareLfLinesInCrlfDataAreStoredWithLf() {
        driver.assertFrames("DATA\r\na\nb\r\nc\n.\r\n.\r\n",
                List.of("CMD*:DATA", "TEXT:a\nb\nc\n\n", "DATA_END"));
    }

    @Test
    void bareCrIsData() {
        driver.assertFrames("DATA\r\nA\r.\r\nB\rC\r\r\n.\r\n",
                List.of("CMD*:DATA", "TEXT:A\r.\nB\rC\r\n", "DATA_END"));
        driver.assertFrames("DATA\r\n.\r.\r\n.\r\r\n.\r\n",
                List.of("CMD*:DATA", "TEXT:\r.\n\r\n", "DATA_END"));
    }

    @Test
    void telnetUserWithBareLfEndsDataWithLfDotLf() {
        driver.assertFrames("DATA\nSubject: t\n\nhello\n.\nQUIT\n",
                List.of("CMD*:DATA", "TEXT:Subject: t\n\nhello\n", "DATA_END", "CMD*:QUIT"));
        driver.assertFrames("data\nhello\r\n.\r\nquit\n",
                List.of("CMD*:data", "TEXT:hello\n", "DATA_END", "CMD*:quit"));
        driver.assertFrames("DATA\n.\n", List.of("CMD*:DATA", "DATA_END"));
    }

    // ---- smuggling (CVE-2023-51764 and kin): named regressions ----------------------------------------------

    @Test
    void smugglingLfDotCrlfDoesNotEndData() {
        driver.assertFrames("DATA\r\nA\n.\r\nMAIL FROM:<evil@example.jp>\r\n.\r\n",
                List.of("CMD*:DATA", "TEXT:A\n\nMAIL FROM:<evil@example.jp>\n", "DATA_END"));
    }

    @Test
    void smugglingCrlfDotLfDoesNotEndData() {
        driver.assertFrames("DATA\r\nA\r\n.\nMAIL FROM:<evil@example.jp>\r\n.\r\n",
                List.of("CMD*:DATA", "TEXT:A\n\nMAIL FROM:<evil@example.jp>\n", "DATA_END"));
    }

    @Test
    void smugglingLfDotLfDoesNotEndDataOfACrlfClient() {
        driver.assertFrames("DATA\r\nA\n.\nMAIL FROM:<evil@example.jp>\r\n.\r\n",
                List.of("CMD*:DATA", "TEXT:A\n\nMAIL FROM:<evil@example.jp>\n", "DATA_END"));
    }

    @Test
    void smugglingDotLfAsFirstLineDoesNotEndData() {
        driver.assertFrames("DATA\r\n.\nRSET\r\n.\r\n", List.of("CMD*:DATA", "TEXT:\nRSET\n", "DATA_END"));
    }

    @Test
    void smugglingCrDotCrDoesNotEndData() {
        driver.assertFrames("DATA\r\nA\r.\rMAIL FROM:<evil@example.jp>\r\n.\r\n",
                List.of("CMD*:DATA", "TEXT:A\r.\rMAIL FROM:<evil@example.jp>\n", "DATA_END"));
    }

    @Test
    void mixedEndingsDoNotEndDataOfABareLfClientEither() {
        driver.assertFrames("DATA\nA\r\n.\nB\n.\n", List.of("CMD*:DATA", "TEXT:A\n\nB\n", "DATA_END"));
        driver.assertFrames("DATA\nA\n.\r\nB\n.\n", List.of("CMD*:DATA", "TEXT:A\n\nB\n", "DATA_END"));
    }

    @Test
    void textLineOfExactlyTheLimitIsAccepted() {
        DecoderDriver small = DecoderDriver.withLimits(512, 10);
        small.assertFrames("DATA\r\n12345678\r\n.12345678\r\n.\r\n",
                List.of("CMD*:DATA", "TEXT:12345678\n12345678\n", "DATA_END"));
    }

    @Test
    void overLongTextLineIsSignalledOnceAndTheRestIsDropped() {
        DecoderDriver small = DecoderDriver.withLimits(512, 10);
        String input = "DATA\r\nshort\r\n123456789\r\nmore\r\n" + "x".repeat(30) + "\r\n.\r\nNOOP\r\n";
        byte[] bytes = DecoderDriver.bytes(input);
        List<List<byte[]>> feeds = new ArrayList<>();
        feeds.add(List.of(bytes));
        for (int split = 1; split < bytes.length; split++) {
            feeds.add(List.of(DecoderDriver.slice(bytes, 0, split), DecoderDriver.slice(bytes, split, bytes.length)));
        }
        for (List<byte[]> feed : feeds) {
            List<String> frames = small.run(feed);
            assertEquals(5, frames.size(), frames.toString());
            assertEquals("CMD*:DATA", frames.get(0));
            // the part of the long line read before the limit was crossed may or may not have been passed on
            assertTrue(frames.get(1).startsWith("TEXT:short\n") && "short\n12345678".startsWith(
                    frames.get(1).substring(5)), frames.get(1));
            assertEquals(List.of("CONTENT_LINE_TOO_LONG", "DATA_END", "CMD:NOOP"), frames.subList(2, 5));
        }
    }

    @Test
    void largeMessageIsPassedOnInChunks() {
        StringBuilder body = new StringBuilder();
        StringBuilder expected = new StringBuilder();
        for (int i = 0; body.length() < 300_000; i++) {
            String line = (i % 7 == 0 ? "." : "") + "line " + i + " " + "y".repeat(i % 90);
            body.append(i % 7 == 0 ? "." : "").append(line).append("\r\n");
            expected.append(line).append('\n');
        }
        String input = "DATA\r\n" + body + ".\r\nQUIT\r\n";
        List<String> expectedFrames = List.of("CMD*:DATA", "TEXT:" + expected, "DATA_END", "CMD*:QUIT");
        assertEquals(expectedFrames, driver.whole(input));
        byte[] bytes = DecoderDriver.bytes(input);
        List<byte[]> pieces = new ArrayList<>();
        for (int i = 0; i < bytes.length; i += 1500) {
            pieces.add(DecoderDriver.slice(bytes, i, Math.min(bytes.length, i + 1500)));
        }
        assertEquals(expectedFrames, driver.run(pieces));
    }

    // ---- BDAT -----------------------------------------------------------------------------------------------

    @Test
    void bdatChunkConvertsCrlf() {
        driver.assertFrames("BDAT 9 LAST\r\nAB\r\nCD\r\nEQUIT\r\n",
                List.of("CMD*:BDAT 9 LAST", "TEXT:AB\nCD\nE", "BDAT_CHUNK_END", "CMD*:QUIT"));
    }

    @Test
    void bdatHasNoDotHandling() {
        driver.assertFrames("BDAT 8\r\n.\r\n..\r\n.BDAT 1 LAST\r\n.",
                List.of("CMD*:BDAT 8", "TEXT:.\n..\n.", "BDAT_CHUNK_END", "CMD*:BDAT 1 LAST", "TEXT:.",
                        "BDAT_CHUNK_END"));
    }

    @Test
    void bdatCrlfSplitAcrossChunksBecomesLf() {
        driver.assertFrames("BDAT 3\r\nAB\rBDAT 3 LAST\r\n\nCD",
                List.of("CMD*:BDAT 3", "TEXT:AB", "BDAT_CHUNK_END", "CMD*:BDAT 3 LAST", "TEXT:\nCD",
                        "BDAT_CHUNK_END"));
    }

    @Test
    void bdatCrlfSplitAcrossFixedSizeChunksBecomesLf() {
        // "a\r\nb\r\nc\r\n" cut every 2 octets: two of its CRLFs are split between chunks
        driver.assertFrames("BDAT 2\r\na\rBDAT 2\r\n\nbBDAT 2\r\n\r\nBDAT 2\r\nc\rBDAT 1 LAST\r\n\n",
                List.of("CMD*:BDAT 2", "TEXT:a", "BDAT_CHUNK_END", "CMD*:BDAT 2", "TEXT:\nb", "BDAT_CHUNK_END",
                        "CMD*:BDAT 2", "TEXT:\n", "BDAT_CHUNK_END", "CMD*:BDAT 2", "TEXT:c", "BDAT_CHUNK_END",
                        "CMD*:BDAT 1 LAST", "TEXT:\n", "BDAT_CHUNK_END"));
    }

    @Test
    void bdatCrAtTheEndOfTheLastChunkIsKept() {
        driver.assertFrames("BDAT 2\r\nABBDAT 2 LAST\r\nC\rNOOP\r\n",
                List.of("CMD*:BDAT 2", "TEXT:AB", "BDAT_CHUNK_END", "CMD*:BDAT 2 LAST", "TEXT:C\r", "BDAT_CHUNK_END",
                        "CMD:NOOP"));
    }

    @Test
    void bdatLoneCrAtTheEndOfAChunkIsKeptBeforeOtherOctets() {
        driver.assertFrames("BDAT 3\r\nAB\rBDAT 2 LAST\r\nxy",
                List.of("CMD*:BDAT 3", "TEXT:AB", "BDAT_CHUNK_END", "CMD*:BDAT 2 LAST", "TEXT:\rxy",
                        "BDAT_CHUNK_END"));
        driver.assertFrames("BDAT 3\r\nAB\rBDAT 2 LAST\r\n\r\r",
                List.of("CMD*:BDAT 3", "TEXT:AB", "BDAT_CHUNK_END", "CMD*:BDAT 2 LAST", "TEXT:\r\r\r",
                        "BDAT_CHUNK_END"));
    }

    @Test
    void bdatCrHeldAtTheEndOfAChunkEndsAnEmptyLastChunk() {
        driver.assertFrames("BDAT 3\r\nAB\rBDAT 0 LAST\r\nNOOP\r\n",
                List.of("CMD*:BDAT 3", "TEXT:AB", "BDAT_CHUNK_END", "CMD*:BDAT 0 LAST", "TEXT:\r", "BDAT_CHUNK_END",
                        "CMD:NOOP"));
    }

    @Test
    void bdatCrHeldAtTheEndOfAChunkSurvivesAnEmptyChunk() {
        driver.assertFrames("BDAT 1\r\n\rBDAT 0\r\nBDAT 1 LAST\r\n\n",
                List.of("CMD*:BDAT 1", "BDAT_CHUNK_END", "CMD*:BDAT 0", "BDAT_CHUNK_END", "CMD*:BDAT 1 LAST",
                        "TEXT:\n", "BDAT_CHUNK_END"));
    }

    @Test
    void bdatCrHeldAtTheEndOfAChunkIsDroppedByAnotherCommand() {
        // RSET (or MAIL, RCPT...) ends or refuses the message: its CR must not start the next one
        driver.assertFrames("BDAT 3\r\nAB\rRSET\r\nBDAT 2 LAST\r\nxy",
                List.of("CMD*:BDAT 3", "TEXT:AB", "BDAT_CHUNK_END", "CMD:RSET", "CMD*:BDAT 2 LAST", "TEXT:xy",
                        "BDAT_CHUNK_END"));
        driver.assertFrames("BDAT 3\r\nAB\rDATA\r\nxy\r\n.\r\n",
                List.of("CMD*:BDAT 3", "TEXT:AB", "BDAT_CHUNK_END", "CMD*:DATA", "TEXT:xy\n", "DATA_END"));
    }

    @Test
    void bdatBareCrAndBareLfAreData() {
        driver.assertFrames("BDAT 7 LAST\r\nA\rB\nC\r\r",
                List.of("CMD*:BDAT 7 LAST", "TEXT:A\rB\nC\r\r", "BDAT_CHUNK_END"));
    }

    @Test
    void bdatCrlfSplitAtEveryNetworkBoundaryIsConverted() {
        driver.assertFrames("BDAT 12\r\n\r\n\r\n\r\n\r\n\r\n\r\nNOOP\r\n",
                List.of("CMD*:BDAT 12", "TEXT:\n\n\n\n\n\n", "BDAT_CHUNK_END", "CMD:NOOP"));
    }

    @Test
    void bdatWithBinaryOctets() {
        byte[] head = DecoderDriver.bytes("BDAT 4 LAST\r\n");
        byte[] input = new byte[head.length + 4];
        System.arraycopy(head, 0, input, 0, head.length);
        input[head.length] = 0;
        input[head.length + 1] = (byte) 0xff;
        input[head.length + 2] = '\r';
        input[head.length + 3] = (byte) 0x80;
        List<String> frames = driver.run(List.of(input));
        assertEquals(3, frames.size());
        assertEquals(List.of("CMD*:BDAT 4 LAST", "BDAT_CHUNK_END"), List.of(frames.get(0), frames.get(2)));
    }

    @Test
    void largeBdatChunkIsPassedOnInChunks() {
        String payload = "z".repeat(200_000);
        List<String> frames = driver.whole("BDAT 200000 LAST\r\n" + payload + "QUIT\r\n");
        assertEquals(List.of("CMD*:BDAT 200000 LAST", "TEXT:" + payload, "BDAT_CHUNK_END", "CMD*:QUIT"), frames);
    }

    // ---- lifecycle ------------------------------------------------------------------------------------------

    @Test
    void discardInputDropsBufferedAndFutureBytes() {
        SmtpCommandDecoder decoder = new SmtpCommandDecoder(512, 1000);
        EmbeddedChannel channel = new EmbeddedChannel(decoder);
        ByteBuf first = buffer("QUIT\r\nNOOP\r\n");
        channel.writeInbound(first);
        assertEquals(List.of("CMD*:QUIT"), readAll(channel));
        decoder.discardInput();
        assertEquals(0, first.refCnt());
        ByteBuf second = buffer("NOOP\r\n");
        channel.writeInbound(second);
        assertEquals(0, second.refCnt());
        decoder.readCommands();
        assertEquals(List.of(), readAll(channel));
        assertEquals(SmtpCommandDecoder.Mode.CLOSED, decoder.mode());
        assertFalse(channel.finishAndReleaseAll());
    }

    @Test
    void bufferedBytesAreReleasedWhenTheChannelCloses() {
        EmbeddedChannel channel = new EmbeddedChannel(new SmtpCommandDecoder(512, 1000));
        ByteBuf buf = buffer("DATA\r\npending text");
        channel.writeInbound(buf);
        assertEquals(1, buf.refCnt());
        channel.close();
        assertEquals(0, buf.refCnt());
        channel.finishAndReleaseAll();
    }

    private static ByteBuf buffer(String s) {
        return Unpooled.copiedBuffer(s, StandardCharsets.UTF_8);
    }

    private static List<String> readAll(EmbeddedChannel channel) {
        List<SmtpFrame> frames = new ArrayList<>();
        for (Object frame; (frame = channel.readInbound()) != null; ) {
            frames.add((SmtpFrame) frame);
        }
        return DecoderDriver.render(frames);
    }
}
