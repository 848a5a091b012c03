package dev.yubin.auth.passwd;

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
 * blank lines are ignored; lines may end with CRLF. The password field is {@code {SCHEME}secret}, or a bare secret
 * in the default scheme, which is {@code CRYPT} as in Dovecot's passwd-file (so write {@code {PLAIN}secret} for a
 * clear-text password), or libpam-pwdfile's {@code secret[13]} (CRYPT) and {@code secret[34]} (MD5-CRYPT).
 *
 * <p>This is the syntax only: the password stays unparsed in each {@link PasswdEntry} (see
 * {@link PasswdEntry#password()}, and {@link PasswdFileUserDatabase}, which refuses lines with bad passwords).
 * A user that appears twice (ignoring case) keeps its first line, with a warning, as in Dovecot. Bad lines are
 * reported with their line numbers and skipped; parsing never throws on file content and never echoes a line,
 * which may hold a password. Immutable and thread-safe.
 */
public final class PasswdFile {

    /** The scheme of a password without a {@code {SCHEME}} prefix (Dovecot's default for passwd-file). */
    public static final String DEFAULT_SCHEME = "CRYPT";

    private final String fileName;
    private final List<PasswdEntry> entries;
    private final List<PasswdProblem> problems;

    private PasswdFile(String fileName, List<PasswdEntry> entries, List<PasswdProblem> problems) {
        this.fileName = fileName;
        this.entries = List.copyOf(entries);
        this.problems = List.copyOf(problems);
    }

    /** Reads {@code file} (UTF-8); problems name it as given. */
    public static PasswdFile read(Path file) throws IOException {
        return read(file, DEFAULT_SCHEME);
    }

    /** Reads {@code file} (UTF-8) with another default scheme for bare passwords. */
    public static PasswdFile read(Path file, String defaultScheme) throws IOException {
        return parse(Files.readString(file, StandardCharsets.UTF_8), file.toString(), defaultScheme);
    }

    /** Parses {@code text}; {@code fileName} appears in problem messages. */
    public static PasswdFile parse(String text, String fileName) {
        return parse(text, fileName, DEFAULT_SCHEME);
    }

    /** Parses {@code text} with another default scheme for bare passwords (Dovecot's {@code scheme=} argument). */
    public static PasswdFile parse(String text, String fileName, String defaultScheme) {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(fileName, "fileName");
        String scheme = Objects.requireNonNull(defaultScheme, "defaultScheme").toUpperCase(Locale.ROOT);
        List<PasswdEntry> entries = new ArrayList<>();
        List<PasswdProblem> problems = new ArrayList<>();
        Map<String, PasswdEntry> seen = new HashMap<>();
        String[] lines = text.split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            if (line.isBlank() || line.stripLeading().startsWith("#")) {
                continue;
            }
            int number = i + 1;
            try {
                PasswdEntry entry = parseLine(line, number, scheme);
                PasswdEntry first = seen.putIfAbsent(entry.lookupKey(), entry);
                if (first != null) {
                    problems.add(new PasswdProblem(fileName, number, false, "user \"" + entry.user()
                            + "\" exists more than once; using line " + first.line()));
                } else {
                    entries.add(entry);
                }
            } catch (IllegalArgumentException e) {
                problems.add(new PasswdProblem(fileName, number, true, e.getMessage()));
            }
        }
        return new PasswdFile(fileName, entries, problems);
    }

    private static PasswdEntry parseLine(String line, int number, String defaultScheme) {
        String[] fields = line.split(":", 8);
        String user = fields[0];
        if (fields.length < 2) {
            throw new IllegalArgumentException("expected user:password[:uid:gid:gecos:home:shell:extra]");
        }
        PasswdEntry.requireValidUser(user);
        String uid = field(fields, 2);
        String gid = field(fields, 3);
        PasswdEntry.requireValidId(uid, "uid");
        PasswdEntry.requireValidId(gid, "gid");
        String home = field(fields, 5);
        if (!home.isEmpty() && !home.startsWith("/")) {
            throw new IllegalArgumentException("home \"" + home + "\" of \"" + user + "\" must be an absolute path");
        }
        String[] password = password(fields[1], defaultScheme);
        return new PasswdEntry(number, user, password[0], password[1], uid, gid, field(fields, 4), home,
                field(fields, 6), field(fields, 7));
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
    public List<PasswdProblem> problems() {
        return problems;
    }
}
