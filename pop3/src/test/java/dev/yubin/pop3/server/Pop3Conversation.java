package dev.yubin.pop3.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.yubin.core.net.ConnectionInfo;
import dev.yubin.core.store.MailStore;
import dev.yubin.core.message.DotStuffingEncoder;
import dev.yubin.pop3.protocol.Pop3Reply;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

/**
 * Drives a {@link Pop3Session} as the Netty shell does, without sockets: {@code send} a line and check the
 * {@link Exchange}; a RETR or TOP transfer is streamed through its encoder, so {@link Exchange#wire()} is exactly what
 * the client would read.
 */
final class Pop3Conversation {
    static final InetSocketAddress CLIENT = new InetSocketAddress("127.0.0.1", 40000);
    static final InetSocketAddress SERVER = new InetSocketAddress("127.0.0.1", 110);

    private final Pop3Session session;

    private Pop3Conversation(Pop3Session session) {
        this.session = session;
    }

    static ConnectionInfo plaintext() {
        return ConnectionInfo.of("s1", CLIENT, SERVER);
    }

    static ConnectionInfo tls() {
        return plaintext().withTls("TLSv1.3 with cipher TLS_AES_128_GCM_SHA256");
    }

    /** A greeted session ({@code +OK} checked). */
    static Pop3Conversation with(Pop3Config config, MailStore store, MaildropLocator locator, MaildropLock lock,
            ConnectionInfo connection) {
        Pop3Conversation c = new Pop3Conversation(new Pop3Session(config, store, locator, lock, connection));
        c.greet().ok();
        return c;
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

    Exchange timeout() {
        return new Exchange("<timeout>", session.onTimeout());
    }

    Exchange shutdown() {
        return new Exchange("<shutdown>", session.onShutdown());
    }

    void disconnect() {
        session.onDisconnect();
    }

    Pop3Session session() {
        return session;
    }

    /** One step, with the wire bytes of its reply and transfer, and fluent checks. */
    static final class Exchange {
        private final String input;
        private final Step step;
        private final String wire;

        Exchange(String input, Step step) {
            this.input = input;
            this.step = step;
            this.wire = step.reply().map(Pop3Reply::toWire).orElse("") + step.transfer().map(Exchange::stream)
                    .orElse("");
        }

        private static String stream(MessageTransfer transfer) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] in = new byte[7]; // odd, small chunks: the encoder must carry its state across them
            byte[] encoded = new byte[DotStuffingEncoder.maxEncodedLength(in.length)];
            try {
                int n;
                while ((n = transfer.read(in, 0, in.length)) >= 0) {
                    int m = transfer.encoder().encode(in, 0, n, encoded, 0);
                    out.write(encoded, 0, m);
                    transfer.sent(m);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            byte[] trailer = new byte[DotStuffingEncoder.MAX_TRAILER];
            int t = transfer.encoder().finish(trailer, 0);
            out.write(trailer, 0, t); // the terminating dot is not message octets: not counted
            transfer.finish();
            return out.toString(StandardCharsets.UTF_8);
        }

        Step step() {
            return step;
        }

        Pop3Reply reply() {
            Optional<Pop3Reply> reply = step.reply();
            if (reply.isEmpty()) {
                fail("no reply to " + input);
            }
            return reply.get();
        }

        /** Everything the client reads for this step. */
        String wire() {
            return wire;
        }

        Exchange ok() {
            assertTrue(reply().isOk(), () -> "reply to " + input + ": " + reply());
            return this;
        }

        Exchange err() {
            assertTrue(reply().isErr(), () -> "reply to " + input + ": " + reply());
            return this;
        }

        Exchange continuation() {
            assertEquals(Pop3Reply.Status.CONTINUATION, reply().status(), () -> "reply to " + input + ": " + reply());
            return this;
        }

        /** The status line, exactly. */
        Exchange line(String expected) {
            assertEquals(expected, reply().statusLine(), () -> "reply to " + input);
            return this;
        }

        Exchange wire(String expected) {
            assertEquals(expected, wire, () -> "wire for " + input);
            return this;
        }

        Exchange next(Next expected) {
            assertEquals(expected, step.next(), () -> "next after " + input + " (" + step + ")");
            return this;
        }

        Exchange delayed(Duration expected) {
            assertEquals(expected, step.replyDelay(), () -> "delay of " + input);
            return this;
        }
    }
}
