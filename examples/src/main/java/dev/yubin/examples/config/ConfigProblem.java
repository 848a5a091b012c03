package dev.yubin.examples.config;

import java.util.Comparator;
import java.util.Objects;

/**
 * One problem found in a configuration file, in the form {@code postfix check} prints it:
 * {@code main.cf:12: unknown parameter "smtpd_recpient_limit"}. Errors stop the server from starting; warnings
 * (an entry overriding an earlier one, say) are printed and tolerated. Immutable.
 *
 * @param file the file name as it should appear in the message, e.g. {@code main.cf}
 * @param line the 1-based line number, or 0 when the problem belongs to no line (a built-in default)
 * @param severity error or warning
 * @param message the reason, without file name or line number
 */
public record ConfigProblem(String file, int line, Severity severity, String message) {

    /** How serious a problem is. */
    public enum Severity {
        /** The configuration cannot be used. */
        ERROR,
        /** Printed, but the configuration can be used. */
        WARNING
    }

    /** Orders problems by file, then line, then message. */
    public static final Comparator<ConfigProblem> ORDER = Comparator.comparing(ConfigProblem::file)
            .thenComparingInt(ConfigProblem::line)
            .thenComparing(ConfigProblem::message);

    public ConfigProblem {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(message, "message");
        if (line < 0) {
            throw new IllegalArgumentException("line must not be negative: " + line);
        }
    }

    /** An error at {@code line}. */
    public static ConfigProblem error(String file, int line, String message) {
        return new ConfigProblem(file, line, Severity.ERROR, message);
    }

    /** A warning at {@code line}. */
    public static ConfigProblem warning(String file, int line, String message) {
        return new ConfigProblem(file, line, Severity.WARNING, message);
    }

    public boolean isError() {
        return severity == Severity.ERROR;
    }

    /** {@code file:line: message}, {@code file:line: warning: message}, or {@code file: message} for line 0. */
    @Override
    public String toString() {
        String where = line > 0 ? file + ":" + line : file;
        return where + ": " + (isError() ? "" : "warning: ") + message;
    }
}
