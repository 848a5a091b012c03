package dev.yubin.mailserver;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.yubin.core.log.MailLogEvent;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Store;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The assembled server, driven by Jakarta Mail (Angus) over SMTP, IMAP and POP3. */
@Timeout(60)
class MailServerTest {

    private static Session session(MailServer server) {
        Properties p = new Properties();
        p.put("mail.smtp.host", "127.0.0.1");
        p.put("mail.smtp.port", String.valueOf(server.port(MailServer.Service.SMTP)));
        p.put("mail.imap.host", "127.0.0.1");
        p.put("mail.imap.port", String.valueOf(server.port(MailServer.Service.IMAP)));
        p.put("mail.pop3.host", "127.0.0.1");
        p.put("mail.pop3.port", String.valueOf(server.port(MailServer.Service.POP3)));
        return Session.getInstance(p);
    }

    /** Sends a message from kato@example.org over the session's SMTP server. */
    private static void send(Session session, String to, String subject, String text) throws Exception {
        MimeMessage message = new MimeMessage(session);
        message.setFrom(new InternetAddress("kato@example.org"));
        message.setRecipient(Message.RecipientType.TO, new InternetAddress(to));
        message.setSubject(subject);
        message.setText(text);
        Transport.send(message);
    }

    @Test
    void smtpInImapAndPop3OutOverOneStore() throws Exception {
        try (MailServer server = MailServer.builder().hostname("mail.example.test").domain("example.test")
                .user("abe", "secret").smtp(0).pop3(0).imap(0).plaintextAuth(true).build().start()) {
            Session session = session(server);
            send(session, "abe@example.test", "embedded", "hello from a test\n");

            List<byte[]> inbox = server.awaitMessages("abe", 1, Duration.ofSeconds(10));
            String stored = new String(inbox.get(0), UTF_8);
            assertTrue(stored.startsWith("Return-Path: <kato@example.org>\n"), stored);
            assertTrue(stored.contains("Subject: embedded\n"), stored);

            try (Store imap = session.getStore("imap")) {
                imap.connect("abe", "secret");
                Folder folder = imap.getFolder("INBOX");
                folder.open(Folder.READ_ONLY);
                assertEquals(1, folder.getMessageCount());
                assertEquals("embedded", folder.getMessage(1).getSubject());
                folder.close(false);
            }
            try (Store pop3 = session.getStore("pop3")) {
                pop3.connect("abe", "secret");
                Folder folder = pop3.getFolder("INBOX");
                folder.open(Folder.READ_ONLY);
                assertEquals("embedded", folder.getMessage(1).getSubject());
                folder.close(false);
            }
        }
    }

    @Test
    void deliverPutsAMessageStraightIntoAMailbox() throws Exception {
        try (MailServer server = MailServer.builder().domain("example.test").user("abe", "secret")
                .user("kato@example.test", "pw").build().start()) {
            server.deliver("abe", "Subject: direct\r\n\r\nno SMTP\r\n");
            assertEquals("Subject: direct\n\nno SMTP\n", new String(server.messages("abe@example.test").get(0), UTF_8));
            assertEquals(0, server.messages("kato@example.test").size());
            server.reset(); // between tests: every mailbox empty again
            assertEquals(0, server.messages("abe").size());
            assertThrows(IllegalArgumentException.class, () -> server.deliver("nobody", "x\n"));
            assertThrows(IllegalStateException.class, () -> server.port(MailServer.Service.SMTP));
        }
    }

    @Test
    void portsAreBoundWhenStartReturnsAndFreeAfterClose() throws Exception {
        int smtp;
        MailServer server = MailServer.builder().smtp(0).submission(0).build().start();
        try {
            smtp = server.port(MailServer.Service.SMTP);
            try (Socket s = new Socket("127.0.0.1", smtp)) {
                assertTrue(new String(s.getInputStream().readNBytes(4), UTF_8).startsWith("220"));
            }
        } finally {
            server.close();
        }
        assertThrows(IOException.class, () -> new Socket("127.0.0.1", smtp).close());
    }

    @Test
    void maillogHoldsThisServersEventsOnly() throws Exception {
        try (MailServer one = MailServer.builder().domain("one.test").user("abe", "secret").smtp(0).pop3(0)
                .imap(0).plaintextAuth(true).build().start();
                MailServer two = MailServer.builder().domain("two.test").user("abe", "secret").smtp(0).build()
                        .start()) {
            Session session = session(one);
            send(session, "abe@one.test", "logged", "x\n");
            MailLogEvent sent = one.awaitMaillog("status=sent", Duration.ofSeconds(10));
            assertEquals("local", sent.daemon());
            String queueId = sent.message().substring(0, sent.message().indexOf(':'));
            assertTrue(sent.message().startsWith(queueId + ": to=<abe@one.test>, relay=local, "), sent.message());
            one.awaitMaillog("smtpd: disconnect from", Duration.ofSeconds(10));
            List<String> lines = one.maillog().stream().map(MailLogEvent::toString).toList();
            assertTrue(lines.get(0).startsWith("smtpd: connect from "), lines.toString());
            assertTrue(lines.stream().anyMatch(l -> l.startsWith("smtpd: " + queueId + ": client=")), lines.toString());
            assertTrue(lines.stream().anyMatch(l -> l.startsWith("qmgr: " + queueId + ": from=<kato@example.org>")),
                    lines.toString());
            assertEquals(List.of(), two.maillog(), "another server's events are not this one's");

            try (Store imap = session.getStore("imap")) {
                imap.connect("abe", "wrong");
            } catch (jakarta.mail.AuthenticationFailedException expected) {
                // logged below
            }
            one.awaitMaillog("imapd: imap-login: Login failed: ", Duration.ofSeconds(10));

            one.reset();
            assertEquals(List.of(), one.maillog());
            IllegalStateException none = assertThrows(IllegalStateException.class,
                    () -> one.awaitMaillog("never", Duration.ofMillis(50)));
            assertTrue(none.getMessage().contains("no maillog event containing \"never\""), none.getMessage());
        }
    }

    @Test
    void aServerThatKeepsNoMaillogLogsToSlf4jOnly() throws Exception {
        try (MailServer server = MailServer.builder().domain("example.test").user("abe", "secret").smtp(0).pop3(0)
                .imap(0).keepMaillog(false).build().start()) {
            send(session(server), "abe@example.test", "unlogged", "x\n");
            server.awaitMessages("abe", 1, Duration.ofSeconds(10));
            assertEquals(List.of(), server.maillog());
        }
    }
}
