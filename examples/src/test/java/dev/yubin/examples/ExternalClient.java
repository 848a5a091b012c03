package dev.yubin.examples;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a real client program (python3, swaks…) and captures its output. A missing program fails the test with a
 * message that says how to install it; it never skips.
 */
final class ExternalClient {

    record Result(int exitCode, String output) {
    }

    private ExternalClient() {
    }

    static Result run(Duration timeout, String... command) throws IOException, InterruptedException {
        requireOnPath(command[0]);
        Path log = Files.createTempFile("client", ".log");
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).start();
            process.getOutputStream().close();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new AssertionError(command[0] + " did not finish within " + timeout + ":\n"
                        + Files.readString(log, StandardCharsets.UTF_8));
            }
            return new Result(process.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(log);
        }
    }

    static void requireOnPath(String program) {
        if (program.contains("/")) {
            if (Files.isExecutable(Path.of(program))) {
                return;
            }
            throw new AssertionError(program + " is not executable");
        }
        List<String> dirs = new ArrayList<>(List.of(System.getenv().getOrDefault("PATH", "").split(":")));
        for (String dir : dirs) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, program))) {
                return;
            }
        }
        throw new AssertionError(program + " is not installed: run scripts/test-all.sh, which installs the test "
                + "clients with apt-get");
    }
}
