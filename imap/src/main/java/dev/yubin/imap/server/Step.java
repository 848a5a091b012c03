package dev.yubin.imap.server;

import java.nio.charset.StandardCharsets;
import dev.yubin.imap.protocol.ResponseStream;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/**
 * The outcome of one command fed to an {@link ImapSession}: the octets to write (untagged responses, then the tagged
 * one) and what to do next. Immutable.
 *
 * @param output what to write first, possibly empty
 * @param stream more output to pull and write after {@code output} (FETCH bodies), ending with the tagged response;
 *     the shell must close it
 * @param next what to do after all output went out
 * @param replyDelay how long to hold the output back (a failed login); the shell schedules the write rather than
 *     sleeping, and handles no later command before it
 */
public record Step(byte[] output, Optional<ResponseStream> stream, Next next, Duration replyDelay) {
    /** Checks that nothing is {@code null} and the delay is not negative; {@code output} is copied. */
    public Step {
        Objects.requireNonNull(output, "output");
        Objects.requireNonNull(stream, "stream");
        Objects.requireNonNull(next, "next");
        Objects.requireNonNull(replyDelay, "replyDelay");
        if (replyDelay.isNegative()) {
            throw new IllegalArgumentException("negative replyDelay " + replyDelay);
        }
        output = output.clone();
    }

    static Step of(byte[] output, Next next) {
        return new Step(output, Optional.empty(), next, Duration.ZERO);
    }

    static Step streaming(byte[] output, ResponseStream stream) {
        return new Step(output, Optional.of(stream), Next.READ_COMMAND, Duration.ZERO);
    }

    /** A copy of the octets to write first. */
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
        return new Step(output, stream, next, delay);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Step && Arrays.equals(output, ((Step) o).output) && stream.equals(((Step) o).stream)
                && next == ((Step) o).next && replyDelay.equals(((Step) o).replyDelay);
    }

    @Override
    public int hashCode() {
        return Objects.hash(Arrays.hashCode(output), stream, next, replyDelay);
    }

    @Override
    public String toString() {
        return "Step[" + next + (stream.isPresent() ? ", streamed" : "") + ", " + replyDelay + ", " + text().replace("\r\n", "\\r\\n") + "]";
    }
}
