package dev.yubin.delivery.remote;

import dev.yubin.core.address.Domain;
import dev.yubin.core.address.MailAddress;
import dev.yubin.core.address.ReversePath;
import dev.yubin.core.log.MailLog;
import dev.yubin.core.message.DeliveryException;
import dev.yubin.core.message.Envelope;
import dev.yubin.core.message.MailSink;
import dev.yubin.core.message.MessageContent;
import dev.yubin.core.message.QueueId;
import dev.yubin.core.message.Recipient;
import dev.yubin.core.net.ConnectionInfo;
import dev.yubin.core.store.StoreException;
import dev.yubin.delivery.queue.QueueEntry;
import dev.yubin.delivery.queue.QueueState;
import dev.yubin.delivery.queue.QueueStore;
import dev.yubin.delivery.queue.QueuedMessage;
import dev.yubin.delivery.queue.RecipientState;
import dev.yubin.delivery.queue.RecipientStatus;
import dev.yubin.dns.MxHost;
import dev.yubin.dns.MxResolver;
import dev.yubin.dns.MxResult;
import dev.yubin.smtp.client.OutboundMessage;
import dev.yubin.smtp.client.RecipientResult;
import dev.yubin.smtp.client.SessionResult;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers the messages of a {@link QueueStore} to their remote recipients, as Postfix's qmgr(8) and smtp(8) do:
 * recipients are grouped by domain (or all sent to the relay host), each group's MX hosts are tried in order
 * (at most {@value #ADDRESS_LIMIT} addresses, Postfix's {@code smtp_mx_address_limit}), and each recipient's
 * outcome is recorded durably before the next group is tried, so a restart (also after {@code kill -9}) never sends
 * twice to a recipient that was done.
 *
 * <table>
 *   <caption>Scheduling (Postfix's names and defaults)</caption>
 *   <tr><th>What</th><th>Rule</th></tr>
 *   <tr><td>a new message, or one found in {@code active/} at start</td><td>delivered at once</td></tr>
 *   <tr><td>a deferred one</td><td>again after its age since arrival, clamped to
 *       [{@code minimal_backoff_time} 300 s, {@code maximal_backoff_time} 4000 s], counted from its last attempt
 *       (so the wait about doubles each time)</td></tr>
 *   <tr><td>older than {@code maximal_queue_lifetime} (5 d; {@code bounce_queue_lifetime} for bounces)</td>
 *       <td>its deferred recipients bounce ({@code 5.4.7})</td></tr>
 *   <tr><td>concurrency</td><td>at most {@link Builder#maxActive} messages at a time, at most
 *       {@link Builder#destinationConcurrency} sessions per destination</td></tr>
 * </table>
 *
 * <p>When every recipient is done, the bounced ones are reported to the sender in one {@link BounceMessage} handed
 * to the bounce sink, and the message is removed. A message from the null sender is never bounced (its failures are
 * only logged). Log lines go to {@link MailLog#smtp()} and {@link MailLog#qmgr()}:
 * {@code <qid>: to=<…>, relay=mx[192.0.2.1]:25, delay=…, dsn=2.0.0, status=sent (250 …)},
 * {@code <qid>: sender non-delivery notification: <bounce qid>}, {@code <qid>: removed}.
 *
 * <p>Thread-safe. The queue is scanned on one thread of its own; deliveries run on a pool of
 * {@link Builder#maxActive} threads that may block (DNS waits, SMTP sessions, fsync).
 */
public final class QueueManager implements AutoCloseable {
    /** Postfix's {@code smtp_mx_address_limit}. */
    public static final int ADDRESS_LIMIT = 5;
    private static final Logger LOG = LoggerFactory.getLogger(QueueManager.class);

    /**
     * Where a message for a domain goes: through DNS, or to the relay host.
     * Implementations must be thread-safe: the delivery threads call it concurrently.
     */
    public interface Transport {
        /** One SMTP session; never completes exceptionally (see {@code SmtpClient#deliver}). */
        CompletionStage<SessionResult> deliver(InetSocketAddress address, String hostName, OutboundMessage message);
    }

    private final QueueStore queue;
    private final MxResolver resolver;
    private final Transport transport;
    private final MailSink bounces;
    private final String myhostname;
    private final Optional<Relayhost> relayhost;
    private final int smtpPort;
    private final Set<InetSocketAddress> localAddresses;
    private final Duration minimalBackoff;
    private final Duration maximalBackoff;
    private final Duration lifetime;
    private final Duration bounceLifetime;
    private final Duration queueRunDelay;
    private final Duration sessionLimit;
    private final int maxActive;
    private final int destinationConcurrency;
    private final Clock clock;
    private final MailLog log;

    private final ScheduledExecutorService scanner;
    private final ExecutorService workers;
    private final Set<QueueId> inFlight = ConcurrentHashMap.newKeySet();
    private final Map<String, Semaphore> destinations = new ConcurrentHashMap<>();
    private volatile boolean flushRequested;
    private volatile boolean closed;
    /** A scan is queued and has not begun: further wake-ups join it rather than queue scans of their own. */
    private final java.util.concurrent.atomic.AtomicBoolean scanQueued =
            new java.util.concurrent.atomic.AtomicBoolean();

    private QueueManager(Builder b) {
        this.queue = Objects.requireNonNull(b.queue, "queue");
        this.resolver = Objects.requireNonNull(b.resolver, "resolver");
        this.transport = Objects.requireNonNull(b.transport, "transport");
        this.bounces = Objects.requireNonNull(b.bounces, "bounces");
        this.myhostname = Objects.requireNonNull(b.myhostname, "myhostname");
        this.relayhost = Optional.ofNullable(b.relayhost);
        this.smtpPort = b.smtpPort;
        this.localAddresses = Set.copyOf(b.localAddresses);
        this.minimalBackoff = b.minimalBackoff;
        this.maximalBackoff = b.maximalBackoff;
        this.lifetime = b.lifetime;
        this.bounceLifetime = b.bounceLifetime;
        this.queueRunDelay = b.queueRunDelay;
        this.sessionLimit = b.sessionLimit;
        this.maxActive = b.maxActive;
        this.destinationConcurrency = b.destinationConcurrency;
        this.clock = b.clock;
        this.log = b.log;
        this.scanner = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "qmgr"));
        AtomicInteger n = new AtomicInteger();
        this.workers = Executors.newFixedThreadPool(maxActive, r -> daemon(r, "smtp-" + n.incrementAndGet()));
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    /** A builder; the queue, resolver, transport, bounce sink and {@code myhostname} are required. */
    public static Builder builder() {
        return new Builder();
    }

    /** Starts scanning: at once, then every {@code queue_run_delay}. */
    public QueueManager start() {
        scanner.scheduleWithFixedDelay(this::scanQuietly, 0, queueRunDelay.toMillis(), TimeUnit.MILLISECONDS);
        return this;
    }

    /**
     * A message was queued: look at the queue now rather than at the next scan. Wake-ups while a scan waits to
     * begin are merged into it, so a burst of arrivals costs one scan, not one each.
     */
    public void wakeUp() {
        if (!closed && scanQueued.compareAndSet(false, true)) {
            scanner.execute(this::scanQuietly);
        }
    }

    /** {@code postqueue -f}: every deferred message is tried now. */
    public void flush() {
        flushRequested = true;
        wakeUp();
    }

    /** How many messages are being delivered now. */
    public int active() {
        return inFlight.size();
    }

    private void scanQuietly() {
        try {
            scan();
        } catch (StoreException | RuntimeException e) {
            LOG.warn("queue scan failed: {}", e.toString());
        }
    }

    private void scan() throws StoreException {
        scanQueued.set(false); // a message queued from now on needs another scan
        boolean flush = flushRequested;
        flushRequested = false;
        Instant now = clock.instant();
        for (QueueEntry entry : queue.list()) {
            if (closed || inFlight.size() >= maxActive) {
                return;
            }
            QueueId id = entry.queueId();
            if (flush || entry.state() == QueueState.ACTIVE || isDue(entry, now)) {
                startDelivery(id);
            }
        }
    }

    /**
     * A message was just queued (in {@code active/}): deliver it now, without listing the queue, if fewer than
     * {@link Builder#concurrency maxActive} are being delivered; else the next scan takes it.
     */
    public void submit(QueueId id) {
        if (closed) {
            return;
        }
        if (inFlight.size() >= maxActive) {
            wakeUp();
            return;
        }
        startDelivery(id);
    }

    /** Claims {@code id} (once: a scan and a submit may race) and delivers it on a worker. */
    private void startDelivery(QueueId id) {
        if (!inFlight.add(id)) {
            return;
        }
        try {
            workers.execute(() -> {
                try {
                    deliver(id);
                } catch (StoreException | RuntimeException e) {
                    LOG.warn("{}: delivery failed: {}", id, e.toString());
                } finally {
                    inFlight.remove(id);
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            inFlight.remove(id); // closing
        }
    }

    /** Whether a deferred message's wait is over: see the class's scheduling table. */
    boolean isDue(QueueEntry entry, Instant now) {
        Instant last = null;
        for (RecipientStatus s : entry.statuses()) {
            if (s.state() == RecipientState.PENDING) {
                return true;
            }
            if (s.state() == RecipientState.DEFERRED && (last == null || s.at().isAfter(last))) {
                last = s.at();
            }
        }
        if (last == null) {
            return true; // all done: only the bounce and the removal are left
        }
        return !now.isBefore(last.plus(backoff(entry.envelope().receivedAt(), last)));
    }

    /** The wait after an attempt at {@code last}: the message's age then, within the backoff bounds. */
    Duration backoff(Instant arrived, Instant last) {
        Duration age = Duration.between(arrived, last);
        if (age.compareTo(minimalBackoff) < 0) {
            return minimalBackoff;
        }
        return age.compareTo(maximalBackoff) > 0 ? maximalBackoff : age;
    }

    // ---- one message -----------------------------------------------------------------------------------------

    /** Delivers one queued message on the calling thread, due or not (tests and tools). */
    void deliver(QueueId id) throws StoreException {
        Optional<QueuedMessage> opened = queue.open(id);
        if (opened.isEmpty()) {
            return; // removed meanwhile
        }
        try (QueuedMessage message = opened.get()) {
            QueueEntry entry = message.entry();
            queue.move(id, QueueState.ACTIVE);
            List<RecipientStatus> statuses = new ArrayList<>(entry.statuses());
            for (Map.Entry<String, List<Integer>> group : groups(entry).entrySet()) {
                Outcome outcome = deliverGroup(entry, message.content(), group.getKey(), group.getValue());
                queue.updateRecipients(id, outcome.statuses()); // durable before the next group: never twice
                outcome.statuses().forEach(statuses::set);
                outcome.log(entry.envelope(), log); // a status=sent line means the queue knows it
            }
            finish(entry, message.content(), statuses);
        }
    }

    /** The recipients still to do, by destination: the relay host, or each recipient's domain. */
    private Map<String, List<Integer>> groups(QueueEntry entry) {
        Map<String, List<Integer>> groups = new LinkedHashMap<>();
        List<Recipient> recipients = entry.envelope().recipients();
        for (int i = 0; i < recipients.size(); i++) {
            if (!entry.statuses().get(i).isDone()) {
                String key = relayhost.isPresent() ? "" : recipients.get(i).address().domain().ascii()
                        .toLowerCase(Locale.ROOT);
                groups.computeIfAbsent(key, k -> new ArrayList<>()).add(i);
            }
        }
        return groups;
    }

    /** What a group's session decided, and where it went, for the log. */
    private record Outcome(Map<Integer, RecipientStatus> statuses, String relay) {
        void log(Envelope envelope, MailLog log) {
            statuses.forEach((i, status) -> log.smtp().info(
                    "{}: to=<{}>, relay={}, delay={}, dsn={}, status={} ({})",
                    envelope.queueId(), envelope.recipients().get(i).address(), relay, MailLog.seconds(Math.max(0,
                            Duration.between(envelope.receivedAt(), status.at()).toNanos())), status.dsn(),
                    status.state().word(), status.reason()));
        }
    }

    private Outcome deliverGroup(QueueEntry entry, MessageContent content, String domain,
            List<Integer> indexes) {
        Envelope envelope = entry.envelope();
        List<MailAddress> recipients = new ArrayList<>();
        indexes.forEach(i -> recipients.add(envelope.recipients().get(i).address()));
        Semaphore permits = destinations.computeIfAbsent(domain, d -> new Semaphore(destinationConcurrency, true));
        permits.acquireUninterruptibly();
        try {
            Route route = route(recipients.get(0).domain());
            if (route.failure() != null) {
                return record(envelope, indexes, recipients, unroutable(route.failure(), recipients), "none");
            }
            OutboundMessage outbound = new OutboundMessage(envelope.reversePath(), recipients, content,
                    "8BITMIME".equalsIgnoreCase(envelope.parameters().getOrDefault("BODY", "")),
                    envelope.parameters().containsKey("SMTPUTF8"));
            SessionResult last = null;
            String relay = "none";
            for (Target target : route.targets()) {
                relay = target.hostName + "[" + target.address.getAddress().getHostAddress() + "]:"
                        + target.address.getPort();
                last = session(target, outbound);
                if (!last.tryNextHost()) {
                    break;
                }
                // the next host is tried: say why this one failed, as smtp(8) logs "connect to …: Connection refused"
                log.smtp().info("{}: {}", envelope.queueId(), last.recipients().get(0).detail());
            }
            return record(envelope, indexes, recipients, last, last.connected() ? relay : "none");
        } finally {
            permits.release();
        }
    }

    private SessionResult session(Target target, OutboundMessage outbound) {
        try {
            return transport.deliver(target.address, target.hostName, outbound).toCompletableFuture()
                    .get(sessionLimit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return failAll(outbound.recipients(), "4.3.0", "delivery interrupted (shutdown)", false);
        } catch (ExecutionException | TimeoutException e) {
            return failAll(outbound.recipients(), "4.4.2", "conversation with " + target.hostName
                    + " failed: " + e, true);
        }
    }

    private static SessionResult failAll(List<MailAddress> recipients, String dsn, String detail, boolean next) {
        return failAll(recipients, dsn, detail, next, false);
    }

    private static SessionResult failAll(List<MailAddress> recipients, String dsn, String detail, boolean next,
            boolean connected) {
        List<RecipientResult> results = new ArrayList<>();
        RecipientResult.Outcome outcome = dsn.startsWith("5") ? RecipientResult.Outcome.BOUNCED
                : RecipientResult.Outcome.DEFERRED;
        recipients.forEach(r -> results.add(new RecipientResult(r, outcome, dsn, detail)));
        return new SessionResult(results, next, connected);
    }

    /** The statuses for a group, to be recorded, then logged as smtp(8) logs them. */
    private Outcome record(Envelope envelope, List<Integer> indexes, List<MailAddress> recipients,
            SessionResult result, String relay) {
        Instant now = clock.instant();
        Map<Integer, RecipientStatus> statuses = new LinkedHashMap<>();
        for (int k = 0; k < indexes.size(); k++) {
            RecipientResult r = result.recipients().get(k);
            RecipientStatus status;
            switch (r.outcome()) {
                case SENT:
                    status = RecipientStatus.sent(r.dsn(), r.detail(), now);
                    break;
                case BOUNCED:
                    status = RecipientStatus.bounced(r.dsn(), r.detail(), now);
                    break;
                default:
                    status = RecipientStatus.deferred(r.dsn(), r.detail(), now);
                    break;
            }
            statuses.put(indexes.get(k), status);
        }
        return new Outcome(statuses, relay);
    }

    /** After the groups: expire what waited too long, bounce what failed, remove what is done. */
    private void finish(QueueEntry entry, MessageContent content, List<RecipientStatus> statuses)
            throws StoreException {
        Envelope envelope = entry.envelope();
        QueueId id = envelope.queueId();
        Instant now = clock.instant();
        Duration limit = envelope.reversePath().isNull() ? bounceLifetime : lifetime;
        if (Duration.between(envelope.receivedAt(), now).compareTo(limit) > 0) {
            Map<Integer, RecipientStatus> expired = new LinkedHashMap<>();
            for (int i = 0; i < statuses.size(); i++) {
                RecipientStatus s = statuses.get(i);
                if (!s.isDone()) {
                    String reason = "message delivery time expired" + (s.reason().isEmpty() ? "" : ": " + s.reason());
                    expired.put(i, RecipientStatus.bounced("5.4.7", reason, now));
                    log.qmgr().info("{}: to=<{}>, relay=none, delay={}, dsn=5.4.7, status=expired, "
                            + "returned to sender ({})", id, envelope.recipients().get(i).address(), MailLog.seconds(
                            Duration.between(envelope.receivedAt(), now).toNanos()), reason);
                }
            }
            if (!expired.isEmpty()) {
                queue.updateRecipients(id, expired);
                expired.forEach(statuses::set);
            }
        }
        if (!statuses.stream().allMatch(RecipientStatus::isDone)) {
            queue.move(id, QueueState.DEFERRED);
            return;
        }
        List<BounceMessage.Failure> failures = new ArrayList<>();
        for (int i = 0; i < statuses.size(); i++) {
            RecipientStatus s = statuses.get(i);
            if (s.state() == RecipientState.BOUNCED) {
                failures.add(new BounceMessage.Failure(envelope.recipients().get(i).address(), s.dsn(),
                        s.reason()));
            }
        }
        if (!failures.isEmpty() && !bounce(envelope, content, failures)) {
            queue.move(id, QueueState.DEFERRED); // the bounce could not be queued: try again at the next scan
            return;
        }
        queue.remove(id); // the queue logs "<qid>: removed"
    }

    /** Hands the sender a DSN; false if it could not be accepted now. */
    private boolean bounce(Envelope envelope, MessageContent content, List<BounceMessage.Failure> failures) {
        if (envelope.reversePath().isNull()) {
            log.qmgr().info("{}: undeliverable bounce discarded (the null sender gets no bounce)",
                    envelope.queueId());
            return true;
        }
        QueueId bounceId = QueueId.next();
        Instant now = clock.instant();
        try {
            byte[] dsn = BounceMessage.build(envelope, content, failures, myhostname, bounceId, now,
                    clock.getZone());
            InetSocketAddress self = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
            Envelope notice = new Envelope(bounceId, ReversePath.NULL,
                    List.of(Recipient.of(envelope.reversePath().address().orElseThrow())), Map.of(), myhostname,
                    "local", ConnectionInfo.of("bounce", self, self), now);
            log.qmgr().info("{}: sender non-delivery notification: {}", envelope.queueId(), bounceId);
            bounces.accept(notice, MessageContent.ofBytes(dsn));
            return true;
        } catch (IOException | DeliveryException e) {
            LOG.warn("{}: cannot send the non-delivery notification: {}", envelope.queueId(), e.getMessage());
            return false;
        }
    }

    // ---- routes ----------------------------------------------------------------------------------------------

    /** The hosts to try for a destination, or why there are none. */
    private record Route(List<Target> targets, MxResult failure) {
    }

    /** Every recipient of a domain without hosts, in Postfix's words. */
    private static SessionResult unroutable(MxResult failure, List<MailAddress> recipients) {
        String name = failure.domain().ascii();
        if (failure instanceof MxResult.NullMx) {
            return failAll(recipients, "5.1.10", "Domain " + name + " does not accept mail (nullMX)", false);
        }
        if (failure instanceof MxResult.Permanent p && p.reason().equals(LOOP)) {
            return failAll(recipients, "5.4.6", "mail for " + name + " loops back to myself", false);
        }
        String reason = failure instanceof MxResult.Permanent p ? p.reason()
                : failure instanceof MxResult.Temporary t ? t.reason() : failure.toString();
        String text = "Host or domain name not found. Name service error for name=" + name + " type=MX: " + reason;
        return failAll(recipients, failure.isTemporary() ? "4.4.3" : "5.4.4", text, false);
    }

    private record Target(InetSocketAddress address, String hostName) {
    }

    private Route route(Domain domain) {
        if (relayhost.isPresent() && !relayhost.get().mxLookup()) {
            return relayTargets(relayhost.get());
        }
        Domain destination = relayhost.map(r -> Domain.of(r.host())).orElse(domain);
        int port = relayhost.map(Relayhost::port).orElse(smtpPort);
        MxResult mx = resolver.resolveBlocking(destination);
        if (mx instanceof MxResult.Hosts hosts) {
            List<Target> targets = new ArrayList<>();
            List<MxHost> usable = withoutSelf(hosts.hosts(), port);
            if (usable.isEmpty()) {
                return new Route(List.of(), new MxResult.Permanent(destination, LOOP));
            }
            for (MxHost host : usable) {
                for (InetAddress address : host.addresses()) {
                    if (targets.size() < ADDRESS_LIMIT) {
                        targets.add(new Target(new InetSocketAddress(address, port), host.name().ascii()));
                    }
                }
            }
            return new Route(targets, null);
        }
        return new Route(List.of(), mx);
    }

    private static final String LOOP = "loops back to myself";

    /**
     * RFC 5321 §5.1: this host among the MX hosts (its name is {@code myhostname}, or an address and port it listens
     * on) is dropped with every host of the same or a higher preference value; empty if it is the best.
     */
    private List<MxHost> withoutSelf(List<MxHost> hosts, int port) {
        for (int i = 0; i < hosts.size(); i++) {
            MxHost host = hosts.get(i);
            boolean self = host.name().ascii().equalsIgnoreCase(myhostname)
                    || host.addresses().stream().anyMatch(a -> localAddresses.contains(new InetSocketAddress(a, port)));
            if (self) {
                int preference = host.preference();
                return hosts.stream().filter(h -> h.preference() < preference).toList();
            }
        }
        return hosts;
    }

    private Route relayTargets(Relayhost relay) {
        try {
            List<Target> targets = new ArrayList<>();
            for (InetAddress address : InetAddress.getAllByName(relay.host())) {
                if (targets.size() < ADDRESS_LIMIT) {
                    targets.add(new Target(new InetSocketAddress(address, relay.port()), relay.host()));
                }
            }
            return new Route(targets, null);
        } catch (java.net.UnknownHostException e) {
            return new Route(List.of(), new MxResult.Temporary(Domain.of(relay.host()), "Host not found"));
        }
    }

    @Override
    public void close() {
        closed = true;
        scanner.shutdownNow();
        workers.shutdownNow();
        try {
            workers.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Settings of a {@link QueueManager}. Not thread-safe. */
    public static final class Builder {
        private QueueStore queue;
        private MxResolver resolver;
        private Transport transport;
        private MailSink bounces;
        private String myhostname;
        private Relayhost relayhost;
        private int smtpPort = 25;
        private Set<InetSocketAddress> localAddresses = Set.of();
        private Duration minimalBackoff = Duration.ofSeconds(300);
        private Duration maximalBackoff = Duration.ofSeconds(4000);
        private Duration lifetime = Duration.ofDays(5);
        private Duration bounceLifetime = Duration.ofDays(5);
        private Duration queueRunDelay = Duration.ofSeconds(300);
        private Duration sessionLimit = Duration.ofMinutes(30);
        private int maxActive = 20;
        private int destinationConcurrency = 20;
        private Clock clock = Clock.systemDefaultZone();
        private MailLog log = MailLog.slf4j();

        private Builder() {
        }

        /** Where the {@code smtp} and {@code qmgr} lines go; default {@link MailLog#slf4j()}. */
        public Builder mailLog(MailLog value) {
            this.log = Objects.requireNonNull(value, "mailLog");
            return this;
        }

        /** The queue to deliver from (required). */
        public Builder queue(QueueStore value) {
            this.queue = value;
            return this;
        }

        /** MX lookups (required). */
        public Builder resolver(MxResolver value) {
            this.resolver = value;
            return this;
        }

        /** SMTP sessions (required), e.g. {@code smtpClient::deliver}. */
        public Builder transport(Transport value) {
            this.transport = value;
            return this;
        }

        /** Where non-delivery notifications go (required): the server's routing sink, local or queued. */
        public Builder bounces(MailSink value) {
            this.bounces = value;
            return this;
        }

        /** The reporting host of bounces: {@code myhostname} (required). */
        public Builder myhostname(String value) {
            this.myhostname = value;
            return this;
        }

        /** Postfix {@code relayhost}: every message goes there; null (default): by MX. */
        public Builder relayhost(Relayhost value) {
            this.relayhost = value;
            return this;
        }

        /** The port of MX hosts (default 25); tests and closed networks use others. */
        public Builder smtpPort(int value) {
            if (value < 1 || value > 65535) {
                throw new IllegalArgumentException("bad port " + value);
            }
            this.smtpPort = value;
            return this;
        }

        /** The addresses this server's SMTP listeners are bound to: an MX host on one of them is this host. */
        public Builder localAddresses(Set<InetSocketAddress> value) {
            this.localAddresses = Set.copyOf(value);
            return this;
        }

        /** {@code minimal_backoff_time} and {@code maximal_backoff_time} (300 s, 4000 s). */
        public Builder backoff(Duration minimal, Duration maximal) {
            if (minimal.isNegative() || minimal.isZero() || maximal.compareTo(minimal) < 0) {
                throw new IllegalArgumentException("bad backoff " + minimal + ".." + maximal);
            }
            this.minimalBackoff = minimal;
            this.maximalBackoff = maximal;
            return this;
        }

        /** {@code maximal_queue_lifetime} and {@code bounce_queue_lifetime} (5 d each; zero: one attempt). */
        public Builder lifetimes(Duration messages, Duration bounceMessages) {
            if (messages.isNegative() || bounceMessages.isNegative()) {
                throw new IllegalArgumentException("negative lifetime");
            }
            this.lifetime = messages;
            this.bounceLifetime = bounceMessages;
            return this;
        }

        /** {@code queue_run_delay}: how often the queue is scanned (300 s). */
        public Builder queueRunDelay(Duration value) {
            if (value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException("bad queue_run_delay " + value);
            }
            this.queueRunDelay = value;
            return this;
        }

        /** Messages delivered at once (20) and sessions per destination at once (20, Postfix's
         *  {@code default_destination_concurrency_limit}). */
        public Builder concurrency(int messages, int perDestination) {
            if (messages < 1 || perDestination < 1) {
                throw new IllegalArgumentException("concurrency must be positive");
            }
            this.maxActive = messages;
            this.destinationConcurrency = perDestination;
            return this;
        }

        /** The clock of statuses, backoff and bounces; default the system's. */
        public Builder clock(Clock value) {
            this.clock = Objects.requireNonNull(value, "clock");
            return this;
        }

        /**
         * The manager, not yet started; it creates its scanner and worker threads now.
         *
         * @throws NullPointerException naming the first required setting that is missing
         */
        public QueueManager build() {
            return new QueueManager(this);
        }
    }
}
