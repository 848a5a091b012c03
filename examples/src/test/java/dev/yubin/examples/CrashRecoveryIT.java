package dev.yubin.examples;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.yubin.dns.testing.Dnsmasq;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kill -9} in the middle of the queue: the server (the real jar, in a child JVM) has delivered a message to
 * one recipient's host and hangs on the other's, which never answers. It is killed, the other host comes up, the
 * server restarts on the same queue: the message that was acknowledged is delivered to the second recipient, and
 * the first, already done, gets no second copy.
 */
@Timeout(180)
class CrashRecoveryIT {
    private static final Path JAR = Path.of("target", "yubin-server.jar");
    private static final String USERS = "user1:{PLAIN}password:::::\nuser2:{PLAIN}password:::::\n"
            + "user6:{PLAIN}password:::::\n";

    @Test
    void aKilledServerResumesItsQueueWithoutDuplicates(@TempDir Path dir) throws Exception {
        int port = freePortOn("127.0.0.2", "127.0.0.3", "127.0.0.6");
        try (Dnsmasq dns = Dnsmasq.start(List.of(
                "--mx-host=example2.jp,mail.example2.jp,10", "--host-record=mail.example2.jp,127.0.0.3",
                "--mx-host=example6.jp,mail.example6.jp,10", "--host-record=mail.example6.jp,127.0.0.6"),
                "example2.jp");
                TestServer host2 = remote(dir.resolve("host2"), 2, "127.0.0.3", port, dns)) {
            Path host1 = Files.createDirectories(dir.resolve("host1"));
            Files.writeString(host1.resolve("passwd"), USERS);
            Files.writeString(host1.resolve("main.cf"), String.join("\n",
                    "myhostname = mail.example1.jp", "mydomain = example1.jp",
                    "mydestination = $myhostname, $mydomain", "smtp_listen = 127.0.0.2:" + port,
                    "mynetworks = 127.0.0.0/8", "mail_root = mail", "queue_directory = queue",
                    "passwd_file = passwd", "maillog_file = maillog", "dns_resolver = 127.0.0.1:" + dns.port(),
                    "smtp_tcp_port = " + port, "smtp_tls_security_level = none", ""));
            Process first;
            // mail.example6.jp takes the connection and never says a word
            try (ServerSocket silent = new ServerSocket()) {
                silent.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.6"), port), 10);
                first = start(host1);
                waitForSmtp("127.0.0.2", port);
                ExternalClient.Result sent = ExternalClient.run(Duration.ofSeconds(30), "swaks", "--server",
                        "127.0.0.2", "--port", String.valueOf(port), "--from", "user1@example1.jp",
                        "--to", "user2@example2.jp,user6@example6.jp", "--header", "Subject: survives kill -9");
                assertEquals(0, sent.exitCode(), sent.output());
                host2.awaitMessages("user2", 1, Duration.ofSeconds(30));
                awaitLog(host1, ": to=<user2@example2.jp>, relay=mail.example2.jp[127.0.0.3]:" + port);
                // the status=sent line is written once the queue file records it; SIGKILL now, while the session
                // with mail.example6.jp hangs
                first.destroyForcibly();
                assertTrue(first.waitFor(30, TimeUnit.SECONDS));
                assertEquals(137, first.exitValue(), "killed by SIGKILL");
            }
            try (TestServer host6 = remote(dir.resolve("host6"), 6, "127.0.0.6", port, dns)) {
                Process second = start(host1);
                try {
                    String message = Files.readString(host6.awaitMessages("user6", 1, Duration.ofSeconds(60))
                            .get(0), UTF_8);
                    assertTrue(message.contains("Subject: survives kill -9\n"), message);
                    awaitLog(host1, ": to=<user6@example6.jp>, relay=mail.example6.jp[127.0.0.6]:" + port);
                    awaitLog(host1, ": removed");
                    assertEquals(1, host2.awaitMessages("user2", 1, Duration.ofSeconds(1)).size(),
                            "user2 was done before the kill: no second copy");
                } finally {
                    second.destroy();
                    second.waitFor(30, TimeUnit.SECONDS);
                }
            }
        }
    }

    /** The server of {@code example<n>.jp} on {@code address}, as its MX record says. */
    private static TestServer remote(Path dir, int n, String address, int port, Dnsmasq dns) throws Exception {
        Files.createDirectories(dir);
        String domain = "example" + n + ".jp";
        return TestServer.startWithUsers(dir, USERS, "myhostname = mail." + domain, "mydomain = " + domain,
                "smtp_listen = " + address + ":" + port, "mynetworks = 127.0.0.0/8",
                "dns_resolver = 127.0.0.1:" + dns.port(), "smtp_tcp_port = " + port);
    }

    private static Process start(Path dir) throws Exception {
        return new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
                JAR.toAbsolutePath().toString(), "--config", dir.resolve("main.cf").toString())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(
                        dir.resolve("stdout").toFile())).start();
    }

    private static int freePortOn(String... hosts) throws Exception {
        for (int attempt = 0; attempt < 50; attempt++) {
            int candidate;
            try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getByName(hosts[0]))) {
                candidate = probe.getLocalPort();
            }
            boolean free = true;
            for (String host : hosts) {
                try (ServerSocket s = new ServerSocket()) {
                    s.bind(new InetSocketAddress(InetAddress.getByName(host), candidate));
                } catch (java.io.IOException taken) {
                    free = false;
                }
            }
            if (free) {
                return candidate;
            }
        }
        throw new AssertionError("no port free on all of " + String.join(", ", hosts));
    }

    private static void waitForSmtp(String host, int port) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            try (Socket s = new Socket(host, port)) {
                return;
            } catch (java.io.IOException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(100);
            }
        }
    }

    private static void awaitLog(Path dir, String text) throws Exception {
        Path log = dir.resolve("maillog");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        String content = "";
        while (System.nanoTime() < deadline) {
            content = Files.exists(log) ? Files.readString(log, UTF_8) : "";
            if (content.contains(text)) {
                return;
            }
            Thread.sleep(100);
        }
        String stdout = Files.exists(dir.resolve("stdout")) ? Files.readString(dir.resolve("stdout")) : "";
        throw new AssertionError("no \"" + text + "\" in " + log + ":\n" + content + "\nstdout:\n" + stdout);
    }
}
