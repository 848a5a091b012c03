package dev.yubin.benchmarks.smtp;

import dev.yubin.smtp.netty.SmtpCommandDecoder;
import dev.yubin.smtp.netty.SmtpFrame;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Frames a message's DATA section: CRLF to LF, dot-unstuffing, end-of-data detection, the work done on every byte
 * received. Input arrives in 16 KiB reads, like a socket's.
 */
@State(Scope.Thread)
@Fork(2)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class SmtpDataDecoderBenchmark {
    private static final int READ_SIZE = 16 * 1024;

    /** Message size in bytes, on the wire. */
    @Param({"2048", "1048576"})
    public int size;

    private byte[] wire;
    private SmtpCommandDecoder decoder;
    private EmbeddedChannel channel;
    private long contentBytes;

    @Setup(Level.Trial)
    public void prepare() {
        StringBuilder text = new StringBuilder("DATA\r\nSubject: benchmark\r\n\r\n");
        int line = 0;
        while (text.length() < size) {
            // One line in twenty starts with a dot, which the client stuffed.
            text.append(line++ % 20 == 0 ? ".." : "").append("x".repeat(70)).append("\r\n");
        }
        text.append(".\r\n");
        wire = text.toString().getBytes(StandardCharsets.US_ASCII);
        decoder = new SmtpCommandDecoder(512, 1000);
        channel = new EmbeddedChannel(decoder, new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                if (msg instanceof SmtpFrame.CommandLine command && command.barrier()) {
                    decoder.readData();
                } else if (msg instanceof SmtpFrame.Content content) {
                    contentBytes += content.length();
                }
            }
        });
    }

    @TearDown(Level.Trial)
    public void close() {
        channel.finishAndReleaseAll();
    }

    /** One whole message per invocation; returns the unstuffed content size. */
    @Benchmark
    public long frameMessage() {
        contentBytes = 0;
        for (int offset = 0; offset < wire.length; offset += READ_SIZE) {
            ByteBuf read = Unpooled.wrappedBuffer(wire, offset, Math.min(READ_SIZE, wire.length - offset));
            channel.writeInbound(read);
        }
        if (decoder.mode() != SmtpCommandDecoder.Mode.COMMAND) {
            throw new IllegalStateException("end of data not seen: " + decoder.mode());
        }
        return contentBytes;
    }
}
