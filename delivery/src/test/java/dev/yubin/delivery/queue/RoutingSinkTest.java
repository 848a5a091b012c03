package dev.yubin.delivery.queue;

import static dev.yubin.delivery.queue.Fixtures.bytes;
import static dev.yubin.delivery.queue.Fixtures.envelope;
import static dev.yubin.delivery.queue.FileQueueStoreTest.stderrOf;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.yubin.core.address.Domain;
import dev.yubin.core.address.MailAddress;
import dev.yubin.core.message.DeliveryException;
import dev.yubin.core.message.Envelope;
import dev.yubin.core.message.MailSink;
import dev.yubin.core.message.MessageContent;
import dev.yubin.core.message.QueueId;
import dev.yubin.core.message.Receipt;
import dev.yubin.core.message.Recipient;
import dev.yubin.core.store.StoreException;
import dev.yubin.core.user.MailUser;
import dev.yubin.core.user.UserDirectory;
import dev.yubin.delivery.local.LocalDeliveryAgent;
import dev.yubin.delivery.maildir.MaildirStore;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RoutingSinkTest {
    private static final Predicate<Domain> LOCAL = Set.of(Domain.of("example1.jp"))::contains;
    private static final byte[] BODY = "Subject: test\n\nhello\n".getBytes(UTF_8);

    @TempDir
    Path dir;

    private FileQueueStore queue;
    private final RecordingSink local = new RecordingSink();

    @BeforeEach
    void openQueue() throws StoreException {
        queue = FileQueueStore.open(dir.resolve("queue"));
    }

    @AfterEach
    void closeQueue() {
        queue.close();
    }

    @Test
    void localRecipientsOnlyGoToTheLocalSinkAndNothingIsQueued() throws Exception {
        Envelope envelope = envelope("<kato@example1.jp>", "abe@example1.jp", "sato@EXAMPLE1.jp");

        Receipt[] receipt = new Receipt[1];
        String log = stderrOf(() -> receipt[0] = new RoutingSink(LOCAL, local, queue).accept(envelope,
                MessageContent.ofBytes(BODY)));

        assertEquals(envelope.queueId(), receipt[0].queueId());
        assertEquals(List.of(envelope), local.envelopes);
        assertEquals(List.of(), queue.list());
        assertTrue(log.contains(envelope.queueId() + ": from=<kato@example1.jp>, size=" + BODY.length
                + ", nrcpt=2 (queue active)"), log);
        assertTrue(log.contains(envelope.queueId() + ": removed"), log);
    }

    @Test
    void remoteRecipientsOnlyWaitDeferredInTheQueueAndAreLoggedAsDeferred() throws Exception {
        Envelope envelope = envelope("<kato@example1.jp>", "user2@example2.jp");
        Receipt[] receipt = new Receipt[1];

        String log = stderrOf(() -> receipt[0] = new RoutingSink(LOCAL, local, queue).accept(envelope,
                MessageContent.ofBytes(BODY)));

        assertEquals(new Receipt(envelope.queueId(), "Ok: queued as " + envelope.queueId()), receipt[0]);
        assertEquals(List.of(), local.envelopes);
        QueueEntry entry = queue.list().get(0);
        assertEquals(envelope, entry.envelope());
        assertEquals(QueueState.DEFERRED, entry.state());
        assertTrue(log.contains("yubin.qmgr - " + envelope.queueId() + ": from=<kato@example1.jp>, size="
                + BODY.length + ", nrcpt=1 (queue active)"), log);
        assertFalse(log.contains(": removed"), "the message waits in the queue: " + log);
        assertTrue(log.matches("(?s).*yubin\\.qmgr - " + envelope.queueId() + ": to=<user2@example2\\.jp>, "
                + "relay=none, delay=\\d+\\.\\d\\d, dsn=4\\.3\\.0, status=deferred \\(remote delivery not "
                + "configured\\).*"), log);
    }

    @Test
    void mixedRecipientsAreSplitBetweenMaildirAndQueueUnderOneQueueId() throws Exception {
        Path home = dir.resolve("home");
        UserDirectory users = address -> address.localPart().equals("abe")
                ? Optional.of(new MailUser("abe", home.resolve("abe/Maildir/").toString()))
                : Optional.empty();
        LocalDeliveryAgent agent = new LocalDeliveryAgent(users, MaildirStore.builder().hostname("host1").build(),
                "host1.example1.jp", ZoneId.of("Asia/Tokyo")).withoutQueueManagerLines();
        Envelope envelope = envelope("<kato@example1.jp>", "user2@example2.jp", "abe@example1.jp",
                "user3@example3.jp");

        Receipt[] result = new Receipt[1];
        String log = stderrOf(() -> result[0] = new RoutingSink(LOCAL, agent, queue).accept(envelope,
                MessageContent.ofBytes(BODY)));
        Receipt receipt = result[0];
        // as Postfix's qmgr: one from= line for all recipients, the local delivery, the deferred ones, no removed
        String id = envelope.queueId().toString();
        assertEquals(1, log.split(id + ": from=", -1).length - 1, log);
        assertTrue(log.contains(id + ": from=<kato@example1.jp>, size=" + BODY.length + ", nrcpt=3 (queue active)"),
                log);
        assertTrue(log.contains(id + ": to=<abe@example1.jp>, relay=local"), log);
        assertTrue(log.contains(id + ": to=<user2@example2.jp>, relay=none"), log);
        assertFalse(log.contains(id + ": removed"), log);

        assertEquals(envelope.queueId(), receipt.queueId());
        List<Path> delivered = files(home.resolve("abe/Maildir/new"));
        assertEquals(1, delivered.size());
        String stored = Files.readString(delivered.get(0), UTF_8);
        assertTrue(stored.startsWith("Return-Path: <kato@example1.jp>\n"), stored);
        assertTrue(stored.endsWith("\n" + new String(BODY, UTF_8)), stored);
        QueueEntry entry = queue.list().get(0);
        assertEquals(envelope.queueId(), entry.queueId());
        assertEquals(List.of("user2@example2.jp", "user3@example3.jp"), addresses(entry.envelope()));
        try (QueuedMessage message = queue.open(envelope.queueId()).orElseThrow()) {
            assertArrayEquals(BODY, bytes(message.content()), "the queue holds the message as received");
        }
    }

    @Test
    void theLocalSinkSeesOnlyLocalRecipientsWithTheirParameters() throws Exception {
        Envelope envelope = withParameters(envelope("<kato@example1.jp>", "abe@example1.jp", "user2@example2.jp"),
                Map.of("NOTIFY", "NEVER"));

        new RoutingSink(LOCAL, local, queue).accept(envelope, MessageContent.ofBytes(BODY));

        Envelope seen = local.envelopes.get(0);
        assertEquals(envelope.queueId(), seen.queueId());
        assertEquals(List.of(envelope.recipients().get(0)), seen.recipients());
        assertEquals(List.of(envelope.recipients().get(1)), queue.list().get(0).envelope().recipients());
        assertArrayEquals(BODY, local.contents.get(0));
    }

    @Test
    void aRepeatedRemoteRecipientIsQueuedOnce() throws Exception {
        Envelope envelope = envelope("<kato@example1.jp>", "user2@example2.jp", "USER2@Example2.JP",
                "user2@example2.jp");

        new RoutingSink(LOCAL, local, queue).accept(envelope, MessageContent.ofBytes(BODY));

        assertEquals(List.of("user2@example2.jp", "USER2@example2.jp"), addresses(queue.list().get(0).envelope()),
                "local parts are case-sensitive for a remote domain");
    }

    @Test
    void localTemporaryFailureFailsTheWholeMessageAndWithdrawsTheQueuedPart() throws Exception {
        local.failure = new DeliveryException("Temporary local delivery failure", true, "4.2.0", null);
        Envelope envelope = envelope("<kato@example1.jp>", "abe@example1.jp", "user2@example2.jp");

        DeliveryException e = assertThrows(DeliveryException.class,
                () -> new RoutingSink(LOCAL, local, queue).accept(envelope, MessageContent.ofBytes(BODY)));

        assertTrue(e.isTemporary());
        assertEquals("4.2.0", e.enhancedStatus());
        assertEquals(1, local.envelopes.size());
        assertEquals(List.of(), queue.list(), "the client retries all of it: no remote duplicate");
        assertEquals(List.of(), files(queue.directory().resolve("incoming")));
    }

    @Test
    void localPermanentFailureIsPassedOnAndNothingIsQueued() throws Exception {
        local.failure = new DeliveryException("Local delivery failed: <nosuch@example1.jp>: user unknown", false,
                "5.1.1", null);
        Envelope envelope = envelope("<kato@example1.jp>", "nosuch@example1.jp", "user2@example2.jp");

        DeliveryException e = assertThrows(DeliveryException.class,
                () -> new RoutingSink(LOCAL, local, queue).accept(envelope, MessageContent.ofBytes(BODY)));

        assertFalse(e.isTemporary());
        assertEquals("5.1.1", e.enhancedStatus());
        assertEquals(List.of(), queue.list(), "the client bounces the whole message: queue none of it");
    }

    @Test
    void aBugInTheLocalSinkWithdrawsTheQueuedPart() throws Exception {
        MailSink broken = (envelope, content) -> {
            throw new IllegalStateException("bug");
        };
        Envelope envelope = envelope("<kato@example1.jp>", "abe@example1.jp", "user2@example2.jp");

        assertThrows(IllegalStateException.class,
                () -> new RoutingSink(LOCAL, broken, queue).accept(envelope, MessageContent.ofBytes(BODY)));

        assertEquals(List.of(), queue.list());
        assertEquals(List.of(), files(queue.directory().resolve("incoming")));
    }

    @Test
    void queueWriteFailureFailsTemporarilyBeforeAnyLocalDelivery() throws Exception {
        FailingQueue failing = new FailingQueue(queue);
        failing.stageFailure = new StoreException("write queue file /q/incoming/x: Input/output error", true, null);
        Envelope envelope = envelope("<kato@example1.jp>", "abe@example1.jp", "user2@example2.jp");

        DeliveryException e = assertThrows(DeliveryException.class,
                () -> new RoutingSink(LOCAL, local, failing).accept(envelope, MessageContent.ofBytes(BODY)));

        assertTrue(e.isTemporary());
        assertEquals("4.3.0", e.enhancedStatus());
        assertEquals("Error: queue file write error", e.getMessage(), "no file names for the client");
        assertEquals(List.of(), local.envelopes, "nothing delivered, so the retry duplicates nothing");
    }

    @Test
    void aFullDiskIsReportedAsInsufficientStorage() throws Exception {
        FailingQueue failing = new FailingQueue(queue);
        FileSystemException full = new FileSystemException("/q/incoming/x", null, "No space left on device");
        failing.stageFailure = new StoreException("write queue file: No space left on device", true, full);
        Envelope envelope = envelope("<kato@example1.jp>", "user2@example2.jp");

        DeliveryException e = assertThrows(DeliveryException.class,
                () -> new RoutingSink(LOCAL, local, failing).accept(envelope, MessageContent.ofBytes(BODY)));

        assertTrue(e.isTemporary());
        assertEquals("4.3.1", e.enhancedStatus());
        assertEquals("Insufficient system storage", e.getMessage());
    }

    @Test
    void commitFailureAfterLocalDeliveryFailsTemporarily() throws Exception {
        FailingQueue failing = new FailingQueue(queue);
        failing.commitFailure = new StoreException("fsync queue directory: Input/output error", true, null);
        Envelope envelope = envelope("<kato@example1.jp>", "abe@example1.jp", "user2@example2.jp");

        DeliveryException e = assertThrows(DeliveryException.class,
                () -> new RoutingSink(LOCAL, local, failing).accept(envelope, MessageContent.ofBytes(BODY)));

        assertTrue(e.isTemporary());
        assertEquals(1, local.envelopes.size(), "delivered locally: the documented duplicate on retry");
        assertEquals(List.of(), queue.list());
        assertEquals(List.of(), files(queue.directory().resolve("incoming")));
    }

    private static Envelope withParameters(Envelope envelope, Map<String, String> parameters) {
        List<Recipient> recipients = envelope.recipients().stream()
                .map(r -> new Recipient(r.address(), parameters)).collect(Collectors.toList());
        return new Envelope(envelope.queueId(), envelope.reversePath(), recipients, envelope.parameters(),
                envelope.heloName(), envelope.protocol(), envelope.client(), envelope.receivedAt());
    }

    private static List<String> addresses(Envelope envelope) {
        return envelope.recipients().stream().map(Recipient::address).map(MailAddress::toString)
                .collect(Collectors.toList());
    }

    private static List<Path> files(Path directory) throws Exception {
        try (Stream<Path> files = Files.list(directory)) {
            return files.sorted().collect(Collectors.toList());
        }
    }

    /** Records what it is given; throws {@code failure} after recording, when set. */
    static final class RecordingSink implements MailSink {
        final List<Envelope> envelopes = new ArrayList<>();
        final List<byte[]> contents = new ArrayList<>();
        DeliveryException failure;

        @Override
        public Receipt accept(Envelope envelope, MessageContent content) throws DeliveryException {
            envelopes.add(envelope);
            contents.add(bytes(content));
            if (failure != null) {
                throw failure;
            }
            return new Receipt(envelope.queueId(), "local text is not the client's");
        }
    }

    /** A real queue whose stage or commit fails on demand. */
    static final class FailingQueue implements QueueStore {
        private final QueueStore delegate;
        StoreException stageFailure;
        StoreException commitFailure;

        FailingQueue(QueueStore delegate) {
            this.delegate = delegate;
        }

        @Override
        public StagedMessage stage(Envelope envelope, MessageContent content) throws StoreException {
            if (stageFailure != null) {
                throw stageFailure;
            }
            StagedMessage staged = delegate.stage(envelope, content);
            return new StagedMessage() {
                @Override
                public QueueId queueId() {
                    return staged.queueId();
                }

                @Override
                public void commit(QueueState state) throws StoreException {
                    if (commitFailure != null) {
                        throw commitFailure;
                    }
                    staged.commit(state);
                }

                @Override
                public void close() {
                    staged.close();
                }
            };
        }

        @Override
        public List<QueueEntry> list() throws StoreException {
            return delegate.list();
        }

        @Override
        public Optional<QueuedMessage> open(QueueId queueId) throws StoreException {
            return delegate.open(queueId);
        }

        @Override
        public void updateRecipients(QueueId queueId, Map<Integer, RecipientStatus> statuses)
                throws StoreException {
            delegate.updateRecipients(queueId, statuses);
        }

        @Override
        public void move(QueueId queueId, QueueState state) throws StoreException {
            delegate.move(queueId, state);
        }

        @Override
        public boolean remove(QueueId queueId) throws StoreException {
            return delegate.remove(queueId);
        }

        @Override
        public void close() {
            delegate.close();
        }
    }
}
