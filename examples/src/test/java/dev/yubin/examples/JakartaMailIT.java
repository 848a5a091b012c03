package dev.yubin.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.activation.DataHandler;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.SendFailedException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.util.ByteArrayDataSource;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Jakarta Mail (Eclipse Angus), as a Java application sends mail: a multipart message with a binary attachment. */
class JakartaMailIT {

    private static Session session(TestServer server) {
        Properties props = new Properties();
        props.put("mail.smtp.host", "127.0.0.1");
        props.put("mail.smtp.port", String.valueOf(server.smtpPort()));
        props.put("mail.smtp.localhost", "app.example1.jp");
        props.put("mail.smtp.connectiontimeout", "10000");
        props.put("mail.smtp.timeout", "10000");
        return Session.getInstance(props);
    }

    @Test
    void multipartMessageWithAttachmentArrivesIntact(@TempDir Path dir) throws Exception {
        byte[] attachment = new byte[300_000]; // over the 64 KiB spool threshold once encoded
        new Random(7).nextBytes(attachment);
        try (TestServer server = TestServer.start(dir)) {
            MimeMessage message = new MimeMessage(session(server));
            message.setFrom(new InternetAddress("kato@example1.jp"));
            message.setRecipients(Message.RecipientType.TO, "abe@example1.jp, sato@example1.jp");
            message.setSubject("郵便のテスト", "UTF-8");
            MimeBodyPart text = new MimeBodyPart();
            text.setText("本文です。\n.a line that starts with a dot\n", "UTF-8");
            MimeBodyPart file = new MimeBodyPart();
            file.setDataHandler(new DataHandler(new ByteArrayDataSource(attachment, "application/octet-stream")));
            file.setFileName("random.bin");
            Multipart multipart = new MimeMultipart(text, file);
            message.setContent(multipart);
            Transport.send(message);

            for (String user : new String[] {"abe", "sato"}) {
                Path stored = server.awaitMessages(user, 1, Duration.ZERO).get(0);
                MimeMessage received;
                try (InputStream in = Files.newInputStream(stored)) {
                    received = new MimeMessage(Session.getInstance(new Properties()), in);
                }
                assertEquals("<kato@example1.jp>", received.getHeader("Return-Path", null));
                assertEquals("郵便のテスト", received.getSubject());
                MimeMultipart parts = (MimeMultipart) received.getContent();
                assertEquals(2, parts.getCount());
                assertEquals("本文です。\n.a line that starts with a dot\n",
                        ((String) parts.getBodyPart(0).getContent()).replace("\r\n", "\n"));
                assertEquals("random.bin", parts.getBodyPart(1).getFileName());
                try (InputStream in = parts.getBodyPart(1).getInputStream()) {
                    assertArrayEquals(attachment, in.readAllBytes());
                }
            }
        }
    }

    @Test
    void relayIsRefusedAndReportedToTheApplication(@TempDir Path dir) throws Exception {
        try (TestServer server = TestServer.start(dir)) {
            MimeMessage message = new MimeMessage(session(server));
            message.setFrom(new InternetAddress("kato@example1.jp"));
            message.setRecipients(Message.RecipientType.TO, "user2@example2.jp");
            message.setText("relay?", StandardCharsets.UTF_8.name());
            SendFailedException e = assertThrows(SendFailedException.class, () -> Transport.send(message));
            String detail = String.valueOf(e.getNextException());
            assertTrue(detail.contains("554 5.7.1 <user2@example2.jp>: Relay access denied"), detail);
            assertEquals("user2@example2.jp", e.getInvalidAddresses()[0].toString());
        } catch (MessagingException e) {
            throw new AssertionError(e);
        }
    }
}
