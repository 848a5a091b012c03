package dev.yubin.smtp.netty;

import dev.yubin.core.address.MailAddress;
import dev.yubin.core.address.ReversePath;
import dev.yubin.core.message.Envelope;
import dev.yubin.core.message.MessageContent;
import dev.yubin.core.net.ConnectionInfo;
import dev.yubin.smtp.protocol.EnhancedStatus;
import dev.yubin.smtp.protocol.SmtpReply;
import dev.yubin.smtp.server.SmtpHandler;
import dev.yubin.smtp.server.Verdict;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A small in-test {@link SmtpHandler}: accepts every sender and every recipient whose local part is not
 * {@code unknown}, and keeps delivered messages in memory. Thread-safe.
 */
final class MemoryHandler implements SmtpHandler {
    /** One delivered message. */
    record Delivered(String from, List<String> to, byte[] content) {
    }

    final List<Delivered> delivered = new CopyOnWriteArrayList<>();
    final AtomicInteger opened = new AtomicInteger();
    final AtomicInteger closed = new AtomicInteger();
    final CountDownLatch firstClose = new CountDownLatch(1);
    volatile Error mailBug;
    /** What {@link #envelopeChecksAreNonBlocking()} answers. */
    volatile boolean nonBlockingEnvelope;
    /** Names of the threads that called mail() and data(). */
    final Set<String> mailThreads = ConcurrentHashMap.newKeySet();
    final Set<String> dataThreads = ConcurrentHashMap.newKeySet();

    @Override
    public boolean envelopeChecksAreNonBlocking() {
        return nonBlockingEnvelope;
    }

    @Override
    public Session open(ConnectionInfo connection) {
        opened.incrementAndGet();
        return new Session() {
            @Override
            public Verdict mail(ReversePath from, Map<String, String> parameters) {
                mailThreads.add(Thread.currentThread().getName());
                Error bug = mailBug;
                if (bug != null) {
                    throw bug;
                }
                return Verdict.accept();
            }

            @Override
            public Verdict rcpt(MailAddress to, Map<String, String> parameters) {
                if (to.localPart().equals("unknown")) {
                    return Verdict.reject(SmtpReply.of(550, EnhancedStatus.BAD_DESTINATION_MAILBOX,
                            "<" + to + ">: Recipient address rejected: User unknown"));
                }
                return Verdict.accept();
            }

            @Override
            public Verdict data(Envelope envelope, MessageContent content) {
                dataThreads.add(Thread.currentThread().getName());
                try (InputStream in = content.openStream()) {
                    delivered.add(new Delivered(envelope.reversePath().toString(),
                            envelope.recipients().stream().map(r -> r.address().toString()).toList(),
                            in.readAllBytes()));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                return Verdict.accept();
            }

            @Override
            public void close() {
                closed.incrementAndGet();
                firstClose.countDown();
            }
        };
    }
}
