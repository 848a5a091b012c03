package dev.yubin.core.log;

import java.time.Instant;
import java.util.Objects;
import org.slf4j.event.Level;

/**
 * One maillog line as a value: when, which daemon ({@code smtpd}, {@code local}, {@code imapd}, …), the level and
 * the formatted text, e.g. {@code 8E4vRamrB1I: to=<abe@example.test>, relay=local, …, status=sent (…)}.
 * Immutable and thread-safe.
 *
 * @param time when it was logged
 * @param daemon the logger's name after {@code yubin.}
 * @param level INFO, WARN or ERROR
 * @param message the text with its arguments filled in
 */
public record MailLogEvent(Instant time, String daemon, Level level, String message) {
    /** Checks that no component is {@code null}. */
    public MailLogEvent {
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(daemon, "daemon");
        Objects.requireNonNull(level, "level");
        Objects.requireNonNull(message, "message");
    }

    /** {@code smtpd: connect from …}, as the line reads in a maillog after the process name. */
    @Override
    public String toString() {
        return daemon + ": " + message;
    }
}
