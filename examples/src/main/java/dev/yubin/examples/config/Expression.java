package dev.yubin.examples.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The {@code $} syntax of Postfix parameter values: {@code $name}, {@code ${name}}, {@code $(name)},
 * {@code ${name?text}}, {@code ${name:text}} and {@code $$}. Parsing throws {@link IllegalArgumentException} with
 * the reason; expansion itself is {@link MainCf}'s. Stateless and thread-safe.
 */
final class Expression {

    private Expression() {
    }

    /**
     * Literal text ({@code name == null}) or a reference: {@code $name} ({@code op == 0}), {@code ${name?text}}
     * or {@code ${name:text}} (op {@code ?} or {@code :}, with the unexpanded {@code text}).
     */
    static final class Token {
        final String name;
        final char op;
        final String text;

        Token(String name, char op, String text) {
            this.name = name;
            this.op = op;
            this.text = text;
        }
    }

    static List<Token> parse(String text) {
        List<Token> tokens = new ArrayList<>();
        StringBuilder literal = new StringBuilder();
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c != '$') {
                literal.append(c);
                i++;
                continue;
            }
            char next = i + 1 < text.length() ? text.charAt(i + 1) : '\0';
            if (next == '$') {
                literal.append('$');
                i += 2;
                continue;
            }
            if (literal.length() > 0) {
                tokens.add(new Token(null, '\0', literal.toString()));
                literal.setLength(0);
            }
            if (next == '{' || next == '(') {
                char close = next == '{' ? '}' : ')';
                int end = matching(text, i + 1, next, close);
                if (end < 0) {
                    throw new IllegalArgumentException("missing \"" + close + "\" in \"" + abbreviate(text.substring(i)) + "\"");
                }
                String inner = text.substring(i + 2, end);
                int nameEnd = nameEnd(inner, 0);
                if (nameEnd == 0) {
                    throw new IllegalArgumentException("empty parameter name in \"" + text.substring(i, end + 1) + "\"");
                }
                String name = inner.substring(0, nameEnd);
                if (nameEnd == inner.length()) {
                    tokens.add(new Token(name, '\0', ""));
                } else if (inner.charAt(nameEnd) == '?' || inner.charAt(nameEnd) == ':') {
                    tokens.add(new Token(name, inner.charAt(nameEnd), inner.substring(nameEnd + 1)));
                } else {
                    throw new IllegalArgumentException("bad expression \"" + text.substring(i, end + 1) + "\": unexpected \""
                            + inner.charAt(nameEnd) + "\" after the parameter name");
                }
                i = end + 1;
            } else {
                int nameEnd = nameEnd(text, i + 1);
                if (nameEnd == i + 1) {
                    throw new IllegalArgumentException("\"$\" not followed by a parameter name (write $$ for a literal $)");
                }
                tokens.add(new Token(text.substring(i + 1, nameEnd), '\0', ""));
                i = nameEnd;
            }
        }
        if (literal.length() > 0) {
            tokens.add(new Token(null, '\0', literal.toString()));
        }
        return tokens;
    }

    private static int matching(String text, int open, char openChar, char closeChar) {
        int depth = 0;
        for (int i = open; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == openChar) {
                depth++;
            } else if (c == closeChar && --depth == 0) {
                return i;
            }
        }
        return -1;
    }

    private static int nameEnd(String text, int from) {
        int i = from;
        while (i < text.length() && isNameChar(text.charAt(i))) {
            i++;
        }
        return i;
    }

    private static boolean isNameChar(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_';
    }

    static boolean isName(String name) {
        return !name.isEmpty() && nameEnd(name, 0) == name.length();
    }

    /** Adds the names {@code text} references, conditional texts included; ignores syntax errors. */
    static void collectReferences(String text, Set<String> names) {
        try {
            for (Token token : parse(text)) {
                if (token.name != null) {
                    names.add(token.name);
                    collectReferences(token.text, names);
                }
            }
        } catch (IllegalArgumentException ignored) {
            // reported when the value is checked
        }
    }

    private static String abbreviate(String text) {
        return text.length() <= 60 ? text : text.substring(0, 57) + "...";
    }
}
