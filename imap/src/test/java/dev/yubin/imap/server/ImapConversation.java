package dev.yubin.imap.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.yubin.core.net.ConnectionInfo;
import dev.yubin.core.store.MailboxStore;
import dev.yubin.imap.fetch.StructureCache;
import dev.yubin.imap.protocol.ImapLimits;
import dev.yubin.imap.protocol.ImapParser;
import dev.yubin.imap.protocol.LiteralSink;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** Drives an {@link ImapSession} line by line through a real {@link ImapParser}, without sockets. */
final class ImapConversation {
    private static final InetSocketAddress CLIENT = new InetSocketAddress("192.0.2.10", 50000);
    private static final InetSocketAddress SERVER = new InetSocketAddress("192.0.2.1", 143);

    final ImapSession session;
    private final ImapParser parser;
    final Step greeting;

    private ImapConversation(ImapSession session, Path spool) {
        this.session = session;
        this.parser = new ImapParser(ImapLimits.defaults(), LiteralSink.spooling(spool, 64 * 1024));
        this.greeting = session.greet();
    }

    static ImapConversation with(ImapConfig config, MailboxStore store, MailboxLocator locator, ConnectionInfo c,
            Path spool) {
        return new ImapConversation(new ImapSession(config, store, locator, c), spool);
    }

    /** A session sharing {@code structures} with others, as the sessions of one server do. */
    static ImapConversation with(ImapConfig config, MailboxStore store, MailboxLocator locator, ConnectionInfo c,
            Path spool, StructureCache structures) {
        return new ImapConversation(new ImapSession(config, store, locator, c, structures), spool);
    }

    static ConnectionInfo plaintext() {
        return ConnectionInfo.of("s1", CLIENT, SERVER);
    }

    static ConnectionInfo tls() {
        return plaintext().withTls("TLSv1.3 with cipher TLS_AES_128_GCM_SHA256");
    }

    /** One command line without CRLF (no literals). */
    Reply send(String line) {
        byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
        ImapParser.Result result = parser.feedLine(bytes, 0, bytes.length);
        assertTrue(result instanceof ImapParser.Complete, () -> "not a complete command: " + line);
        return handle((ImapParser.Complete) result);
    }

    /** A command with one LITERAL+ literal: {@code first} ends with {@code {n+}}, then the octets, then {@code rest}. */
    Reply sendLiteral(String first, String literal, String rest) {
        byte[] bytes = first.getBytes(StandardCharsets.UTF_8);
        ImapParser.Result result = parser.feedLine(bytes, 0, bytes.length);
        assertTrue(result instanceof ImapParser.NeedLiteral, () -> "no literal asked for: " + first);
        byte[] octets = literal.getBytes(StandardCharsets.UTF_8);
        if (octets.length > 0) {
            parser.feedLiteral(octets, 0, octets.length);
        }
        byte[] tail = rest.getBytes(StandardCharsets.UTF_8);
        result = parser.feedLine(tail, 0, tail.length);
        assertTrue(result instanceof ImapParser.Complete, () -> "not a complete command: " + first);
        return handle((ImapParser.Complete) result);
    }

    /** Runs the command and, as the shell does, switches the parser to UTF-8 names after ENABLE UTF8=ACCEPT. */
    private Reply handle(ImapParser.Complete complete) {
        Reply reply = new Reply(session.onCommand(complete.tag(), complete.command()));
        if (session.acceptsUtf8()) {
            parser.enableUtf8();
        }
        return reply;
    }

    /** A raw line after an AUTHENTICATE continuation. */
    Reply saslLine(String line) {
        return new Reply(session.onSaslResponse(line));
    }

    /** A raw line during IDLE. */
    Reply idleLine(String line) {
        return new Reply(session.onIdleLine(line));
    }

    /** What IDLE has to report now. */
    Reply idleCheck() {
        return new Reply(session.onIdleCheck());
    }

    /** What one command produced, with a streamed response read to its end. */
    static final class Reply {
        final Step step;
        private final String text;

        Reply(Step step) {
            this.step = step;
            StringBuilder all = new StringBuilder(step.text());
            if (step.stream().isPresent()) {
                try (var stream = step.stream().get()) {
                    for (byte[] chunk = stream.next(); chunk != null; chunk = stream.next()) {
                        all.append(new String(chunk, StandardCharsets.UTF_8));
                    }
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
            this.text = all.toString();
        }

        String text() {
            return text;
        }

        Reply wire(String expected) {
            assertEquals(expected, text);
            return this;
        }

        Reply contains(String expected) {
            assertTrue(text.contains(expected), () -> "expected <" + expected + "> in\n" + text);
            return this;
        }

        Reply lacks(String unexpected) {
            assertTrue(!text.contains(unexpected), () -> "unexpected <" + unexpected + "> in\n" + text);
            return this;
        }

        /** The last line, the tagged response, without CRLF. */
        Reply tagged(String expected) {
            String[] lines = text.split("\r\n");
            assertEquals(expected, lines[lines.length - 1]);
            return this;
        }

        Reply next(Next expected) {
            assertEquals(expected, step.next());
            return this;
        }
    }
}
