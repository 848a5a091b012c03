package dev.yubin.core.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The layering rule of every Yubin module, as a check its tests call: only packages whose name ends in
 * {@code .netty} may use {@code io.netty} (ARCHITECTURE.md §1). State machines and SPIs stay free of the
 * transport, so they can be unit-tested without sockets and the transport can be split out later.
 *
 * <p>The check reads the sources, not the bytecode: it finds {@code import io.netty…}, {@code import static
 * io.netty…} and fully qualified {@code io.netty.} names in code, ignoring comments and string literals.
 * Stateless; use it from any test:
 * <pre>{@code Layering.assertOnlyNettyPackagesImportNetty(Layering.moduleMainSources());}</pre>
 */
public final class Layering {
    private static final String NETTY = "io.netty.";

    private Layering() {
    }

    /**
     * {@code src/main/java} of the module under test: resolved against the {@code basedir} system property that
     * Maven surefire sets, or else the working directory (surefire's default is the module's directory).
     */
    public static Path moduleMainSources() {
        return Path.of(System.getProperty("basedir", "")).toAbsolutePath().resolve("src/main/java");
    }

    /**
     * Fails with an {@link AssertionError} listing every offending file and line when a {@code .java} file under
     * {@code sourceRoot} whose package does not end in {@code .netty} uses {@code io.netty} ({@code module-info.java}
     * aside). Also fails when
     * {@code sourceRoot} holds no Java sources, so a wrong path cannot pass unnoticed.
     */
    public static void assertOnlyNettyPackagesImportNetty(Path sourceRoot) {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(sourceRoot)) {
            // module-info.java requires Netty's modules for the .netty packages; it holds no code
            files = walk.filter(p -> p.toString().endsWith(".java") && Files.isRegularFile(p)
                            && !p.getFileName().toString().equals("module-info.java"))
                    .sorted()
                    .collect(Collectors.toList());
        } catch (IOException e) {
            throw new AssertionError("cannot read the sources under " + sourceRoot.toAbsolutePath() + ": " + e, e);
        }
        if (files.isEmpty()) {
            throw new AssertionError("no .java files under " + sourceRoot.toAbsolutePath());
        }
        List<String> offenders = new ArrayList<>();
        for (Path file : files) {
            offenders.addAll(offences(sourceRoot, file));
        }
        if (!offenders.isEmpty()) {
            throw new AssertionError("only packages ending in .netty may use io.netty; offenders:\n  "
                    + String.join("\n  ", offenders));
        }
    }

    /** The offending lines of one file, as {@code path:line: text (package p)}; empty when it obeys the rule. */
    static List<String> offences(Path sourceRoot, Path file) {
        String source;
        try {
            source = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        String code = blankCommentsAndLiterals(source);
        String pkg = packageOf(code);
        if (pkg.endsWith(".netty")) {
            return List.of();
        }
        List<String> result = new ArrayList<>();
        String[] codeLines = code.split("\n", -1);
        String[] sourceLines = source.split("\n", -1);
        for (int i = 0; i < codeLines.length; i++) {
            if (usesNetty(codeLines[i])) {
                result.add(sourceRoot.relativize(file) + ":" + (i + 1) + ": " + sourceLines[i].strip()
                        + " (package " + (pkg.isEmpty() ? "<default>" : pkg) + ")");
            }
        }
        return result;
    }

    private static boolean usesNetty(String line) {
        int from = 0;
        while (true) {
            int at = line.indexOf(NETTY, from);
            if (at < 0) {
                return false;
            }
            if (at == 0 || !Character.isJavaIdentifierPart(line.charAt(at - 1)) && line.charAt(at - 1) != '.') {
                return true;
            }
            from = at + 1;
        }
    }

    private static String packageOf(String code) {
        for (String line : code.split("\n")) {
            String trimmed = line.strip();
            if (trimmed.startsWith("package ") && trimmed.endsWith(";")) {
                return trimmed.substring("package ".length(), trimmed.length() - 1).replace(" ", "");
            }
        }
        return "";
    }

    /** The source with comments, string, text-block and char literals replaced by spaces, newlines kept. */
    static String blankCommentsAndLiterals(String s) {
        StringBuilder out = new StringBuilder(s.length());
        int i = 0;
        int n = s.length();
        while (i < n) {
            char c = s.charAt(i);
            if (c == '/' && i + 1 < n && s.charAt(i + 1) == '/') {
                while (i < n && s.charAt(i) != '\n') {
                    out.append(' ');
                    i++;
                }
            } else if (c == '/' && i + 1 < n && s.charAt(i + 1) == '*') {
                int end = s.indexOf("*/", i + 2);
                end = end < 0 ? n : end + 2;
                blank(s, i, end, out);
                i = end;
            } else if (c == '"' && s.startsWith("\"\"\"", i)) {
                int end = s.indexOf("\"\"\"", i + 3);
                while (end > 0 && s.charAt(end - 1) == '\\') {
                    end = s.indexOf("\"\"\"", end + 1);
                }
                end = end < 0 ? n : end + 3;
                blank(s, i, end, out);
                i = end;
            } else if (c == '"' || c == '\'') {
                int end = i + 1;
                while (end < n && s.charAt(end) != c && s.charAt(end) != '\n') {
                    end += s.charAt(end) == '\\' ? 2 : 1;
                }
                end = Math.min(n, end + 1);
                blank(s, i, end, out);
                i = end;
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    private static void blank(String s, int from, int to, StringBuilder out) {
        for (int j = from; j < to; j++) {
            out.append(s.charAt(j) == '\n' ? '\n' : ' ');
        }
    }
}
