package dev.yubin.delivery.queue;

import dev.yubin.core.address.AddressException;
import dev.yubin.core.address.MailAddress;
import dev.yubin.core.address.ReversePath;
import dev.yubin.core.message.Envelope;
import dev.yubin.core.message.MessageContent;
import dev.yubin.core.message.QueueId;
import dev.yubin.core.message.Recipient;
import dev.yubin.core.net.ConnectionInfo;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Envelopes and content for the queue tests. */
final class Fixtures {
    private Fixtures() {
    }

    static Envelope envelope(String sender, String... recipients) {
        try {
            List<Recipient> list = new ArrayList<>();
            for (String r : recipients) {
                list.add(Recipient.of(MailAddress.parse(r)));
            }
            ConnectionInfo client = ConnectionInfo.of("s1",
                    new InetSocketAddress(InetAddress.getByName("192.0.2.10"), 40000),
                    new InetSocketAddress(InetAddress.getByName("192.0.2.1"), 25));
            return new Envelope(QueueId.next(), ReversePath.parse(sender), list, Map.of(), "client.example",
                    "ESMTP", client, Instant.now());
        } catch (AddressException | IOException e) {
            throw new IllegalArgumentException(e);
        }
    }

    static byte[] bytes(MessageContent content) {
        try (InputStream in = content.openStream()) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] transferred(MessageContent content) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        long n = content.transferTo(Channels.newChannel(out));
        if (n != out.size()) {
            throw new AssertionError("transferTo returned " + n + " for " + out.size() + " bytes");
        }
        return out.toByteArray();
    }
}
