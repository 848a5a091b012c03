package dev.yubin.smtp.server;

import dev.yubin.smtp.protocol.SmtpReply;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * The outcome of one event fed to an {@link SmtpSession}: the reply to write, if one is due, and what to read
 * next. Immutable.
 *
 * @param reply the reply to send; empty when none is due yet (a BDAT chunk whose reply follows its octets)
 * @param next what to read next
 * @param bdatSize when {@code next} is {@link Next#READ_BDAT}, the number of octets to read (positive, or 0 for
 *     an empty LAST chunk); otherwise 0
 * @param bdatLast when {@code next} is {@link Next#READ_BDAT}, whether the chunk is the LAST one; otherwise false
 * @param replyDelay how long to hold the reply back (a failed AUTH); the I/O shell must not sleep, it schedules
 *     the write, and replies to later commands follow it in order
 */
public record Step(Optional<SmtpReply> reply, Next next, long bdatSize, boolean bdatLast, Duration replyDelay) {
    /** Checks that nothing is {@code null}, the delay is not negative, and the BDAT fields fit {@code next}. */
    public Step {
        Objects.requireNonNull(reply, "reply");
        Objects.requireNonNull(next, "next");
        Objects.requireNonNull(replyDelay, "replyDelay");
        if (replyDelay.isNegative()) {
            throw new IllegalArgumentException("negative replyDelay " + replyDelay);
        }
        boolean fits = next == Next.READ_BDAT ? bdatSize > 0 || bdatSize == 0 && bdatLast
                : bdatSize == 0 && !bdatLast;
        if (!fits) {
            throw new IllegalArgumentException("bdatSize " + bdatSize + ", bdatLast " + bdatLast + " do not fit "
                    + next);
        }
    }

    /** A step whose reply is sent at once. */
    public Step(Optional<SmtpReply> reply, Next next, long bdatSize, boolean bdatLast) {
        this(reply, next, bdatSize, bdatLast, Duration.ZERO);
    }

    /** This step with its reply held back for {@code delay}. */
    public Step delayed(Duration delay) {
        return new Step(reply, next, bdatSize, bdatLast, delay);
    }

    /** Send {@code reply}, then read the next command. */
    public static Step reply(SmtpReply reply) {
        return new Step(Optional.of(reply), Next.READ_COMMAND, 0, false);
    }

    /** Send {@code reply} (354), then read DATA text. */
    public static Step readData(SmtpReply reply) {
        return new Step(Optional.of(reply), Next.READ_DATA, 0, false);
    }

    /** Send nothing yet; read {@code size} octets of a BDAT chunk, the LAST one if {@code last}. */
    public static Step readBdat(long size, boolean last) {
        return new Step(Optional.empty(), Next.READ_BDAT, size, last);
    }

    /** Send {@code reply} (220), then start TLS. */
    public static Step startTls(SmtpReply reply) {
        return new Step(Optional.of(reply), Next.START_TLS, 0, false);
    }

    /** Send {@code reply}, then close the connection. */
    public static Step close(SmtpReply reply) {
        return new Step(Optional.of(reply), Next.CLOSE, 0, false);
    }

    /** Close without a reply (the session is already closing). */
    public static Step close() {
        return new Step(Optional.empty(), Next.CLOSE, 0, false);
    }
}
