package dev.yubin.delivery.local;

import dev.yubin.core.address.MailAddress;
import dev.yubin.core.log.MailLog;
import dev.yubin.core.message.DeliveryException;
import dev.yubin.core.message.Envelope;
import dev.yubin.core.message.MailSink;
import dev.yubin.core.message.MessageContent;
import dev.yubin.core.message.Receipt;
import dev.yubin.core.message.Recipient;
import dev.yubin.core.store.MailStore;
import dev.yubin.core.store.StoreException;
import dev.yubin.core.user.MailUser;
import dev.yubin.core.user.UserDirectory;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The local delivery agent (MDA), like Postfix's local(8): a {@link MailSink} that delivers each envelope recipient
 * into that user's mailbox through a {@link MailStore}, prepending {@code Return-Path}, {@code X-Original-To},
 * {@code Delivered-To} and a {@code Received} trace header (RFC 5321 §4.4) in Postfix's format, and logging one
 * {@code to=<…>, relay=local, … status=…} line per recipient to {@link MailLog#local()}. Until a queue exists it
 * also does the share of Postfix's cleanup(8) and qmgr(8) that a local delivery needs: {@link MissingHeaders}
 * (a missing {@code Message-Id}, {@code Date} and {@code From} for local clients, by default), and their log lines
 * {@code message-id=<…>}, {@code from=<…>, size=…, nrcpt=… (queue active)} and {@code removed}.
 *
 * <table>
 *   <caption>Outcome of {@link #accept}</caption>
 *   <tr><th>Recipients</th><th>Result</th></tr>
 *   <tr><td>all delivered</td><td>{@code Receipt(queueId, "Ok: queued as <queueId>")}</td></tr>
 *   <tr><td>any failed temporarily (store I/O error: {@code 4.2.0}; lookup failure or bug: {@code 4.3.0})</td>
 *       <td>temporary {@link DeliveryException}</td></tr>
 *   <tr><td>otherwise, any failed permanently (unknown user: {@code 5.1.1}; mailbox unusable: {@code 5.2.0})</td>
 *       <td>permanent {@link DeliveryException}</td></tr>
 * </table>
 *
 * <p>Until a mail queue exists (a later issue), a failure is reported for the whole message: recipients that were
 * already delivered get a duplicate when the sender retries, which is preferred over losing a copy. Identical
 * recipient addresses in one envelope are delivered once. Recipients are delivered one after the other.
 *
 * <p>Thread-safe if the directory and the store are: many sessions may call {@link #accept} at once.
 */
public final class LocalDeliveryAgent implements MailSink {
    private static final Logger LOG = LoggerFactory.getLogger(LocalDeliveryAgent.class);
    private static final String MAIL_NAME = "Yubin";

    private final UserDirectory users;
    private final MailStore store;
    private final String myhostname;
    private final ZoneId zone;
    private final Predicate<Envelope> addMissingHeaders;
    private final boolean queueManagerLines;
    private final MailLog log;

    /** An agent that dates {@code Received} headers in the system time zone. */
    public LocalDeliveryAgent(UserDirectory users, MailStore store, String myhostname) {
        this(users, store, myhostname, ZoneId.systemDefault());
    }

    /**
     * @param myhostname this server's name for the {@code by} clause (Postfix {@code myhostname})
     * @param zone the time zone of the {@code Received} date
     */
    public LocalDeliveryAgent(UserDirectory users, MailStore store, String myhostname, ZoneId zone) {
        this(users, store, myhostname, zone, MissingHeaders.LOCAL_CLIENTS, true, MailLog.slf4j());
    }

    private LocalDeliveryAgent(UserDirectory users, MailStore store, String myhostname, ZoneId zone,
            Predicate<Envelope> addMissingHeaders, boolean queueManagerLines, MailLog log) {
        this.queueManagerLines = queueManagerLines;
        this.log = Objects.requireNonNull(log, "log");
        this.addMissingHeaders = Objects.requireNonNull(addMissingHeaders, "addMissingHeaders");
        this.users = Objects.requireNonNull(users, "users");
        this.store = Objects.requireNonNull(store, "store");
        this.myhostname = Objects.requireNonNull(myhostname, "myhostname");
        this.zone = Objects.requireNonNull(zone, "zone");
        if (myhostname.isBlank()) {
            throw new IllegalArgumentException("myhostname is blank");
        }
    }

    /**
     * This agent with another policy for adding a missing {@code Message-Id:}, {@code Date:} and {@code From:}
     * ({@link MissingHeaders#LOCAL_CLIENTS} by default, as Postfix; {@link MissingHeaders#ALWAYS},
     * {@link MissingHeaders#NEVER}, or any predicate).
     */
    public LocalDeliveryAgent withMissingHeaders(Predicate<Envelope> policy) {
        return new LocalDeliveryAgent(users, store, myhostname, zone, policy, queueManagerLines, log);
    }

    /**
     * This agent without the queue manager's {@code from=} and {@code removed} lines, for use behind a sink that
     * logs them for the whole message (a {@code RoutingSink}, whose message may also wait in the queue).
     */
    public LocalDeliveryAgent withoutQueueManagerLines() {
        return new LocalDeliveryAgent(users, store, myhostname, zone, addMissingHeaders, false, log);
    }

    /** Where this agent logs its events. */
    public MailLog mailLog() {
        return log;
    }

    /** This agent logging its events to {@code value} ({@link MailLog#slf4j()} by default). */
    public LocalDeliveryAgent withMailLog(MailLog value) {
        return new LocalDeliveryAgent(users, store, myhostname, zone, addMissingHeaders, queueManagerLines, value);
    }

    @Override
    public Receipt accept(Envelope envelope, MessageContent content) throws DeliveryException {
        byte[] additions = cleanup(envelope, content);
        if (queueManagerLines) {
            log.qmgr().info("{}: from=<{}>, size={}, nrcpt={} (queue active)", envelope.queueId(),
                    envelope.reversePath(), content.size() + additions.length, envelope.recipients().size());
        }
        List<Outcome> outcomes = new ArrayList<>();
        Set<MailAddress> seen = new HashSet<>();
        for (Recipient recipient : envelope.recipients()) {
            if (seen.add(recipient.address())) {
                Outcome outcome = deliver(envelope, recipient, additions, content);
                log(envelope, outcome);
                outcomes.add(outcome);
            }
        }
        Receipt receipt = verdict(envelope, outcomes);
        if (queueManagerLines) {
            log.qmgr().info("{}: removed", envelope.queueId());
        }
        return receipt;
    }

    /**
     * The header lines a message relayed from here starts with, as Postfix's smtpd and cleanup write them into the
     * queue file: {@code Received:} (RFC 5321 §4.4), then the missing {@code Message-Id}, {@code Date} and
     * {@code From} under this agent's policy. For {@code RoutingSink.withRemoteHeaders}.
     */
    public byte[] relayHeaders(Envelope envelope, MessageContent content) throws DeliveryException {
        byte[] received = TraceHeaders.received(envelope, myhostname, MAIL_NAME, zone);
        byte[] additions = cleanup(envelope, content);
        byte[] headers = Arrays.copyOf(received, received.length + additions.length);
        System.arraycopy(additions, 0, headers, received.length, additions.length);
        return headers;
    }

    /** Postfix cleanup's share: logs the message-id and returns the header lines to add, if any. */
    private byte[] cleanup(Envelope envelope, MessageContent content) throws DeliveryException {
        MissingHeaders.Scan scan;
        try {
            scan = MissingHeaders.scan(content);
        } catch (IOException e) {
            throw new DeliveryException("cannot read the message: " + e.getMessage(), true, "4.3.0", e);
        }
        boolean add = addMissingHeaders.test(envelope);
        String messageId = scan.messageId()
                .orElse(add ? MissingHeaders.messageId(envelope, myhostname) : "<>");
        log.cleanup().info("{}: message-id={}", envelope.queueId(), messageId);
        return MissingHeaders.additions(scan, envelope, add, myhostname, zone);
    }

    private Outcome deliver(Envelope envelope, Recipient recipient, byte[] additions, MessageContent content) {
        MailAddress address = recipient.address();
        Optional<MailUser> user;
        try {
            user = users.lookup(address);
        } catch (RuntimeException e) {
            LOG.warn("{}: user lookup failed for <{}>", envelope.queueId(), address, e);
            return new Outcome(address, Status.DEFERRED, "4.3.0", "user lookup failure", e);
        }
        if (user.isEmpty()) {
            String name = address.localPart().toLowerCase(Locale.ROOT);
            return new Outcome(address, Status.BOUNCED, "5.1.1", "unknown user: \"" + name + "\"", null);
        }
        byte[] trace = TraceHeaders.build(envelope, recipient, myhostname, MAIL_NAME, zone);
        byte[] headers = Arrays.copyOf(trace, trace.length + additions.length);
        System.arraycopy(additions, 0, headers, trace.length, additions.length);
        try (MessageContent copy = MessageContent.prefixed(headers, content)) {
            store.deliver(user.get(), copy);
        } catch (StoreException e) {
            String reason = store.kind() + " delivery failed: " + e.getMessage();
            return e.isTemporary()
                    ? new Outcome(address, Status.DEFERRED, "4.2.0", reason, e)
                    : new Outcome(address, Status.BOUNCED, "5.2.0", reason, e);
        } catch (RuntimeException e) {
            LOG.warn("{}: delivery to <{}> failed", envelope.queueId(), address, e);
            return new Outcome(address, Status.DEFERRED, "4.3.0", "internal error: " + e, e);
        }
        return new Outcome(address, Status.SENT, "2.0.0", "delivered to " + store.kind(), null);
    }

    private void log(Envelope envelope, Outcome outcome) {
        long delay = Math.max(0, Duration.between(envelope.receivedAt(), Instant.now()).toNanos());
        log.local().info("{}: to=<{}>, relay=local, delay={}, dsn={}, status={} ({})", envelope.queueId(),
                outcome.recipient, MailLog.seconds(delay), outcome.dsn, outcome.status.word, outcome.reason);
    }

    private static Receipt verdict(Envelope envelope, List<Outcome> outcomes) throws DeliveryException {
        List<Outcome> deferred = select(outcomes, Status.DEFERRED);
        List<Outcome> bounced = select(outcomes, Status.BOUNCED);
        if (deferred.isEmpty() && bounced.isEmpty()) {
            return new Receipt(envelope.queueId(), "Ok: queued as " + envelope.queueId());
        }
        String delivered = addresses(select(outcomes, Status.SENT));
        String already = delivered.isEmpty() ? "" : "; already delivered to " + delivered;
        if (!deferred.isEmpty()) {
            Outcome first = deferred.get(0);
            throw new DeliveryException("Temporary local delivery failure for " + addresses(deferred) + already,
                    true, first.dsn, first.cause);
        }
        Outcome first = bounced.get(0);
        String failures = bounced.stream()
                .map(o -> "<" + o.recipient + ">: " + ("5.1.1".equals(o.dsn) ? "user unknown" : "mailbox unavailable"))
                .collect(Collectors.joining(", "));
        throw new DeliveryException("Local delivery failed: " + failures + already, false, first.dsn, first.cause);
    }

    private static List<Outcome> select(List<Outcome> outcomes, Status status) {
        return outcomes.stream().filter(o -> o.status == status).collect(Collectors.toList());
    }

    private static String addresses(List<Outcome> outcomes) {
        return outcomes.stream().map(o -> "<" + o.recipient + ">").collect(Collectors.joining(", "));
    }

    private enum Status {
        SENT("sent"), DEFERRED("deferred"), BOUNCED("bounced");

        final String word;

        Status(String word) {
            this.word = word;
        }
    }

    /** What happened to one recipient; {@code cause} is null when there is none. */
    private static final class Outcome {
        final MailAddress recipient;
        final Status status;
        final String dsn;
        final String reason;
        final Throwable cause;

        Outcome(MailAddress recipient, Status status, String dsn, String reason, Throwable cause) {
            this.recipient = recipient;
            this.status = status;
            this.dsn = dsn;
            this.reason = reason;
            this.cause = cause;
        }
    }
}
