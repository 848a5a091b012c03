package dev.yubin.pop3.protocol;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One POP3 response (RFC 1939 §3): a status indicator ({@code +OK}, {@code -ERR}, or the {@code +} continuation of
 * an AUTH exchange, RFC 5034), an optional RFC 2449 response code, text, and for multi-line responses of short
 * lines (CAPA, LIST, UIDL) the lines themselves. Message content (RETR, TOP) is not held here: it is streamed
 * through a {@link dev.yubin.core.message.DotStuffingEncoder}. Immutable.
 *
 * <p>{@link #toWire()} byte-stuffs lines that begin with a dot and ends a multi-line response with {@code .CRLF}.
 *
 * @param status the status indicator
 * @param code a response code, only with {@link Status#ERR} (RFC 2449 §8: codes follow {@code -ERR})
 * @param text the text after the indicator and code; may be empty
 * @param lines the lines of a multi-line response, without line endings; empty unless {@code multiline}
 * @param multiline whether lines and a terminating dot follow the status line
 */
public record Pop3Reply(Status status, Optional<Pop3ResponseCode> code, String text, List<String> lines,
        boolean multiline) {

    /** The status indicator of a response. */
    public enum Status {
        /** {@code +OK}. */
        OK,
        /** {@code -ERR}. */
        ERR,
        /** {@code +} followed by a base64 challenge (RFC 5034 §4). */
        CONTINUATION
    }

    /**
     * Checks the components: a response code only with {@code -ERR}, lines only with {@code multiline}, only
     * {@code +OK} multi-line, and no CR or LF in any text.
     *
     * @throws IllegalArgumentException naming what is wrong
     */
    public Pop3Reply {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(text, "text");
        lines = List.copyOf(lines);
        if (code.isPresent() && status != Status.ERR) {
            throw new IllegalArgumentException("a response code needs -ERR: " + code.get());
        }
        if (!lines.isEmpty() && !multiline) {
            throw new IllegalArgumentException("lines given for a single-line response");
        }
        if (multiline && status != Status.OK) {
            throw new IllegalArgumentException("only +OK responses are multi-line");
        }
        checkLine(text);
        for (String line : lines) {
            checkLine(line);
        }
    }

    private static void checkLine(String line) {
        if (line.indexOf('\r') >= 0 || line.indexOf('\n') >= 0) {
            throw new IllegalArgumentException("response text contains CR or LF: " + line);
        }
    }

    /** {@code +OK text}. */
    public static Pop3Reply ok(String text) {
        return new Pop3Reply(Status.OK, Optional.empty(), text, List.of(), false);
    }

    /** {@code +OK text} followed by {@code lines} and a terminating dot. */
    public static Pop3Reply multiline(String text, List<String> lines) {
        return new Pop3Reply(Status.OK, Optional.empty(), text, lines, true);
    }

    /** {@code -ERR text}. */
    public static Pop3Reply err(String text) {
        return new Pop3Reply(Status.ERR, Optional.empty(), text, List.of(), false);
    }

    /** {@code -ERR [CODE] text}. */
    public static Pop3Reply err(Pop3ResponseCode code, String text) {
        return new Pop3Reply(Status.ERR, Optional.of(code), text, List.of(), false);
    }

    /** {@code + base64}: a SASL challenge (RFC 5034 §4); an empty challenge is {@code "+ "}. */
    public static Pop3Reply continuation(String base64) {
        return new Pop3Reply(Status.CONTINUATION, Optional.empty(), base64, List.of(), false);
    }

    /** Whether this is {@code +OK}. */
    public boolean isOk() {
        return status == Status.OK;
    }

    /** Whether this is {@code -ERR}. */
    public boolean isErr() {
        return status == Status.ERR;
    }

    /** The status line as sent, without CRLF: {@code -ERR [IN-USE] Mailbox is locked}. */
    public String statusLine() {
        StringBuilder out = new StringBuilder(8 + text.length());
        appendStatusLine(out);
        return out.toString();
    }

    private void appendStatusLine(StringBuilder out) {
        switch (status) {
            case OK:
                out.append("+OK");
                break;
            case ERR:
                out.append("-ERR");
                break;
            default:
                out.append('+');
                break;
        }
        code.ifPresent(c -> out.append(" [").append(c.wire()).append(']'));
        if (!text.isEmpty() || status == Status.CONTINUATION) {
            out.append(' ').append(text);
        }
    }

    /** The response as sent: the status line, byte-stuffed lines and {@code .} for multi-line, all with CRLF. */
    public String toWire() {
        StringBuilder out = new StringBuilder(32 + lines.size() * 16);
        appendStatusLine(out);
        out.append("\r\n");
        if (multiline) {
            for (String line : lines) {
                if (line.startsWith(".")) {
                    out.append('.');
                }
                out.append(line).append("\r\n");
            }
            out.append(".\r\n");
        }
        return out.toString();
    }

    /** The status line, for logs. */
    @Override
    public String toString() {
        return statusLine() + (multiline ? " (+" + lines.size() + " lines)" : "");
    }
}
