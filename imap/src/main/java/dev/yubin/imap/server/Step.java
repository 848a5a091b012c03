package dev.yubin.imap.server;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;

/**
 * The outcome of one command fed to an {@link ImapSession}: the octets to write (untagged responses, then the tagged
 * one) and what to do next. Immutable.
 *
 * @param output what to write, possibly empty
 * @param next what to do after the output went out
 * @param replyDelay how long to hold the output back (a failed login); the shell schedules the write rather than
 *     sleeping, and handles no later command before it
 */
public record Step(byte[] output, Next next, Duration replyDelay) {
    public Step {
        Objects.requireNonNull(output, "output");
        Objects.requireNonNull(next, "next");
        Objects.requireNonNull(replyDelay, "replyDelay");
        if (replyDelay.isNegative()) {
            throw new IllegalArgumentException("negative replyDelay " + replyDelay);
        }
        output = output.clone();
    }

    static Step of(byte[] output, Next next) {
        return new Step(output, next, Duration.ZERO);
    }

    @Override
    public byte[] output() {
        return output.clone();
    }

    /** The output as UTF-8 text, for transcripts and tests. */
    public String text() {
        return new String(output, StandardCharsets.UTF_8);
    }

    /** This step with its output held back for {@code delay}. */
    public Step delayed(Duration delay) {
        return new Step(output, next, delay);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Step && Arrays.equals(output, ((Step) o).output) && next == ((Step) o).next
                && replyDelay.equals(((Step) o).replyDelay);
    }

    @Override
    public int hashCode() {
        return Objects.hash(Arrays.hashCode(output), next, replyDelay);
    }

    @Override
    public String toString() {
        return "Step[" + next + ", " + replyDelay + ", " + text().replace("\r\n", "\\r\\n") + "]";
    }
}
