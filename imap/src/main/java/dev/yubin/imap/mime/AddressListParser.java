package dev.yubin.imap.mime;

import java.util.ArrayList;
import java.util.List;

/**
 * A lenient RFC 5322 §3.4 address-list parser for ENVELOPE: display names keep their encoded words (RFC 3501
 * §7.4.2 sends them undecoded), quotes are removed from phrases, groups become the RFC 3501 start and end markers.
 * Never throws; whatever it cannot make sense of becomes a best-effort address.
 */
final class AddressListParser {

    /** One ENVELOPE address; {@code null} members are NIL. A group start has only {@code mailbox}, a group end none. */
    record Address(String name, String adl, String mailbox, String host) {
    }

    /** The host used for an address without a domain, as group markers already claim host NIL. */
    static final String MISSING_DOMAIN = "MISSING_DOMAIN";

    private final String text;
    private int pos;

    private AddressListParser(String text) {
        this.text = text;
    }

    static List<Address> parse(String text) {
        AddressListParser parser = new AddressListParser(text);
        List<Address> out = new ArrayList<>();
        parser.list(out, false);
        return out;
    }

    private void list(List<Address> out, boolean inGroup) {
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c == ',' || Character.isWhitespace(c)) {
                pos++;
                continue;
            }
            if (c == ';' && inGroup) {
                pos++;
                return;
            }
            mailboxOrGroup(out, inGroup);
        }
    }

    private void mailboxOrGroup(List<Address> out, boolean inGroup) {
        int start = pos;
        StringBuilder phrase = new StringBuilder();
        String comment = null;
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c == '"') {
                appendWord(phrase, quoted());
            } else if (c == '(') {
                String found = comment();
                if (comment == null) {
                    comment = found;
                }
            } else if (c == '<') {
                String name = phrase.length() > 0 ? phrase.toString() : comment;
                out.add(angleAddress(name));
                skipToSeparator();
                return;
            } else if (c == ':' && !inGroup) {
                pos++;
                out.add(new Address(null, null, phrase.toString(), null));
                list(out, true);
                out.add(new Address(null, null, null, null));
                return;
            } else if (c == ',' || c == ';') {
                break;
            } else if (Character.isWhitespace(c)) {
                pos++;
                if (phrase.length() > 0 && phrase.charAt(phrase.length() - 1) != ' ') {
                    phrase.append(' ');
                }
            } else {
                int wordStart = pos;
                while (pos < text.length() && "\"(<:,;".indexOf(text.charAt(pos)) < 0
                        && !Character.isWhitespace(text.charAt(pos))) {
                    pos++;
                }
                phrase.append(text, wordStart, pos);
            }
        }
        // a bare addr-spec, perhaps with an old-style "(Full Name)" comment
        String spec = stripComments(text.substring(start, pos)).trim();
        if (!spec.isEmpty()) {
            out.add(addrSpec(comment, null, spec));
        }
    }

    private Address angleAddress(String name) {
        pos++;
        int close = text.indexOf('>', pos);
        String inside = close < 0 ? text.substring(pos) : text.substring(pos, close);
        pos = close < 0 ? text.length() : close + 1;
        inside = stripComments(inside).trim();
        String adl = null;
        if (inside.startsWith("@")) {
            int colon = inside.indexOf(':');
            if (colon > 0) {
                adl = inside.substring(0, colon);
                inside = inside.substring(colon + 1);
            }
        }
        return addrSpec(name == null || name.isBlank() ? null : name.trim(), adl, inside);
    }

    private static Address addrSpec(String name, String adl, String spec) {
        int at = spec.lastIndexOf('@');
        String local = at < 0 ? spec : spec.substring(0, at);
        String host = at < 0 ? MISSING_DOMAIN : spec.substring(at + 1);
        if (host.isEmpty()) {
            host = MISSING_DOMAIN;
        }
        return new Address(name, adl, local.isEmpty() ? null : unquote(local), host);
    }

    private void skipToSeparator() {
        while (pos < text.length() && text.charAt(pos) != ',' && text.charAt(pos) != ';') {
            if (text.charAt(pos) == '(') {
                comment();
            } else {
                pos++;
            }
        }
    }

    private static void appendWord(StringBuilder phrase, String word) {
        phrase.append(word);
    }

    /** A quoted string at {@code pos}, without the quotes and with quoted-pairs resolved. */
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

    /** A (possibly nested) comment at {@code pos}; its text without the outer parentheses. */
    private String comment() {
        int depth = 0;
        StringBuilder out = new StringBuilder();
        while (pos < text.length()) {
            char c = text.charAt(pos++);
            if (c == '\\' && pos < text.length()) {
                out.append(text.charAt(pos++));
                continue;
            }
            if (c == '(') {
                if (depth++ > 0) {
                    out.append(c);
                }
            } else if (c == ')') {
                if (--depth == 0) {
                    break;
                }
                out.append(c);
            } else {
                out.append(c);
            }
        }
        return out.toString().trim();
    }

    private static String stripComments(String s) {
        StringBuilder out = new StringBuilder(s.length());
        int depth = 0;
        boolean quoted = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' && depth == 0) {
                quoted = !quoted;
            } else if (!quoted && c == '(') {
                depth++;
                continue;
            } else if (!quoted && c == ')' && depth > 0) {
                depth--;
                continue;
            }
            if (depth == 0) {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static String unquote(String local) {
        String trimmed = local.trim();
        if (trimmed.length() >= 2 && trimmed.startsWith("\"") && trimmed.endsWith("\"")) {
            return trimmed.substring(1, trimmed.length() - 1).replace("\\\"", "\"").replace("\\\\", "\\");
        }
        return trimmed.replace(" ", "");
    }
}
