package dev.yubin.pop3.protocol;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Parses one POP3 command line, without its CRLF, into a {@link Pop3Command}. Verbs are case-insensitive
 * ({@code retr 1} works, as telnet users type it). Never throws on client input: a line it cannot accept becomes
 * {@link Pop3Command.Unknown} or {@link Pop3Command.Invalid} naming what was expected. Stateless and thread-safe.
 *
 * <table>
 *   <caption>Syntax rules</caption>
 *   <tr><th>input</th><th>rule</th></tr>
 *   <tr><td>verb</td><td>up to the first space; 3 or 4 letters (RFC 2449 §3 allows up to 4)</td></tr>
 *   <tr><td>numeric arguments</td><td>separated by one or more spaces (lenient); message numbers are decimal
 *     1–2147483647 without sign; a TOP line count larger than that means "all lines"</td></tr>
 *   <tr><td>USER, PASS</td><td>everything after the first space is the argument, spaces included (RFC 1939
 *     §7 allows passwords with spaces)</td></tr>
 *   <tr><td>APOP</td><td>{@code name digest}, the digest 32 hex digits (folded to lower case)</td></tr>
 *   <tr><td>AUTH</td><td>{@code AUTH [mechanism [initial-response]]}; a mechanism is 1–20 of
 *     {@code A-Z 0-9 - _} (RFC 4422 §3.1), upper-cased; the initial response is base64 or {@code =}</td></tr>
 *   <tr><td>line length</td><td>not checked here; the I/O shell bounds lines (RFC 2449 §4: 255 octets for
 *     commands, leniently more)</td></tr>
 * </table>
 */
public final class Pop3CommandParser {
    private static final int MAX_MECHANISM_LENGTH = 20;

    private Pop3CommandParser() {
    }

    /** The command on {@code line} (no CR or LF). */
    public static Pop3Command parse(String line) {
        int space = line.indexOf(' ');
        String word = space < 0 ? line : line.substring(0, space);
        String rest = space < 0 ? "" : line.substring(space + 1);
        if (word.length() < 3 || word.length() > 4 || !letters(word)) {
            return new Pop3Command.Unknown(printableVerb(word));
        }
        String verb = word.toUpperCase(Locale.ROOT);
        switch (verb) {
            case "USER":
                return rest.isEmpty() ? invalid(verb, "Syntax: USER <name>") : new Pop3Command.User(rest);
            case "PASS":
                return rest.isEmpty() ? invalid(verb, "Syntax: PASS <password>") : new Pop3Command.Pass(rest);
            case "APOP":
                return apop(rest);
            case "AUTH":
                return auth(rest);
            case "STLS":
                return noArguments(verb, rest, new Pop3Command.Stls());
            case "CAPA":
                return noArguments(verb, rest, new Pop3Command.Capa());
            case "STAT":
                return noArguments(verb, rest, new Pop3Command.Stat());
            case "NOOP":
                return noArguments(verb, rest, new Pop3Command.Noop());
            case "RSET":
                return noArguments(verb, rest, new Pop3Command.Rset());
            case "QUIT":
                return noArguments(verb, rest, new Pop3Command.Quit());
            case "LIST":
            case "UIDL":
                return optionalMessage(verb, rest);
            case "RETR":
            case "DELE":
                return oneMessage(verb, rest);
            case "TOP":
                return top(rest);
            default:
                return new Pop3Command.Unknown(verb);
        }
    }

    private static Pop3Command noArguments(String verb, String rest, Pop3Command command) {
        return rest.isBlank() ? command : invalid(verb, "Syntax: " + verb + " takes no arguments");
    }

    private static Pop3Command optionalMessage(String verb, String rest) {
        List<String> args = arguments(rest);
        if (args.size() > 1) {
            return invalid(verb, "Syntax: " + verb + " [<message>]");
        }
        if (args.isEmpty()) {
            return verb.equals("LIST") ? new Pop3Command.List(OptionalInt.empty())
                    : new Pop3Command.Uidl(OptionalInt.empty());
        }
        int n = messageNumber(args.get(0));
        if (n < 1) {
            return invalid(verb, "Invalid message number: " + printable(args.get(0)));
        }
        return verb.equals("LIST") ? new Pop3Command.List(OptionalInt.of(n)) : new Pop3Command.Uidl(OptionalInt.of(n));
    }

