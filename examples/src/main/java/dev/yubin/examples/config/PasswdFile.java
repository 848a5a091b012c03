package dev.yubin.examples.config;

import dev.yubin.auth.passwd.PasswdEntry;
import dev.yubin.auth.passwd.PasswdProblem;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * A Dovecot {@code passwd-file}, one user a line:
 * <pre>user[@domain]:{SCHEME}secret:uid:gid:gecos:home:shell:extra_fields</pre>
 * read with the auth module's parser ({@link dev.yubin.auth.passwd.PasswdFile}, which documents the syntax: comments,
 * default scheme {@code CRYPT}, libpam-pwdfile suffixes, duplicates), its problems turned into
 * {@link ConfigProblem}s. Bad lines are reported with their line numbers and skipped; parsing never throws on file
 * content. Immutable and thread-safe.
 */
public final class PasswdFile {

    /** The scheme of a password without a {@code {SCHEME}} prefix (Dovecot's default for passwd-file). */
    public static final String DEFAULT_SCHEME = dev.yubin.auth.passwd.PasswdFile.DEFAULT_SCHEME;

    private final String fileName;
    private final List<PasswdEntry> entries;
    private final List<ConfigProblem> problems;

    private PasswdFile(dev.yubin.auth.passwd.PasswdFile parsed) {
        this.fileName = parsed.fileName();
        this.entries = parsed.entries();
        this.problems = parsed.problems().stream().map(PasswdFile::problem).collect(Collectors.toUnmodifiableList());
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
        return new PasswdFile(dev.yubin.auth.passwd.PasswdFile.parse(text, fileName, defaultScheme));
    }

    private static ConfigProblem problem(PasswdProblem problem) {
        return problem.isError() ? ConfigProblem.error(problem.file(), problem.line(), problem.message())
                : ConfigProblem.warning(problem.file(), problem.line(), problem.message());
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
