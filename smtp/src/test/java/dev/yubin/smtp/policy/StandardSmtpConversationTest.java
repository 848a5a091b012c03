package dev.yubin.smtp.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.yubin.core.net.ConnectionInfo;
import dev.yubin.core.net.Limits;
import dev.yubin.core.net.NetworkList;
import dev.yubin.smtp.protocol.SmtpReply;
import dev.yubin.smtp.server.SmtpServerConfig;
import dev.yubin.smtp.server.SmtpSession;
import dev.yubin.smtp.server.Step;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The session and the standard handler together: what a textbook reader sees over telnet, minus the socket. */
class StandardSmtpConversationTest {
    @TempDir
    Path spool;

    private final StandardSmtpHandlerTest.RecordingSink sink = new StandardSmtpHandlerTest.RecordingSink();

    private SmtpSession session() {
        return session(StandardSmtpHandler.builder(), StandardSmtpHandlerTest.CLIENT);
    }

    private SmtpSession session(StandardSmtpHandler.Builder builder, ConnectionInfo client) {
        StandardSmtpHandler handler = builder.localDomains(LocalDomains.of("example1.jp", "mx.example1.jp"))
                .users(StandardSmtpHandlerTest.USERS).sink(sink).build();
        SmtpSession session = new SmtpSession(new SmtpServerConfig("mx.example1.jp", Limits.defaults(), spool,
                "ESMTP Yubin"), handler, client);
        session.greet();
        return session;
    }

    private static String wire(Step step) {
        return step.reply().map(SmtpReply::toWire).orElse("");
    }

    @Test
    void textbookDialogueAsTypedInTelnet() {
        SmtpSession s = session();
        List<String> transcript = new ArrayList<>();
        for (String line : List.of("helo host1", "mail from:<kato@example1.jp>", "rcpt to:<abe@example1.jp>",
                "data")) {
            transcript.add(wire(s.onCommandLine(line)));
        }
        byte[] text = "hello postfix!\n".getBytes(StandardCharsets.UTF_8);
        s.onContent(text, 0, text.length);
        String end = wire(s.onDataEnd());
        transcript.add(wire(s.onCommandLine("quit")));
        s.onDisconnect();
        String queueId = sink.envelopes.get(0).queueId().value();
        assertEquals(List.of("250 mx.example1.jp\r\n", "250 2.1.0 Ok\r\n", "250 2.1.5 Ok\r\n",
                "354 End data with <CR><LF>.<CR><LF>\r\n", "221 2.0.0 Bye\r\n"), transcript);
        assertEquals("250 2.0.0 Ok: queued as " + queueId + "\r\n", end);
        assertEquals(List.of("hello postfix!\n"), sink.messages);
    }

    @Test
    void unknownUserAndRelayAreRefusedAndNothingIsQueued() {
        SmtpSession s = session();
        s.onCommandLine("EHLO client.example");
        s.onCommandLine("MAIL FROM:<a@b.jp>");
        assertEquals("550 5.1.1 <nobody@example1.jp>: Recipient address rejected: User unknown in local "
                + "recipient table\r\n", wire(s.onCommandLine("RCPT TO:<nobody@example1.jp>")));
        assertEquals("554 5.7.1 <u@other.jp>: Relay access denied\r\n", wire(s.onCommandLine("RCPT TO:<u@other.jp>")));
        assertEquals("250 2.1.5 Ok\r\n", wire(s.onCommandLine("RCPT TO:<postmaster@EXAMPLE1.JP>")));
        // a bare <Postmaster> is postmaster@$myhostname, local as in Postfix's default mydestination
        assertEquals("250 2.1.5 Ok\r\n", wire(s.onCommandLine("RCPT TO:<Postmaster>")));
        assertTrue(sink.envelopes.isEmpty());
    }

    @Test
    void openRelayProbeFromOutsideIsRefusedWhileMynetworksMayRelay() {
        StandardSmtpHandler.Builder textbook = StandardSmtpHandler.builder()
                .mynetworks(NetworkList.parse("127.0.0.0/8 [::1]/128"))
                .recipientRestrictions(RecipientRestrictions.parse(
                        "permit_mynetworks, permit_sasl_authenticated, reject_unauth_destination"));
        SmtpSession outside = session(textbook, ConnectionInfo.of("s9", new InetSocketAddress("203.0.113.9", 50000),
                new InetSocketAddress("192.168.56.101", 25)));
        outside.onCommandLine("EHLO probe.example");
        assertEquals("250 2.1.0 Ok\r\n", wire(outside.onCommandLine("MAIL FROM:<spammer@example.net>")));
        assertEquals("554 5.7.1 <victim@example.org>: Relay access denied\r\n",
                wire(outside.onCommandLine("RCPT TO:<victim@example.org>")));
        assertEquals("554 5.5.1 Error: no valid recipients\r\n", wire(outside.onCommandLine("DATA")));

        SmtpSession inside = session(textbook, StandardSmtpHandlerTest.CLIENT);
        inside.onCommandLine("EHLO host1");
        inside.onCommandLine("MAIL FROM:<kato@example1.jp>");
        assertEquals("250 2.1.5 Ok\r\n", wire(inside.onCommandLine("RCPT TO:<victim@example.org>")));
        assertEquals("550 5.1.1 <nobody@example1.jp>: Recipient address rejected: User unknown in local "
                + "recipient table\r\n", wire(inside.onCommandLine("RCPT TO:<nobody@example1.jp>")));
    }
}
