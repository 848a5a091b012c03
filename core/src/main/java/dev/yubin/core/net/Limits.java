package dev.yubin.core.net;

import java.time.Duration;
import java.util.Objects;

/**
 * Resource limits of a protocol server; the defaults follow Postfix and the RFCs. Immutable; change one value
 * with a wither: {@code Limits.defaults().withMaxMessageSize(25 << 20)}.
 *
 * <table>
 *   <caption>Limits and their defaults</caption>
 *   <tr><th>limit</th><th>default</th><th>source</th></tr>
 *   <tr><td>{@code maxCommandLineLength}</td><td>512</td><td>RFC 5321 §4.5.3.1.4, with CRLF</td></tr>
 *   <tr><td>{@code maxTextLineLength}</td><td>1000</td><td>RFC 5321 §4.5.3.1.6, with CRLF</td></tr>
 *   <tr><td>{@code maxMessageSize}</td><td>10240000</td><td>Postfix {@code message_size_limit}</td></tr>
 *   <tr><td>{@code maxRecipients}</td><td>1000</td><td>Postfix {@code smtpd_recipient_limit}</td></tr>
 *   <tr><td>{@code maxConnections}</td><td>1000</td><td>all clients together</td></tr>
 *   <tr><td>{@code maxConnectionsPerClient}</td><td>50</td><td>Postfix {@code smtpd_client_connection_count_limit}</td></tr>
 *   <tr><td>{@code idleTimeout}</td><td>300 s</td><td>Postfix {@code smtpd_timeout}</td></tr>
 *   <tr><td>{@code maxErrors}</td><td>20</td><td>Postfix {@code smtpd_hard_error_limit}</td></tr>
 * </table>
 */
public record Limits(
        int maxCommandLineLength,
        int maxTextLineLength,
        long maxMessageSize,
        int maxRecipients,
        int maxConnections,
        int maxConnectionsPerClient,
        Duration idleTimeout,
        int maxErrors) {

    /**
     * Checks that every limit is positive.
     *
     * @throws IllegalArgumentException naming the limit that is not
     */
    public Limits {
        positive(maxCommandLineLength, "maxCommandLineLength");
        positive(maxTextLineLength, "maxTextLineLength");
        if (maxMessageSize <= 0) {
            throw new IllegalArgumentException("maxMessageSize must be positive");
        }
        positive(maxRecipients, "maxRecipients");
        positive(maxConnections, "maxConnections");
        positive(maxConnectionsPerClient, "maxConnectionsPerClient");
        Objects.requireNonNull(idleTimeout, "idleTimeout");
        if (idleTimeout.isNegative() || idleTimeout.isZero()) {
            throw new IllegalArgumentException("idleTimeout must be positive");
        }
        positive(maxErrors, "maxErrors");
    }

    private static void positive(int value, String name) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be positive, got " + value);
        }
    }

    /** The defaults in the table above. */
    public static Limits defaults() {
        return new Limits(512, 1000, 10_240_000, 1000, 1000, 50, Duration.ofSeconds(300), 20);
    }

    /** These limits with {@code maxCommandLineLength} set to {@code value}. */
    public Limits withMaxCommandLineLength(int value) {
        return new Limits(value, maxTextLineLength, maxMessageSize, maxRecipients, maxConnections,
                maxConnectionsPerClient, idleTimeout, maxErrors);
    }

    /** These limits with {@code maxTextLineLength} set to {@code value}. */
    public Limits withMaxTextLineLength(int value) {
        return new Limits(maxCommandLineLength, value, maxMessageSize, maxRecipients, maxConnections,
                maxConnectionsPerClient, idleTimeout, maxErrors);
    }

    /** These limits with {@code maxMessageSize} set to {@code value} octets. */
    public Limits withMaxMessageSize(long value) {
        return new Limits(maxCommandLineLength, maxTextLineLength, value, maxRecipients, maxConnections,
                maxConnectionsPerClient, idleTimeout, maxErrors);
    }

    /** These limits with {@code maxRecipients} set to {@code value}. */
    public Limits withMaxRecipients(int value) {
        return new Limits(maxCommandLineLength, maxTextLineLength, maxMessageSize, value, maxConnections,
                maxConnectionsPerClient, idleTimeout, maxErrors);
    }

    /** These limits with {@code maxConnections} set to {@code value}. */
    public Limits withMaxConnections(int value) {
        return new Limits(maxCommandLineLength, maxTextLineLength, maxMessageSize, maxRecipients, value,
                maxConnectionsPerClient, idleTimeout, maxErrors);
    }

    /** These limits with {@code maxConnectionsPerClient} set to {@code value}. */
    public Limits withMaxConnectionsPerClient(int value) {
        return new Limits(maxCommandLineLength, maxTextLineLength, maxMessageSize, maxRecipients, maxConnections,
                value, idleTimeout, maxErrors);
    }

    /** These limits with {@code idleTimeout} set to {@code value}. */
    public Limits withIdleTimeout(Duration value) {
        return new Limits(maxCommandLineLength, maxTextLineLength, maxMessageSize, maxRecipients, maxConnections,
                maxConnectionsPerClient, value, maxErrors);
    }

    /** These limits with {@code maxErrors} set to {@code value}. */
    public Limits withMaxErrors(int value) {
        return new Limits(maxCommandLineLength, maxTextLineLength, maxMessageSize, maxRecipients, maxConnections,
                maxConnectionsPerClient, idleTimeout, value);
    }
}
