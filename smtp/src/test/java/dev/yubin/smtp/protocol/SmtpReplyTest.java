package dev.yubin.smtp.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.yubin.core.message.DeliveryException;
import dev.yubin.core.message.QueueId;
import dev.yubin.core.store.StoreException;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SmtpReplyTest {

    @Test
    void oneLineReplyOnTheWire() {
        assertEquals("250 2.1.0 Ok\r\n", SmtpReplies.SENDER_OK.toWire());
        assertEquals("354 End data with <CR><LF>.<CR><LF>\r\n", SmtpReplies.START_MAIL_INPUT.toWire());
    }

    @Test
    void multilineReplyCarriesTheEnhancedStatusOnEveryLine() {
        SmtpReply reply = new SmtpReply(250, Optional.of(EnhancedStatus.OK), List.of("first", "last"));
        assertEquals("250-2.0.0 first\r\n250 2.0.0 last\r\n", reply.toWire());
        assertEquals("250-first\r\n250 last\r\n", SmtpReply.multiline(250, List.of("first", "last")).toWire());
    }

    @Test
    void positiveTransientPermanent() {
        assertTrue(SmtpReplies.OK.isPositive());
        assertTrue(SmtpReplies.START_MAIL_INPUT.isPositive());
        assertTrue(SmtpReplies.TOO_MANY_RECIPIENTS.isTransient());
        assertFalse(SmtpReplies.TOO_MANY_RECIPIENTS.isPositive());
        assertTrue(SmtpReplies.BAD_SEQUENCE.isPermanent());
    }

    @Test
    void invalidRepliesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> SmtpReply.of(199, "x"));
        assertThrows(IllegalArgumentException.class, () -> SmtpReply.of(600, "x"));
        assertThrows(IllegalArgumentException.class, () -> SmtpReply.of(250, EnhancedStatus.SYSTEM_TEMPORARY, "x"));
        assertThrows(IllegalArgumentException.class, () -> SmtpReply.of(250, "a\r\n250 forged"));
        assertThrows(IllegalArgumentException.class, () -> SmtpReply.multiline(250, List.of()));
    }

    @Test
    void toStringIsTheLogForm() {
        assertEquals("550 5.1.1 <x@y>: Recipient address rejected: User unknown in local recipient table",
                SmtpReplies.userUnknown("x@y").toString());
    }

    @Test
    void enhancedStatusParsesAndPrints() {
        assertEquals("2.1.5", EnhancedStatus.RECIPIENT_OK.toString());
        assertEquals(Optional.of(new EnhancedStatus(4, 3, 0)), EnhancedStatus.parse("4.3.0"));
        assertEquals(Optional.of(new EnhancedStatus(5, 123, 456)), EnhancedStatus.parse("5.123.456"));
        for (String bad : List.of("", "4.3", "3.0.0", "4.3.0.1", "4.x.0", "4.1000.0", "4..0", "+4.3.0")) {
            assertEquals(Optional.empty(), EnhancedStatus.parse(bad), bad);
        }
        assertThrows(IllegalArgumentException.class, () -> new EnhancedStatus(3, 0, 0));
    }

    @Test
    void catalogueRepliesHaveTheRightCodes() {
        assertEquals("500 5.5.2 Error: line too long", SmtpReplies.LINE_TOO_LONG.toString());
        assertEquals("503 5.5.1 Error: bad sequence of commands", SmtpReplies.BAD_SEQUENCE.toString());
        assertEquals("221 2.0.0 Bye", SmtpReplies.SERVICE_CLOSING.toString());
        assertEquals("552 5.3.4 Message size exceeds fixed limit", SmtpReplies.MESSAGE_SIZE_EXCEEDS_LIMIT.toString());
        assertEquals("554 5.7.1 <u@other.jp>: Relay access denied", SmtpReplies.relayDenied("u@other.jp").toString());
        assertEquals("555 5.5.4 Unsupported option: RET", SmtpReplies.unsupportedParameter("RET").toString());
        assertEquals("421 4.7.0 mx Error: too many errors", SmtpReplies.tooManyErrors("mx").toString());
        assertEquals("250 2.0.0 Ok: queued as 0123456789a",
                SmtpReplies.queued(new QueueId("0123456789a")).toString());
    }

    @Test
    void echoedClientTextCannotForgeReplies() {
        SmtpReply reply = SmtpReplies.relayDenied("a\r\n250 ok@x");
        assertEquals("554 5.7.1 <a??250 ok@x>: Relay access denied\r\n", reply.toWire());
        assertTrue(SmtpReplies.badParameter("x".repeat(1000)).text().length() < 300);
    }

    @Test
    void forFailureMapsDeliveryExceptionsByIsTemporary() {
        assertEquals("451 4.3.0 Error: queue file write error",
                SmtpReplies.forFailure(DeliveryException.temporary("", null)).toString());
        assertEquals("451 4.3.0 disk is busy",
                SmtpReplies.forFailure(DeliveryException.temporary("disk is busy", null)).toString());
        assertEquals("452 4.3.1 Insufficient system storage", SmtpReplies.forFailure(
                new DeliveryException("Insufficient system storage", true, "4.3.1", null)).toString());
        assertEquals("552 5.2.2 Mailbox full", SmtpReplies.forFailure(
                new DeliveryException("Mailbox full", false, "5.2.2", null)).toString());
        assertEquals("550 5.1.1 No such user", SmtpReplies.forFailure(
                new DeliveryException("No such user", false, "5.1.1", null)).toString());
        assertEquals("554 5.3.0 Error: transaction failed", SmtpReplies.forFailure(
                new DeliveryException(null, false, "5.3.0", null)).toString());
        assertEquals("554 5.3.0 bad status kept out", SmtpReplies.forFailure(
                new DeliveryException("bad status kept out", false, "5.x", null)).toString());
    }

    @Test
    void forFailureMapsOtherFailures() {
        assertEquals("451 4.3.0 locked", SmtpReplies.forFailure(new StoreException("locked", true, null)).toString());
        assertEquals("554 5.3.0 not a directory",
                SmtpReplies.forFailure(new StoreException("not a directory", false, null)).toString());
        assertSame(SmtpReplies.QUEUE_WRITE_ERROR, SmtpReplies.forFailure(new IOException("No space left on device")));
        assertSame(SmtpReplies.INTERNAL_ERROR, SmtpReplies.forFailure(new NullPointerException("secret detail")));
    }

    @Test
    void ehloKeywordsAreAnOrderedListThatLaterExtensionsExtend() {
        EhloKeywords standard = EhloKeywords.standard(1000);
        assertEquals(List.of("PIPELINING", "SIZE 1000", "8BITMIME", "ENHANCEDSTATUSCODES", "SMTPUTF8", "CHUNKING"),
                standard.lines());
        EhloKeywords more = standard.with("STARTTLS").with("SIZE 2000").without("chunking");
        assertEquals(List.of("PIPELINING", "SIZE 2000", "8BITMIME", "ENHANCEDSTATUSCODES", "SMTPUTF8", "STARTTLS"),
                more.lines());
        assertTrue(more.contains("starttls"));
        assertFalse(more.contains("CHUNKING"));
        assertEquals("250-mx\r\n250 PIPELINING\r\n",
                new EhloKeywords(List.of("PIPELINING")).reply("mx").toWire());
        assertThrows(IllegalArgumentException.class, () -> new EhloKeywords(List.of("BAD KEY\r\n")));
    }
}
