package dev.yubin.smtp.server;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * Captures what slf4j-simple writes (to {@code System.err}, looked up at each write) while open. Tests that
 * use it run one at a time in the surefire JVM.
 */
final class LogCapture implements AutoCloseable {
    private final PrintStream original = System.err;
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();

    LogCapture() {
        System.setErr(new PrintStream(buffer, true, StandardCharsets.UTF_8));
    }

    /** The captured lines of the logger {@code name} (e.g. {@code yubin.smtpd}), message part only. */
    List<String> lines(String name) {
        String marker = " " + name + " - ";
        return Arrays.stream(buffer.toString(StandardCharsets.UTF_8).split("\\R"))
                .filter(line -> line.contains(marker))
                .map(line -> line.substring(line.indexOf(marker) + marker.length()))
                .toList();
    }

    @Override
    public void close() {
        System.setErr(original);
    }
}
