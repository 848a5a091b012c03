package dev.yubin.smtp.client;

import dev.yubin.smtp.protocol.EnhancedStatus;
import dev.yubin.smtp.protocol.SmtpReply;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Collects the lines of a server's replies (RFC 5321 §4.2): {@code 250-first}, …, {@code 250 last}. The enhanced
 * status (RFC 2034) is taken from the first line when it is there and its class matches the code; otherwise the
 * reply has none and the text keeps it. Not thread-safe: one per connection.
 */
public final class ReplyReader {
    /** Lines of one reply beyond which the server is taken to be broken. */
    static final int MAX_LINES = 1000;

    private final List<String> lines = new ArrayList<>();
    private int code = -1;

    /** A reply line broke RFC 5321's grammar. */
    public static final class MalformedReply extends Exception {
        private static final long serialVersionUID = 1L;

        MalformedReply(String message) {
            super(message);
        }
    }

    /** Takes one line (without CRLF); returns the reply it completes, if it is a last line. */
    public Optional<SmtpReply> line(String line) throws MalformedReply {
        if (line.length() < 3 || !Character.isDigit(line.charAt(0)) || !Character.isDigit(line.charAt(1))
                || !Character.isDigit(line.charAt(2)) || line.length() > 3 && line.charAt(3) != ' '
                && line.charAt(3) != '-') {
            throw new MalformedReply("malformed reply: " + printable(line));
        }
        int lineCode = Integer.parseInt(line.substring(0, 3));
        if (lineCode < 200 || lineCode > 599 || code >= 0 && lineCode != code) {
            throw new MalformedReply("malformed reply: " + printable(line));
        }
        code = lineCode;
        boolean last = line.length() == 3 || line.charAt(3) == ' ';
        String text = line.length() > 4 ? line.substring(4) : "";
        lines.add(text);
        if (lines.size() > MAX_LINES) {
            throw new MalformedReply("reply of more than " + MAX_LINES + " lines");
        }
        if (!last) {
            return Optional.empty();
        }
        SmtpReply reply = build(code, lines);
        lines.clear();
        code = -1;
        return Optional.of(reply);
    }

    private static SmtpReply build(int code, List<String> texts) {
        String first = texts.get(0);
        int space = first.indexOf(' ');
        String candidate = space < 0 ? first : first.substring(0, space);
        Optional<EnhancedStatus> status = EnhancedStatus.parse(candidate).filter(s -> s.klass() == code / 100);
        if (status.isEmpty()) {
            return new SmtpReply(code, Optional.empty(), texts.stream().map(ReplyReader::clean).toList());
        }
        String prefix = candidate;
        List<String> stripped = new ArrayList<>(texts.size());
        for (String t : texts) {
            String s = t.startsWith(prefix + " ") ? t.substring(prefix.length() + 1) : t.equals(prefix) ? "" : t;
            stripped.add(clean(s));
        }
        return new SmtpReply(code, status, stripped);
    }

    /** Control characters out of reply text, which goes into log lines and bounces. */
    private static String clean(String text) {
        StringBuilder out = new StringBuilder(text.length());
        text.codePoints().forEach(c -> out.appendCodePoint(c < 0x20 || c == 0x7f ? '?' : c));
        return out.toString();
    }

    static String printable(String line) {
        String cut = line.length() > 100 ? line.substring(0, 100) + "..." : line;
        return clean(cut);
    }
}
