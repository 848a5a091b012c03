package dev.yubin.delivery.memory;

import dev.yubin.core.store.MailboxException;
import java.nio.charset.StandardCharsets;

/**
 * The mailbox names a {@link MemoryStore} accepts: the same as the Maildir store's, so that a name that works in
 * a test works on disk. Every level is non-empty; no {@code /}, {@code \}, control characters or unpaired
 * surrogates; at most 254 UTF-8 bytes (a Maildir++ directory name, with its leading dot, fits in 255). The first
 * level {@code INBOX} is case-insensitive.
 */
final class MailboxNames {
    static final String INBOX = "INBOX";
    static final char DELIMITER = '.';
    private static final int MAX_BYTES = 254;

    private MailboxNames() {
    }

    /** The canonical form of a valid name: its first level {@code INBOX} in upper case. */
    static String canonical(String name) throws MailboxException {
        String problem = problem(name);
        if (problem != null) {
            throw new MailboxException(MailboxException.Reason.INVALID_NAME,
                    "invalid mailbox name " + printable(name) + ": " + problem);
        }
        int dot = name.indexOf(DELIMITER);
        String first = dot < 0 ? name : name.substring(0, dot);
        return first.equalsIgnoreCase(INBOX) ? INBOX + name.substring(first.length()) : name;
    }

    static boolean isInbox(String canonical) {
        return INBOX.equals(canonical);
    }

    /** Whether {@code name} lies below {@code parent} in the hierarchy. */
    static boolean isBelow(String name, String parent) {
        return name.length() > parent.length() + 1 && name.startsWith(parent)
                && name.charAt(parent.length()) == DELIMITER;
    }

    private static String problem(String name) {
        if (name == null || name.isEmpty()) {
            return "empty";
        }
        if (name.charAt(0) == DELIMITER || name.charAt(name.length() - 1) == DELIMITER
                || name.contains("" + DELIMITER + DELIMITER)) {
            return "empty hierarchy level";
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '/' || c == '\\') {
                return "'" + c + "' is not allowed";
            }
            if (c < 0x20 || c == 0x7f || c >= 0x80 && c < 0xa0) {
                return "control character";
            }
            if (Character.isHighSurrogate(c) && i + 1 < name.length() && Character.isLowSurrogate(name.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return "unpaired surrogate";
            }
        }
        if (name.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
            return "too long";
        }
        return null;
    }

    private static String printable(String name) {
        if (name == null) {
            return "(null)";
        }
        StringBuilder out = new StringBuilder("\"");
        name.codePoints().limit(80).forEach(c -> {
            if (c < 0x20 || c == 0x7f) {
                out.append(String.format("\\x%02x", c));
            } else {
                out.appendCodePoint(c);
            }
        });
        return out.append('"').toString();
    }
}
