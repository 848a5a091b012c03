package dev.yubin.smtp.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.yubin.core.address.MailAddress;
import dev.yubin.core.address.ReversePath;
import dev.yubin.core.message.MessageContent;
import dev.yubin.smtp.client.RecipientResult.Outcome;
import dev.yubin.smtp.client.SmtpClientSession.Next;
import dev.yubin.smtp.client.SmtpClientSession.Step;
import dev.yubin.smtp.protocol.SmtpReply;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

class SmtpClientSessionTest {
    private static final String PEER = "mail.example2.jp[127.0.0.2]:25";
    private static final ClientSettings PLAIN = ClientSettings.of("mail.example1.jp")
            .withTls(ClientSettings.TlsLevel.NONE);

    private static OutboundMessage message(String body, boolean eightBit, String... recipients) throws Exception {
        List<MailAddress> to = new ArrayList<>();
        for (String r : recipients) {
            to.add(MailAddress.parse(r));
        }
        return new OutboundMessage(ReversePath.of(MailAddress.parse("user1@example1.jp")), to,
                MessageContent.ofBytes(body.getBytes(StandardCharsets.UTF_8)), eightBit, false);
    }

    /** Feeds one reply given as wire lines ("250-a", "250 b"). */
    private static Step reply(SmtpClientSession session, String... lines) throws Exception {
        ReplyReader reader = new ReplyReader();
        SmtpReply reply = null;
        for (String line : lines) {
            reply = reader.line(line).orElse(null);
        }
        return session.onReply(reply);
    }

    private static void assertStep(Step step, Next next, String... commands) {
        assertEquals(List.of(commands), step.commands());
        assertEquals(next, step.next());
    }

    @Test
    void pipelinedTransactionDecidesEachRecipientByItsReply() throws Exception {
        SmtpClientSession s = new SmtpClientSession(PLAIN, message("Subject: hi\n\nhello\n", false,
                "user2@example2.jp", "nobody@example2.jp", "later@example2.jp"), PEER);
        assertStep(reply(s, "220 mail.example2.jp ESMTP Postfix"), Next.READ, "EHLO mail.example1.jp");
        assertStep(reply(s, "250-mail.example2.jp", "250-PIPELINING", "250-SIZE 10240000", "250 8BITMIME"),
                Next.READ, "MAIL FROM:<user1@example1.jp> SIZE=19", "RCPT TO:<user2@example2.jp>",
                "RCPT TO:<nobody@example2.jp>", "RCPT TO:<later@example2.jp>", "DATA");
        assertStep(reply(s, "250 2.1.0 Ok"), Next.READ);
        assertStep(reply(s, "250 2.1.5 Ok"), Next.READ);
        assertEquals("sending RCPT TO", s.activity());
        assertStep(reply(s, "550 5.1.1 <nobody@example2.jp>: Recipient address rejected: User unknown"),
                Next.READ);
        assertStep(reply(s, "450 4.2.0 <later@example2.jp>: Recipient address rejected: Greylisted"), Next.READ);
        assertStep(reply(s, "354 End data with <CR><LF>.<CR><LF>"), Next.SEND_CONTENT);
        assertTrue(s.awaitingEndOfData());
        assertStep(reply(s, "250 2.0.0 Ok: queued as 3F1A42B1"), Next.READ, "QUIT");
        assertStep(reply(s, "221 2.0.0 Bye"), Next.CLOSE);
        List<RecipientResult> r = s.result().recipients();
        assertEquals(new RecipientResult(MailAddress.parse("user2@example2.jp"), Outcome.SENT, "2.0.0",
                "250 2.0.0 Ok: queued as 3F1A42B1"), r.get(0));
        assertEquals(new RecipientResult(MailAddress.parse("nobody@example2.jp"), Outcome.BOUNCED, "5.1.1",
                "host " + PEER + " said: 550 5.1.1 <nobody@example2.jp>: Recipient address rejected: User unknown"
                + " (in reply to RCPT TO command)"), r.get(1));
        assertEquals(Outcome.DEFERRED, r.get(2).outcome());
        assertEquals("4.2.0", r.get(2).dsn());
        assertFalse(s.result().tryNextHost());
    }

