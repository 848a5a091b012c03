package dev.yubin.examples;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A {@link YubinServer} started in this JVM from a {@code main.cf} written into a temporary directory, with the
 * textbook's domain and users, on a free loopback port.
 */
final class TestServer implements AutoCloseable {
    static final String PASSWD = String.join("\n",
            "abe:{PLAIN}password:::::",
            "kato:{PLAIN}password:::::",
            "sato:{PLAIN}password:::::",
            "");

    final Path dir;
    final YubinServer server;

    private TestServer(Path dir, YubinServer server) {
        this.dir = dir;
        this.server = server;
    }

    static TestServer start(Path dir, String... extraConfigLines) throws Exception {
        return startWithUsers(dir, PASSWD, extraConfigLines);
    }

    /** As {@link #start}, with {@code passwd} as the passwd file. */
    static TestServer startWithUsers(Path dir, String passwd, String... extraConfigLines) throws Exception {
        List<String> lines = new ArrayList<>(List.of(
                "myhostname = mail.example1.jp",
                "mydomain = example1.jp",
                "myorigin = $mydomain",
                "mydestination = $myhostname, localhost.$mydomain, localhost, $mydomain",
                "smtp_listen = 127.0.0.1:0",
                "mail_root = mail",
                "queue_directory = queue",
                "passwd_file = passwd",
                "home_mailbox = Maildir/",
                // the tests' clients play outsiders: loopback is not a trusted network here
                "mynetworks =",
                // remote mail stays queued where a test looks for it (TwoHostsIT delivers it)
                "defer_transports = smtp"));
        lines.addAll(List.of(extraConfigLines));
        Files.writeString(dir.resolve("passwd"), passwd);
        Path config = dir.resolve("main.cf");
        Files.write(config, lines, StandardCharsets.UTF_8);
        return new TestServer(dir, YubinServer.start(config));
    }

    /** The textbook's message from kato to abe, sent over SMTP; returns once the server said 250. */
    void sendTextbookMessage(String subject, String body) throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), smtpPort())) {
            socket.setSoTimeout(20_000);
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            readLine(in);
            out.write(("helo host1\r\nmail from:<kato@example1.jp>\r\nrcpt to:<abe@example1.jp>\r\ndata\r\n")
                    .getBytes(StandardCharsets.UTF_8));
            for (int i = 0; i < 4; i++) {
                readLine(in);
            }
            out.write(("Subject: " + subject + "\r\n\r\n" + body + "\r\n.\r\nquit\r\n")
                    .getBytes(StandardCharsets.UTF_8));
            String reply = readLine(in);
            if (!reply.startsWith("250 2.0.0")) {
                throw new AssertionError("message not accepted: " + reply);
            }
        }
    }

    /** One line of a reply, without CR LF. */
    static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != '\n') {
            if (b < 0) {
                throw new AssertionError("connection closed after " + line.toString(StandardCharsets.UTF_8));
            }
            line.write(b);
        }
        return line.toString(StandardCharsets.UTF_8).replace("\r", "");
    }

    int smtpPort() {
        return server.smtpPort();
    }

    /** The port of {@code "submission"} or {@code "smtps"}, when configured. */
    int port(String service) {
        return server.port(service);
    }

    /** The queue files of messages waiting for remote delivery. */
    List<Path> deferred() throws IOException {
        Path deferred = dir.resolve("queue").resolve("deferred");
        if (!Files.isDirectory(deferred)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(deferred)) {
            return s.toList();
        }
    }

    Path maildir(String user) {
        return dir.resolve("mail").resolve(user).resolve("Maildir");
    }

    /** Waits until {@code count} files are in the user's {@code new/} and returns them, oldest first. */
    List<Path> awaitMessages(String user, int count, Duration timeout) throws IOException, InterruptedException {
        Path inbox = maildir(user).resolve("new");
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            List<Path> files = List.of();
            if (Files.isDirectory(inbox)) {
                try (Stream<Path> s = Files.list(inbox)) {
                    files = s.sorted(Comparator.comparing(p -> p.getFileName().toString())).toList();
                }
            }
            if (files.size() >= count || System.nanoTime() > deadline) {
                if (files.size() != count) {
                    throw new AssertionError("expected " + count + " messages in " + inbox + ", found " + files);
                }
                return files;
            }
            Thread.sleep(20);
        }
    }

    @Override
    public void close() {
        server.close();
    }
}
