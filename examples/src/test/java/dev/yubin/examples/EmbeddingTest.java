package dev.yubin.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.yubin.core.net.ListenerConfig;
import dev.yubin.core.user.MailUser;
import dev.yubin.core.user.UserDirectory;
import dev.yubin.delivery.local.LocalDeliveryAgent;
import dev.yubin.delivery.maildir.MaildirStore;
import dev.yubin.smtp.netty.SmtpServer;
import dev.yubin.smtp.policy.LocalDomains;
import dev.yubin.smtp.policy.StandardSmtpHandler;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedding example of README.md, as written there, driven by a raw SMTP conversation. */
class EmbeddingTest {

    @Test
    void readmeEmbeddingExampleDelivers(@TempDir Path dir) throws Exception {
        // --- README: Embedding ---
        UserDirectory users = address -> address.localPart().equalsIgnoreCase("abe")
                ? Optional.of(new MailUser("abe", "abe/Maildir/"))
                : Optional.empty();
        MaildirStore store = MaildirStore.builder().hostname("mx.example.test").mailRoot(dir).build();
        SmtpServer server = SmtpServer.builder()
                .hostname("mx.example.test")
                .listen(ListenerConfig.loopback(0)) // a free port; server.port() tells which
                .handler(StandardSmtpHandler.builder()
                        .localDomains(LocalDomains.of("example.test"))
                        .users(users)
                        .sink(new LocalDeliveryAgent(users, store, "mx.example.test"))
                        .build())
                .build()
                .start();
        // ... server.closeGracefully(Duration.ofSeconds(10)) when done
        // --- end ---
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(10_000);
            var in = new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream(),
                    StandardCharsets.US_ASCII));
            var out = socket.getOutputStream();
            assertTrue(in.readLine().startsWith("220 mx.example.test"));
            out.write(("EHLO t\r\nMAIL FROM:<x@y.test>\r\nRCPT TO:<ABE@example.test>\r\nDATA\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            String line;
            while (!(line = in.readLine()).startsWith("354")) {
                assertTrue(line.startsWith("250"), line);
            }
            out.write("Subject: embedded\r\n\r\nhi\r\n.\r\n".getBytes(StandardCharsets.US_ASCII));
            assertTrue(in.readLine().startsWith("250 2.0.0 Ok: queued as "));
        } finally {
            server.closeGracefully(Duration.ofSeconds(10));
        }
        try (Stream<Path> files = Files.list(dir.resolve("abe/Maildir/new"))) {
            List<Path> list = files.toList();
            assertEquals(1, list.size());
            assertTrue(Files.readString(list.get(0)).endsWith("Subject: embedded\n\nhi\n"));
        }
    }
}
