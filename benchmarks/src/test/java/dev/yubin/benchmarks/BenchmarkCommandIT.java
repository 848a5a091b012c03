package dev.yubin.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The README's benchmark quick start, run as written there on the jar the build just packaged. */
@Timeout(300)
class BenchmarkCommandIT {
    private static final Pattern BLOCK = Pattern.compile("<!-- command: benchmark -->\\n```sh\\n(.*?)\\n```",
            Pattern.DOTALL);

    /** Splits a command line as a POSIX shell does for words and single quotes (all the README uses). */
    static List<String> words(String line) {
        List<String> out = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean quoted = false;
        boolean any = false;
        for (char c : line.toCharArray()) {
            if (c == '\'') {
                quoted = !quoted;
                any = true;
            } else if (c == ' ' && !quoted) {
                if (any) {
                    out.add(word.toString());
                    word.setLength(0);
                    any = false;
                }
            } else {
                word.append(c);
                any = true;
            }
        }
        if (any) {
            out.add(word.toString());
        }
        return out;
    }

    @Test
    void readmeBenchmarkCommandRunsAndReports() throws IOException, InterruptedException {
        Path root = Path.of(System.getProperty("user.dir")).toAbsolutePath().getParent();
        Matcher m = BLOCK.matcher(Files.readString(root.resolve("README.md")));
        assertTrue(m.find(), "README.md has a <!-- command: benchmark --> block");
        String java = m.group(1).lines().filter(l -> l.startsWith("java -jar ")).findFirst().orElseThrow();
        List<String> command = words(java);
        command.set(0, Path.of(System.getProperty("java.home"), "bin", "java").toString());
        Process process = new ProcessBuilder(command).directory(root.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(240, TimeUnit.SECONDS));
        assertEquals(0, process.exitValue(), output);
        assertTrue(output.contains("SmtpCommandParserBenchmark.parseTransaction"), output);
        assertTrue(output.matches("(?s).*\\nBenchmark +Mode +Cnt +Score +Error +Units\\n.*"), output);
    }
}
