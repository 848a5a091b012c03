package dev.yubin.smtp.protocol;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One SMTP reply (RFC 5321 §4.2): a three-digit code, an optional RFC 3463 enhanced status and one or more text
 * lines. Immutable.
 *
 * <p>When {@link #status()} is present, {@link #toWire()} writes it on every line, as RFC 2034 §4 requires;
 * replies that carry no enhanced code (the 220 greeting, 354, the EHLO list) leave it empty.
 *
 * @param code 200 to 599
 * @param status the enhanced status; its class must equal the first digit of {@code code}
 * @param lines the text lines without line endings, at least one (it may be empty)
 */
public record SmtpReply(int code, Optional<EnhancedStatus> status, List<String> lines) {

    /**
     * Checks the code, that the status's class matches it, and that there is at least one line and none holds CR or LF.
     *
     * @throws IllegalArgumentException naming what is wrong
     */
    public SmtpReply {
        if (code < 200 || code > 599) {
            throw new IllegalArgumentException("reply code must be 200-599, got " + code);
        }
        Objects.requireNonNull(status, "status");
        if (status.isPresent() && status.get().klass() != code / 100) {
            throw new IllegalArgumentException("enhanced status " + status.get() + " does not match code " + code);
        }
        lines = List.copyOf(lines);
        if (lines.isEmpty()) {
            throw new IllegalArgumentException("a reply needs at least one line");
        }
        for (String line : lines) {
            if (line.indexOf('\r') >= 0 || line.indexOf('\n') >= 0) {
                throw new IllegalArgumentException("reply line contains CR or LF: " + line);
            }
        }
    }

    /** A one-line reply with an enhanced status: {@code 250 2.1.0 Ok}. */
    public static SmtpReply of(int code, EnhancedStatus status, String text) {
        return new SmtpReply(code, Optional.of(status), List.of(text));
    }

    /** A one-line reply without an enhanced status: {@code 354 End data with <CR><LF>.<CR><LF>}. */
    public static SmtpReply of(int code, String text) {
        return new SmtpReply(code, Optional.empty(), List.of(text));
    }

    /** A multi-line reply without an enhanced status, e.g. the EHLO response. */
    public static SmtpReply multiline(int code, List<String> lines) {
        return new SmtpReply(code, Optional.empty(), lines);
    }

    /** The same code and status with other text. */
    public SmtpReply withText(String text) {
        return new SmtpReply(code, status, List.of(text));
    }

    /** 2xx (completion) or 3xx (intermediate). */
    public boolean isPositive() {
        return code < 400;
    }

    /** 4xx: the client may try again later. */
    public boolean isTransient() {
        return code >= 400 && code < 500;
    }

    /** 5xx: the client must not repeat the same request. */
    public boolean isPermanent() {
        return code >= 500;
    }

    /** The text of all lines joined by a space, without the code: for log lines. */
    public String text() {
        return String.join(" ", lines);
    }

    /** The reply as sent: {@code "250-2.0.0 first\r\n250 2.0.0 last\r\n"}. */
    public String toWire() {
        StringBuilder out = new StringBuilder(32 * lines.size());
        String prefix = status.map(s -> s + " ").orElse("");
        for (int i = 0; i < lines.size(); i++) {
            out.append(code).append(i == lines.size() - 1 ? ' ' : '-').append(prefix).append(lines.get(i))
                    .append("\r\n");
        }
        return out.toString();
    }

    /** The reply as one log-friendly line: {@code "550 5.1.1 <x@y>: Recipient address rejected: ..."}. */
    @Override
    public String toString() {
        return code + " " + status.map(s -> s + " ").orElse("") + text();
    }
}
