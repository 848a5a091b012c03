package dev.yubin.core.message;

import dev.yubin.core.address.ReversePath;
import dev.yubin.core.net.ConnectionInfo;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The SMTP envelope of one message (RFC 5321 §2.3.1): queue id, reverse-path, forward-paths, MAIL FROM
 * parameters (upper-case names, e.g. {@code SIZE}, {@code BODY}, {@code SMTPUTF8}), and where and when it was
 * received, which the trace header ({@code Received:}) is built from. Immutable.
 *
 * @param heloName the name the client gave in HELO/EHLO, as given
 * @param protocol the RFC 3848 "with" keyword: {@code SMTP}, {@code ESMTP}, {@code ESMTPS}, {@code ESMTPA}…
 */
public record Envelope(
        QueueId queueId,
        ReversePath reversePath,
        List<Recipient> recipients,
        Map<String, String> parameters,
        String heloName,
        String protocol,
        ConnectionInfo client,
        Instant receivedAt) {

    /**
     * Copies the recipients and parameters.
     *
     * @throws IllegalArgumentException if there are no recipients
     */
    public Envelope {
        Objects.requireNonNull(queueId, "queueId");
        Objects.requireNonNull(reversePath, "reversePath");
        recipients = List.copyOf(recipients);
        if (recipients.isEmpty()) {
            throw new IllegalArgumentException("an envelope needs at least one recipient");
        }
        parameters = Map.copyOf(parameters);
        Objects.requireNonNull(heloName, "heloName");
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(client, "client");
        Objects.requireNonNull(receivedAt, "receivedAt");
    }
}
