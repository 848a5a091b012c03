package dev.yubin.junit;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.yubin.mailserver.Credentials;
import dev.yubin.mailserver.MailServer;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Store;
import jakarta.mail.Transport;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The README's quick starts for tests, as written there. */
class QuickStartTest {

    // --- README: extension-annotation ---
    @WithMailServer(domains = "example.test", users = {"abe:secret", "kato:secret"})
    static class WelcomeMailTest {
        @Test
        void sendsAWelcome(MailServer server, Session session) throws Exception {
            MimeMessage welcome = new MimeMessage(session);  // session: abe, on the server's ports
            welcome.setFrom("abe@example.test");
            welcome.setRecipients(Message.RecipientType.TO, "kato@example.test");
            welcome.setSubject("Welcome");
            welcome.setText("Hello Kato\n");
            Transport.send(welcome);                          // submission, AUTH as abe

            List<byte[]> inbox = server.awaitMessages("kato", 1, Duration.ofSeconds(10));
            assertTrue(new String(inbox.get(0), UTF_8).contains("Subject: Welcome\n"));
            server.awaitMaillog("to=<kato@example.test>, relay=local", Duration.ofSeconds(10));
        }
    }
    // --- end ---

    // --- README: extension-field ---
    static class InboxTest {
        @RegisterExtension   // static: one server for the class, emptied before each test
        static MailServerExtension mail = MailServerExtension.configure(server -> server
                .domain("example.test")
                .user("abe", "secret"));

        @Test
        void readsOverImap(@User("abe") Session abe, Credentials credentials) throws Exception {
            mail.server().deliver("abe", "Subject: hi\n\nstraight into the INBOX\n");
            try (Store imap = abe.getStore("imap")) {
                imap.connect();                               // as abe, with the injected credentials
                Folder inbox = imap.getFolder("INBOX");
                inbox.open(Folder.READ_ONLY);
                assertEquals("hi", inbox.getMessage(1).getSubject());
            }
            assertEquals("abe@example.test", credentials.address());
        }
    }
    // --- end ---

    @Nested
    class AsWritten {
        @Test
        void annotationStylePasses() {
            org.junit.platform.testkit.engine.EngineTestKit.engine("junit-jupiter")
                    .selectors(org.junit.platform.engine.discovery.DiscoverySelectors.selectClass(
                            WelcomeMailTest.class))
                    .execute().testEvents().assertStatistics(s -> s.started(1).succeeded(1));
        }

        @Test
        void fieldStylePasses() {
            org.junit.platform.testkit.engine.EngineTestKit.engine("junit-jupiter")
                    .selectors(org.junit.platform.engine.discovery.DiscoverySelectors.selectClass(InboxTest.class))
                    .execute().testEvents().assertStatistics(s -> s.started(1).succeeded(1));
        }
    }
}
