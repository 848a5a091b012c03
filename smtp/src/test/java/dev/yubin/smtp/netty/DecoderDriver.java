package dev.yubin.smtp.netty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Feeds bytes to an {@link SmtpCommandDecoder} in an {@link EmbeddedChannel} and plays the session's part at each
 * barrier: {@code DATA} is accepted (or refused, when asked), {@code BDAT n [LAST]} reads n octets, anything else
 * goes on with commands. Frames are rendered as strings, consecutive content joined, so that any split of the input gives
 * the same list.
 */
final class DecoderDriver {
    private final int maxCommandLineLength;
    private final int maxTextLineLength;
    private boolean refuseData;
    private boolean resumeInsideChannelRead;

    private DecoderDriver(int maxCommandLineLength, int maxTextLineLength) {
        this.maxCommandLineLength = maxCommandLineLength;
        this.maxTextLineLength = maxTextLineLength;
    }

    static DecoderDriver withLimits(int maxCommandLineLength, int maxTextLineLength) {
        return new DecoderDriver(maxCommandLineLength, maxTextLineLength);
    }

    static DecoderDriver standard() {
        return new DecoderDriver(512, 1000);
    }

    /** The session answers DATA with 503 (READ_COMMAND). */
    DecoderDriver refusingData() {
        refuseData = true;
        return this;
    }

    /** Resume the decoder from inside channelRead, as a direct executor would. */
    DecoderDriver resumingInsideChannelRead() {
        resumeInsideChannelRead = true;
        return this;
    }

    /** Feeds {@code input} in the given pieces; returns the rendered frames. */
    List<String> run(List<byte[]> pieces) {
        SmtpCommandDecoder decoder = new SmtpCommandDecoder(maxCommandLineLength, maxTextLineLength);
        List<SmtpFrame> frames = new ArrayList<>();
        EmbeddedChannel channel = new EmbeddedChannel(decoder, new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                frames.add((SmtpFrame) msg);
                if (resumeInsideChannelRead && msg instanceof SmtpFrame.CommandLine
                        && ((SmtpFrame.CommandLine) msg).barrier()) {
                    resume(decoder, (SmtpFrame.CommandLine) msg);
                }
            }
        });
        List<ByteBuf> written = new ArrayList<>();
        for (byte[] piece : pieces) {
            ByteBuf buf = Unpooled.copiedBuffer(piece);
            written.add(buf);
            channel.writeInbound(buf);
            while (decoder.isPaused()) {
                resume(decoder, (SmtpFrame.CommandLine) frames.get(frames.size() - 1));
            }
        }
        channel.finishAndReleaseAll();
        for (ByteBuf buf : written) {
            assertEquals(0, buf.refCnt(), "input buffer not released");
        }
        for (SmtpFrame frame : frames) {
            if (frame instanceof SmtpFrame.Content) {
                SmtpFrame.Content content = (SmtpFrame.Content) frame;
                assertTrue(content.length() > 0 && content.length() <= SmtpCommandDecoder.MAX_CHUNK,
                        "content chunk of " + content.length());
            }
        }
        return render(frames);
    }

    private void resume(SmtpCommandDecoder decoder, SmtpFrame.CommandLine line) {
        String text = line.line().strip().toUpperCase(Locale.ROOT);
        if (text.equals("DATA") && !refuseData) {
            decoder.readData();
        } else if (text.startsWith("BDAT ")) {
            String[] words = text.split(" +");
            decoder.readBdat(Long.parseLong(words[1]), words.length > 2 && words[2].equals("LAST"));
        } else {
            decoder.readCommands();
        }
    }

    List<String> whole(String input) {
        return run(List.of(bytes(input)));
    }

    /** Asserts that the input gives {@code expected} whole, split at every position, and one byte at a time. */
    void assertFrames(String input, List<String> expected) {
        assertFrames(bytes(input), expected);
    }

    void assertFrames(byte[] input, List<String> expected) {
        assertEquals(expected, run(List.of(input)), "whole input");
        for (int split = 1; split < input.length; split++) {
            List<byte[]> pieces = List.of(slice(input, 0, split), slice(input, split, input.length));
            assertEquals(expected, run(pieces), "split at " + split);
        }
        List<byte[]> bytes = new ArrayList<>();
        for (int i = 0; i < input.length; i++) {
            bytes.add(slice(input, i, i + 1));
        }
        assertEquals(expected, run(bytes), "one byte at a time");
        bytes.clear();
        for (int i = 0; i < input.length; i += 3) {
            bytes.add(slice(input, i, Math.min(input.length, i + 3)));
        }
        assertEquals(expected, run(bytes), "three bytes at a time");
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static byte[] slice(byte[] input, int from, int to) {
        byte[] out = new byte[to - from];
        System.arraycopy(input, from, out, 0, out.length);
        return out;
    }

    /** Frames as strings: {@code CMD:line}, {@code CMD*:line} (barrier), {@code TEXT:...} and signal names. */
    static List<String> render(List<SmtpFrame> frames) {
        List<String> out = new ArrayList<>();
        ByteArrayOutputStream text = null;
        for (SmtpFrame frame : frames) {
            if (frame instanceof SmtpFrame.Content) {
                SmtpFrame.Content content = (SmtpFrame.Content) frame;
                if (text == null) {
                    text = new ByteArrayOutputStream();
                }
                text.write(content.bytes(), 0, content.length());
                continue;
            }
            if (text != null) {
                out.add("TEXT:" + text.toString(StandardCharsets.UTF_8));
                text = null;
            }
            if (frame instanceof SmtpFrame.CommandLine) {
                SmtpFrame.CommandLine line = (SmtpFrame.CommandLine) frame;
                out.add((line.barrier() ? "CMD*:" : "CMD:") + line.line());
            } else {
                out.add(((SmtpFrame.Signal) frame).name());
            }
        }
        if (text != null) {
            out.add("TEXT:" + text.toString(StandardCharsets.UTF_8));
        }
        return out;
    }
}
