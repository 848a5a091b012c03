package dev.yubin.examples;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.yubin.dns.testing.Dnsmasq;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The textbooks' two hosts: {@code user1@example1.jp} on host1 (127.0.0.2) mails {@code user2@example2.jp} on host2
 * (127.0.0.3) and back. Each server finds the other's MX through dnsmasq ({@code dig @127.0.0.1 -p … example2.jp
 * MX} → {@code 10 mail.example2.jp.}), delivers over SMTP with STARTTLS, and the other delivers to a Maildir. swaks
 * plays the users' mail clients. Both servers run in this JVM and log through one logback, so each maillog
 * holds both hosts' lines.
 */
@Timeout(120)
class TwoHostsIT {
    private static final String USERS = "user1:{PLAIN}password:::::\nuser2:{PLAIN}password:::::\n";
    private static Dnsmasq dns;
    private static int port;

    @BeforeAll
    static void dns() throws Exception {
        port = portFreeOnBoth("127.0.0.2", "127.0.0.3");
        dns = Dnsmasq.start(List.of(
                "--mx-host=example1.jp,mail.example1.jp,10", "--host-record=mail.example1.jp,127.0.0.2",
                "--mx-host=example2.jp,mail.example2.jp,10", "--host-record=mail.example2.jp,127.0.0.3",
                // example4.jp: the first MX is down, the second is host2
                "--mx-host=example4.jp,dead.example4.jp,10", "--host-record=dead.example4.jp,127.0.0.4",
                "--mx-host=example4.jp,mail.example2.jp,20",
                // example5.jp: host2 is its MX but does not accept it (defer_unauth_destination: 4xx)
                "--mx-host=example5.jp,mail.example2.jp,10",
                "--local=/nowhere.example/"), // NXDOMAIN
                "example2.jp");
    }

    @AfterAll
    static void stop() {
        if (dns != null) {
            dns.close();
        }
    }

    private static int portFreeOnBoth(String a, String b) throws Exception {
        for (int attempt = 0; attempt < 20; attempt++) {
            int candidate;
            try (ServerSocket first = new ServerSocket(0, 1, InetAddress.getByName(a))) {
                candidate = first.getLocalPort();
            }
            try (ServerSocket second = new ServerSocket()) {
                second.bind(new InetSocketAddress(InetAddress.getByName(b), candidate));
                return candidate;
            } catch (java.io.IOException taken) {
                // try another
            }
        }
        throw new AssertionError("no port free on both " + a + " and " + b);
    }

    private static TestServer host(Path dir, int n, String... more) throws Exception {
        String domain = "example" + n + ".jp";
        List<String> lines = new java.util.ArrayList<>(List.of(
                "myhostname = mail." + domain,
                "mydomain = " + domain,
                "smtp_listen = 127.0.0." + (n + 1) + ":" + port,
                "mynetworks = 127.0.0.0/8", // the users' clients on this machine may relay, as the textbook's LAN
                "maillog_file = maillog",
                "defer_transports =",
                "dns_resolver = 127.0.0.1:" + dns.port(),
                "smtp_tcp_port = " + port));
        lines.addAll(List.of(more));
        return TestServer.startWithUsers(dir, USERS, lines.toArray(String[]::new));
    }

    private static ExternalClient.Result swaks(String server, String from, String to, String subject)
            throws Exception {
        return ExternalClient.run(Duration.ofSeconds(30), "swaks", "--server", server, "--port",
                String.valueOf(port), "--from", from, "--to", to, "--helo", "client.example1.jp",
                "--header", "Subject: " + subject, "--body", "hello from the textbook");
    }

