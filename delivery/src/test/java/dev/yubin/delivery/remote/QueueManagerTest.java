package dev.yubin.delivery.remote;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.yubin.core.address.MailAddress;
import dev.yubin.core.address.ReversePath;
import dev.yubin.core.message.Envelope;
import dev.yubin.core.message.MailSink;
import dev.yubin.core.message.MessageContent;
import dev.yubin.core.message.QueueId;
import dev.yubin.core.message.Receipt;
import dev.yubin.core.message.Recipient;
import dev.yubin.core.net.ConnectionInfo;
import dev.yubin.delivery.queue.FileQueueStore;
import dev.yubin.delivery.queue.QueueEntry;
import dev.yubin.delivery.queue.QueueState;
import dev.yubin.delivery.queue.RecipientState;
import dev.yubin.delivery.queue.RecipientStatus;
import dev.yubin.dns.StaticMxResolver;
import dev.yubin.smtp.client.OutboundMessage;
import dev.yubin.smtp.client.RecipientResult;
import dev.yubin.smtp.client.RecipientResult.Outcome;
import dev.yubin.smtp.client.SessionResult;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class QueueManagerTest {
    private static final Instant ARRIVED = Instant.parse("2026-12-03T07:00:00Z");

    @TempDir
    Path dir;

    private FileQueueStore queue;
    private QueueManager manager;
    private final List<String> maillog = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final MutableClock clock = new MutableClock(ARRIVED.plusSeconds(1));
    private final List<String> sessions = new CopyOnWriteArrayList<>();
    private final List<byte[]> bounced = new CopyOnWriteArrayList<>();
    private final List<Envelope> bounceEnvelopes = new CopyOnWriteArrayList<>();

    /** Answers each session by the host it was sent to. */
    private Function<String, Function<OutboundMessage, SessionResult>> script = host -> m -> sent(m);

    @AfterEach
    void close() {
        if (manager != null) {
            manager.close();
        }
        if (queue != null) {
            queue.close();
        }
    }

    private static final class MutableClock extends Clock {
        volatile Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    private static SessionResult sent(OutboundMessage m) {
        List<RecipientResult> r = new ArrayList<>();
        m.recipients().forEach(a -> r.add(new RecipientResult(a, Outcome.SENT, "2.0.0", "250 2.0.0 Ok: queued as X")));
        return new SessionResult(r, false);
    }

    private static SessionResult all(OutboundMessage m, Outcome outcome, String dsn, String detail, boolean next) {
        List<RecipientResult> r = new ArrayList<>();
        m.recipients().forEach(a -> r.add(new RecipientResult(a, outcome, dsn, detail)));
        return new SessionResult(r, next);
    }

    private QueueManager manager(StaticMxResolver resolver) throws Exception {
        queue = FileQueueStore.open(dir.resolve("queue"));
        MailSink bounces = (envelope, content) -> {
            try (InputStream in = content.openStream()) {
                bounced.add(in.readAllBytes());
            } catch (java.io.IOException e) {
                throw new AssertionError(e);
            }
            bounceEnvelopes.add(envelope);
            return new Receipt(envelope.queueId(), "ok");
        };
        manager = QueueManager.builder().queue(queue).resolver(resolver).myhostname("mail.example1.jp")
                .bounces(bounces).clock(clock).smtpPort(2525)
                .mailLog(dev.yubin.core.log.MailLog.tee(event -> maillog.add(event.toString())))
                .transport((address, host, message) -> {
                    sessions.add(host + "[" + address.getAddress().getHostAddress() + "]:" + address.getPort() + " "
                            + message.recipients());
                    return CompletableFuture.completedFuture(script.apply(host).apply(message));
                }).build();
        return manager;
    }

    private static StaticMxResolver mx() {
        return StaticMxResolver.builder()
                .mx("example2.jp", 10, "mail.example2.jp").mx("example2.jp", 20, "backup.example2.jp")
                .host("mail.example2.jp", "127.0.0.3").host("backup.example2.jp", "127.0.0.4")
                .mx("example3.jp", 10, "mail.example3.jp").host("mail.example3.jp", "127.0.0.5")
                .nullMx("nomail.example").temporaryFailure("broken.example", "SERVFAIL")
                .build();
    }

    private QueueId enqueue(ReversePath sender, String... recipients) throws Exception {
        List<Recipient> to = new ArrayList<>();
        for (String r : recipients) {
            to.add(Recipient.of(MailAddress.parse(r)));
        }
        InetSocketAddress any = new InetSocketAddress("127.0.0.1", 1);
        Envelope envelope = new Envelope(QueueId.next(), sender, to, Map.of(), "host1", "ESMTP",
                ConnectionInfo.of("t", any, any), ARRIVED);
        queue.enqueue(envelope, MessageContent.ofBytes("Subject: hi\n\nhello\n".getBytes(UTF_8)),
                QueueState.DEFERRED);
        return envelope.queueId();
    }

    private static ReversePath user1() throws Exception {
        return ReversePath.of(MailAddress.parse("user1@example1.jp"));
    }

    private QueueEntry entry(QueueId id) throws Exception {
        return queue.list().stream().filter(e -> e.queueId().equals(id)).findFirst().orElse(null);
    }

    @Test
    void recipientsAreGroupedByDomainAndTheMessageIsRemovedWhenSent() throws Exception {
        manager(mx());
        QueueId id = enqueue(user1(), "user2@example2.jp", "user3@example3.jp", "other@example2.jp");
        manager.deliver(id);
        assertEquals(List.of("mail.example2.jp[127.0.0.3]:2525 [user2@example2.jp, other@example2.jp]",
                "mail.example3.jp[127.0.0.5]:2525 [user3@example3.jp]"), sessions);
        assertEquals(null, entry(id));
        assertTrue(bounced.isEmpty());
        assertEquals(3, maillog.size(), maillog.toString());
        assertTrue(maillog.get(0).startsWith("smtp: " + id + ": to=<user2@example2.jp>, relay=mail.example2.jp"
                + "[127.0.0.3]:2525, delay="), maillog.toString());
        assertTrue(maillog.stream().allMatch(line -> line.contains("status=sent")), maillog.toString());
    }

    @Test
    void theNextMxIsTriedWhenTheFirstDoesNotAnswer() throws Exception {
        manager(mx());
        script = host -> m -> host.startsWith("mail.") ? all(m, Outcome.DEFERRED, "4.4.1", "connect to " + host
                + ": Connection refused", true) : sent(m);
        QueueId id = enqueue(user1(), "user2@example2.jp");
        manager.deliver(id);
        assertEquals(2, sessions.size());
        assertTrue(sessions.get(1).startsWith("backup.example2.jp[127.0.0.4]:2525"), sessions.toString());
        assertEquals(null, entry(id));
    }

    @Test
    void aBouncedRecipientGetsTheSenderADsnAndTheOthersAreDone() throws Exception {
        manager(mx());
        script = host -> m -> host.equals("mail.example3.jp") ? all(m, Outcome.BOUNCED, "5.1.1",
                "host mail.example3.jp[127.0.0.5]:2525 said: 550 5.1.1 <user3@example3.jp>: User unknown (in reply"
                + " to RCPT TO command)", false) : sent(m);
        QueueId id = enqueue(user1(), "user2@example2.jp", "user3@example3.jp");
        manager.deliver(id);
        assertEquals(null, entry(id));
        assertEquals(1, bounced.size());
        Envelope notice = bounceEnvelopes.get(0);
        assertTrue(notice.reversePath().isNull());
        assertEquals(MailAddress.parse("user1@example1.jp"), notice.recipients().get(0).address());
        String dsn = new String(bounced.get(0), UTF_8);
        assertTrue(dsn.contains("Final-Recipient: rfc822; user3@example3.jp\n"), dsn);
        assertTrue(dsn.contains("Remote-MTA: dns; mail.example3.jp\nDiagnostic-Code: smtp; 550 5.1.1"), dsn);
        assertFalse(dsn.contains("Final-Recipient: rfc822; user2@example2.jp"), dsn);
    }

    @Test
    void deferredMessagesWaitTheBackoffAndExpireIntoABounce() throws Exception {
        manager(mx());
        script = host -> m -> all(m, Outcome.DEFERRED, "4.2.0", "host " + host + " said: 450 greylisted", false);
        QueueId id = enqueue(user1(), "user2@example2.jp");
        manager.deliver(id); // a 450 is the host answering: the backup MX is not tried
        assertEquals(1, sessions.size());
        QueueEntry deferred = entry(id);
        assertEquals(QueueState.DEFERRED, deferred.state());
        assertEquals(RecipientState.DEFERRED, deferred.statuses().get(0).state());
        // age 1 s: the minimal backoff, 300 s
        assertFalse(manager.isDue(deferred, clock.now.plusSeconds(299)));
        assertTrue(manager.isDue(deferred, clock.now.plusSeconds(300)));
        assertEquals(Duration.ofSeconds(1000), manager.backoff(ARRIVED, ARRIVED.plusSeconds(1000)));
        assertEquals(Duration.ofSeconds(4000), manager.backoff(ARRIVED, ARRIVED.plus(Duration.ofDays(1))));

        clock.now = ARRIVED.plus(Duration.ofDays(5)).plusSeconds(1);
        manager.deliver(id);
        assertEquals(null, entry(id));
        String dsn = new String(bounced.get(0), UTF_8);
        assertTrue(dsn.contains("Status: 5.4.7\nDiagnostic-Code: X-Yubin; message delivery time expired: host"
                + " mail.example2.jp said: 450 greylisted\n"), dsn);
    }

    @Test
    void nullMxAndDnsFailures() throws Exception {
        manager(mx());
        QueueId id = enqueue(user1(), "a@nomail.example", "b@broken.example");
        manager.deliver(id);
        assertTrue(sessions.isEmpty());
        QueueEntry entry = entry(id);
        RecipientStatus nullMx = entry.statuses().get(0);
        assertEquals(RecipientStatus.bounced("5.1.10", "Domain nomail.example does not accept mail (nullMX)",
                nullMx.at()), nullMx);
        RecipientStatus broken = entry.statuses().get(1);
        assertEquals(RecipientState.DEFERRED, broken.state());
        assertEquals("4.4.3", broken.dsn());
        assertEquals("Host or domain name not found. Name service error for name=broken.example type=MX: SERVFAIL",
                broken.reason());
    }

    @Test
    void aBounceThatCannotBeDeliveredIsDiscardedNotBounced() throws Exception {
        manager(mx());
        script = host -> m -> all(m, Outcome.BOUNCED, "5.1.1", "host " + host + " said: 550 no such user", false);
        QueueId id = enqueue(ReversePath.NULL, "user2@example2.jp");
        manager.deliver(id);
        assertEquals(null, entry(id));
        assertTrue(bounced.isEmpty());
    }

    @Test
    void aRecipientDoneBeforeARestartIsNotSentAgain() throws Exception {
        manager(mx());
        QueueId id = enqueue(user1(), "user2@example2.jp", "user3@example3.jp");
        queue.updateRecipients(id, Map.of(0, RecipientStatus.sent("2.0.0", "250 ok", ARRIVED)));
        manager.close();
        queue.close();
        manager(mx()); // a new process on the same queue directory
        manager.deliver(id);
        assertEquals(List.of("mail.example3.jp[127.0.0.5]:2525 [user3@example3.jp]"), sessions);
        assertEquals(null, entry(id));
    }

    @Test
    void theRelayhostTakesEverythingWithoutMxLookups() throws Exception {
        queue = FileQueueStore.open(dir.resolve("queue"));
        manager = QueueManager.builder().queue(queue).resolver(StaticMxResolver.builder().build())
                .myhostname("mail.example1.jp").bounces((e, c) -> new Receipt(e.queueId(), "ok")).clock(clock)
                .relayhost(Relayhost.parse("[127.0.0.9]:587"))
                .transport((address, host, message) -> {
                    sessions.add(host + " " + address.getPort() + " " + message.recipients());
                    return CompletableFuture.completedFuture(sent(message));
                }).build();
        QueueId id = enqueue(user1(), "user2@example2.jp", "user3@example3.jp");
        manager.deliver(id);
        assertEquals(List.of("127.0.0.9 587 [user2@example2.jp, user3@example3.jp]"), sessions);
    }

    @Test
    void thisHostAmongTheMxHostsIsDroppedWithThoseBelowIt() throws Exception {
        manager(StaticMxResolver.builder()
                .mx("backup.example", 10, "primary.example7.jp").host("primary.example7.jp", "127.0.0.7")
                .mx("backup.example", 20, "mail.example1.jp").host("mail.example1.jp", "127.0.0.2")
                .mx("backup.example", 30, "tertiary.example7.jp").host("tertiary.example7.jp", "127.0.0.8")
                .mx("loop.example", 10, "mail.example1.jp")
                .build());
        script = host -> m -> all(m, Outcome.DEFERRED, "4.4.1", "connect to " + host + ": refused", true);
        QueueId id = enqueue(user1(), "a@backup.example", "b@loop.example");
        manager.deliver(id);
        assertEquals(List.of("primary.example7.jp[127.0.0.7]:2525 [a@backup.example]"), sessions);
        RecipientStatus loop = entry(id).statuses().get(1);
        assertEquals("5.4.6", loop.dsn());
        assertEquals("mail for loop.example loops back to myself", loop.reason());
    }

    @Test
    void aSubmittedMessageIsDeliveredAtOnceWithoutAScanAndOnlyOnce() throws Exception {
        manager(mx()); // never started: no scans at all
        QueueId id = enqueue(user1(), "user2@example2.jp");
        manager.submit(id);
        manager.submit(id); // a second claim of the same message is ignored
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
        while ((entry(id) != null || manager.active() > 0) && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertEquals(null, entry(id));
        assertEquals(1, sessions.size());
    }

    @Test
    void relayhostSyntax() {
        assertEquals(new Relayhost("mail.isp.example", 587, false), Relayhost.parse("[mail.isp.example]:587"));
        assertEquals(new Relayhost("isp.example", 25, true), Relayhost.parse("isp.example"));
        assertEquals(new Relayhost("isp.example", 2525, true), Relayhost.parse("isp.example:2525"));
        assertEquals("[192.0.2.1]", Relayhost.parse("[192.0.2.1]").toString());
    }
}
