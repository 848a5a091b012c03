package dev.yubin.imap.server;

import dev.yubin.auth.FailureDelay;
import dev.yubin.auth.sasl.PlainMechanism;
import dev.yubin.auth.sasl.SaslContext;
import dev.yubin.auth.sasl.SaslMechanisms;
import dev.yubin.core.log.MailLog;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The settings of {@link ImapSession}s. Immutable; change it with the withers.
 *
 * <table>
 *   <caption>Settings</caption>
 *   <tr><th>setting</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>{@code hostname}</td><td>required</td><td>the server's name, in the greeting</td></tr>
 *   <tr><td>{@code sasl}</td><td>required</td><td>the user database LOGIN checks passwords against</td></tr>
 *   <tr><td>{@code plaintextWithoutTls}</td><td>false</td><td>allow LOGIN and AUTH=PLAIN before TLS (Dovecot
 *     {@code disable_plaintext_auth = no}); otherwise {@code LOGINDISABLED} is announced</td></tr>
 *   <tr><td>{@code startTlsOffered}</td><td>false</td><td>whether STARTTLS is announced and accepted</td></tr>
 *   <tr><td>{@code failureDelay}</td><td>{@link FailureDelay#NONE}</td><td>how failed logins are slowed
 *     down</td></tr>
 *   <tr><td>{@code maxFailures}</td><td>3</td><td>failed logins after which the connection is closed</td></tr>
 *   <tr><td>{@code mechanisms}</td><td>PLAIN</td><td>the SASL mechanisms of AUTHENTICATE (Dovecot's
 *     {@code auth_mechanisms = plain}); plaintext ones only where LOGIN is allowed</td></tr>
 *   <tr><td>{@code idleCheckInterval}</td><td>30 s</td><td>how often an IDLE session looks for changes made by
 *     other processes (Dovecot {@code mailbox_idle_check_interval}); this process's changes wake it at once</td></tr>
 *   <tr><td>{@code log}</td><td>{@link MailLog#slf4j()}</td><td>where the sessions' maillog events go</td></tr>
 * </table>
 */
public record ImapConfig(String hostname, SaslContext sasl, boolean plaintextWithoutTls, boolean startTlsOffered,
        FailureDelay failureDelay, int maxFailures, Duration idleCheckInterval, SaslMechanisms mechanisms,
        MailLog log) {

    /** Failed logins after which the connection is closed, as Dovecot's default does. */
    public static final int DEFAULT_MAX_FAILURES = 3;
    /** How often IDLE polls for other processes' changes, as Dovecot's default. */
    public static final Duration DEFAULT_IDLE_CHECK_INTERVAL = Duration.ofSeconds(30);

    /**
     * Checks that nothing is {@code null}, the hostname is not empty, {@code maxFailures} is at least 1 and the IDLE
     * check interval is positive.
     *
     * @throws IllegalArgumentException naming the setting
     */
    public ImapConfig {
        Objects.requireNonNull(hostname, "hostname");
        Objects.requireNonNull(sasl, "sasl");
        Objects.requireNonNull(failureDelay, "failureDelay");
        Objects.requireNonNull(idleCheckInterval, "idleCheckInterval");
        Objects.requireNonNull(mechanisms, "mechanisms");
        Objects.requireNonNull(log, "log");
        if (idleCheckInterval.isNegative() || idleCheckInterval.isZero()) {
            throw new IllegalArgumentException("ImapConfig: idleCheckInterval must be positive, got "
                    + idleCheckInterval);
        }
        if (hostname.isEmpty()) {
            throw new IllegalArgumentException("ImapConfig: hostname is empty");
        }
        if (maxFailures < 1) {
            throw new IllegalArgumentException("ImapConfig: maxFailures must be positive, got " + maxFailures);
        }
    }

    /** The safe defaults: no plaintext login without TLS, no STARTTLS, no failure delay, 3 failures. */
    public static ImapConfig of(String hostname, SaslContext sasl) {
        return new ImapConfig(hostname, sasl, false, false, FailureDelay.NONE, DEFAULT_MAX_FAILURES,
                DEFAULT_IDLE_CHECK_INTERVAL, new SaslMechanisms(List.of(new PlainMechanism())), MailLog.slf4j());
    }

    /** This configuration with {@code plaintextWithoutTls} set to {@code value}. */
    public ImapConfig withPlaintextWithoutTls(boolean value) {
        return new ImapConfig(hostname, sasl, value, startTlsOffered, failureDelay, maxFailures, idleCheckInterval,
                mechanisms, log);
    }

    /** This configuration with STARTTLS offered or not. */
    public ImapConfig withStartTlsOffered(boolean value) {
        return new ImapConfig(hostname, sasl, plaintextWithoutTls, value, failureDelay, maxFailures, idleCheckInterval,
                mechanisms, log);
    }

    /** This configuration with failed logins slowed down by {@code value}. */
    public ImapConfig withFailureDelay(FailureDelay value) {
        return new ImapConfig(hostname, sasl, plaintextWithoutTls, startTlsOffered, value, maxFailures, idleCheckInterval,
                mechanisms, log);
    }

    /** This configuration with {@code maxFailures} set to {@code value}. */
    public ImapConfig withMaxFailures(int value) {
        return new ImapConfig(hostname, sasl, plaintextWithoutTls, startTlsOffered, failureDelay, value, idleCheckInterval,
                mechanisms, log);
    }

    /** This configuration with IDLE looking for other processes' changes every {@code value}. */
    public ImapConfig withIdleCheckInterval(Duration value) {
        return new ImapConfig(hostname, sasl, plaintextWithoutTls, startTlsOffered, failureDelay, maxFailures, value,
                mechanisms, log);
    }

    /** This configuration with {@code value} as the AUTHENTICATE mechanisms. */
    public ImapConfig withMechanisms(SaslMechanisms value) {
        return new ImapConfig(hostname, sasl, plaintextWithoutTls, startTlsOffered, failureDelay, maxFailures,
                idleCheckInterval, value, log);
    }

    /** This configuration with its maillog events going to {@code value}. */
    public ImapConfig withLog(MailLog value) {
        return new ImapConfig(hostname, sasl, plaintextWithoutTls, startTlsOffered, failureDelay, maxFailures,
                idleCheckInterval, mechanisms, value);
    }

    /** Whether a plaintext login may be used now. */
    public boolean plaintextAllowed(boolean tls) {
        return tls || plaintextWithoutTls;
    }
}
