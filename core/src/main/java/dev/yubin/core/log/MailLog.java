package dev.yubin.core.log;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The event loggers, named like Postfix's daemons so that a logging backend can route them into one maillog
 * file: one line per event, queue id first. Diagnostic logging uses class-named loggers instead.
 */
public final class MailLog {
    /** SMTP server events: connect, client=, reject, disconnect. */
    public static final Logger SMTPD = LoggerFactory.getLogger("yubin.smtpd");
    /** Message cleanup events: message-id=. */
    public static final Logger CLEANUP = LoggerFactory.getLogger("yubin.cleanup");
    /** Queue manager events: from=, size=, nrcpt=, removed. */
    public static final Logger QMGR = LoggerFactory.getLogger("yubin.qmgr");
    /** Local delivery events: to=, relay=local, status=. */
    public static final Logger LOCAL = LoggerFactory.getLogger("yubin.local");
    /** SMTP client (remote delivery) events. */
    public static final Logger SMTP = LoggerFactory.getLogger("yubin.smtp");
    /** POP3 server events. */
    public static final Logger POP3D = LoggerFactory.getLogger("yubin.pop3d");
    /** IMAP server events. */
    public static final Logger IMAPD = LoggerFactory.getLogger("yubin.imapd");
    /** Authentication events. */
    public static final Logger AUTH = LoggerFactory.getLogger("yubin.auth");

    private MailLog() {
    }

    /** Seconds with two decimals, as in Postfix's {@code delay=0.12}. */
    public static String seconds(long nanos) {
        long hundredths = Math.round(nanos / 10_000_000.0);
        return (hundredths / 100) + "." + (hundredths % 100 < 10 ? "0" : "") + (hundredths % 100);
    }
}
