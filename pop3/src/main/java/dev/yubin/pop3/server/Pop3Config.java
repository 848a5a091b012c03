package dev.yubin.pop3.server;

import dev.yubin.core.log.MailLog;
import dev.yubin.core.net.Limits;
import java.util.Objects;

/**
 * The settings every {@link Pop3Session} of a listener gets. Immutable.
 *
 * @param hostname the server's name, in the APOP timestamp
 * @param banner the greeting text after {@code +OK}
 * @param limits {@code maxErrors} bad commands close the session; {@code maxCommandLineLength} bounds lines in the
 *     shell
 * @param auth how clients log in
 * @param startTlsOffered whether STLS is available (a TLS identity, and not implicit TLS)
 * @param log where the sessions' maillog events go; {@link MailLog#slf4j()} by default
 */
public record Pop3Config(String hostname, String banner, Limits limits, Pop3Auth auth, boolean startTlsOffered,
        MailLog log) {
    /** The default greeting text, as Dovecot's {@code Dovecot ready.}. */
    public static final String DEFAULT_BANNER = "Yubin ready.";

    /**
     * Checks that nothing is {@code null}, the hostname is printable ASCII without spaces or angle brackets, and the
     * banner has no CR or LF.
     */
    public Pop3Config {
        Objects.requireNonNull(hostname, "hostname");
        Objects.requireNonNull(banner, "banner");
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(auth, "auth");
        Objects.requireNonNull(log, "log");
        if (hostname.isEmpty() || hostname.chars().anyMatch(c -> c <= ' ' || c >= 0x7f || c == '<' || c == '>')) {
            throw new IllegalArgumentException("bad hostname: " + hostname);
        }
        if (banner.indexOf('\r') >= 0 || banner.indexOf('\n') >= 0) {
            throw new IllegalArgumentException("banner contains CR or LF");
        }
    }

    /** Settings that log to slf4j. */
    public Pop3Config(String hostname, String banner, Limits limits, Pop3Auth auth, boolean startTlsOffered) {
        this(hostname, banner, limits, auth, startTlsOffered, MailLog.slf4j());
    }

    /** These settings with their maillog events going to {@code value}. */
    public Pop3Config withLog(MailLog value) {
        return new Pop3Config(hostname, banner, limits, auth, startTlsOffered, value);
    }
}