    @Test
    void withoutPipeliningOneCommandAtATimeAndHeloWhenEhloIsUnknown() throws Exception {
        SmtpClientSession s = new SmtpClientSession(PLAIN, message("x\n", true, "a@example2.jp", "b@example2.jp"),
                PEER);
        reply(s, "220 old.example2.jp");
        assertStep(reply(s, "502 Command not implemented"), Next.READ, "HELO mail.example1.jp");
        // HELO: no extensions, so an 8-bit message cannot go
        assertStep(reply(s, "250 old.example2.jp"), Next.READ, "QUIT");
        assertEquals("5.6.3", s.result().recipients().get(0).dsn());
        assertEquals(Outcome.BOUNCED, s.result().recipients().get(1).outcome());

        s = new SmtpClientSession(PLAIN, message("x\n", false, "a@example2.jp", "b@example2.jp"), PEER);
        reply(s, "220 old.example2.jp");
        assertStep(reply(s, "250 old.example2.jp"), Next.READ, "MAIL FROM:<user1@example1.jp>");
        assertStep(reply(s, "250 ok"), Next.READ, "RCPT TO:<a@example2.jp>");
        assertStep(reply(s, "550 no"), Next.READ, "RCPT TO:<b@example2.jp>");
        assertStep(reply(s, "251 will forward"), Next.READ, "DATA");
        assertStep(reply(s, "354 go"), Next.SEND_CONTENT);
        assertStep(reply(s, "451 try later"), Next.READ, "QUIT");
        List<RecipientResult> r = s.result().recipients();
        assertEquals("5.0.0", r.get(0).dsn());
        assertEquals(new RecipientResult(MailAddress.parse("b@example2.jp"), Outcome.DEFERRED, "4.0.0",
                "host " + PEER + " said: 451 try later (in reply to end of DATA command)"), r.get(1));
    }

    @Test
    void everyRecipientRefusedSkipsDataOrEndsAPipelinedOne() throws Exception {
        SmtpClientSession s = new SmtpClientSession(PLAIN, message("x\n", false, "a@example2.jp"), PEER);
        reply(s, "220 x");
        reply(s, "250-x", "250 PIPELINING");
        reply(s, "250 ok");
        reply(s, "550 5.1.1 no such user");
        assertStep(reply(s, "354 go ahead anyway"), Next.READ, ".");
        assertStep(reply(s, "554 5.5.1 no valid recipients"), Next.READ, "QUIT");
        assertEquals(Outcome.BOUNCED, s.result().recipients().get(0).outcome());
    }

    @Test
    void aRefusingHostDefersEverythingAndTheNextMxMayBeTried() throws Exception {
        SmtpClientSession s = new SmtpClientSession(PLAIN, message("x\n", false, "a@example2.jp"), PEER);
        assertStep(reply(s, "554 5.7.1 go away"), Next.READ, "QUIT");
        SessionResult result = s.result();
        assertTrue(result.tryNextHost());
        assertEquals(new RecipientResult(MailAddress.parse("a@example2.jp"), Outcome.DEFERRED, "4.7.1",
                "host " + PEER + " refused to talk to me: 554 5.7.1 go away"), result.recipients().get(0));

        s = new SmtpClientSession(PLAIN, message("x\n", false, "a@example2.jp"), PEER);
        reply(s, "220 x");
        reply(s, "250-x", "250 PIPELINING");
        assertStep(reply(s, "451 4.3.0 queue file write error"), Next.READ);
        reply(s, "503 5.5.1 need MAIL");
        assertStep(reply(s, "503 5.5.1 need RCPT"), Next.READ, "QUIT");
        assertTrue(s.result().tryNextHost());
        assertEquals("host " + PEER + " said: 451 4.3.0 queue file write error (in reply to MAIL FROM command)",
                s.result().recipients().get(0).detail());
    }

    @Test
    void opportunisticTlsThenEhloAgainAndEncryptRequiresIt() throws Exception {
        ClientSettings may = ClientSettings.of("mail.example1.jp");
        SmtpClientSession s = new SmtpClientSession(may, message("x\n", false, "a@example2.jp"), PEER);
        reply(s, "220 x");
        assertStep(reply(s, "250-x", "250-STARTTLS", "250 SIZE"), Next.READ, "STARTTLS");
        assertStep(reply(s, "220 2.0.0 Ready to start TLS"), Next.START_TLS);
        assertEquals("performing the TLS handshake", s.activity());
        assertStep(s.onTlsEstablished(), Next.READ, "EHLO mail.example1.jp");
        assertStep(reply(s, "250-x", "250-STARTTLS", "250 SIZE"), Next.READ, "MAIL FROM:<user1@example1.jp> SIZE=2");
        assertTrue(s.isTls());

        s = new SmtpClientSession(may, message("x\n", false, "a@example2.jp"), PEER);
        reply(s, "220 x");
        reply(s, "250-x", "250 STARTTLS");
        assertStep(reply(s, "454 4.7.0 TLS not available"), Next.READ, "MAIL FROM:<user1@example1.jp>");

        SmtpClientSession strict = new SmtpClientSession(may.withTls(ClientSettings.TlsLevel.ENCRYPT),
                message("x\n", false, "a@example2.jp"), PEER);
        reply(strict, "220 x");
        assertStep(reply(strict, "250 x"), Next.READ, "QUIT");
        assertEquals(new RecipientResult(MailAddress.parse("a@example2.jp"), Outcome.DEFERRED, "4.7.4",
                "TLS is required, but was not offered by host " + PEER), strict.result().recipients().get(0));
        assertTrue(strict.result().tryNextHost());
    }

