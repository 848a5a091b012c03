package dev.yubin.mailserver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.yubin.delivery.maildir.MaildirStore;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The README's quick start for embedding a server in an application, as written there. */
@Timeout(60)
class EmbedQuickStartTest {

    @Test
    void serverInAnApplicationKeepsMailInMaildirs(@TempDir Path mailRoot) throws Exception {
        // --- README: embed ---
        MailServer server = MailServer.builder()
                .hostname("mail.example.test")
                .domain("example.test")
                .user("abe", "secret")                        // or users(directory, database): a passwd file, …
                .store(MaildirStore.builder().hostname("mail.example.test").mailRoot(mailRoot).build())
                .smtp(0).submission(0).imap(0).pop3(0)        // 25, 587, 143, 110 in production; 0: free ports
                .build()
                .start();                                     // returns once every listener is bound
        Runtime.getRuntime().addShutdownHook(new Thread(server::close));  // close() lets sessions finish
        int smtp = server.port(MailServer.Service.SMTP);
        // --- end ---
        try {
            Properties p = new Properties();
            p.put("mail.smtp.host", "127.0.0.1");
            p.put("mail.smtp.port", String.valueOf(smtp));
            MimeMessage m = new MimeMessage(Session.getInstance(p));
            m.setFrom(new InternetAddress("kato@example.org"));
            m.setRecipient(Message.RecipientType.TO, new InternetAddress("abe@example.test"));
            m.setSubject("to disk");
            m.setText("x\n");
            Transport.send(m);
            server.awaitMessages("abe", 1, Duration.ofSeconds(10));
            try (Stream<Path> files = Files.list(mailRoot.resolve("example.test/abe/new"))) {
                List<Path> list = files.toList();
                assertEquals(1, list.size());
                assertTrue(Files.readString(list.get(0)).contains("Subject: to disk\n"));
            }
        } finally {
            server.close();
        }
    }
}
