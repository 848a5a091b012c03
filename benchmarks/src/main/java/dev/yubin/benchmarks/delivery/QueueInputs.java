package dev.yubin.benchmarks.delivery;

import dev.yubin.core.address.AddressException;
import dev.yubin.core.address.MailAddress;
import dev.yubin.core.address.ReversePath;
import dev.yubin.core.message.Envelope;
import dev.yubin.core.message.QueueId;
import dev.yubin.core.message.Recipient;
import dev.yubin.core.net.ConnectionInfo;
import dev.yubin.core.store.StoreException;
import dev.yubin.delivery.queue.FileQueueStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Inputs shared by the queue benchmarks: the 2 KiB message, envelopes as smtpd hands them to the queue, and the
 * queue directory on a real disk ({@code -Dyubin.bench.dir}, default {@code java.io.tmpdir}; not a tmpfs, or
 * fsync costs nothing).
 */
final class QueueInputs {
    /** The values of the {@code durability} parameter. */
    static final String FSYNC = "fsync";
    static final String NOFSYNC = "nofsync";

    private QueueInputs() {
    }

    /** The content of {@code message-2k.eml} (2,111 octets, LF line endings as the queue stores them). */
    static byte[] message() {
        try (InputStream in = QueueInputs.class.getResourceAsStream("/message-2k.eml")) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The recipients of a message to {@code count} remote users of one domain. */
    static List<Recipient> recipients(int count) {
        try {
            List<Recipient> list = new ArrayList<>(count);
            for (int i = 1; i <= count; i++) {
                list.add(Recipient.of(MailAddress.parse("user" + i + "@example2.jp")));
            }
            return List.copyOf(list);
        } catch (AddressException e) {
            throw new IllegalArgumentException(e);
        }
    }

    static ConnectionInfo client() {
        try {
            return ConnectionInfo.of("s1", new InetSocketAddress(InetAddress.getByName("192.0.2.10"), 40000),
                    new InetSocketAddress(InetAddress.getByName("192.0.2.1"), 25));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ReversePath sender() {
        try {
            return ReversePath.parse("<kato@example1.jp>");
        } catch (AddressException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** A new envelope with a fresh queue id, as the SMTP server makes one per message. */
    static Envelope envelope(ReversePath sender, List<Recipient> recipients, ConnectionInfo client) {
        return new Envelope(QueueId.next(), sender, recipients, Map.of("BODY", "8BITMIME"), "client.example",
                "ESMTP", client, Instant.now());
    }

    static FileQueueStore openStore(Path directory, String durability) throws StoreException {
        if (!durability.equals(FSYNC) && !durability.equals(NOFSYNC)) {
            throw new IllegalArgumentException("durability must be fsync or nofsync: " + durability);
        }
        return FileQueueStore.builder(directory).fsync(durability.equals(FSYNC)).open();
    }

    static Path newQueueDirectory(String prefix) throws IOException {
        Path base = Path.of(System.getProperty("yubin.bench.dir", System.getProperty("java.io.tmpdir")));
        return Files.createTempDirectory(base, prefix);
    }

    static void deleteTree(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
