package dev.yubin.delivery.remote;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.yubin.core.address.MailAddress;
import dev.yubin.core.address.ReversePath;
import dev.yubin.core.message.Envelope;
import dev.yubin.core.message.MessageContent;
import dev.yubin.core.message.QueueId;
import dev.yubin.core.message.Recipient;
import dev.yubin.core.net.ConnectionInfo;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BounceMessageTest {
    private static final Instant ARRIVED = Instant.parse("2026-12-03T07:00:00Z");
    private static final Instant NOW = Instant.parse("2026-12-03T07:05:00Z");

    private static Envelope envelope(ReversePath sender) throws Exception {
        return new Envelope(new QueueId("8E4ZyEvOE0b"), sender,
                List.of(Recipient.of(MailAddress.parse("user2@example2.jp")),
                        Recipient.of(MailAddress.parse("ghost@example2.jp"))),
                Map.of(), "host1", "ESMTP", ConnectionInfo.of("s1", new InetSocketAddress("127.0.0.1", 40000),
                        new InetSocketAddress("127.0.0.1", 25)), ARRIVED);
    }

    @Test
    void aReportWithOneBlockPerFailedRecipientAndTheMessageReturned() throws Exception {
        byte[] original = "Subject: hello\nFrom: user1@example1.jp\n\nbody\n".getBytes(UTF_8);
        byte[] bounce = BounceMessage.build(envelope(ReversePath.of(MailAddress.parse("user1@example1.jp"))),
                MessageContent.ofBytes(original), List.of(
                        new BounceMessage.Failure(MailAddress.parse("ghost@example2.jp"), "5.1.1",
                                "host mail.example2.jp[127.0.0.3]:2525 said: 550 5.1.1 <ghost@example2.jp>: User"
                                + " unknown (in reply to RCPT TO command)"),
                        new BounceMessage.Failure(MailAddress.parse("user2@example2.jp"), "5.4.7",
                                "message delivery time expired")),
                "mail.example1.jp", new QueueId("9XBounce0Ab"), NOW, ZoneId.of("UTC"));
        String text = new String(bounce, UTF_8);
        String boundary = "9XBounce0Ab." + NOW.getEpochSecond() + "/mail.example1.jp";
        assertTrue(text.startsWith("Date: Thu,  3 Dec 2026 07:05:00 +0000 (UTC)\n"
                + "From: MAILER-DAEMON@mail.example1.jp (Mail Delivery System)\n"
                + "Subject: Undelivered Mail Returned to Sender\nTo: user1@example1.jp\n"
                + "Auto-Submitted: auto-replied\nMIME-Version: 1.0\n"
                + "Content-Type: multipart/report; report-type=delivery-status;\n\tboundary=\"" + boundary + "\"\n"),
                text);
        assertTrue(text.contains("<ghost@example2.jp>: host mail.example2.jp[127.0.0.3]:2525 said: 550 5.1.1"), text);
        assertTrue(text.contains("Content-Type: message/delivery-status\n\nReporting-MTA: dns; mail.example1.jp\n"
                + "X-Yubin-Queue-ID: 8E4ZyEvOE0b\nX-Yubin-Sender: rfc822; user1@example1.jp\n"
                + "Arrival-Date: Thu,  3 Dec 2026 07:00:00 +0000 (UTC)\n\n"
                + "Final-Recipient: rfc822; ghost@example2.jp\nOriginal-Recipient: rfc822;ghost@example2.jp\n"
                + "Action: failed\nStatus: 5.1.1\nRemote-MTA: dns; mail.example2.jp\n"
                + "Diagnostic-Code: smtp; 550 5.1.1 <ghost@example2.jp>: User unknown\n\n"
                + "Final-Recipient: rfc822; user2@example2.jp\n"), text);
        assertTrue(text.contains("Status: 5.4.7\nDiagnostic-Code: X-Yubin; message delivery time expired\n"), text);
        assertTrue(text.endsWith("Content-Type: message/rfc822\nContent-Transfer-Encoding: 8bit\n\n"
                + new String(original, UTF_8) + "\n--" + boundary + "--\n"), text);
    }

    @Test
    void aLargeMessageReturnsOnlyItsHeader() throws Exception {
        String body = "x".repeat(BounceMessage.RETURN_LIMIT + 10);
        byte[] bounce = BounceMessage.build(envelope(ReversePath.of(MailAddress.parse("user1@example1.jp"))),
                MessageContent.ofBytes(("Subject: big\n\n" + body + "\n").getBytes(UTF_8)),
                List.of(new BounceMessage.Failure(MailAddress.parse("ghost@example2.jp"), "5.3.4", "too big")),
                "mail.example1.jp", new QueueId("9XBounce0Ab"), NOW, ZoneId.of("UTC"));
        String text = new String(bounce, UTF_8);
        assertTrue(text.contains("Content-Type: text/rfc822-headers\nContent-Transfer-Encoding: 8bit\n\n"
                + "Subject: big\n\n--"), text);
        assertFalse(text.contains("xxxx"));
    }

    @Test
    void theNullSenderGetsNoBounce() {
        assertThrows(IllegalArgumentException.class, () -> BounceMessage.build(envelope(ReversePath.NULL),
                MessageContent.ofBytes(new byte[0]), List.of(), "mail.example1.jp", new QueueId("9XBounce0Ab"), NOW,
                ZoneId.of("UTC")));
    }
}
