package dev.yubin.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.LoggingEvent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MaillogAppenderTest {
    @TempDir
    Path dir;

    private MaillogAppender appender(LoggerContext context, Path file) {
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern("%logger: %msg%n");
        encoder.start();
        MaillogAppender appender = new MaillogAppender(file, encoder);
        appender.setContext(context);
        appender.start();
        return appender;
    }

    private static LoggingEvent event(LoggerContext context, String message) {
        LoggingEvent event = new LoggingEvent();
        event.setLoggerName("yubin.smtpd");
        event.setLoggerContext(context);
        event.setLevel(Level.INFO);
        event.setMessage(message);
        event.setTimeStamp(System.currentTimeMillis());
        return event;
    }

    @Test
    void linesReachTheFileSoonAndAllOfThemAtStopInOrderPerThread() throws Exception {
        LoggerContext context = new LoggerContext();
        Path file = dir.resolve("maillog");
        MaillogAppender appender = appender(context, file);
        appender.doAppend(event(context, "connect from unknown[127.0.0.1]"));
        long deadline = System.nanoTime() + 5_000_000_000L;
        while ((!Files.exists(file) || Files.size(file) == 0) && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertEquals("yubin.smtpd: connect from unknown[127.0.0.1]\n", Files.readString(file));

        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            int id = t;
            threads.add(new Thread(() -> {
                for (int i = 0; i < 30_000; i++) { // more than MAX_QUEUED in all: callers help the writer
                    appender.doAppend(event(context, id + " " + i));
                }
            }));
        }
        threads.forEach(Thread::start);
        for (Thread thread : threads) {
            thread.join();
        }
        appender.stop();
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        assertEquals(1 + 4 * 30_000, lines.size());
        int[] next = new int[4];
        for (String line : lines.subList(1, lines.size())) {
            String[] parts = line.substring("yubin.smtpd: ".length()).split(" ");
            int id = Integer.parseInt(parts[0]);
            assertEquals(next[id]++, Integer.parseInt(parts[1]), "order of thread " + id);
        }
        assertTrue(java.util.Arrays.stream(next).allMatch(n -> n == 30_000));
    }
}
