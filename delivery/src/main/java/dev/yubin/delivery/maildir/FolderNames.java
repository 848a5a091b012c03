package dev.yubin.delivery.maildir;

import dev.yubin.core.store.MailboxException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Mailbox names and their Maildir++ directories: {@code INBOX} is the Maildir itself, {@code a.b} is the directory
 * {@code .a.b} beside {@code cur/ new/ tmp/}. Names are stored as UTF-8 (Dovecot's {@code maildir:~/Maildir:UTF-8}
 * layout option), not as modified UTF-7: the IMAP layer converts on the wire, and a Unicode file name is what a
 * user sees in a shell.
 *
 * <p>A name is refused unless every level is non-empty (so no leading, trailing or doubled {@code .}, hence no
 * {@code .} or {@code ..} level) and it has no {@code /}, {@code \}, NUL, control characters or unpaired
 * surrogates, and its directory name fits in 255 bytes. Such a name cannot leave the user's Maildir.
 */
final class FolderNames {
    static final String INBOX = "INBOX";
    static final char DELIMITER = '.';
    private static final int MAX_DIRECTORY_BYTES = 255;

    private FolderNames() {
    }

    /** The canonical form of a valid name: the first level {@code INBOX} in upper case. */
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

    /** The directory name under the Maildir root; INBOX has none (it is the root). */
    static String directoryName(String canonical) {
        return DELIMITER + canonical;
    }

    /** The mailbox of a directory in the root: {@code .a.b} gives {@code a.b}; other entries give empty. */
    static Optional<String> fromDirectoryName(String directory) {
        if (directory.length() < 2 || directory.charAt(0) != DELIMITER) {
            return Optional.empty();
        }
        String name = directory.substring(1);
        return problem(name) == null ? Optional.of(name) : Optional.empty();
    }

    private static String problem(String name) {
        if (name == null || name.isEmpty()) {
            return "empty";
        }
        if (name.charAt(0) == DELIMITER || name.charAt(name.length() - 1) == DELIMITER
                || name.indexOf("" + DELIMITER + DELIMITER) >= 0) {
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
            if (Character.isHighSurrogate(c)) {
                if (i + 1 >= name.length() || !Character.isLowSurrogate(name.charAt(i + 1))) {
                    return "unpaired surrogate";
                }
                i++;
            } else if (Character.isLowSurrogate(c)) {
                return "unpaired surrogate";
            }
        }
        if (name.getBytes(StandardCharsets.UTF_8).length + 1 > MAX_DIRECTORY_BYTES) {
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
