package dev.yubin.examples;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Yubin and Postfix exchange mail (issue 6): Yubin is {@code mail.example2.jp} on 127.0.0.3 with {@code user2},
 * a private Postfix 3 instance owned by this test is {@code mail.example3.jp} on 127.0.0.4 with {@code user3}.
 * Neither uses DNS: Yubin sends everything to {@code relayhost = [127.0.0.4]:port}, Postfix's transport map sends
 * {@code example2.jp} to {@code smtp:[127.0.0.3]:port}. Both offer and use STARTTLS with self-signed certificates.
 * swaks plays the users' mail clients; each side's copy is checked on disk with the other side's Received: line, and
 * each sender's log with the receiver's 250 reply.
 */
@Timeout(60)
class PostfixInteropIT {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    static Path dir;
    private static TestServer yubin;
    private static Postfix postfix;
    private static int postfixPort;

    @BeforeAll
    static void start() throws Exception {
        // JUnit makes it 700; Postfix's daemons run as postfix and must reach their queue inside
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.4"))) {
            postfixPort = free.getLocalPort();
        }
        yubin = TestServer.startWithUsers(Files.createDirectories(dir.resolve("yubin")), "user2:{PLAIN}password:::::\n",
                "myhostname = mail.example2.jp",
                "mydomain = example2.jp",
                "smtp_listen = 127.0.0.3:0",
                "mynetworks = 127.0.0.0/8", // swaks on this machine may relay, as the textbook's LAN
                "maillog_file = maillog",
                "defer_transports =",
                "relayhost = [127.0.0.4]:" + postfixPort);
        postfix = Postfix.start(Files.createDirectories(dir.resolve("postfix")), "127.0.0.4", postfixPort, List.of(
                        "myhostname = mail.example3.jp",
                        "mydomain = example3.jp",
                        "myorigin = $mydomain",
                        "mydestination = example3.jp",
                        "mynetworks = 127.0.0.0/8",
                        // example3.jp's users are virtual(8) Maildirs, not passwd accounts
                        "local_transport = virtual",
                        "virtual_mailbox_maps = texthash:$config_directory/mailboxes",
                        "local_recipient_maps = $virtual_mailbox_maps",
                        "transport_maps = texthash:$config_directory/transport"),
                Map.of("mailboxes", "user3@example3.jp user3/Maildir/\n",
                        "transport", "example2.jp smtp:[127.0.0.3]:" + yubin.smtpPort() + "\n"));
    }

    @AfterAll
    static void stop() {
        try {
            if (postfix != null) {
                postfix.close();
            }
        } finally {
            if (yubin != null) {
                yubin.close();
            }
        }
    }

    private static ExternalClient.Result swaks(String server, int port, String from, String to, String subject)
            throws Exception {
        return ExternalClient.run(Duration.ofSeconds(30), "swaks", "--server", server, "--port",
                String.valueOf(port), "--from", from, "--to", to, "--helo", "client.example.jp",
                "--header", "Subject: " + subject, "--body", "hello across MTAs");
    }

    private static String awaitYubinLog(String text) throws Exception {
        Path log = yubin.dir.resolve("maillog");
        long deadline = System.nanoTime() + WAIT.toNanos();
        String content = "";
        while (System.nanoTime() < deadline) {
            content = Files.exists(log) ? Files.readString(log, UTF_8) : "";
            if (content.contains(text)) {
                return content;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no \"" + text + "\" in Yubin's maillog:\n" + content + "\nPostfix's:\n"
                + postfix.log());
    }

    @Test
    void yubinDeliversToPostfixOverStartTls() throws Exception {
        ExternalClient.Result sent = swaks("127.0.0.3", yubin.smtpPort(), "user2@example2.jp", "user3@example3.jp",
                "to Postfix");
        assertEquals(0, sent.exitCode(), sent.output());

        String message = Files.readString(postfix.awaitMessage("user3", WAIT), UTF_8);
        assertTrue(message.startsWith("Return-Path: <user2@example2.jp>\n"), message);
        assertTrue(message.contains("Delivered-To: user3@example3.jp\n"), message);
        int postfixLine = message.indexOf("by mail.example3.jp (Postfix) with ESMTPS id ");
        int yubinLine = message.indexOf("by mail.example2.jp (Yubin) with ESMTP id ");
        assertTrue(postfixLine > 0 && yubinLine > postfixLine, "Postfix's Received: above Yubin's:\n" + message);
        assertTrue(message.contains("Received: from mail.example2.jp ("), "Yubin's HELO name:\n" + message);
        assertTrue(message.contains("Subject: to Postfix\n") && message.contains("\nhello across MTAs\n"), message);

        String log = awaitYubinLog(": to=<user3@example3.jp>, relay=127.0.0.4[127.0.0.4]:" + postfixPort);
        assertTrue(log.contains("dsn=2.0.0, status=sent (250 2.0.0 Ok: queued as "), log);
        String postfixLog = postfix.awaitLog("to=<user3@example3.jp>, relay=virtual", WAIT);
        assertTrue(postfixLog.contains("status=sent (delivered to maildir)"), postfixLog);
        assertTrue(postfixLog.contains("TLS connection established from unknown[127.0."), postfixLog);
        assertTrue(postfixLog.contains("ehlo=2 starttls=1 mail=1 rcpt=1 data=1 quit=1 commands=7"), postfixLog);
    }

    @Test
    void postfixRelaysToYubinOverStartTls() throws Exception {
        ExternalClient.Result sent = swaks("127.0.0.4", postfixPort, "user3@example3.jp", "user2@example2.jp",
                "to Yubin");
        assertEquals(0, sent.exitCode(), sent.output());

        List<Path> arrived = yubin.awaitMessages("user2", 1, WAIT);
        String message = Files.readString(arrived.get(0), UTF_8);
        assertTrue(message.startsWith("Return-Path: <user3@example3.jp>\n"), message);
        int yubinLine = message.indexOf("by mail.example2.jp (Yubin) with ESMTPS id ");
        int postfixLine = message.indexOf("by mail.example3.jp (Postfix) with ESMTP id ");
        assertTrue(yubinLine > 0 && postfixLine > yubinLine, "Yubin's Received: above Postfix's:\n" + message);
        assertTrue(message.contains("Received: from mail.example3.jp ("), "Postfix's HELO name:\n" + message);
        assertTrue(message.contains("Subject: to Yubin\n") && message.contains("\nhello across MTAs\n"), message);

        String log = postfix.awaitLog("to=<user2@example2.jp>, relay=127.0.0.3[127.0.0.3]:" + yubin.smtpPort(), WAIT);
        assertTrue(log.contains("TLS connection established to 127.0.0.3[127.0.0.3]:" + yubin.smtpPort()), log);
        assertTrue(log.contains("dsn=2.0.0, status=sent (250 2.0.0 Ok: queued as "), log);
        awaitYubinLog(": to=<user2@example2.jp>, relay=local");
    }
}
