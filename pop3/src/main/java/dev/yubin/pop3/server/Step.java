package dev.yubin.pop3.server;

import dev.yubin.pop3.protocol.Pop3Reply;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * The outcome of one event fed to a {@link Pop3Session}: the reply to write, the message to stream after it (RETR,
 * TOP), and what to do next. Immutable (the transfer is a resource the shell must finish or abandon).
 *
 * @param reply the reply (a status line, or a whole multi-line response of short lines); empty when none is due
 * @param transfer message content to stream after {@code reply}, ending with {@code .CRLF}
 * @param next what to do after the reply (and transfer) went out
 * @param replyDelay how long to hold the reply back (a failed login); the shell must not sleep, it schedules the
 *     write, and handles no later command before it
 */
public record Step(Optional<Pop3Reply> reply, Optional<MessageTransfer> transfer, Next next, Duration replyDelay) {
    /**
     * Checks that nothing is {@code null}, the delay is not negative, and a transfer follows a {@code +OK} and is
     * followed by commands.
     */
    public Step {
        Objects.requireNonNull(reply, "reply");
        Objects.requireNonNull(transfer, "transfer");
        Objects.requireNonNull(next, "next");
        Objects.requireNonNull(replyDelay, "replyDelay");
        if (replyDelay.isNegative()) {
            throw new IllegalArgumentException("negative replyDelay " + replyDelay);
        }
        if (transfer.isPresent() && (reply.isEmpty() || !reply.get().isOk() || next != Next.READ_COMMAND)) {
            throw new IllegalArgumentException("a transfer follows a +OK and is followed by commands");
        }
    }

    /** Send {@code reply}, then read the next command. */
    public static Step reply(Pop3Reply reply) {
        return new Step(Optional.of(reply), Optional.empty(), Next.READ_COMMAND, Duration.ZERO);
    }

    /** Send {@code reply} ({@code +OK n octets}), then stream {@code transfer}, then read the next command. */
    public static Step transfer(Pop3Reply reply, MessageTransfer transfer) {
        return new Step(Optional.of(reply), Optional.of(transfer), Next.READ_COMMAND, Duration.ZERO);
    }

    /** Send {@code reply}, then start TLS. */
    public static Step startTls(Pop3Reply reply) {
        return new Step(Optional.of(reply), Optional.empty(), Next.START_TLS, Duration.ZERO);
    }

    /** Send {@code reply}, then close. */
    public static Step close(Pop3Reply reply) {
        return new Step(Optional.of(reply), Optional.empty(), Next.CLOSE, Duration.ZERO);
    }

    /** Close without a reply (the session is already closing). */
    public static Step close() {
        return new Step(Optional.empty(), Optional.empty(), Next.CLOSE, Duration.ZERO);
    }

    /** This step with its reply held back for {@code delay}. */
    public Step delayed(Duration delay) {
        return new Step(reply, transfer, next, delay);
    }
}
