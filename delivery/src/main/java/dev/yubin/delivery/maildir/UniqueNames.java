package dev.yubin.delivery.maildir;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Makes unique Maildir base names in Dovecot's form {@code <sec>.M<usec>P<pid>Q<seq>.<host>} (the Maildir spec:
 * time, process and a per-process delivery counter, host). The counter is shared by every store in the process,
 * so two stores never produce the same name. Thread-safe.
 */
final class UniqueNames {
    private static final AtomicLong SEQUENCE = new AtomicLong();
    private static final long PID = ProcessHandle.current().pid();

    private final String host;

    UniqueNames(String hostname) {
        this.host = escapeHost(hostname);
    }

    String next() {
        Instant now = Instant.now();
        long seq = SEQUENCE.incrementAndGet();
        return new StringBuilder(48).append(now.getEpochSecond())
                .append(".M").append(now.getNano() / 1000)
                .append('P').append(PID)
                .append('Q').append(seq)
                .append('.').append(host)
                .toString();
    }

    /** The host name with {@code /} and {@code :} escaped as the Maildir spec says ({@code \057}, {@code \072}). */
    static String escapeHost(String hostname) {
        StringBuilder out = new StringBuilder(hostname.length());
        for (int i = 0; i < hostname.length(); i++) {
            char c = hostname.charAt(i);
            if (c == '/') {
                out.append("\\057");
            } else if (c == ':') {
                out.append("\\072");
            } else if (c == ',') {
                // a comma would start a ",S=" field; Dovecot escapes it the same way
                out.append("\\054");
            } else if (c < 0x21 || c == 0x7f) {
                out.append('_');
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
