package dev.yubin.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** swaks, the SMTP test tool, with and without PIPELINING, and a relay attempt that must be refused. */
class SwaksIT {

    @Test
    void swaksDeliversWithPipelining(@TempDir Path dir) throws Exception {
        try (TestServer server = TestServer.start(dir)) {
            ExternalClient.Result result = swaks(server, "--pipeline", "--to", "abe@example1.jp",
                    "--from", "kato@example1.jp", "--header", "Subject: swaks pipelined",
                    "--body", "Body line\n.starts with a dot\n");
            assertEquals(0, result.exitCode(), result.output());
            List<Path> files = server.awaitMessages("abe", 1, Duration.ZERO);
            String mail = Files.readString(files.get(0), StandardCharsets.UTF_8);
            assertTrue(mail.contains("\nSubject: swaks pipelined\n"), mail);
            // swaks stuffs the leading dot and adds its own line endings after the body.
            assertTrue(mail.contains("\n\nBody line\n.starts with a dot\n"), mail);
        }
    }

    @Test
    void swaksWithoutPipeliningAndManyRecipients(@TempDir Path dir) throws Exception {
        try (TestServer server = TestServer.start(dir)) {
            ExternalClient.Result result = swaks(server, "--to", "abe@example1.jp,kato@example1.jp,sato@example1.jp",
                    "--from", "<>", "--header", "Subject: to three", "--body", "three");
            assertEquals(0, result.exitCode(), result.output());
            for (String user : List.of("abe", "kato", "sato")) {
                String mail = Files.readString(server.awaitMessages(user, 1, Duration.ZERO).get(0));
                assertTrue(mail.startsWith("Return-Path: <>\n"), mail);
            }
        }
    }

    @Test
    void swaksRelayAttemptIsRefusedWith554(@TempDir Path dir) throws Exception {
        try (TestServer server = TestServer.start(dir)) {
            ExternalClient.Result result = swaks(server, "--to", "user2@example2.jp", "--from", "kato@example1.jp");
            assertNotEquals(0, result.exitCode(), result.output());
            assertTrue(result.output().contains("554 5.7.1 <user2@example2.jp>: Relay access denied"),
                    result.output());
        }
    }

    private static ExternalClient.Result swaks(TestServer server, String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("swaks", "--server", "127.0.0.1",
                "--port", String.valueOf(server.smtpPort()), "--helo", "client.example1.jp", "--timeout", "20"));
        command.addAll(List.of(args));
        return ExternalClient.run(Duration.ofSeconds(60), command.toArray(String[]::new));
    }
}
