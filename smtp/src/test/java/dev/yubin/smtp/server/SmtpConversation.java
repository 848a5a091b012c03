package dev.yubin.smtp.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.yubin.core.net.ConnectionInfo;
import dev.yubin.smtp.protocol.SmtpReply;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Drives an {@link SmtpSession} the way the Netty shell does, without sockets: {@code send} a command line,
 * {@code content} octets, {@code endData}; each returns an {@link Exchange} to check the reply and what to read next.
 */
final class SmtpConversation {
    static final InetSocketAddress CLIENT = new InetSocketAddress("127.0.0.1", 40000);
    static final InetSocketAddress SERVER = new InetSocketAddress("127.0.0.1", 25);

    private final SmtpSession session;

    private SmtpConversation(SmtpSession session) {
        this.session = session;
    }

    /** A session for a plaintext client at 127.0.0.1, greeted (220 checked). */
    static SmtpConversation with(SmtpServerConfig config, SmtpHandler handler) {
        return with(config, handler, ConnectionInfo.of("s1", CLIENT, SERVER));
    }

    static SmtpConversation with(SmtpServerConfig config, SmtpHandler handler, ConnectionInfo connection) {
        SmtpConversation conversation = new SmtpConversation(new SmtpSession(config, handler, connection));
        conversation.greet().expect(220).next(Next.READ_COMMAND);
        return conversation;
    }

    /** A session that is not greeted yet. */
    static SmtpConversation ungreeted(SmtpServerConfig config, SmtpHandler handler) {
        return new SmtpConversation(new SmtpSession(config, handler, ConnectionInfo.of("s1", CLIENT, SERVER)));
    }

    Exchange greet() {
        return new Exchange("<greeting>", session.greet());
    }

    Exchange send(String line) {
        return new Exchange(line, session.onCommandLine(line));
    }

    Exchange sendTooLong() {
        return new Exchange("<too long>", session.onCommandLineTooLong());
    }

    /** Feeds message octets (already unstuffed, LF line endings). */
    SmtpConversation content(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        session.onContent(bytes, 0, bytes.length);
        return this;
    }

    SmtpConversation content(byte[] bytes) {
        session.onContent(bytes, 0, bytes.length);
        return this;
    }

    SmtpConversation contentLineTooLong() {
        session.onContentLineTooLong();
        return this;
    }

    Exchange endData() {
        return new Exchange("<.>", session.onDataEnd());
    }

    Exchange endChunk() {
        return new Exchange("<end of chunk>", session.onBdatChunkEnd());
    }

    /** DATA, the text, the end marker: returns the reply to the end of data. */
    Exchange data(String text) {
        send("DATA").expect(354).next(Next.READ_DATA);
        return content(text).endData();
    }

    /**
     * {@code BDAT <n>[ LAST]} with {@code chunk} as its octets; returns the reply after the chunk. An empty chunk
     * answered at once (not LAST, or refused) returns that answer.
     */
    Exchange bdat(String chunk, boolean last) {
        byte[] bytes = chunk.getBytes(StandardCharsets.UTF_8);
        Exchange command = send("BDAT " + bytes.length + (last ? " LAST" : ""));
        if (bytes.length == 0 && command.step().next() != Next.READ_BDAT) {
            return command;
        }
        command.next(Next.READ_BDAT).noReply();
        assertEquals(bytes.length, command.step().bdatSize(), "bdatSize");
        assertEquals(last, command.step().bdatLast(), "bdatLast");
        return (bytes.length == 0 ? this : content(bytes)).endChunk();
    }

    Exchange timeout() {
        return new Exchange("<timeout>", session.onTimeout());
    }

    Exchange shutdown() {
        return new Exchange("<shutdown>", session.onShutdown());
    }

    void disconnect() {
        session.onDisconnect();
    }

    SmtpSession session() {
        return session;
    }

    /** One step and the input that caused it, with fluent checks. */
    static final class Exchange {
        private final String input;
        private final Step step;

        Exchange(String input, Step step) {
            this.input = input;
            this.step = step;
        }

        Step step() {
            return step;
        }

        SmtpReply reply() {
            Optional<SmtpReply> reply = step.reply();
            if (reply.isEmpty()) {
                fail("no reply to " + input);
            }
            return reply.get();
        }

        Exchange expect(int code) {
            SmtpReply reply = reply();
            assertEquals(code, reply.code(), () -> "reply to " + input + ": " + reply);
            return this;
        }

        Exchange expect(int code, String status) {
            expect(code);
            SmtpReply reply = reply();
            assertEquals(Optional.of(status), reply.status().map(Object::toString), () -> "reply to " + input + ": "
                    + reply);
            return this;
        }

        Exchange text(String expected) {
            assertEquals(expected, reply().text(), () -> "reply to " + input);
            return this;
        }

        Exchange textContains(String expected) {
            assertTrue(reply().text().contains(expected), () -> "reply to " + input + ": " + reply() + " lacks "
                    + expected);
            return this;
        }

        Exchange next(Next expected) {
            assertEquals(expected, step.next(), () -> "next after " + input + " (" + step + ")");
            return this;
        }

        Exchange noReply() {
            assertEquals(Optional.empty(), step.reply(), () -> "reply to " + input);
            return this;
        }
    }
}
