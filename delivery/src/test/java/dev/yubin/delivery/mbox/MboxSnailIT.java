package dev.yubin.delivery.mbox;

import static dev.yubin.delivery.mbox.Mboxes.content;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.yubin.core.store.Maildrop;
import dev.yubin.core.store.StoredMessage;
import dev.yubin.core.user.MailUser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * s-nail (the {@code mail} command of the textbooks) reads the mbox files Yubin writes, and Yubin reads the ones
 * s-nail rewrites and saves. Fails, never skips, when s-nail is missing.
 */
class MboxSnailIT {
    @TempDir
    Path spool;
    @TempDir
    Path home;

    private final MailUser abe = new MailUser("abe", "");
    private MboxStore store;

    @BeforeEach
    void deliverThree() throws Exception {
        store = Mboxes.store(spool);
        store.deliver(abe, content("Return-Path: <kato@example1.jp>\nFrom: kato@example1.jp\nSubject: first\n\n"
                + "From here on, a body line that must not split the message\n>From quoted\nbye\n"));
        store.deliver(abe, content("Return-Path: <>\nFrom: MAILER-DAEMON@example1.jp\nSubject: second\n\n"
                + "bounce\n"));
        store.deliver(abe, content("Return-Path: <ueda@example2.jp>\nFrom: ueda@example2.jp\nSubject: third\n\n"
                + "no final newline"));
    }

    @Test
    void snailListsTheMessagesYubinDelivered() throws Exception {
        String out = snail("", "-N", "-R", "-H", "-f", mbox().toString());
        List<String> lines = Arrays.stream(out.split("\n")).filter(l -> l.matches(".*\\b[123] .*")).toList();
        assertEquals(3, lines.size(), out);
        assertTrue(lines.get(0).contains("kato@example1.jp") && lines.get(0).contains("first"), out);
        assertTrue(lines.get(1).contains("MAILER-DAEMON") && lines.get(1).contains("second"), out);
        assertTrue(lines.get(2).contains("ueda@example2.jp") && lines.get(2).contains("third"), out);
    }

    @Test
    void snailPrintsABodyWithFromLinesWhole() throws Exception {
        String out = snail("p 1\n", "-N", "-R", "-f", mbox().toString());
        assertTrue(out.contains("From here on, a body line that must not split the message"), out);
        assertTrue(out.contains("bye"), out);
        String third = snail("p 3\n", "-N", "-R", "-f", mbox().toString());
        assertTrue(third.contains("no final newline"), third);
    }

    @Test
    void afterSnailDeletesAMessageYubinKeepsTheOtherUids() throws Exception {
        List<String> before;
        try (Maildrop drop = store.openMaildrop(abe)) {
            before = drop.messages().stream().map(StoredMessage::uid).collect(Collectors.toList());
        }
        snail("d 2\nq\n", "-N", "-Shold", "-f", mbox().toString());
        try (Maildrop drop = store.openMaildrop(abe)) {
            assertEquals(List.of(before.get(0), before.get(2)),
                    drop.messages().stream().map(StoredMessage::uid).toList(), Files.readString(mbox()));
            String first = Mboxes.read(drop, drop.messages().get(0));
            assertTrue(first.contains("\n\nFrom here on, a body line that must not split the message\n"), first);
            assertTrue(first.endsWith("From quoted\nbye\n"), first);
        }
    }

    @Test
    void yubinReadsAMailboxThatSnailSaved() throws Exception {
        Path saved = spool.resolve("ito");
        snail("s 1 " + saved + "\nq\n", "-N", "-Shold", "-f", mbox().toString());
        assertTrue(Files.exists(saved), "s-nail saved nothing");
        try (Maildrop drop = store.openMaildrop(new MailUser("ito", ""))) {
            assertEquals(1, drop.messages().size());
            String text = Mboxes.read(drop, drop.messages().get(0));
            assertTrue(text.contains("Subject: first\n"), text);
            assertTrue(text.contains("From here on, a body line that must not split the message\n"), text);
            assertFalse(text.startsWith("From "), text);
        }
    }

    private Path mbox() {
        return spool.resolve("abe");
    }

    private String snail(String input, String... args) throws IOException, InterruptedException {
        requireSnail();
        List<String> command = new java.util.ArrayList<>(List.of("s-nail", "-:/"));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        Map<String, String> env = builder.environment();
        env.put("HOME", home.toString());
        env.put("MAIL", home.resolve("inbox").toString());
        env.put("MBOX", home.resolve("mbox").toString());
        env.put("LC_ALL", "C.UTF-8");
        Process process = builder.start();
        process.getOutputStream().write(input.getBytes(StandardCharsets.UTF_8));
        process.getOutputStream().close();
        byte[] out = process.getInputStream().readAllBytes();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("s-nail did not finish: " + command);
        }
        String text = new String(out, StandardCharsets.UTF_8);
        assertEquals(0, process.exitValue(), "s-nail " + command + " failed:\n" + text);
        return text;
    }

    private static void requireSnail() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "s-nail"))) {
                return;
            }
        }
        throw new AssertionError("s-nail is not installed (apt-get install -y s-nail): MboxSnailIT needs it to "
                + "prove that the mbox format interoperates");
    }
}
