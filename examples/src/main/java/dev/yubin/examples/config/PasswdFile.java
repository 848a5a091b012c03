package dev.yubin.examples.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * A Dovecot {@code passwd-file}, one user a line:
 * <pre>user[@domain]:{SCHEME}secret:uid:gid:gecos:home:shell:extra_fields</pre>
 * Trailing fields may be left out and any field after the user may be empty; lines starting with {@code #} and
 * blank lines are ignored. The password field is {@code {SCHEME}secret}, or a bare secret in the default scheme,
 * which is {@code CRYPT} as in Dovecot's {@code passdb_default_password_scheme} for passwd-file (so write
 * {@code {PLAIN}secret} for a clear-text password), or libpam-pwdfile's {@code secret[13]} (CRYPT) and
 * {@code secret[34]} (MD5-CRYPT). A user that appears twice keeps its first line, with a warning, as in Dovecot.
 * Bad lines are reported with their line numbers and skipped; parsing never throws on file content.
 * Immutable and thread-safe.
 */
public final class PasswdFile {

    /** The scheme of a password without a {@code {SCHEME}} prefix (Dovecot's default for passwd-file). */
    public static final String DEFAULT_SCHEME = "CRYPT";

    private final String fileName;
    private final List<PasswdEntry> entries;
    private final List<ConfigProblem> problems;

    private PasswdFile(String fileName, List<PasswdEntry> entries, List<ConfigProblem> problems) {
        this.fileName = fileName;
        this.entries = List.copyOf(entries);
        this.problems = List.copyOf(problems);
    }

    /** Reads {@code file} (UTF-8); problems name it as given. */
    public static PasswdFile read(Path file) throws IOException {
        return parse(Files.readString(file, StandardCharsets.UTF_8), file.toString());
    }

    /** Parses {@code text}; {@code fileName} appears in problem messages. */
    public static PasswdFile parse(String text, String fileName) {
        return parse(text, fileName, DEFAULT_SCHEME);
    }

    /** Parses {@code text} with another default scheme for bare passwords (Dovecot's {@code scheme=} argument). */
    public static PasswdFile parse(String text, String fileName, String defaultScheme) {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(fileName, "fileName");
        Objects.requireNonNull(defaultScheme, "defaultScheme");
        List<PasswdEntry> entries = new ArrayList<>();
        List<ConfigProblem> problems = new ArrayList<>();
        Map<String, PasswdEntry> seen = new HashMap<>();
        String[] lines = text.split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            if (line.isBlank() || line.stripLeading().startsWith("#")) {
                continue;
            }
            int number = i + 1;
            try {
                PasswdEntry entry = parseLine(line, number, defaultScheme.toUpperCase(Locale.ROOT));
                String key = entry.lookupKey() + entry.domain().map(d -> "@" + d.ascii()).orElse("");
                PasswdEntry first = seen.putIfAbsent(key, entry);
                if (first != null) {
                    problems.add(ConfigProblem.warning(fileName, number, "user \"" + entry.user()
                            + "\" exists more than once; using line " + first.line()));
                } else {
                    entries.add(entry);
                }
            } catch (IllegalArgumentException e) {
                problems.add(ConfigProblem.error(fileName, number, e.getMessage()));
            }
        }
        return new PasswdFile(fileName, entries, problems);
    }

    private static PasswdEntry parseLine(String line, int number, String defaultScheme) {
        String[] fields = line.split(":", 8);
        String user = fields[0];
        if (fields.length < 2) {
            // Never echo the line: it may hold a password.
            throw new IllegalArgumentException("expected user:password[:uid:gid:gecos:home:shell:extra]");
        }
        String problem = PasswdEntry.userProblem(user);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        String uid = field(fields, 2);
        String gid = field(fields, 3);
        checkId(uid, "uid");
        checkId(gid, "gid");
        String home = field(fields, 5);
        if (!home.isEmpty() && !home.startsWith("/")) {
            throw new IllegalArgumentException("home \"" + home + "\" of \"" + user + "\" must be an absolute path");
        }
        String[] password = password(fields[1], defaultScheme);
        return new PasswdEntry(number, user, password[0], password[1], uid, gid, home, field(fields, 7));
    }

    /** {scheme, secret} of a password field. */
    private static String[] password(String field, String defaultScheme) {
        if (field.isEmpty()) {
            return new String[] {"", ""};
        }
        if (field.startsWith("{")) {
            int close = field.indexOf('}');
            if (close < 0) {
                throw new IllegalArgumentException("missing \"}\" after the password scheme");
            }
            String scheme = field.substring(1, close);
            if (!scheme.matches("[A-Za-z0-9._-]+")) {
                throw new IllegalArgumentException("bad password scheme \"{" + scheme + "}\"");
            }
            return new String[] {scheme.toUpperCase(Locale.ROOT), field.substring(close + 1)};
        }
        if (field.endsWith("[13]")) {
            return new String[] {"CRYPT", field.substring(0, field.length() - 4)};
        }
        if (field.endsWith("[34]")) {
            return new String[] {"MD5-CRYPT", field.substring(0, field.length() - 4)};
        }
        return new String[] {defaultScheme, field};
    }

    private static void checkId(String id, String what) {
        if (!id.isEmpty() && !id.matches("[0-9]+|[A-Za-z_][A-Za-z0-9_.-]*")) {
            throw new IllegalArgumentException("bad " + what + " \"" + id + "\" (a number or a system name)");
        }
    }

    private static String field(String[] fields, int index) {
        return index < fields.length ? fields[index] : "";
    }

    /** The file name used in messages. */
    public String fileName() {
        return fileName;
    }

    /** The good entries, in file order, without later duplicates. */
    public List<PasswdEntry> entries() {
        return entries;
    }

    /** The bad lines (errors) and duplicates (warnings), in line order. */
    public List<ConfigProblem> problems() {
        return problems;
    }
}