    @Test
    void authPlainOnlyAfterTlsAndLoginWhenPlainIsMissing() throws Exception {
        ClientSettings relay = ClientSettings.of("mail.example1.jp")
                .withCredentials(new ClientSettings.Credentials("user1", "secret"));
        SmtpClientSession s = new SmtpClientSession(relay, message("x\n", false, "a@example2.jp"), PEER);
        reply(s, "220 x");
        assertStep(reply(s, "250-x", "250 AUTH PLAIN LOGIN"), Next.READ, "MAIL FROM:<user1@example1.jp>");

        s = new SmtpClientSession(relay, message("x\n", false, "a@example2.jp"), PEER);
        reply(s, "220 x");
        reply(s, "250-x", "250-STARTTLS", "250 AUTH LOGIN PLAIN");
        reply(s, "220 go");
        s.onTlsEstablished();
        assertStep(reply(s, "250-x", "250 AUTH=PLAIN LOGIN"), Next.READ,
                "AUTH PLAIN " + b64("\0user1\0secret"));
        assertStep(reply(s, "235 2.7.0 Authentication successful"), Next.READ, "MAIL FROM:<user1@example1.jp>");

        s = new SmtpClientSession(relay.withAuthWithoutTls(true), message("x\n", false, "a@example2.jp"), PEER);
        reply(s, "220 x");
        assertStep(reply(s, "250-x", "250 AUTH LOGIN"), Next.READ, "AUTH LOGIN");
        assertStep(reply(s, "334 VXNlcm5hbWU6"), Next.READ, b64("user1"));
        assertStep(reply(s, "334 UGFzc3dvcmQ6"), Next.READ, b64("secret"));
        assertStep(reply(s, "535 5.7.8 Error: authentication failed"), Next.READ, "QUIT");
        RecipientResult r = s.result().recipients().get(0);
        assertEquals(Outcome.DEFERRED, r.outcome());
        assertEquals("SASL authentication failed; server " + PEER
                + " said: 535 5.7.8 Error: authentication failed", r.detail());
    }

    @Test
    void tooLargeOrNeedingSmtpUtf8BouncesBeforeMail() throws Exception {
        SmtpClientSession s = new SmtpClientSession(PLAIN, message("0123456789\n", false, "a@example2.jp"), PEER);
        reply(s, "220 x");
        assertStep(reply(s, "250-x", "250 SIZE 10"), Next.READ, "QUIT");
        assertEquals(new RecipientResult(MailAddress.parse("a@example2.jp"), Outcome.BOUNCED, "5.3.4",
                "message size 11 exceeds size limit 10 of server " + PEER), s.result().recipients().get(0));

        s = new SmtpClientSession(PLAIN, message("x\n", false, "ユーザー@example2.jp"), PEER);
        reply(s, "220 x");
        assertStep(reply(s, "250-x", "250 8BITMIME"), Next.READ, "QUIT");
        assertEquals("5.6.7", s.result().recipients().get(0).dsn());

        s = new SmtpClientSession(PLAIN, message("x\n", true, "ユーザー@example2.jp"), PEER);
        reply(s, "220 x");
        assertStep(reply(s, "250-x", "250-8BITMIME", "250 SMTPUTF8"), Next.READ,
                "MAIL FROM:<user1@example1.jp> BODY=8BITMIME SMTPUTF8");
    }

    @Test
    void lostConnectionsAndTimeoutsDeferWhatIsUndecided() throws Exception {
        SmtpClientSession s = new SmtpClientSession(PLAIN, message("x\n", false, "a@example2.jp"), PEER);
        SessionResult r = s.onTimeout();
        assertEquals("conversation with " + PEER + " timed out while receiving the initial server greeting",
                r.recipients().get(0).detail());
        assertTrue(r.tryNextHost());

        s = new SmtpClientSession(PLAIN, message("x\n", false, "a@example2.jp", "b@example2.jp"), PEER);
        reply(s, "220 x");
        reply(s, "250-x", "250 PIPELINING");
        reply(s, "250 ok");
        reply(s, "550 5.1.1 unknown");
        reply(s, "250 ok");
        reply(s, "354 go");
        r = s.onConnectionLost();
        assertEquals(Outcome.BOUNCED, r.recipients().get(0).outcome());
        assertEquals(new RecipientResult(MailAddress.parse("b@example2.jp"), Outcome.DEFERRED, "4.4.2",
                "lost connection with " + PEER + " while sending end of data -- message may be sent more than once"),
                r.recipients().get(1));
        assertFalse(r.tryNextHost());
    }

    @Test
    void aMalformedReplyEndsTheSession() throws Exception {
        SmtpClientSession s = new SmtpClientSession(PLAIN, message("x\n", false, "a@example2.jp"), PEER);
        ReplyReader reader = new ReplyReader();
        ReplyReader.MalformedReply bad = org.junit.jupiter.api.Assertions.assertThrows(
                ReplyReader.MalformedReply.class, () -> reader.line("hello there"));
        assertStep(s.onMalformedReply(bad.getMessage()), Next.CLOSE);
        assertEquals("host " + PEER + " said: malformed reply: hello there (in reply to initial greeting)",
                s.result().recipients().get(0).detail());
    }

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }
}
