package dev.yubin.imap.server;

/**
 * A LIST/LSUB mailbox pattern (RFC 3501 §6.3.8): {@code *} matches anything, {@code %} anything but the hierarchy
 * delimiter. A leading {@code INBOX} level matches case-insensitively, as INBOX is. Immutable.
 */
final class MailboxPattern {
    private final String pattern;
    private final char delimiter;

    private MailboxPattern(String pattern, char delimiter) {
        this.pattern = pattern;
        this.delimiter = delimiter;
    }

    /** The pattern of {@code reference} and {@code pattern} joined as RFC 3501 §6.3.8 describes. */
    static MailboxPattern of(String reference, String pattern, char delimiter) {
        String joined = !reference.isEmpty() && reference.charAt(reference.length() - 1) == delimiter
                && !pattern.isEmpty() && pattern.charAt(0) == delimiter ? reference + pattern.substring(1)
                : reference + pattern;
        return new MailboxPattern(normaliseInbox(joined, delimiter), delimiter);
    }

    private static String normaliseInbox(String name, char delimiter) {
        if (name.length() >= 5 && name.regionMatches(true, 0, "INBOX", 0, 5)
                && (name.length() == 5 || name.charAt(5) == delimiter)) {
            return "INBOX" + name.substring(5);
        }
        return name;
    }

    String text() {
        return pattern;
    }

    /** Whether {@code name} (INBOX spelled {@code INBOX}) matches. */
    boolean matches(String name) {
        return matches(0, normaliseInbox(name, delimiter), 0);
    }

    private boolean matches(int p, String name, int n) {
        while (p < pattern.length()) {
            char c = pattern.charAt(p);
            if (c == '*' || c == '%') {
                // collapse runs of wildcards; a '*' anywhere in the run wins
                boolean star = false;
                while (p < pattern.length() && (pattern.charAt(p) == '*' || pattern.charAt(p) == '%')) {
                    star |= pattern.charAt(p) == '*';
                    p++;
                }
                for (int i = n; i <= name.length(); i++) {
                    if (matches(p, name, i)) {
                        return true;
                    }
                    if (i < name.length() && !star && name.charAt(i) == delimiter) {
                        return false;
                    }
                }
                return false;
            }
            if (n >= name.length() || name.charAt(n) != c) {
                return false;
            }
            p++;
            n++;
        }
        return n == name.length();
    }
}