    private static String awaitLog(TestServer host, String text) throws Exception {
        Path log = host.dir.resolve("maillog");
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        String content = "";
        while (System.nanoTime() < deadline) {
            content = Files.exists(log) ? Files.readString(log, UTF_8) : "";
            if (content.contains(text)) {
                return content;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no \"" + text + "\" in the maillog:\n" + content + "\ndnsmasq:\n" + dns.log());
    }

    @Test
    void user1MailsUser2AndBack(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("host1"));
        Files.createDirectories(dir.resolve("host2"));
        try (TestServer host1 = host(dir.resolve("host1"), 1); TestServer host2 = host(dir.resolve("host2"), 2)) {
            ExternalClient.Result sent = swaks("127.0.0.2", "user1@example1.jp", "user2@example2.jp", "to host2");
            assertEquals(0, sent.exitCode(), sent.output());
            Path arrived = host2.awaitMessages("user2", 1, Duration.ofSeconds(20)).get(0);
            String message = Files.readString(arrived, UTF_8);
            assertTrue(message.startsWith("Return-Path: <user1@example1.jp>\n"), message);
            assertTrue(message.contains("by mail.example2.jp (Yubin) with ESMTPS id"), message); // STARTTLS
            assertTrue(message.contains("by mail.example1.jp (Yubin) with ESMTP id"), message);
            assertTrue(message.contains("Subject: to host2\n"), message);
            String log = awaitLog(host1, ": to=<user2@example2.jp>, relay=mail.example2.jp[127.0.0.3]:" + port);
            assertTrue(log.contains("dsn=2.0.0, status=sent (250 2.0.0 Ok: queued as "), log);

            ExternalClient.Result reply = swaks("127.0.0.3", "user2@example2.jp", "user1@example1.jp", "back");
            assertEquals(0, reply.exitCode(), reply.output());
            String back = Files.readString(host1.awaitMessages("user1", 1, Duration.ofSeconds(20)).get(0), UTF_8);
            assertTrue(back.startsWith("Return-Path: <user2@example2.jp>\n") && back.contains("Subject: back\n"),
                    back);
        }
    }

