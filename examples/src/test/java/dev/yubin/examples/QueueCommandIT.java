package dev.yubin.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code java -jar yubin-server.jar queue list|flush|delete}, Postfix's mailq, {@code postqueue -f} and
 * {@code postsuper -d}: against a running server (over its control socket) and with none running.
 */
@Timeout(120)
class QueueCommandIT {
    private static final Path JAR = Path.of("target", "yubin-server.jar");

    private static String[] queued(String... more) {
        List<String> lines = new ArrayList<>(List.of("mynetworks = 127.0.0.0/8")); // loopback may relay
        lines.addAll(List.of(more));
        return lines.toArray(String[]::new);
    }

    private static ExternalClient.Result queue(Path dir, String... command) throws Exception {
        List<String> args = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-jar", JAR.toString(), "queue", "--config", dir.resolve("main.cf").toString()));
        args.addAll(List.of(command));
        return ExternalClient.run(Duration.ofSeconds(60), args.toArray(String[]::new));
    }

    private static String relay(TestServer server, String to) throws Exception {
        ExternalClient.Result sent = ExternalClient.run(Duration.ofSeconds(30), "swaks", "--server", "127.0.0.1",
                "--port", String.valueOf(server.smtpPort()), "--from", "kato@example1.jp", "--to", to);
        assertEquals(0, sent.exitCode(), sent.output());
        String out = sent.output();
        int at = out.indexOf("Ok: queued as ");
        return out.substring(at + 14, out.indexOf('\n', at)).trim();
    }

    @Test
    void listAndDeleteOverTheControlSocketThenWithTheServerStopped(@TempDir Path dir) throws Exception {
        String first;
        String second;
        try (TestServer server = TestServer.start(dir, queued())) { // defer_transports = smtp: mail stays queued
            first = relay(server, "user2@example2.jp");
            second = relay(server, "user3@example3.jp");
            ExternalClient.Result list = queue(dir, "list");
            assertEquals(0, list.exitCode(), list.output());
            assertTrue(list.output().startsWith("-Queue ID-  --Size-- ----Arrival Time---- -Sender/Recipient"),
                    list.output());
            assertTrue(list.output().contains(first + " ") && list.output().contains("  kato@example1.jp\n"),
                    list.output());
            assertTrue(list.output().contains("user2@example2.jp\n") && list.output().contains("in 2 Requests."),
                    list.output());
            ExternalClient.Result flush = queue(dir, "flush");
            assertEquals(1, flush.exitCode(), flush.output()); // suspended: nothing to flush
            ExternalClient.Result delete = queue(dir, "delete", first, "NoSuchId0");
            assertEquals(1, delete.exitCode(), delete.output());
            assertTrue(delete.output().contains("queue: " + first + ": removed\n")
                    && delete.output().contains("queue: NoSuchId0: no such message"), delete.output());
            assertEquals(1, server.deferred().size());
        }
        // the server is gone: the command works on the queue directory
        ExternalClient.Result list = queue(dir, "list");
        assertEquals(0, list.exitCode(), list.output());
        assertTrue(list.output().contains(second + " ") && !list.output().contains(first), list.output());
        ExternalClient.Result delete = queue(dir, "delete", second);
        assertEquals(0, delete.exitCode(), delete.output());
        assertEquals("Mail queue is empty\n", queue(dir, "list").output());
        assertEquals(2, queue(dir, "bogus").exitCode());
    }

    @Test
    void flushRetriesDeferredMailAtOnce(@TempDir Path dir) throws Exception {
        // remote delivery on, to a relayhost that refuses connections: every attempt defers
        try (java.net.ServerSocket closed = new java.net.ServerSocket(0)) {
            int dead = closed.getLocalPort();
            closed.close();
            try (TestServer server = TestServer.start(dir, queued("defer_transports =",
                    "relayhost = [127.0.0.1]:" + dead, "maillog_file = maillog"))) {
                String id = relay(server, "user2@example2.jp");
                Path log = dir.resolve("maillog");
                String refused = id + ": to=<user2@example2.jp>, relay=none, ";
                awaitCount(log, refused, 1);
                ExternalClient.Result flush = queue(dir, "flush");
                assertEquals(0, flush.exitCode(), flush.output());
                assertEquals("queue: flushing the queue\n", flush.output());
                awaitCount(log, refused, 2); // tried again now, not after minimal_backoff_time
            }
        }
    }

    private static void awaitCount(Path log, String line, int n) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        String text = "";
        while (System.nanoTime() < deadline) {
            text = Files.exists(log) ? Files.readString(log) : "";
            if (text.split(java.util.regex.Pattern.quote(line), -1).length - 1 >= n) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("expected " + n + " of \"" + line + "\" in the maillog:\n" + text);
    }
}
