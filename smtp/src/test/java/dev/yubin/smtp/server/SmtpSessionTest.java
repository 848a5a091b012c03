package dev.yubin.smtp.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.yubin.core.address.Domain;
import dev.yubin.core.address.MailAddress;
import dev.yubin.core.message.DeliveryException;
import dev.yubin.core.message.Envelope;
import dev.yubin.core.message.Recipient;
import dev.yubin.core.net.ConnectionInfo;
import dev.yubin.core.net.Limits;
import dev.yubin.smtp.protocol.EnhancedStatus;
import dev.yubin.smtp.protocol.SmtpReplies;
import dev.yubin.smtp.protocol.SmtpReply;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SmtpSessionTest {
    @TempDir
    Path spool;

    private RecordingHandler handler;
    private SmtpServerConfig config;

    @BeforeEach
    void setUp() {
        handler = new RecordingHandler();
        config = SmtpServerConfig.of("mx.example1.jp", spool);
    }

    private SmtpConversation start() {
        return SmtpConversation.with(config, handler);
    }

    private SmtpConversation startWith(Limits limits) {
        return SmtpConversation.with(config.withLimits(limits), handler);
    }

    private static String queueIdOf(SmtpReply reply) {
        String text = reply.text();
        assertTrue(text.startsWith("Ok: queued as "), text);
        return text.substring("Ok: queued as ".length());
    }

    // --- greeting and the textbook dialogue -------------------------------------------------------------

    @Test
    void greetingIs220WithHostnameAndBannerAndOpensTheHandlerSession() {
        var c = SmtpConversation.ungreeted(config, handler);
        assertEquals("220 mx.example1.jp ESMTP Yubin\r\n", c.greet().next(Next.READ_COMMAND).reply().toWire());
        assertEquals(List.of("open unknown[127.0.0.1]"), handler.events);
    }

    @Test
    void bannerIsConfigurable() {
        var c = SmtpConversation.ungreeted(config.withBanner("ESMTP Postfix"), handler);
        c.greet().text("mx.example1.jp ESMTP Postfix");
    }

    @Test
    void commandBeforeGreetingIsAProgrammingError() {
        var c = SmtpConversation.ungreeted(config, handler);
        assertThrows(IllegalStateException.class, () -> c.send("NOOP"));
    }

    @Test
    void handlerThatCannotOpenGives421AndClose() {
        handler.openFailure = new IllegalStateException("database down");
        var c = SmtpConversation.ungreeted(config, handler);
        c.greet().expect(421, "4.3.2").next(Next.CLOSE);
        c.send("HELO x").next(Next.CLOSE).noReply();
        c.disconnect();
    }

    @Test
    void textbookTelnetDialogueInLowerCaseDeliversTheMessage() {
        try (LogCapture log = new LogCapture()) {
            var c = start();
            assertEquals("250 mx.example1.jp\r\n", c.send("helo host1").reply().toWire());
            assertEquals("250 2.1.0 Ok\r\n", c.send("mail from:<kato@example1.jp>").reply().toWire());
            assertEquals("250 2.1.5 Ok\r\n", c.send("rcpt to:<abe@example1.jp>").reply().toWire());
            var data = c.send("data").next(Next.READ_DATA);
            assertEquals("354 End data with <CR><LF>.<CR><LF>\r\n", data.reply().toWire());
            var end = c.content("hello postfix!\n").endData().expect(250, "2.0.0").next(Next.READ_COMMAND);
            String queueId = queueIdOf(end.reply());
            assertEquals("221 2.0.0 Bye\r\n", c.send("quit").next(Next.CLOSE).reply().toWire());
            c.disconnect();

            Envelope envelope = handler.envelopes.get(0);
            assertEquals(queueId, envelope.queueId().value());
            assertEquals("kato@example1.jp", envelope.reversePath().toString());
            assertEquals(List.of("abe@example1.jp"),
                    envelope.recipients().stream().map(r -> r.address().toString()).toList());
            assertEquals("host1", envelope.heloName());
            assertEquals("SMTP", envelope.protocol());
            assertEquals("unknown[127.0.0.1]", envelope.client().clientLabel());
            assertEquals(List.of("hello postfix!\n"), handler.messages);
            assertEquals(List.of("open unknown[127.0.0.1]", "helo host1", "mail <kato@example1.jp>",
                    "rcpt <abe@example1.jp>", "data " + queueId + " 15", "close"), handler.calls());

            assertEquals(List.of("connect from unknown[127.0.0.1]",
                    queueId + ": client=unknown[127.0.0.1]",
                    "disconnect from unknown[127.0.0.1] helo=1 mail=1 rcpt=1 data=1 quit=1 commands=5"),
                    log.lines("yubin.smtpd"));
            // qmgr lines are the sink's (a queue or the local delivery agent), not smtpd's
            assertEquals(List.of(), log.lines("yubin.qmgr"));
        }
    }

    @Test
    void ehloAdvertisesTheExtensionsOneLineEach() {
        var c = start();
        assertEquals("250-mx.example1.jp\r\n250-PIPELINING\r\n250-SIZE 10240000\r\n250-8BITMIME\r\n"
                + "250-ENHANCEDSTATUSCODES\r\n250-SMTPUTF8\r\n250 CHUNKING\r\n",
                c.send("EHLO client.example").reply().toWire());
    }

    @Test
    void ehloSizeFollowsTheConfiguredLimit() {
        var c = startWith(Limits.defaults().withMaxMessageSize(1000));
        assertTrue(c.send("EHLO c").reply().lines().contains("SIZE 1000"));
    }

    @Test
    void ehloSetsProtocolEsmtp() {
        var c = start();
        c.send("EHLO client.example").expect(250);
        sendOneMessage(c);
        assertEquals("ESMTP", handler.envelopes.get(0).protocol());
        assertEquals("client.example", handler.envelopes.get(0).heloName());
    }

    @Test
    void protocolNamesTlsAndAuthentication() {
        ConnectionInfo connection = ConnectionInfo.of("s1", SmtpConversation.CLIENT, SmtpConversation.SERVER)
                .withTls("TLSv1.3").withAuthenticatedUser("abe");
        var c = SmtpConversation.with(config, handler, connection);
        c.send("EHLO c").expect(250);
        sendOneMessage(c);
        assertEquals("ESMTPSA", handler.envelopes.get(0).protocol());
    }

    @Test
    void heloAndEhloWithoutNameAre501() {
        var c = start();
        c.send("HELO").expect(501, "5.5.4").text("Syntax: HELO hostname");
        c.send("EHLO").expect(501, "5.5.4").text("Syntax: EHLO hostname");
    }

    @Test
    void heloRejectedByTheHandlerKeepsItsReply() {
        handler.heloPolicy = name -> Verdict.reject(SmtpReply.of(550, EnhancedStatus.NOT_AUTHORIZED,
                "<" + name + ">: Helo command rejected: Host not found"));
        var c = start();
        c.send("HELO bad").expect(550, "5.7.1").text("<bad>: Helo command rejected: Host not found");
        c.send("MAIL FROM:<a@b.jp>").expect(250);
        sendRcptAndData(c);
        assertEquals("", handler.envelopes.get(0).heloName());
    }

    @Test
    void mailWithoutHeloIsAcceptedLikePostfix() {
        var c = start();
        c.send("MAIL FROM:<kato@example1.jp>").expect(250, "2.1.0");
        sendRcptAndData(c);
        assertEquals("", handler.envelopes.get(0).heloName());
        assertEquals("SMTP", handler.envelopes.get(0).protocol());
    }

    @Test
    void ehloInTheMiddleResetsTheTransaction() {
        var c = start();
        c.send("EHLO c").expect(250);
        c.send("MAIL FROM:<a@b.jp>").expect(250);
        c.send("EHLO c").expect(250);
        c.send("RCPT TO:<abe@example1.jp>").expect(503, "5.5.1");
    }

    // --- MAIL ------------------------------------------------------------------------------------------------

    @Test
    void mailWithSpaceAfterColonIsAccepted() {
        var c = start();
        c.send("MAIL FROM: <kato@example1.jp>").expect(250, "2.1.0");
    }

    @Test
    void mailNullReversePathIsAccepted() {
        var c = start();
        c.send("MAIL FROM:<>").expect(250, "2.1.0");
        sendRcptAndData(c);
        assertTrue(handler.envelopes.get(0).reversePath().isNull());
    }

    @Test
    void nestedMailIsRejectedWith503() {
        var c = start();
        c.send("MAIL FROM:<a@b.jp>").expect(250);
        c.send("MAIL FROM:<a@b.jp>").expect(503, "5.5.1").text("Error: nested MAIL command");
    }

    @Test
    void mailSyntaxErrorIs501() {
        var c = start();
        c.send("MAIL TO:<a@b.jp>").expect(501, "5.5.4").text("Syntax: MAIL FROM:<address>");
        c.send("MAIL").expect(501, "5.5.4");
    }

    @Test
    void badSenderAddressIs501Status517WithTheReason() {
        var c = start();
        c.send("MAIL FROM:<kato@>").expect(501, "5.1.7").textContains("Domain missing");
        c.send("MAIL FROM:<kato>").expect(501, "5.1.7").textContains("'@' missing");
    }

    @Test
    void unknownMailParameterIs555() {
        var c = start();
        c.send("MAIL FROM:<a@b.jp> RET=FULL").expect(555, "5.5.4").text("Unsupported option: RET");
        c.send("MAIL FROM:<a@b.jp> FOO").expect(555, "5.5.4");
        c.send("MAIL FROM:<a@b.jp> =x").expect(501, "5.5.4");
    }

    @Test
    void sizeOverTheLimitAtMailIs552() {
        try (LogCapture log = new LogCapture()) {
            var c = startWith(Limits.defaults().withMaxMessageSize(1000));
            c.send("EHLO c").expect(250);
            c.send("MAIL FROM:<a@b.jp> SIZE=1001").expect(552, "5.3.4").text("Message size exceeds fixed limit");
            c.send("MAIL FROM:<a@b.jp> SIZE=1000").expect(250, "2.1.0");
            assertTrue(log.lines("yubin.smtpd").contains("NOQUEUE: reject: MAIL from unknown[127.0.0.1]: 552 5.3.4 "
                    + "Message size exceeds fixed limit; from=<a@b.jp> proto=ESMTP helo=<c>"), log.lines("yubin.smtpd")
                    .toString());
        }
    }

    @Test
    void sizeWithBadValueIs501() {
        var c = start();
        c.send("MAIL FROM:<a@b.jp> SIZE=12k").expect(501, "5.5.4").text("Bad message size syntax");
        c.send("MAIL FROM:<a@b.jp> SIZE=99999999999999999999").expect(501, "5.5.4");
    }

    @Test
    void parametersArePassedToTheHandlerAndTheEnvelope() {
        var c = start();
        c.send("EHLO c").expect(250);
        c.send("MAIL FROM:<a@b.jp> size=10 body=8bitmime").expect(250);
        sendRcptAndData(c);
        assertTrue(handler.events.contains("mail <a@b.jp> {SIZE=10, BODY=8bitmime}"), handler.events.toString());
        assertEquals(Map.of("SIZE", "10", "BODY", "8bitmime"), handler.envelopes.get(0).parameters());
    }

    @Test
    void bodyMustBeKnown() {
        var c = start();
        c.send("MAIL FROM:<a@b.jp> BODY=7BIT").expect(250);
        c.send("RSET").expect(250);
        c.send("MAIL FROM:<a@b.jp> BODY=BASE64").expect(501, "5.5.4");
    }

    @Test
    void binaryMimeIsNotOfferedSoItIsRefused() {
        var c = start();
        c.send("EHLO c").expect(250);
        c.send("MAIL FROM:<a@b.jp> BODY=BINARYMIME").expect(555, "5.5.4");
        c.send("MAIL FROM:<a@b.jp> BODY=8BITMIME").expect(250);
    }

    @Test
    void nonAsciiSenderNeedsSmtputf8() {
        var c = start();
        c.send("MAIL FROM:<加藤@example1.jp>").expect(553, "5.6.7")
                .text("Must declare SMTPUTF8 to send unicode address");
        c.send("MAIL FROM:<kato@例え.jp>").expect(553, "5.6.7");
        c.send("MAIL FROM:<加藤@example1.jp> SMTPUTF8").expect(250, "2.1.0");
        c.send("RCPT TO:<阿部@example1.jp>").expect(250, "2.1.5");
        c.data("x\n").expect(250);
        assertEquals("阿部", handler.envelopes.get(0).recipients().get(0).address().localPart());
    }

    @Test
    void nonAsciiRecipientNeedsSmtputf8() {
        var c = start();
        c.send("MAIL FROM:<kato@example1.jp>").expect(250);
        c.send("RCPT TO:<阿部@example1.jp>").expect(553, "5.6.7");
        c.send("RCPT TO:<abe@example1.jp>").expect(250);
    }

    @Test
    void smtputf8TakesNoValue() {
        var c = start();
        c.send("MAIL FROM:<a@b.jp> SMTPUTF8=yes").expect(501, "5.5.4");
    }

    @Test
    void mailRejectedByTheHandler() {
        handler.mailPolicy = from -> Verdict.reject(SmtpReply.of(553,
                EnhancedStatus.NOT_AUTHORIZED, "<" + from + ">: Sender address rejected"));
        var c = start();
        c.send("MAIL FROM:<spam@bad.jp>").expect(553, "5.7.1");
        c.send("RCPT TO:<abe@example1.jp>").expect(503, "5.5.1");
    }

    // --- RCPT ------------------------------------------------------------------------------------------------

    @Test
    void rcptBeforeMailIsRejectedWith503() {
        var c = start();
        c.send("EHLO client.example").expect(250);
        c.send("RCPT TO:<abe@example1.jp>").expect(503, "5.5.1").text("Error: need MAIL command");
        c.send("MAIL FROM:<>").expect(250, "2.1.0");
    }

    @Test
    void badRecipientAddressIs501Status513() {
        var c = start();
        c.send("MAIL FROM:<a@b.jp>").expect(250);
        c.send("RCPT TO:<abe@>").expect(501, "5.1.3").textContains("Domain missing");
        c.send("RCPT TO:<>").expect(501, "5.1.3");
        c.send("RCPT FROM:<abe@example1.jp>").expect(501, "5.5.4").text("Syntax: RCPT TO:<address>");
    }

    @Test
    void rcptParametersAreNotSupportedYet() {
        var c = start();
        c.send("MAIL FROM:<a@b.jp>").expect(250);
        c.send("RCPT TO:<abe@example1.jp> NOTIFY=NEVER").expect(555, "5.5.4").text("Unsupported option: NOTIFY");
    }

    @Test
    void barePostmasterIsCompletedWithTheHostname() {
        var c = start();
        c.send("MAIL FROM:<a@b.jp>").expect(250);
        c.send("RCPT TO:<Postmaster>").expect(250, "2.1.5");
        assertTrue(handler.events.contains("rcpt <Postmaster@mx.example1.jp>"), handler.events.toString());
    }

    @Test
    void tooManyRecipientsIs452AndNotCountedAsErrors() {
        var c = startWith(Limits.defaults().withMaxRecipients(2).withMaxErrors(3));
        c.send("MAIL FROM:<a@b.jp>").expect(250);
        c.send("RCPT TO:<r1@example1.jp>").expect(250);
        c.send("RCPT TO:<r2@example1.jp>").expect(250);
        for (int i = 0; i < 10; i++) {
            c.send("RCPT TO:<r3@example1.jp>").expect(452, "4.5.3").text("Error: too many recipients");
        }
        c.data("x\n").expect(250);
        assertEquals(2, handler.envelopes.get(0).recipients().size());
    }

    @Test
    void recipientRejectedByPolicyIsLoggedAsNoqueue() {
        handler.rcptPolicy = to -> Verdict.reject(SmtpReplies.userUnknown(to.toString()));
        try (LogCapture log = new LogCapture()) {
            var c = start();
            c.send("EHLO h").expect(250);
            c.send("MAIL FROM:<a@b>").expect(250);
            c.send("RCPT TO:<x@y>").expect(550, "5.1.1")
                    .text("<x@y>: Recipient address rejected: User unknown in local recipient table");
            c.send("DATA").expect(554, "5.5.1").text("Error: no valid recipients");
            c.send("QUIT").expect(221);
            c.disconnect();
            assertEquals(List.of("connect from unknown[127.0.0.1]",
                    "NOQUEUE: reject: RCPT from unknown[127.0.0.1]: 550 5.1.1 <x@y>: Recipient address rejected: "
                            + "User unknown in local recipient table; from=<a@b> to=<x@y> proto=ESMTP helo=<h>",
                    "disconnect from unknown[127.0.0.1] ehlo=1 mail=1 rcpt=0/1 data=0/1 quit=1 commands=3/5"),
                    log.lines("yubin.smtpd"));
        }
    }

    @Test
    void rejectAfterAnAcceptedRecipientIsLoggedWithTheQueueId() {
        handler.rcptPolicy = to -> to.localPart().equals("bad") ? Verdict.reject(SmtpReplies.relayDenied(
                to.toString())) : Verdict.accept();
        try (LogCapture log = new LogCapture()) {
            var c = start();
            c.send("MAIL FROM:<a@b.jp>").expect(250);
            c.send("RCPT TO:<abe@example1.jp>").expect(250);
            c.send("RCPT TO:<bad@other.jp>").expect(554, "5.7.1").text("<bad@other.jp>: Relay access denied");
            String queueId = queueIdOf(c.data("x\n").expect(250).reply());
            assertTrue(log.lines("yubin.smtpd").contains(queueId + ": reject: RCPT from unknown[127.0.0.1]: 554 5.7.1 "
                    + "<bad@other.jp>: Relay access denied; from=<a@b.jp> to=<bad@other.jp> proto=SMTP"),
                    log.lines("yubin.smtpd").toString());
        }
    }

    @Test
    void acceptTextFromTheHandlerIsUsed() {
        handler.rcptPolicy = to -> Verdict.accept("Recipient ok");
        var c = start();
        c.send("MAIL FROM:<a@b.jp>").expect(250);
        c.send("RCPT TO:<abe@example1.jp>").expect(250, "2.1.5").text("Recipient ok");
    }

    @Test
    void handlerBugIsAnswered451AndTheSessionGoesOn() {
        handler.rcptPolicy = to -> {
            throw new IllegalStateException("bug");
        };
        var c = start();
        c.send("MAIL FROM:<a@b.jp>").expect(250);
        c.send("RCPT TO:<abe@example1.jp>").expect(451, "4.3.0").text("Error: internal error");
        c.send("NOOP").expect(250);
    }

    // --- DATA ------------------------------------------------------------------------------------------------

    @Test
    void dataBeforeMailOrRcptIsRejectedWith503() {
        var c = start();
        c.send("DATA").expect(503, "5.5.1").text("Error: need MAIL command").next(Next.READ_COMMAND);
        c.send("MAIL FROM:<a@b.jp>").expect(250);
        c.send("DATA").expect(503, "5.5.1").text("Error: need RCPT command").next(Next.READ_COMMAND);
    }

    @Test
    void dataWithAnArgumentIs501() {
        var c = start();
        c.send("DATA now").expect(501, "5.5.4").text("Syntax: DATA");
    }

    @Test
    void dataOverSizeIsDrainedThenRejected552() throws IOException {
        var c = startWith(Limits.defaults().withMaxMessageSize(100_000));
        c.send("MAIL FROM:<a@b.jp>").expect(250);
        c.send("RCPT TO:<abe@example1.jp>").expect(250);
        c.send("DATA").expect(354);
        String line = "x".repeat(998) + "\n";
        for (int i = 0; i < 200; i++) {
            c.content(line);
        }
        try (Stream<Path> files = Files.list(spool)) {
            assertEquals(0, files.count(), "the spool file is deleted as soon as the limit is passed");
        }
        c.endData().expect(552, "5.3.4").text("Error: message file too big").next(Next.READ_COMMAND);
        assertTrue(handler.envelopes.isEmpty());
        c.send("RCPT TO:<abe@example1.jp>").expect(503, "5.5.1");
        c.send("MAIL FROM:<a@b.jp>").expect(250);
    }

    @Test
    void sizeLimitCountsCrlfOnTheWire() {
        String text = "12345678\n"; // 9 octets stored, 10 on the wire
        var c = startWith(Limits.defaults().withMaxMessageSize(10));
        c.send("MAIL FROM:<a@b.jp>").expect(250);
        c.send("RCPT TO:<abe@example1.jp>").expect(250);
        c.data(text).expect(250);
        var d = startWith(Limits.defaults().withMaxMessageSize(9));
        d.send("MAIL FROM:<a@b.jp>").expect(250);
        d.send("RCPT TO:<abe@example1.jp>").expect(250);
        d.data(text).expect(552, "5.3.4");
    }

    @Test
    void contentSplitAtEveryPositionIsStoredIdenticallyAndSizedTheSame() {
        String text = "Subject: split\n\nline one\n.dot kept as given\n\nend\n";
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        long wire = bytes.length + text.chars().filter(ch -> ch == '\n').count();
        for (long limit : new long[] {wire, wire - 1}) {
            for (int split = 0; split <= bytes.length; split++) {
                handler = new RecordingHandler();
                var c = startWith(Limits.defaults().withMaxMessageSize(limit));
                c.send("MAIL FROM:<a@b.jp>").expect(250);
                c.send("RCPT TO:<abe@example1.jp>").expect(250);
                c.send("DATA").expect(354);
                c.session().onContent(bytes, 0, split);
                c.session().onContent(bytes, split, bytes.length - split);
                if (limit == wire) {
                    c.endData().expect(250);
                    assertEquals(List.of(text), handler.messages, "split at " + split);
                } else {
                    c.endData().expect(552);
                }
            }
        }
        handler = new RecordingHandler();
        var c = start();
        c.send("MAIL FROM:<a@b.jp>").expect(250);
        c.send("RCPT TO:<abe@example1.jp>").expect(250);
        c.send("DATA").expect(354);
        for (int i = 0; i < bytes.length; i++) {
            c.session().onContent(bytes, i, 1);
        }
        c.endData().expect(250);
        assertEquals(List.of(text), handler.messages, "one byte at a time");
    }

    @Test
    void largeMessageIsSpooledToAFileThatIsDeletedAfterTheHandlerReturns() throws IOException {
        var c = start();
        c.send("MAIL FROM:<a@b.jp>").expect(250);
        c.send("RCPT TO:<abe@example1.jp>").expect(250);
        c.send("DATA").expect(354);
        String line = "y".repeat(999) + "\n";
        for (int i = 0; i < 200; i++) {
            c.content(line);
        }
        try (Stream<Path> files = Files.list(spool)) {
            assertEquals(1, files.count(), "content over 64 KiB is in a spool file");
        }
        c.endData().expect(250);
        assertEquals(200_000, handler.messages.get(0).length());
        try (Stream<Path> files = Files.list(spool)) {
            assertEquals(0, files.count(), "the server closes the content after the handler returned");
        }
    }

    @Test
    void textLineTooLongFailsTheTransactionAtTheEnd() {
        var c = start();
        c.send("MAIL FROM:<a@b.jp>").expect(250);
        c.send("RCPT TO:<abe@example1.jp>").expect(250);
        c.send("DATA").expect(354);
        c.content("short\n").contentLineTooLong().content("more\n");
        c.endData().expect(500, "5.5.2").text("Error: line too long");
        assertTrue(handler.envelopes.isEmpty());
    }

    @Test
    void temporaryDeliveryFailureIs451AndNeverASilentLoss() {
        handler.dataFailure = DeliveryException.temporary("Error: queue file write error", null);
        var c = start();
        c.send("MAIL FROM:<a@b.jp>").expect(250);
        c.send("RCPT TO:<abe@example1.jp>").expect(250);
        c.data("x\n").expect(451, "4.3.0").text("Error: queue file write error");
        c.send("RCPT TO:<abe@example1.jp>").expect(503, "5.5.1");
    }

    @Test
    void permanentDeliveryFailureIs5xxWithItsStatus() {
        handler.dataFailure = new DeliveryException("Mailbox full", false, "5.2.2", null);
        var c = start();
        c.send("MAIL FROM:<a@b.jp>").expect(250);
        c.send("RCPT TO:<abe@example1.jp>").expect(250);
        c.data("x\n").expect(552, "5.2.2").text("Mailbox full");
    }

    @Test
    void handlerBugAtDataIs451() {
        handler.dataBug = new NullPointerException();
        var c = start();
        c.send("MAIL FROM:<a@b.jp>").expect(250);
        c.send("RCPT TO:<abe@example1.jp>").expect(250);
        c.data("x\n").expect(451, "4.3.0");
    }

    @Test
    void dataRejectedByTheHandlerKeepsItsReply() {
        handler.dataVerdict = Verdict.reject(SmtpReply.of(554, EnhancedStatus.NOT_AUTHORIZED,
                "Spam"));
        try (LogCapture log = new LogCapture()) {
            var c = start();
            c.send("MAIL FROM:<a@b.jp>").expect(250);
            c.send("RCPT TO:<abe@example1.jp>").expect(250);
            c.data("x\n").expect(554, "5.7.1").text("Spam");
            assertTrue(log.lines("yubin.qmgr").isEmpty());
            assertTrue(log.lines("yubin.smtpd").stream().anyMatch(l -> l.contains(": reject: END-OF-MESSAGE from "
                    + "unknown[127.0.0.1]: 554 5.7.1 Spam; from=<a@b.jp> proto=SMTP")), log.lines("yubin.smtpd")
                    .toString());
        }
    }

    @Test
    void dataAcceptTextReplacesQueuedAs() {
        handler.dataVerdict = Verdict.accept("Ok: delivered");
        var c = start();
        c.send("MAIL FROM:<a@b.jp>").expect(250);
        c.send("RCPT TO:<abe@example1.jp>").expect(250);
        c.data("x\n").expect(250, "2.0.0").text("Ok: delivered");
    }

    @Test
    void twoMessagesOnOneConnectionGetTwoQueueIds() {
        var c = start();
        c.send("EHLO c").expect(250);
        sendOneMessage(c);
        sendOneMessage(c);
        assertEquals(2, handler.envelopes.size());
        assertFalse(handler.envelopes.get(0).queueId().equals(handler.envelopes.get(1).queueId()));
        assertTrue(handler.envelopes.get(0).queueId().compareTo(handler.envelopes.get(1).queueId()) < 0);
    }

    // --- BDAT (RFC 3030) -------------------------------------------------------------------------------------

    @Test
    void bdatLastDeliversOneChunk() {
        var c = start();
        c.send("EHLO c").expect(250);
        c.send("MAIL FROM:<a@b.jp>").expect(250);
        c.send("RCPT TO:<abe@example1.jp>").expect(250);
        var end = c.bdat("Subject: chunk\n\nbody\n", true).expect(250, "2.0.0").next(Next.READ_COMMAND);
        queueIdOf(end.reply());
        assertEquals(List.of("Subject: chunk\n\nbody\n"), handler.messages);
    }

    @Test
    void bdatChunksAreConcatenated() {
        try (LogCapture log = new LogCapture()) {
            var c = start();
            c.send("EHLO c").expect(250);
            c.send("MAIL FROM:<a@b.jp>").expect(250);
            c.send("RCPT TO:<abe@example1.jp>").expect(250);
            c.bdat("first ", false).expect(250, "2.0.0").text("Ok: 6 octets received");
            c.bdat("second\n", false).expect(250, "2.0.0");
            c.bdat("", true).expect(250, "2.0.0").textContains("queued as");
            c.send("QUIT").expect(221);
            c.disconnect();
            assertEquals(List.of("first second\n"), handler.messages);
            assertTrue(log.lines("yubin.smtpd").contains(
                    "disconnect from unknown[127.0.0.1] ehlo=1 mail=1 rcpt=1 bdat=3 quit=1 commands=7"),
                    log.lines("yubin.smtpd").toString());
        }
    }

    @Test
    void bdatZeroLastAloneDeliversAnEmptyMessage() {
        var c = start();
        c.send("MAIL FROM:<a@b.jp>").expect(250);
        c.send("RCPT TO:<abe@example1.jp>").expect(250);
        var step = c.send("BDAT 0 LAST").next(Next.READ_BDAT).noReply();
        assertEquals(0, step.step().bdatSize());
        assertTrue(step.step().bdatLast());
        c.endChunk().expect(250, "2.0.0").next(Next.READ_COMMAND);
        assertEquals(List.of(""), handler.messages);
    }

    @Test
    void emptyLastChunkIsReadSoThatTheDecoderCanEndTheMessage() {
        var c = start();
        c.send("MAIL FROM:<a@b.jp>").expect(250);
        c.send("RCPT TO:<abe@example1.jp>").expect(250);
        var step = c.send("BDAT 3").next(Next.READ_BDAT).noReply();
        assertFalse(step.step().bdatLast());
        c.content("ab").endChunk().expect(250); // the decoder holds the chunk's final CR
        c.send("BDAT 0 LAST").next(Next.READ_BDAT).noReply();
        c.content("\r").endChunk().expect(250, "2.0.0").textContains("queued as");
        assertEquals(List.of("ab\r"), handler.messages);
    }

    @Test
    void emptyChunkThatIsNotLastOrIsRefusedIsAnsweredAtOnce() {
        var c = start();
        c.send("BDAT 0 LAST").expect(503, "5.5.1").next(Next.READ_COMMAND);
        c.send("MAIL FROM:<a@b.jp>").expect(250);
        c.send("RCPT TO:<abe@example1.jp>").expect(250);
        c.send("BDAT 0").expect(250, "2.0.0").next(Next.READ_COMMAND);
    }

    @Test
    void bdatWithoutTransactionReadsTheChunkThenAnswers503() {
        var c = start();
        var step = c.send("BDAT 5").next(Next.READ_BDAT).noReply();
        assertEquals(5, step.step().bdatSize());
        c.content("MAIL ").endChunk().expect(503, "5.5.1").text("Error: need MAIL command");
        assertTrue(handler.calls().stream().noneMatch(e -> e.startsWith("mail")));
        c.send("MAIL FROM:<a@b.jp>").expect(250);
        c.bdat("xx", true).expect(503, "5.5.1").text("Error: need RCPT command");
    }

    @Test
    void dataAfterBdatIsRejected() {
        var c = start();
        c.send("MAIL FROM:<a@b.jp>").expect(250);
        c.send("RCPT TO:<abe@example1.jp>").expect(250);
        c.bdat("part", false).expect(250);
        c.send("DATA").expect(503, "5.5.1").text("Error: DATA not allowed after BDAT");
        c.send("RCPT TO:<r2@example1.jp>").expect(503, "5.5.1");
        c.bdat("", true).expect(250);
        assertEquals(List.of("part"), handler.messages);
    }

    @Test
    void bdatOverTheLimitIsReadAndRejected552ThenFollowingChunksAreDiscarded() {
        var c = startWith(Limits.defaults().withMaxMessageSize(10));
        c.send("MAIL FROM:<a@b.jp>").expect(250);
        c.send("RCPT TO:<abe@example1.jp>").expect(250);
        c.bdat("123456", false).expect(250);
        c.bdat("123456", false).expect(552, "5.3.4");
        c.bdat("123", true).expect(503, "5.5.1");
        assertTrue(handler.envelopes.isEmpty());
    }

    @Test
    void bdatSyntaxErrorIs501() {
        var c = start();
        c.send("BDAT").expect(501, "5.5.4").text("Syntax: BDAT size [LAST]");
        c.send("BDAT 12 FIRST").expect(501, "5.5.4");
        c.send("BDAT -1").expect(501, "5.5.4");
    }

    @Test
    void rsetDuringBdatDropsTheChunks() {
        var c = start();
        c.send("MAIL FROM:<a@b.jp>").expect(250);
        c.send("RCPT TO:<abe@example1.jp>").expect(250);
        c.bdat("dropped", false).expect(250);
        c.send("RSET").expect(250, "2.0.0");
        c.send("MAIL FROM:<a@b.jp>").expect(250);
        c.send("RCPT TO:<abe@example1.jp>").expect(250);
        c.bdat("kept", true).expect(250);
        assertEquals(List.of("kept"), handler.messages);
    }

    // --- RSET NOOP VRFY HELP QUIT, unknown commands --------------------------------------------------------

    @Test
    void rsetClearsTheTransactionAndResetsTheHandler() {
        var c = start();
        c.send("MAIL FROM:<a@b.jp>").expect(250);
        c.send("RSET").expect(250, "2.0.0").text("Ok");
        assertTrue(handler.events.contains("reset"));
        c.send("RCPT TO:<abe@example1.jp>").expect(503, "5.5.1");
        c.send("RSET extra").expect(501, "5.5.4");
    }

    @Test
    void noopVrfyAndHelp() {
        var c = start();
        c.send("NOOP").expect(250, "2.0.0");
        c.send("noop with an argument").expect(250, "2.0.0");
        c.send("VRFY abe").expect(252, "2.0.0");
        c.send("VRFY").expect(501, "5.5.4");
        c.send("HELP").expect(214, "2.0.0").textContains("EHLO");
        c.send("HELP MAIL").expect(214);
    }

    @Test
    void authAndStarttlsWithoutConfigurationAnswerAsPostfixDoes() {
        try (LogCapture log = new LogCapture()) {
            var c = start();
            c.send("EHLO client").expect(250);
            c.send("AUTH PLAIN AGFiZQBwYXNzd29yZA==").expect(503, "5.5.1").text("Error: authentication not enabled");
            c.send("STARTTLS").expect(502, "5.5.1").text("Error: command not implemented").next(Next.READ_COMMAND);
            c.send("QUIT").expect(221);
            c.disconnect();
            assertTrue(log.lines("yubin.smtpd").get(log.lines("yubin.smtpd").size() - 1)
                    .endsWith("ehlo=1 starttls=0/1 auth=0/1 quit=1 commands=2/4"), log.lines("yubin.smtpd").toString());
        }
    }

    @Test
    void quitAnswers221AndCloses() {
        var c = start();
        c.send("QUIT").expect(221, "2.0.0").text("Bye").next(Next.CLOSE);
        c.send("NOOP").next(Next.CLOSE).noReply();
    }

    @Test
    void unknownCommandIs500() {
        var c = start();
        c.send("EXPN staff").expect(500, "5.5.2").text("Error: command not recognized");
        c.send("GET / HTTP/1.0").expect(500, "5.5.2");
        c.send("").expect(500, "5.5.2").text("Error: bad syntax");
        c.send("NOOP\rRSET").expect(500, "5.5.2");
    }

    @Test
    void commandLineTooLongIs500() {
        var c = start();
        c.sendTooLong().expect(500, "5.5.2").text("Error: line too long").next(Next.READ_COMMAND);
        c.send("NOOP").expect(250);
    }

    @Test
    void tooManyErrorsGive421AndClose() {
        try (LogCapture log = new LogCapture()) {
            var c = startWith(Limits.defaults().withMaxErrors(3));
            c.send("FOO").expect(500);
            c.sendTooLong().expect(500);
            c.send("RCPT TO:<abe@example1.jp>").expect(503);
            c.send("NOOP").expect(421, "4.7.0").text("mx.example1.jp Error: too many errors").next(Next.CLOSE);
            c.send("NOOP").next(Next.CLOSE).noReply();
            c.disconnect();
            assertTrue(log.lines("yubin.smtpd").contains("too many errors after RCPT from unknown[127.0.0.1]"),
                    log.lines("yubin.smtpd").toString());
        }
    }

    @Test
    void aDeliveredMessageResetsTheErrorCount() {
        var c = startWith(Limits.defaults().withMaxErrors(2));
        c.send("FOO").expect(500);
        c.send("MAIL FROM:<a@b.jp>").expect(250);
        c.send("RCPT TO:<abe@example1.jp>").expect(250);
        c.data("x\n").expect(250);
        c.send("FOO").expect(500);
        c.send("NOOP").expect(250);
    }

    // --- pipelining ------------------------------------------------------------------------------------------

    @Test
    void pipelinedCommandsAreAnsweredInOrder() {
        handler.rcptPolicy = to -> to.localPart().equals("nobody")
                ? Verdict.reject(SmtpReplies.userUnknown(to.toString())) : Verdict.accept();
        var c = start();
        List<String> batch = List.of("EHLO client.example", "MAIL FROM:<a@b.jp> SIZE=20", "RCPT TO:<abe@example1.jp>",
                "RCPT TO:<nobody@example1.jp>", "RCPT TO:<sato@example1.jp>", "DATA");
        List<Integer> codes = batch.stream().map(line -> c.send(line).reply().code()).toList();
        assertEquals(List.of(250, 250, 250, 550, 250, 354), codes);
        c.content("pipelined\n").endData().expect(250);
        List<String> second = List.of("RSET", "MAIL FROM:<>", "RCPT TO:<nobody@example1.jp>", "DATA", "QUIT");
        List<Integer> secondCodes = second.stream().map(line -> c.send(line).reply().code()).toList();
        assertEquals(List.of(250, 250, 550, 554, 221), secondCodes);
        Domain domain = Domain.of("example1.jp");
        assertEquals(List.of(Recipient.of(MailAddress.of("abe", domain)), Recipient.of(MailAddress.of("sato", domain))),
                handler.envelopes.get(0).recipients());
    }

    @Test
    void pipelinedBdatTransactionWithoutWaiting() {
        var c = start();
        c.send("EHLO c").expect(250);
        c.send("MAIL FROM:<a@b.jp> BODY=8BITMIME").expect(250);
        c.send("RCPT TO:<abe@example1.jp>").expect(250);
        c.bdat("abc", false).expect(250);
        c.bdat("def", true).expect(250);
        c.send("MAIL FROM:<a@b.jp>").expect(250);
        c.send("RCPT TO:<abe@example1.jp>").expect(250);
        c.bdat("second", true).expect(250);
        assertEquals(List.of("abcdef", "second"), handler.messages);
    }

    // --- timeouts, shutdown, disconnects ---------------------------------------------------------------------

    @Test
    void timeoutIs421AndClose() {
        try (LogCapture log = new LogCapture()) {
            var c = start();
            c.send("MAIL FROM:<a@b.jp>").expect(250);
            c.timeout().expect(421, "4.4.2").text("mx.example1.jp Error: timeout exceeded").next(Next.CLOSE);
            c.disconnect();
            List<String> lines = log.lines("yubin.smtpd");
            assertTrue(lines.contains("timeout after MAIL from unknown[127.0.0.1]"), lines.toString());
            assertTrue(lines.stream().noneMatch(l -> l.startsWith("lost connection")), lines.toString());
        }
    }

    @Test
    void shutdownIs421AndClose() {
        var c = start();
        c.shutdown().expect(421, "4.3.2").text("mx.example1.jp Service shutting down").next(Next.CLOSE);
    }

    @Test
    void lostConnectionDuringDataDropsTheSpoolAndClosesTheHandlerSession() throws IOException {
        try (LogCapture log = new LogCapture()) {
            var c = start();
            c.send("EHLO c").expect(250);
            c.send("MAIL FROM:<a@b.jp>").expect(250);
            c.send("RCPT TO:<abe@example1.jp>").expect(250);
            c.send("DATA").expect(354);
            c.content("z".repeat(100_000));
            c.disconnect();
            c.disconnect();
            try (Stream<Path> files = Files.list(spool)) {
                assertEquals(0, files.count());
            }
            assertTrue(handler.envelopes.isEmpty());
            assertEquals("close", handler.events.get(handler.events.size() - 1));
            assertEquals(1, handler.events.stream().filter("close"::equals).count());
            List<String> lines = log.lines("yubin.smtpd");
            assertEquals(4, lines.size(), lines.toString());
            assertTrue(lines.get(1).endsWith(": client=unknown[127.0.0.1]"), lines.get(1));
            assertEquals(List.of("connect from unknown[127.0.0.1]", lines.get(1),
                    "lost connection after DATA from unknown[127.0.0.1]",
                    "disconnect from unknown[127.0.0.1] ehlo=1 mail=1 rcpt=1 data=0/1 commands=3/4"), lines);
        }
    }

    @Test
    void endDataWithoutDataIsAProgrammingError() {
        var c = start();
        assertThrows(IllegalStateException.class, c::endData);
        assertThrows(IllegalStateException.class, c::endChunk);
    }

    @Test
    void commandLinesWhileReadingContentAreAProgrammingError() {
        var c = start();
        c.send("MAIL FROM:<a@b.jp>").expect(250);
        c.send("RCPT TO:<abe@example1.jp>").expect(250);
        c.send("DATA").expect(354);
        assertThrows(IllegalStateException.class, () -> c.send("QUIT"));
        c.endData().expect(250);
        c.send("MAIL FROM:<a@b.jp>").expect(250);
        c.send("RCPT TO:<abe@example1.jp>").expect(250);
        c.send("BDAT 3").next(Next.READ_BDAT);
        assertThrows(IllegalStateException.class, c::sendTooLong);
        c.content("abc").endChunk().expect(250);
    }

    @Test
    void contentOutsideDataIsIgnored() {
        var c = start();
        c.content("stray");
        c.send("MAIL FROM:<a@b.jp>").expect(250);
        c.content("stray");
        c.send("RCPT TO:<abe@example1.jp>").expect(250);
        c.data("real\n").expect(250);
        assertEquals(List.of("real\n"), handler.messages);
    }

    private static void sendOneMessage(SmtpConversation c) {
        c.send("MAIL FROM:<a@b.jp>").expect(250);
        sendRcptAndData(c);
    }

    private static void sendRcptAndData(SmtpConversation c) {
        c.send("RCPT TO:<abe@example1.jp>").expect(250);
        c.data("Subject: t\n\nhi\n").expect(250, "2.0.0");
    }
}
