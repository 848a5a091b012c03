package dev.yubin.core.log;

import java.util.Objects;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The event loggers, named like Postfix's daemons so that a logging backend can route them into one maillog
 * file: one line per event, queue id first. Diagnostic logging uses class-named loggers instead.
 *
 * <p>{@link #slf4j()} writes to slf4j only. {@link #tee} also hands every event of level INFO and above, formatted,
 * to a listener: a server built with it reports its own events, apart from other servers in the same JVM (this is
 * how {@code MailServer.maillog()} reads the events of one test). Immutable and thread-safe; a listener must be
 * thread-safe and quick, as it runs on the thread that logs, often an event loop.
 */
public final class MailLog {
    private static final MailLog SLF4J = new MailLog(null);

    private final Logger smtpd;
    private final Logger cleanup;
    private final Logger qmgr;
    private final Logger local;
    private final Logger smtp;
    private final Logger pop3d;
    private final Logger imapd;
    private final Logger auth;

    private MailLog(Consumer<MailLogEvent> listener) {
        this.smtpd = logger("smtpd", listener);
        this.cleanup = logger("cleanup", listener);
        this.qmgr = logger("qmgr", listener);
        this.local = logger("local", listener);
        this.smtp = logger("smtp", listener);
        this.pop3d = logger("pop3d", listener);
        this.imapd = logger("imapd", listener);
        this.auth = logger("auth", listener);
    }

    private static Logger logger(String daemon, Consumer<MailLogEvent> listener) {
        Logger target = LoggerFactory.getLogger("yubin." + daemon);
        return listener == null ? target : new TeeLogger(daemon, target, listener);
    }

    /** The loggers {@code yubin.smtpd}, {@code yubin.local}, … of slf4j, nothing else: the default everywhere. */
    public static MailLog slf4j() {
        return SLF4J;
    }

    /** The same slf4j loggers, each event also given to {@code listener}. */
    public static MailLog tee(Consumer<MailLogEvent> listener) {
        return new MailLog(Objects.requireNonNull(listener, "listener"));
    }

    /** SMTP server events: connect, client=, reject, disconnect. */
    public Logger smtpd() {
        return smtpd;
    }

    /** Message cleanup events: message-id=. */
    public Logger cleanup() {
        return cleanup;
    }

    /** Queue manager events: from=, size=, nrcpt=, removed. */
    public Logger qmgr() {
        return qmgr;
    }

    /** Local delivery events: to=, relay=local, status=. */
    public Logger local() {
        return local;
    }

    /** SMTP client (remote delivery) events. */
    public Logger smtp() {
        return smtp;
    }

    /** POP3 server events. */
    public Logger pop3d() {
        return pop3d;
    }

    /** IMAP server events. */
    public Logger imapd() {
        return imapd;
    }

    /** Authentication events. */
    public Logger auth() {
        return auth;
    }

    /** Seconds with two decimals, as in Postfix's {@code delay=0.12}. */
    public static String seconds(long nanos) {
        long hundredths = Math.round(nanos / 10_000_000.0);
        return (hundredths / 100) + "." + (hundredths % 100 < 10 ? "0" : "") + (hundredths % 100);
    }
}
