package dev.yubin.smtp.server;

import dev.yubin.core.log.MailLog;
import dev.yubin.core.net.Limits;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * The settings one {@link SmtpSession} needs. Immutable.
 *
 * @param hostname the server's name in the greeting, HELO/EHLO replies and 421 replies (Postfix
 *     {@code myhostname}); also completes {@code RCPT TO:<Postmaster>}
 * @param limits line lengths, message size, recipients and the error limit
 * @param spoolDirectory where DATA/BDAT content larger than 64 KiB is spooled; put it on the file system of the
 *     queue and mail stores
 * @param banner the greeting text after the hostname (Postfix {@code smtpd_banner} minus {@code $myhostname})
 * @param startTlsOffered whether EHLO offers STARTTLS (RFC 3207) on connections not yet encrypted
 * @param auth SMTP AUTH (RFC 4954), when offered; without it AUTH is answered {@code 503 5.5.1}
 * @param log where the sessions' maillog events go; {@link MailLog#slf4j()} by default
 */
public record SmtpServerConfig(String hostname, Limits limits, Path spoolDirectory, String banner,
        boolean startTlsOffered, Optional<SmtpAuth> auth, MailLog log) {
    /** The default banner. */
    public static final String DEFAULT_BANNER = "ESMTP Yubin";

    /**
     * Checks that nothing is {@code null}, the hostname is non-empty without blanks, and the banner has no control
     * characters.
     */
    public SmtpServerConfig {
        Objects.requireNonNull(hostname, "hostname");
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(spoolDirectory, "spoolDirectory");
        Objects.requireNonNull(banner, "banner");
        Objects.requireNonNull(auth, "auth");
        Objects.requireNonNull(log, "log");
        if (hostname.isEmpty() || hostname.chars().anyMatch(c -> c <= ' ' || c == 0x7f)) {
            throw new IllegalArgumentException("hostname must be a non-empty name without blanks: " + hostname);
        }
        if (banner.chars().anyMatch(c -> c < ' ' || c == 0x7f)) {
            throw new IllegalArgumentException("banner must not contain control characters");
        }
    }

    /** A configuration that logs to slf4j. */
    public SmtpServerConfig(String hostname, Limits limits, Path spoolDirectory, String banner,
            boolean startTlsOffered, Optional<SmtpAuth> auth) {
        this(hostname, limits, spoolDirectory, banner, startTlsOffered, auth, MailLog.slf4j());
    }

    /** A configuration without STARTTLS. */
    public SmtpServerConfig(String hostname, Limits limits, Path spoolDirectory, String banner) {
        this(hostname, limits, spoolDirectory, banner, false, Optional.empty());
    }

    /** Default limits and banner, no STARTTLS. */
    public static SmtpServerConfig of(String hostname, Path spoolDirectory) {
        return new SmtpServerConfig(hostname, Limits.defaults(), spoolDirectory, DEFAULT_BANNER);
    }

    /** This configuration with limits set to {@code value}. */
    public SmtpServerConfig withLimits(Limits value) {
        return new SmtpServerConfig(hostname, value, spoolDirectory, banner, startTlsOffered, auth, log);
    }

    /** This configuration with the banner set to {@code value}. */
    public SmtpServerConfig withBanner(String value) {
        return new SmtpServerConfig(hostname, limits, spoolDirectory, value, startTlsOffered, auth, log);
    }

    /** This configuration with STARTTLS offered or not. */
    public SmtpServerConfig withStartTls(boolean offered) {
        return new SmtpServerConfig(hostname, limits, spoolDirectory, banner, offered, auth, log);
    }

    /** This configuration with SMTP AUTH as {@code value}. */
    public SmtpServerConfig withAuth(SmtpAuth value) {
        return new SmtpServerConfig(hostname, limits, spoolDirectory, banner, startTlsOffered, Optional.of(value), log);
    }

    /** This configuration with its maillog events going to {@code value}. */
    public SmtpServerConfig withLog(MailLog value) {
        return new SmtpServerConfig(hostname, limits, spoolDirectory, banner, startTlsOffered, auth, value);
    }
}
