package dev.yubin.imap.search;

import java.util.ArrayList;
import java.util.List;

/**
 * The normalised text of an address field (RFC 5322 §3.4) that FROM, TO, CC and BCC match against, as Dovecot
 * writes it for searching: {@code Display Name <local@domain>} or {@code local@domain} for each mailbox, with
 * comments and whitespace removed from the addr-spec, a comment standing in for a missing display name, encoded
 * words in names decoded, and groups as {@code name: member, member;}. Lenient: never throws; what it cannot
 * parse becomes a best-effort address. Stateless and thread-safe.
 */
final class AddressText {
    private static final String SPECIALS = "<>()\",:;";
    private static final int MAX_COMMENT_DEPTH = 32;

    private final String text;
    private int pos;

    private AddressText(String text) {
        this.text = text;
    }

    /** The normalised form of the unfolded, not yet decoded field value {@code value}. */
    static String normalized(String value) {
        return String.join(", ", new AddressText(value).list(false));
    }

    private List<String> list(boolean inGroup) {
        List<String> out = new ArrayList<>();
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c == ',' || Character.isWhitespace(c)) {
                pos++;
            } else if (c == ';') {
                pos++;
                if (inGroup) {
                    return out;
                }
            } else {
                String entry = entry(inGroup);
                if (!entry.isEmpty()) {
                    out.add(entry);
                }
            }
        }
        return out;
    }

    /** One mailbox or group; stops before the {@code ,} or {@code ;} that ends it. */
    private String entry(boolean inGroup) {
        StringBuilder phrase = new StringBuilder();
        StringBuilder spec = new StringBuilder();
        String comment = null;
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c == '"') {
                String q = quoted();
                appendWord(phrase, q);
                spec.append(q);
            } else if (c == '(') {
                String found = comment();
                if (comment == null && !found.isBlank()) {
                    comment = found.strip();
                }
            } else if (c == '<') {
                pos++;
                String address = angleAddress();
                skipToSeparator();
                return mailbox(phrase.length() > 0 ? phrase.toString() : comment, address);
            } else if (c == ':' && !inGroup) {
                pos++;
                List<String> members = list(true);
                String name = HeaderText.decoded(phrase.toString().strip());
                return members.isEmpty() ? name + ":;" : name + ": " + String.join(", ", members) + ";";
            } else if (c == ',' || c == ';') {
                break;
            } else if (Character.isWhitespace(c)) {
                pos++;
                if (phrase.length() > 0 && phrase.charAt(phrase.length() - 1) != ' ') {
                    phrase.append(' ');
                }
            } else if (c == '>' || c == ':') {
                pos++; // stray
            } else {
                String word = word();
                appendWord(phrase, word);
                spec.append(word);
            }
        }
        return spec.length() == 0 ? "" : mailbox(comment, spec.toString());
    }

    private static String mailbox(String name, String address) {
        String decodedName = name == null ? "" : HeaderText.decoded(name.strip());
        if (decodedName.isEmpty()) {
            return address;
        }
        return address.isEmpty() ? decodedName : decodedName + " <" + address + ">";
    }

    private static void appendWord(StringBuilder phrase, String word) {
        phrase.append(word);
    }

    /** After {@code <}: the addr-spec up to {@code >}, without whitespace, comments or a source route. */
    private String angleAddress() {
        StringBuilder out = new StringBuilder();
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c == '>') {
                pos++;
                break;
            } else if (c == '(') {
                comment();
            } else if (c == '"') {
                out.append(quoted());
            } else if (c == ':') {
                pos++;
                out.setLength(0); // "@route,@route:" precedes the address
            } else if (Character.isWhitespace(c)) {
                pos++;
            } else {
                out.append(c);
                pos++;
            }
        }
        return out.toString();
    }

    private void skipToSeparator() {
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c == ',' || c == ';') {
                return;
            }
            if (c == '(') {
                comment();
            } else if (c == '"') {
                quoted();
            } else {
                pos++;
            }
        }
    }

    private String word() {
        int start = pos;
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (Character.isWhitespace(c) || SPECIALS.indexOf(c) >= 0) {
                break;
            }
            pos++;
        }
        return text.substring(start, pos);
    }

    /** A quoted-string's content, unescaped; an unterminated one runs to the end. */
    private String quoted() {
        StringBuilder out = new StringBuilder();
        pos++;
        while (pos < text.length()) {
            char c = text.charAt(pos++);
            if (c == '"') {
                break;
            }
            if (c == '\\' && pos < text.length()) {
                c = text.charAt(pos++);
            }
            out.append(c);
        }
        return out.toString();
    }

    /** A comment's content, nested comments included as text. */
    private String comment() {
        StringBuilder out = new StringBuilder();
        int depth = 0;
        while (pos < text.length()) {
            char c = text.charAt(pos++);
            if (c == '\\' && pos < text.length()) {
                out.append(text.charAt(pos++));
                continue;
            }
            if (c == '(') {
                depth++;
                if (depth == 1) {
                    continue;
                }
            } else if (c == ')') {
                depth--;
                if (depth == 0) {
                    break;
                }
            }
            if (depth <= MAX_COMMENT_DEPTH) {
                out.append(c);
            }
        }
        return out.toString();
    }
}
