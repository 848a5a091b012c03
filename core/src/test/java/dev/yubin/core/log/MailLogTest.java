package dev.yubin.core.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.slf4j.event.Level;

class MailLogTest {

    @Test
    void slf4jIsTheSharedDefaultWithPostfixNamedLoggers() {
        assertSame(MailLog.slf4j(), MailLog.slf4j());
        assertEquals("yubin.smtpd", MailLog.slf4j().smtpd().getName());
        assertEquals("yubin.local", MailLog.slf4j().local().getName());
        assertEquals("yubin.imapd", MailLog.slf4j().imapd().getName());
    }

    @Test
    void teeGivesFormattedEventsOfInfoAndAboveToTheListener() {
        List<MailLogEvent> events = new CopyOnWriteArrayList<>();
        MailLog log = MailLog.tee(events::add);
        assertEquals("yubin.smtpd", log.smtpd().getName());
        log.smtpd().info("connect from {}", "localhost[127.0.0.1]");
        log.local().info("{}: to=<{}>, relay=local, status={}", "8E4vQ", "abe@example.test", "sent");
        log.pop3d().warn("pop3({}): Error: {}", "abe", "broken", new IllegalStateException("cause"));
        log.imapd().debug("not an event {}", 1);
        log.qmgr().info("literal {} braces without arguments");
        assertEquals(4, events.size(), events.toString());
        assertEquals("smtpd: connect from localhost[127.0.0.1]", events.get(0).toString());
        assertEquals("8E4vQ: to=<abe@example.test>, relay=local, status=sent", events.get(1).message());
        assertEquals("local", events.get(1).daemon());
        assertEquals(Level.WARN, events.get(2).level());
        assertEquals("pop3(abe): Error: broken", events.get(2).message(), "the throwable is not an argument");
        assertEquals("literal {} braces without arguments", events.get(3).message());
    }

    @Test
    void delayIsInSecondsWithTwoDecimals() {
        assertEquals("0.00", MailLog.seconds(0));
        assertEquals("0.05", MailLog.seconds(49_000_000));
        assertEquals("1.20", MailLog.seconds(1_200_000_000));
    }
}
