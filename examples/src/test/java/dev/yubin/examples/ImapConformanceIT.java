package dev.yubin.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Dovecot imaptest's 35 scripted tests, replayed by the workplace's {@code mailconf.py} against the assembled server
 * with {@code --strict-caps} (a script whose capability is not advertised fails). They are used where they are,
 * {@code shared/conformance/} beside the project (or {@code -Dyubin.shared=DIR}), never copied in.
 *
 * <p>{@link #NOT_YET_PASSING} lists the scripts that still fail, so that a regression in any other one fails the
 * build; a listed script that starts passing fails it too, until it is taken off the list.
 */
class ImapConformanceIT {
    /** Scripts that do not pass yet (issue 5 stays open until this is empty). */
    private static final Set<String> NOT_YET_PASSING = Set.of();

    private static final Pattern RESULT =
            Pattern.compile("^(PASS|FAIL|SKIP) (?:\\S*/)?([^\\s:/]+)", Pattern.MULTILINE);

    static Optional<Path> sharedDirectory() {
        String property = System.getProperty("yubin.shared");
        if (property != null && !property.isEmpty()) {
            return Optional.of(Path.of(property));
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolveSibling("shared");
            if (Files.isRegularFile(candidate.resolve("conformance/mailconf.py"))) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    @Test
    void imaptestScriptsPass(@TempDir Path dir) throws Exception {
        Optional<Path> shared = sharedDirectory();
        Assumptions.assumeTrue(shared.isPresent(), "shared/conformance is not beside this checkout; "
                + "pass -Dyubin.shared=DIR to run Dovecot's imaptest scripts");
        Path conformance = shared.get().resolve("conformance");
        try (TestServer server = TestServer.start(dir, "imap_listen = 127.0.0.1:0",
                "disable_plaintext_auth = no")) {
            ExternalClient.Result result = ExternalClient.run(Duration.ofMinutes(5), "python3",
                    conformance.resolve("mailconf.py").toString(), "--host", "127.0.0.1",
                    "--imap-port", String.valueOf(server.port("imap")),
                    "--user", "abe", "--password", "password", "--user2", "kato", "--password2", "password",
                    "--timeout", "10", "--strict-caps", conformance.resolve("imaptest").toString());
            Set<String> passed = new TreeSet<>();
            Set<String> failed = new TreeSet<>();
            Matcher m = RESULT.matcher(result.output());
            while (m.find()) {
                (m.group(1).equals("PASS") ? passed : failed).add(m.group(2));
            }
            assertEquals(35, passed.size() + failed.size(), () -> "not every script ran:\n" + result.output());
            List<String> regressions = new ArrayList<>();
            for (String name : failed) {
                if (!NOT_YET_PASSING.contains(name)) {
                    regressions.add(name);
                }
            }
            List<String> fixed = new ArrayList<>();
            for (String name : passed) {
                if (NOT_YET_PASSING.contains(name)) {
                    fixed.add(name);
                }
            }
            assertTrue(regressions.isEmpty(), () -> "failing: " + regressions + "\n" + result.output());
            assertTrue(fixed.isEmpty(), () -> "now passing, take them off NOT_YET_PASSING: " + fixed);
        }
    }
}
