package dev.yubin.smtp.netty;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.yubin.core.net.Limits;
import dev.yubin.smtp.server.SmtpServerConfig;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.timeout.IdleStateEvent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SmtpServerHandlerTest {
    private static final String GREETING = "220 mx.example1.jp ESMTP Yubin\r\n";
    private static final String TRANSACTION = "MAIL FROM:<kato@example1.jp>\r\nRCPT TO:<abe@example1.jp>\r\nDATA\r\n";

    @TempDir
    Path spool;

    /** An executor that runs nothing until told: session steps pile up as under load. */
    static final class ManualExecutor implements Executor {
        final Queue<Runnable> tasks = new ArrayDeque<>();

        @Override
        public void execute(Runnable task) {
            tasks.add(task);
        }

        void runAll() {
            for (Runnable task; (task = tasks.poll()) != null; ) {
                task.run();
            }
        }
    }

    final class Harness {
        final MemoryHandler backend = new MemoryHandler();
        final SmtpCommandDecoder decoder;
        final SmtpServerHandler handler;
        final EmbeddedChannel channel;
        int reads;

        Harness(Limits limits, Executor executor) {
            decoder = new SmtpCommandDecoder(limits.maxCommandLineLength(), limits.maxTextLineLength());
            SmtpServerConfig config = new SmtpServerConfig("mx.example1.jp", limits, spool, "ESMTP Yubin");
            handler = new SmtpServerHandler(config, backend, executor, decoder);
            channel = new EmbeddedChannel(new ChannelOutboundHandlerAdapter() {
                @Override
                public void read(ChannelHandlerContext ctx) {
                    reads++;
                    ctx.read();
                }
            }, decoder, handler);
            channel.config().setAutoRead(false); // as NettyServer sets it: reads are pulled
        }

        Harness() {
            this(Limits.defaults(), Runnable::run);
        }

        void write(String input) {
            channel.writeInbound(Unpooled.copiedBuffer(input, StandardCharsets.UTF_8));
            channel.runPendingTasks();
        }

        String send(String input) {
            write(input);
            return output();
        }

        List<String> writes() {
            channel.runPendingTasks();
            List<String> out = new ArrayList<>();
            for (Object msg; (msg = channel.readOutbound()) != null; ) {
                ByteBuf buf = (ByteBuf) msg;
                out.add(buf.toString(StandardCharsets.UTF_8));
                buf.release();
            }
            return out;
        }

        String output() {
            return String.join("", writes());
        }
    }

    /** The code (and enhanced status, if any) of the last line of each reply: {@code "250 2.1.0"}, {@code "354"}. */
    private static List<String> codes(String replies) {
        List<String> out = new ArrayList<>();
        for (String line : replies.split("\r\n")) {
            if (line.length() >= 3 && (line.length() == 3 || line.charAt(3) == ' ')) {
                String[] words = line.split(" ");
                boolean enhanced = words.length > 1 && words[1].matches("[245]\\.\\d{1,3}\\.\\d{1,3}");
                out.add(enhanced ? words[0] + " " + words[1] : words[0]);
            }
        }
        return out;
    }

    @Test
    void greetsOnConnect() {
        Harness h = new Harness();
        assertEquals(GREETING, h.output());
        assertEquals(1, h.backend.opened.get());
    }

    @Test
    void pipelinedTransactionInOneWriteIsAnsweredInOrderAndStored() {
        Harness h = new Harness();
        h.output();
        String replies = h.send("EHLO client.example\r\n" + TRANSACTION
                + "Subject: t\r\n\r\n..dot\r\nbody\r\n.\r\nQUIT\r\n");
        assertEquals(List.of("250", "250 2.1.0", "250 2.1.5", "354", "250 2.0.0", "221 2.0.0"), codes(replies));
        assertTrue(replies.startsWith("250-mx.example1.jp\r\n"), replies);
        assertFalse(h.channel.isActive());
        assertEquals(1, h.backend.delivered.size());
        assertArrayEquals("Subject: t\n\n.dot\nbody\n".getBytes(StandardCharsets.US_ASCII),
                h.backend.delivered.get(0).content());
        assertEquals(1, h.backend.closed.get());
    }

    @Test
    void pipelinedRepliesAreWrittenAsOneBufferWithOneFlush() {
        ManualExecutor executor = new ManualExecutor();
        Harness h = new Harness(Limits.defaults(), executor);
        executor.runAll();
        assertEquals(List.of(GREETING), h.writes());
        h.write("EHLO client.example\r\nMAIL FROM:<kato@example1.jp>\r\nRCPT TO:<abe@example1.jp>\r\n"
                + "RCPT TO:<unknown@example1.jp>\r\nNOOP\r\n");
        assertEquals(List.of(), h.writes());
        executor.runAll();
        List<String> writes = h.writes();
        assertEquals(1, writes.size(), writes.toString());
        assertEquals(List.of("250", "250 2.1.0", "250 2.1.5", "550 5.1.1", "250 2.0.0"), codes(writes.get(0)));
    }

    @Test
    void textPipelinedBehindARefusedDataIsReadAsCommands() {
        Harness h = new Harness();
        h.output();
        String replies = h.send("EHLO c\r\nMAIL FROM:<kato@example1.jp>\r\nRCPT TO:<unknown@example1.jp>\r\nDATA\r\n"
                + "RSET\r\n");
        assertEquals(List.of("250", "250 2.1.0", "550 5.1.1", "554 5.5.1", "250 2.0.0"), codes(replies));
        assertTrue(h.backend.delivered.isEmpty());
    }

    @Test
    void dataIsStreamedWhenItArrivesInPieces() {
        ManualExecutor executor = new ManualExecutor();
        Harness h = new Harness(Limits.defaults(), executor);
        h.write("EHLO c\r\n" + TRANSACTION + "first line\r\n");
        executor.runAll();
        h.channel.runPendingTasks();
        executor.runAll();
        assertEquals(List.of("220", "250", "250 2.1.0", "250 2.1.5", "354"), codes(h.output()));
        h.write("second line\r\n.");
        h.write("\r\nNOOP\r\n");
        executor.runAll();
        assertEquals(List.of("250 2.0.0", "250 2.0.0"), codes(h.output()));
        assertArrayEquals("first line\nsecond line\n".getBytes(StandardCharsets.US_ASCII),
                h.backend.delivered.get(0).content());
    }

    @Test
    void bdatChunksAreStored() {
        Harness h = new Harness();
        h.output();
        String replies = h.send("EHLO c\r\nMAIL FROM:<kato@example1.jp>\r\nRCPT TO:<abe@example1.jp>\r\n"
                + "BDAT 5\r\nab\r\ncBDAT 3 LAST\r\nd\r\nQUIT\r\n");
        assertEquals(List.of("250", "250 2.1.0", "250 2.1.5", "250 2.0.0", "250 2.0.0", "221 2.0.0"), codes(replies));
        assertArrayEquals("ab\ncd\n".getBytes(StandardCharsets.US_ASCII), h.backend.delivered.get(0).content());
    }

    @Test
    void crlfSplitBetweenBdatChunksIsStoredAsLf() {
        Harness h = new Harness();
        h.output();
        String replies = h.send("EHLO c\r\nMAIL FROM:<kato@example1.jp>\r\nRCPT TO:<abe@example1.jp>\r\n"
                + "BDAT 3\r\nab\rBDAT 4\r\n\ncd\rBDAT 0 LAST\r\nQUIT\r\n");
        assertEquals(List.of("250", "250 2.1.0", "250 2.1.5", "250 2.0.0", "250 2.0.0", "250 2.0.0", "221 2.0.0"),
                codes(replies));
        assertArrayEquals("ab\ncd\r".getBytes(StandardCharsets.US_ASCII), h.backend.delivered.get(0).content());
    }

    @Test
    void overLongCommandLineIsAnswered500AndDrained() {
        Harness h = new Harness(Limits.defaults().withMaxCommandLineLength(64), Runnable::run);
        h.output();
        assertEquals(List.of("500 5.5.2", "250 2.0.0"), codes(h.send("NOOP " + "x".repeat(100) + "\r\nNOOP\r\n")));
    }

    @Test
    void idleTimeoutGives421AndCloses() {
        Harness h = new Harness();
        h.output();
        h.channel.pipeline().fireUserEventTriggered(IdleStateEvent.FIRST_READER_IDLE_STATE_EVENT);
        String out = h.output();
        assertEquals("421 4.4.2 mx.example1.jp Error: timeout exceeded\r\n", out);
        assertFalse(h.channel.isActive());
        assertEquals(1, h.backend.closed.get());
    }

    @Test
    void idleEventIsIgnoredWhileTheServerIsBusy() {
        ManualExecutor executor = new ManualExecutor();
        Harness h = new Harness(Limits.defaults(), executor);
        h.channel.pipeline().fireUserEventTriggered(IdleStateEvent.FIRST_READER_IDLE_STATE_EVENT);
        executor.runAll();
        assertEquals(GREETING, h.output());
        assertTrue(h.channel.isActive());
    }

    @Test
    void shutdownOfAnIdleSessionGives421() {
        Harness h = new Harness();
        h.output();
        h.handler.requestShutdown();
        assertEquals("421 4.3.2 mx.example1.jp Service shutting down\r\n", h.output());
        assertFalse(h.channel.isActive());
    }

    @Test
    void shutdownLetsAMessageInProgressFinishFirst() {
        Harness h = new Harness();
        h.output();
        assertEquals(List.of("250", "250 2.1.0", "250 2.1.5", "354"), codes(h.send("EHLO c\r\n" + TRANSACTION + "te")));
        h.handler.requestShutdown();
        assertEquals("", h.output());
        assertTrue(h.channel.isActive());
        String out = h.send("xt\r\n.\r\nMAIL FROM:<kato@example1.jp>\r\n");
        assertEquals(List.of("250 2.0.0", "250 2.1.0", "421 4.3.2"), codes(out));
        assertFalse(h.channel.isActive());
        assertArrayEquals("text\n".getBytes(StandardCharsets.US_ASCII), h.backend.delivered.get(0).content());
    }

    @Test
    void saturatedExecutorGives421AndCloses() {
        Harness h = new Harness(Limits.defaults(), task -> {
            throw new RejectedExecutionException("full");
        });
        assertEquals("421 4.3.2 mx.example1.jp Service temporarily unavailable\r\n", h.output());
        assertFalse(h.channel.isActive());
    }

    @Test
    void sessionBugGives421AndCloses() {
        Harness h = new Harness();
        h.output();
        h.backend.mailBug = new AssertionError("bug in the handler");
        assertEquals(List.of("250", "421 4.3.0"), codes(h.send("EHLO c\r\nMAIL FROM:<kato@example1.jp>\r\nNOOP\r\n")));
        assertFalse(h.channel.isActive());
        assertEquals(1, h.backend.closed.get());
    }

    @Test
    void pipelineExceptionGives421AndCloses() {
        Harness h = new Harness();
        h.output();
        h.channel.pipeline().fireExceptionCaught(new IllegalStateException("decoder bug"));
        assertEquals("421 4.3.0 mx.example1.jp Error: internal error\r\n", h.output());
        assertFalse(h.channel.isActive());
    }

    @Test
    void dataAfterALineTheDecoderDidNotHoldAtFailsSafely() {
        Harness h = new Harness();
        h.output();
        h.send("EHLO c\r\nMAIL FROM:<kato@example1.jp>\r\nRCPT TO:<abe@example1.jp>\r\n");
        h.channel.pipeline().fireChannelRead(new SmtpFrame.CommandLine("DATA", false));
        String out = h.output();
        assertEquals(List.of("354", "421 4.3.0"), codes(out));
        assertFalse(h.channel.isActive());
    }

    @Test
    void readsPauseWhileTheSessionIsBehindAndResumeWhenItCatchesUp() {
        ManualExecutor executor = new ManualExecutor();
        Harness h = new Harness(Limits.defaults(), executor);
        executor.runAll();
        h.output();
        int before = h.reads;
        h.write("NOOP\r\n".repeat(SmtpServerHandler.MAX_QUEUED_FRAMES + 5));
        assertEquals(before, h.reads, "no read while 37 frames wait");
        executor.runAll();
        h.channel.runPendingTasks();
        assertEquals(before + 1, h.reads);
        assertEquals(SmtpServerHandler.MAX_QUEUED_FRAMES + 5, codes(h.output()).size());
    }

    @Test
    void readsPauseAtABarrierUntilTheSessionAnswers() {
        ManualExecutor executor = new ManualExecutor();
        Harness h = new Harness(Limits.defaults(), executor);
        executor.runAll();
        h.write("EHLO c\r\n" + TRANSACTION);
        int before = h.reads;
        executor.runAll();
        assertEquals(before, h.reads);
        h.channel.runPendingTasks();
        assertEquals(before + 1, h.reads);
        assertTrue(h.decoder.isReadingContent());
    }

    @Test
    void disconnectClosesTheHandlerSession() {
        Harness h = new Harness();
        h.send("EHLO c\r\n" + TRANSACTION + "partial");
        h.channel.close();
        h.channel.runPendingTasks();
        assertEquals(1, h.backend.closed.get());
        assertTrue(h.backend.delivered.isEmpty());
    }
}