    @Test
    void anUnknownUserOnTheOtherHostBouncesToTheSender(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("host1"));
        Files.createDirectories(dir.resolve("host2"));
        try (TestServer host1 = host(dir.resolve("host1"), 1); TestServer host2 = host(dir.resolve("host2"), 2)) {
            ExternalClient.Result sent = swaks("127.0.0.2", "user1@example1.jp", "nobody@example2.jp", "lost");
            assertEquals(0, sent.exitCode(), sent.output());
            String dsn = Files.readString(host1.awaitMessages("user1", 1, Duration.ofSeconds(20)).get(0), UTF_8);
            assertTrue(dsn.startsWith("Return-Path: <>\n"), dsn);
            assertTrue(dsn.contains("Subject: Undelivered Mail Returned to Sender\n"), dsn);
            assertTrue(dsn.contains("Content-Type: multipart/report; report-type=delivery-status;"), dsn);
            assertTrue(dsn.contains("Final-Recipient: rfc822; nobody@example2.jp\n"), dsn);
            assertTrue(dsn.contains("Action: failed\nStatus: 5.1.1\nRemote-MTA: dns; mail.example2.jp\n"
                    + "Diagnostic-Code: smtp; 550 5.1.1 <nobody@example2.jp>:"), dsn);
            assertTrue(dsn.contains("Subject: lost\n"), "the message is returned: " + dsn);
            String log = awaitLog(host1, ": to=<nobody@example2.jp>, relay=mail.example2.jp[127.0.0.3]:" + port);
            assertTrue(log.contains("status=bounced (host mail.example2.jp"), log);
            awaitLog(host1, ": sender non-delivery notification: "); // the maillog is written in batches
            assertEquals(0, host2.awaitMessages("user2", 0, Duration.ofMillis(100)).size());
        }
    }

    @Test
    void theSecondMxTakesTheMailWhenTheFirstIsDownAndA4xxIsRetried(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("host1"));
        Files.createDirectories(dir.resolve("host2"));
        try (TestServer host1 = host(dir.resolve("host1"), 1);
                TestServer host2 = host(dir.resolve("host2"), 2,
                        "mydestination = $myhostname, localhost, $mydomain, example4.jp",
                        "mynetworks =", "smtpd_recipient_restrictions = defer_unauth_destination")) {
            ExternalClient.Result sent = swaks("127.0.0.2", "user1@example1.jp", "user2@example4.jp", "via MX 20");
            assertEquals(0, sent.exitCode(), sent.output());
            String message = Files.readString(host2.awaitMessages("user2", 1, Duration.ofSeconds(20)).get(0), UTF_8);
            assertTrue(message.contains("Subject: via MX 20\n"), message);
            String log = awaitLog(host1, ": to=<user2@example4.jp>, relay=mail.example2.jp[127.0.0.3]:" + port);
            assertTrue(log.contains(": connect to dead.example4.jp[127.0.0.4]:" + port + ": Connection refused"), log);

            ExternalClient.Result later = swaks("127.0.0.2", "user1@example1.jp", "someone@example5.jp", "later");
            assertEquals(0, later.exitCode(), later.output());
            awaitLog(host1, "to=<someone@example5.jp>, relay=mail.example2.jp[127.0.0.3]:" + port);
            String deferred = awaitLog(host1, "status=deferred (host mail.example2.jp[127.0.0.3]:" + port
                    + " said: 450 4.7.1 <someone@example5.jp>: Relay access denied (in reply to RCPT TO command))");
            String attempt = ": to=<someone@example5.jp>, relay=";
            assertEquals(1, count(deferred, attempt));
            host1.server.queueManager().flush(); // postqueue -f: tried again now, not after 300 s
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (count(Files.readString(host1.dir.resolve("maillog"), UTF_8), attempt) < 2
                    && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertEquals(2, count(Files.readString(host1.dir.resolve("maillog"), UTF_8), attempt));
            while (host1.deferred().isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(20); // back from active/ to deferred/
            }
            assertEquals(1, host1.deferred().size(), "still queued after the second 4xx");
        }
    }

    @Test
    void anUnknownDomainBouncesWithTheNameServiceError(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("host1"));
        try (TestServer host1 = host(dir.resolve("host1"), 1)) {
            ExternalClient.Result sent = swaks("127.0.0.2", "user1@example1.jp", "x@nowhere.example", "nowhere");
            assertEquals(0, sent.exitCode(), sent.output());
            String dsn = Files.readString(host1.awaitMessages("user1", 1, Duration.ofSeconds(20)).get(0), UTF_8);
            assertTrue(dsn.contains("Status: 5.4.4\nDiagnostic-Code: X-Yubin; Host or domain name not found. Name"
                    + " service error for name=nowhere.example type=MX: "), dsn);
            String log = awaitLog(host1, "to=<x@nowhere.example>, relay=none");
            assertTrue(log.contains("dsn=5.4.4, status=bounced (Host or domain name not found."), log);
        }
    }

    @Test
    void theRelayhostTakesEverythingAfterStartTlsAndAuth(@TempDir Path dir) throws Exception {
        Path one = Files.createDirectories(dir.resolve("host1"));
        Files.createDirectories(dir.resolve("host2"));
        Files.writeString(one.resolve("sasl_passwd"), "# relayhost credentials\n[127.0.0.3]:" + port
                + " user2:password\n");
        try (TestServer host2 = host(dir.resolve("host2"), 2, "mynetworks =", "smtpd_sasl_auth_enable = yes",
                        "smtpd_recipient_restrictions = permit_sasl_authenticated, reject");
                TestServer host1 = host(one, 1, "relayhost = [127.0.0.3]:" + port,
                        "smtp_tls_security_level = encrypt", "smtp_sasl_auth_enable = yes",
                        "smtp_sasl_password_maps = texthash:sasl_passwd")) {
            ExternalClient.Result sent = swaks("127.0.0.2", "user1@example1.jp", "user2@example2.jp", "relayed");
            assertEquals(0, sent.exitCode(), sent.output());
            String message = Files.readString(host2.awaitMessages("user2", 1, Duration.ofSeconds(20)).get(0), UTF_8);
            assertTrue(message.contains("by mail.example2.jp (Yubin) with ESMTPSA id"), message); // TLS and AUTH
            String log = awaitLog(host1, ": to=<user2@example2.jp>, relay=127.0.0.3[127.0.0.3]:" + port);
            assertTrue(log.contains("status=sent"), log);
        }
    }

    private static int count(String text, String needle) {
        int n = 0;
        for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) {
            n++;
        }
        return n;
    }
}
