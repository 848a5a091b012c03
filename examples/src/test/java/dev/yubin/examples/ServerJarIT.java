package dev.yubin.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shaded {@code yubin-server.jar}, run as a user runs it: {@code --check}, then a real start and a delivery. */
class ServerJarIT {
    private static final Path JAR = Path.of("target", "yubin-server.jar");

    @Test
    void checkReportsEveryBadLineAndExitsNonZero(@TempDir Path dir) throws Exception {
        Path config = dir.resolve("main.cf");
        Files.writeString(config, String.join("\n",
                "myhostname = mail.example1.jp",
                "smtpd_recpient_limit = 10",
                "message_size_limit = lots",
                "mydestination = $myhostname, $nodomain",
                ""));
        ExternalClient.Result result = ExternalClient.run(Duration.ofSeconds(60), java(), "-jar", JAR.toString(),
                "--config", config.toString(), "--check");
        assertTrue(result.exitCode() != 0, result.output());
        assertTrue(result.output().contains("main.cf:2:"), result.output());
        assertTrue(result.output().contains("smtpd_recpient_limit"), result.output());
        assertTrue(result.output().contains("main.cf:3:"), result.output());
        assertTrue(result.output().contains("main.cf:4:"), result.output());
        assertTrue(result.output().contains("nodomain"), result.output());
    }

    @Test
    void jarStartsOnConfigAndDelivers(@TempDir Path dir) throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        Files.writeString(dir.resolve("passwd"), TestServer.PASSWD);
        Path config = dir.resolve("main.cf");
        Files.writeString(config, String.join("\n",
                "myhostname = mail.example1.jp",
                "mydomain = example1.jp",
                "mydestination = $myhostname, $mydomain",
                "smtp_listen = 127.0.0.1:" + port,
                "mail_root = mail",
                "queue_directory = queue",
                "passwd_file = passwd",
                "maillog_file = maillog",
                ""));
        ExternalClient.Result check = ExternalClient.run(Duration.ofSeconds(60), java(), "-jar", JAR.toString(),
                "--config", config.toString(), "--check");
        assertEquals(0, check.exitCode(), check.output());

        Process process = new ProcessBuilder(java(), "-jar", JAR.toString(), "--config", config.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("stdout").toFile()).start();
        try {
            try (Socket socket = connect(port, Duration.ofSeconds(30))) {
                socket.setSoTimeout(10_000);
                BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(),
                        StandardCharsets.US_ASCII));
                OutputStream out = socket.getOutputStream();
                assertTrue(in.readLine().startsWith("220 mail.example1.jp ESMTP"));
                out.write(("EHLO client\r\nMAIL FROM:<kato@example1.jp>\r\nRCPT TO:<abe@example1.jp>\r\nDATA\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                out.flush();
                String line;
                while (!(line = in.readLine()).startsWith("354")) {
                    assertTrue(line.startsWith("250"), line);
                }
                out.write("Subject: jar\r\n\r\nfrom the jar\r\n.\r\nQUIT\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                assertTrue(in.readLine().startsWith("250 2.0.0 Ok: queued as "));
                assertEquals("221 2.0.0 Bye", in.readLine());
            }
            Path inbox = dir.resolve("mail/abe/Maildir/new");
            try (var files = Files.list(inbox)) {
                List<Path> list = files.toList();
                assertEquals(1, list.size());
                assertTrue(Files.readString(list.get(0)).endsWith("Subject: jar\n\nfrom the jar\n"));
            }
            String maillog = awaitContains(dir.resolve("maillog"), "status=sent (delivered to maildir)");
            assertTrue(maillog.contains("connect from unknown[127.0.0.1]"), maillog);
            assertTrue(maillog.contains("from=<kato@example1.jp>, size="), maillog);
        } finally {
            process.destroy();
            assertTrue(process.waitFor(30, TimeUnit.SECONDS), "server stops on SIGTERM");
        }
    }

    private static String awaitContains(Path file, String text) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        String content = "";
        while (System.nanoTime() < deadline) {
            if (Files.exists(file)) {
                content = Files.readString(file);
                if (content.contains(text)) {
                    return content;
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError("'" + text + "' not in " + file + ":\n" + content);
    }

    private static Socket connect(int port, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try {
                return new Socket("127.0.0.1", port);
            } catch (java.io.IOException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(100);
            }
        }
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
