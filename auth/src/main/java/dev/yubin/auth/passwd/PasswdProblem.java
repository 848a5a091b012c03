package dev.yubin.auth.passwd;

import java.util.Objects;

/**
 * A bad line (an error: the line is skipped) or a dubious one (a warning: a duplicate user) in a passwd file.
 * Messages never contain a password. Immutable.
 *
 * @param file the file name as given to the parser
 * @param line the 1-based line number
 * @param isError whether the line was skipped
 * @param message the reason, without file name or line number
 */
public record PasswdProblem(String file, int line, boolean isError, String message) {

    /** Checks that {@code file} and {@code message} are given and {@code line} is at least 1. */
    public PasswdProblem {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(message, "message");
        if (line < 1) {
            throw new IllegalArgumentException("line must be positive: " + line);
        }
    }

    /** {@code file:line: message}, or {@code file:line: warning: message}, as {@code postfix check} prints. */
    @Override
    public String toString() {
        return file + ":" + line + ": " + (isError ? "" : "warning: ") + message;
    }
}