    private static Pop3Command oneMessage(String verb, String rest) {
        List<String> args = arguments(rest);
        if (args.size() != 1) {
            return invalid(verb, "Syntax: " + verb + " <message>");
        }
        int n = messageNumber(args.get(0));
        if (n < 1) {
            return invalid(verb, "Invalid message number: " + printable(args.get(0)));
        }
        return verb.equals("RETR") ? new Pop3Command.Retr(n) : new Pop3Command.Dele(n);
    }

    private static Pop3Command top(String rest) {
        List<String> args = arguments(rest);
        if (args.size() != 2) {
            return invalid("TOP", "Syntax: TOP <message> <lines>");
        }
        int n = messageNumber(args.get(0));
        if (n < 1) {
            return invalid("TOP", "Invalid message number: " + printable(args.get(0)));
        }
        String count = args.get(1);
        if (!digits(count)) {
            return invalid("TOP", "Invalid number of lines: " + printable(count));
        }
        int lines = count.length() > 10 || Long.parseLong(count) > Integer.MAX_VALUE ? Integer.MAX_VALUE
                : Integer.parseInt(count);
        return new Pop3Command.Top(n, lines);
    }

    private static Pop3Command apop(String rest) {
        List<String> args = arguments(rest);
        if (args.size() != 2 || args.get(1).length() != 32 || !hex(args.get(1))) {
            return invalid("APOP", "Syntax: APOP <name> <digest>");
        }
        return new Pop3Command.Apop(args.get(0), args.get(1).toLowerCase(Locale.ROOT));
    }

    private static Pop3Command auth(String rest) {
        List<String> args = arguments(rest);
        if (args.isEmpty()) {
            return new Pop3Command.Auth(Optional.empty(), Optional.empty());
        }
        if (args.size() > 2) {
            return invalid("AUTH", "Syntax: AUTH <mechanism> [<initial-response>]");
        }
        String mechanism = args.get(0);
        if (mechanism.length() > MAX_MECHANISM_LENGTH || !mechanismChars(mechanism)) {
            return invalid("AUTH", "Invalid mechanism name");
        }
        Optional<String> initial = Optional.empty();
        if (args.size() == 2) {
            String response = args.get(1);
            if (!response.equals("=") && !base64(response)) {
                return invalid("AUTH", "Invalid base64 data in initial response");
            }
            initial = Optional.of(response);
        }
        return new Pop3Command.Auth(Optional.of(mechanism.toUpperCase(Locale.ROOT)), initial);
    }

    private static Pop3Command invalid(String verb, String reason) {
        return new Pop3Command.Invalid(verb, reason);
    }

    /** The space-separated words of {@code rest}; runs of spaces count as one. */
    private static List<String> arguments(String rest) {
        List<String> words = new ArrayList<>(2);
        int i = 0;
        int n = rest.length();
        while (i < n) {
            while (i < n && rest.charAt(i) == ' ') {
                i++;
            }
            int start = i;
            while (i < n && rest.charAt(i) != ' ') {
                i++;
            }
            if (i > start) {
                words.add(rest.substring(start, i));
            }
        }
        return words;
    }

    /** The message number, or -1 when {@code text} is not one (not decimal, 0, or too large). */
    private static int messageNumber(String text) {
        if (!digits(text) || text.length() > 10) {
            return -1;
        }
        long value = Long.parseLong(text);
        return value < 1 || value > Integer.MAX_VALUE ? -1 : (int) value;
    }

    private static boolean digits(String text) {
        if (text.isEmpty()) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    private static boolean letters(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z')) {
                return false;
            }
        }
        return true;
    }

    private static boolean hex(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F')) {
                return false;
            }
        }
        return true;
    }

    private static boolean mechanismChars(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_')) {
                return false;
            }
        }
        return true;
    }

    private static boolean base64(String text) {
        if (text.length() % 4 != 0) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean ok = c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '+' || c == '/'
                    || c == '=' && i >= text.length() - 2;
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /** A verb fit for a log line and an {@code -ERR} text: at most 16 printable ASCII characters. */
    static String printableVerb(String word) {
        return printable(word.length() > 16 ? word.substring(0, 16) : word).toUpperCase(Locale.ROOT);
    }

    /** {@code text} with anything outside printable ASCII replaced by {@code ?}, at most 40 characters. */
    static String printable(String text) {
        String cut = text.length() > 40 ? text.substring(0, 40) : text;
        StringBuilder out = new StringBuilder(cut.length());
        for (int i = 0; i < cut.length(); i++) {
            char c = cut.charAt(i);
            out.append(c >= 0x20 && c < 0x7f ? c : '?');
        }
        return out.toString();
    }
}
