package dev.yubin.delivery.queue;

import dev.yubin.core.address.Domain;
import dev.yubin.core.address.MailAddress;
import dev.yubin.core.log.MailLog;
import dev.yubin.core.message.DeliveryException;
import dev.yubin.core.message.Envelope;
import dev.yubin.core.message.MailSink;
import dev.yubin.core.message.MessageContent;
import dev.yubin.core.message.QueueId;
import dev.yubin.core.message.Receipt;
import dev.yubin.core.message.Recipient;
import dev.yubin.core.store.StoreException;
import java.nio.file.FileSystemException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link MailSink} behind "250 after DATA" for a server with local and remote recipients: recipients whose
 * domain is local (Postfix {@code mydestination}) go to the local sink (the {@code LocalDeliveryAgent}), the
 * others into the {@link QueueStore}: in {@link QueueState#ACTIVE} when remote delivery runs ({@link
 * #withQueueListener}), else in {@link QueueState#DEFERRED} until it does.
 * The client gets one {@link Receipt} with the envelope's queue id, or one failure for the whole message.
 *
 * <p>The order never loses mail and avoids duplicates where it can: the remote part is first
 * {@linkplain QueueStore#stage staged} (written and fsynced, not yet queued), then the local part is delivered,
 * then the remote part is committed.
 *
 * <table>
 *   <caption>Failures; every one fails the whole DATA, so the client retries or bounces all of it</caption>
 *   <tr><th>Step that fails</th><th>Reply</th><th>What stays behind</th></tr>
 *   <tr><td>staging the remote part</td><td>{@code 451 4.3.0} (disk full: {@code 452 4.3.1})</td>
 *       <td>nothing; local delivery is not tried</td></tr>
 *   <tr><td>local delivery</td><td>the local sink's exception, temporary or permanent</td>
 *       <td>the staged remote part is withdrawn; local recipients already delivered get a duplicate when the
 *       client retries (the local sink's own rule)</td></tr>
 *   <tr><td>committing the remote part</td><td>{@code 451 4.3.0}</td>
 *       <td>the local copies: they are duplicated when the client retries</td></tr>
 * </table>
 * A crash between the steps leaves the staged part in {@code incoming/}, discarded at restart; the client had no
 * 250 and sends again, so again only local recipients can get a second copy.
 *
 * <p>Recipient addresses that repeat within the remote part are queued once. With remote delivery
 * ({@link #withQueueListener}), the listener hears of each queued message at once; without, each queued recipient
 * is logged to {@link MailLog#qmgr()} as
 * {@code <queueid>: to=<u@example2.jp>, relay=none, delay=0.01, dsn=4.3.0, status=deferred (remote delivery not
 * configured)}. It logs the queue manager's lines for the whole message, as Postfix's qmgr does: {@code from=<…>,
 * size=…, nrcpt=<all recipients> (queue active)} first, and {@code removed} when nothing waits in the queue; give it
 * a local sink that does not log them itself ({@link
 * dev.yubin.delivery.local.LocalDeliveryAgent#withoutQueueManagerLines()}). Thread-safe if the local sink and the
 * queue are.
 */
public final class RoutingSink implements MailSink {
    private static final Logger LOG = LoggerFactory.getLogger(RoutingSink.class);
    private static final String NOT_CONFIGURED = "remote delivery not configured";

    private final Predicate<Domain> localDomains;
    private final MailSink local;
    private final QueueStore queue;
    private final Consumer<QueueId> onQueued;
    private final String deferReason;
    private final RemoteHeaders remoteHeaders;
    private final MailLog log;

    /**
     * The header lines to put before the remote part's content (trace headers), or none.
     * Called from every session that delivers through the sink, so it must be thread-safe.
     */
    @FunctionalInterface
    public interface RemoteHeaders {
        /**
         * The header lines, LF-ended, for the remote part {@code remote} of a message; an empty array for none.
         *
         * @throws DeliveryException to refuse the message; it is then neither delivered nor queued
         */
        byte[] of(Envelope remote, MessageContent content) throws DeliveryException;
    }

    /**
     * @param localDomains whether a domain is delivered here (e.g. {@code LocalDomains::contains})
     * @param local the sink for local recipients
     * @param queue where the other recipients wait for remote delivery
     */
    public RoutingSink(Predicate<Domain> localDomains, MailSink local, QueueStore queue) {
        this(localDomains, local, queue, null, NOT_CONFIGURED, (e, c) -> new byte[0], MailLog.slf4j());
    }

    private RoutingSink(Predicate<Domain> localDomains, MailSink local, QueueStore queue, Consumer<QueueId> onQueued,
            String deferReason, RemoteHeaders remoteHeaders, MailLog log) {
        this.log = Objects.requireNonNull(log, "log");
        this.localDomains = Objects.requireNonNull(localDomains, "localDomains");
        this.local = Objects.requireNonNull(local, "local");
        this.queue = Objects.requireNonNull(queue, "queue");
        this.onQueued = onQueued;
        this.deferReason = deferReason;
        this.remoteHeaders = remoteHeaders;
    }

    /**
     * This sink, putting {@code headers} before the content it queues for remote delivery, e.g. a
     * {@code Received:} line ({@code LocalDeliveryAgent::relayHeaders}); local recipients get theirs from the local
     * sink.
     */
    public RoutingSink withRemoteHeaders(RemoteHeaders headers) {
        return new RoutingSink(localDomains, local, queue, onQueued, deferReason,
                Objects.requireNonNull(headers, "headers"), log);
    }

    /**
     * This sink without remote delivery for now, logging each queued recipient as {@code status=deferred
     * (<reason>)}: Postfix's {@code defer_transports = smtp} logs {@code deferred transport}.
     */
    public RoutingSink suspended(String reason) {
        return new RoutingSink(localDomains, local, queue, null, Objects.requireNonNull(reason, "reason"),
                remoteHeaders, log);
    }

    /**
     * This sink, calling {@code onQueued} with each message it queues (e.g. {@code QueueManager::submit}), so that
     * remote delivery starts at once.
     */
    public RoutingSink withQueueListener(Consumer<QueueId> onQueued) {
        return new RoutingSink(localDomains, local, queue, Objects.requireNonNull(onQueued, "onQueued"), deferReason,
                remoteHeaders, log);
    }

    /** This sink logging its {@code qmgr} lines to {@code value} ({@link MailLog#slf4j()} by default). */
    public RoutingSink withMailLog(MailLog value) {
        return new RoutingSink(localDomains, local, queue, onQueued, deferReason, remoteHeaders,
                Objects.requireNonNull(value, "value"));
    }

    @Override
    public Receipt accept(Envelope envelope, MessageContent content) throws DeliveryException {
        List<Recipient> locals = new ArrayList<>();
        List<Recipient> remotes = new ArrayList<>();
        Set<MailAddress> queued = new HashSet<>();
        for (Recipient recipient : envelope.recipients()) {
            if (localDomains.test(recipient.address().domain())) {
                locals.add(recipient);
            } else if (queued.add(recipient.address())) {
                remotes.add(recipient);
            }
        }
        log.qmgr().info("{}: from=<{}>, size={}, nrcpt={} (queue active)", envelope.queueId(),
                envelope.reversePath(), content.size(), locals.size() + remotes.size());
        if (remotes.isEmpty()) {
            Receipt receipt = local.accept(envelope, content);
            log.qmgr().info("{}: removed", envelope.queueId());
            return receipt;
        }
        Envelope remote = withRecipients(envelope, remotes);
        byte[] headers = remoteHeaders.of(remote, content);
        // the caller owns the content; the prefixed view holds nothing to release
        MessageContent remoteContent = headers.length == 0 ? content : MessageContent.prefixed(headers, content);
        try (StagedMessage staged = stage(remote, remoteContent)) {
            if (!locals.isEmpty()) {
                local.accept(withRecipients(envelope, locals), content);
            }
            // with remote delivery running the message is due at once: straight to active/, saving the move
            // (a rename and two directory fsyncs) the queue manager would make
            commit(staged, !locals.isEmpty(), onQueued != null ? QueueState.ACTIVE : QueueState.DEFERRED);
        }
        if (onQueued != null) {
            onQueued.accept(envelope.queueId());
        } else {
            logDeferred(remote, deferReason);
        }
        return new Receipt(envelope.queueId(), "Ok: queued as " + envelope.queueId());
    }

    private StagedMessage stage(Envelope envelope, MessageContent content) throws DeliveryException {
        try {
            return queue.stage(envelope, content);
        } catch (StoreException e) {
            throw queueFailure(envelope.queueId(), e);
        }
    }

    private void commit(StagedMessage staged, boolean deliveredLocally, QueueState state) throws DeliveryException {
        try {
            staged.commit(state);
        } catch (StoreException e) {
            if (deliveredLocally) {
                LOG.warn("{}: local recipients were delivered but the queue commit failed; a retry duplicates them",
                        staged.queueId());
            }
            throw queueFailure(staged.queueId(), e);
        }
    }

    private static DeliveryException queueFailure(QueueId queueId, StoreException e) {
        LOG.warn("{}: queue write failed: {}", queueId, e.getMessage()); // an I/O failure, not a bug: no stack
        if (isDiskFull(e)) {
            return new DeliveryException("Insufficient system storage", true, "4.3.1", e);
        }
        return new DeliveryException("Error: queue file write error", true, "4.3.0", e);
    }

    private static boolean isDiskFull(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof FileSystemException) {
                String reason = String.valueOf(((FileSystemException) t).getReason());
                if (reason.contains("No space left") || reason.contains("quota")) {
                    return true;
                }
            }
        }
        return false;
    }

    private void logDeferred(Envelope envelope, String reason) {
        long delay = Math.max(0, Duration.between(envelope.receivedAt(), Instant.now()).toNanos());
        for (Recipient recipient : envelope.recipients()) {
            log.qmgr().info("{}: to=<{}>, relay=none, delay={}, dsn=4.3.0, status=deferred ({})",
                    envelope.queueId(), recipient.address(), MailLog.seconds(delay), reason);
        }
    }

    private static Envelope withRecipients(Envelope envelope, List<Recipient> recipients) {
        return new Envelope(envelope.queueId(), envelope.reversePath(), recipients, envelope.parameters(),
                envelope.heloName(), envelope.protocol(), envelope.client(), envelope.receivedAt());
    }
}
