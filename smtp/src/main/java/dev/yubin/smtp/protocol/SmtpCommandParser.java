package dev.yubin.smtp.protocol;

import dev.yubin.core.address.AddressException;
import dev.yubin.core.address.Domain;
import dev.yubin.core.address.MailAddress;
import dev.yubin.core.address.ReversePath;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Parses one SMTP command line (without its line ending) into an {@link SmtpCommand}. It never throws on client
 * input: a recognised verb with bad arguments gives an {@link SmtpSyntaxError} whose reply names what was
 * expected. Stateless and thread-safe; {@link #parse(String)} is the entry point for benchmarks.
 *
 * <p>Tolerant where real clients and textbooks are sloppy, as Postfix is: verbs in any case ({@code mail
 * from:<kato@example1.jp>}), spaces around the colon ({@code MAIL FROM: <x@y>}), leading and trailing blanks, and a
 * path without angle brackets. Strict where it matters: control characters (a bare CR, NUL) anywhere give
 * {@code 500 5.5.2}, and ESMTP parameters must be {@code KEYWORD[=VALUE]} (RFC 5321 §4.1.2). Addresses are parsed
 * by {@link ReversePath#parse} and {@link MailAddress#parsePath}; their errors give {@code 501 5.1.7} (sender)
 * and {@code 501 5.1.3} (recipient) with the reason.
 *
 * <table>
 *   <caption>Limits</caption>
 *   <tr><th>what</th><th>limit</th></tr>
 *   <tr><td>BDAT chunk size</td><td>18 decimal digits</td></tr>
 *   <tr><td>line length</td><td>none here; the decoder enforces {@code maxCommandLineLength}</td></tr>
 * </table>
 */
public final class SmtpCommandParser {
    private static final SmtpCommand DATA = new SmtpCommand.Data();
    private static final SmtpCommand RSET = new SmtpCommand.Rset();
    private static final SmtpCommand NOOP = new SmtpCommand.Noop();
    private static final SmtpCommand QUIT = new SmtpCommand.Quit();
    private static final SmtpCommand STARTTLS = new SmtpCommand.StartTls();
    private static final String POSTMASTER = "postmaster";

    private SmtpCommandParser() {
    }

    /** Parses a command line; a bare {@code RCPT TO:<Postmaster>} is a syntax error here (no domain known). */
    public static SmtpCommand parse(String line) {
        return parse(line, Optional.empty());
    }

    /**
     * Parses a command line, completing {@code RCPT TO:<Postmaster>} (any case, no domain; RFC 5321 §4.1.1.3) to
     * {@code postmaster@<postmasterDomain>}.
     */
    public static SmtpCommand parse(String line, Domain postmasterDomain) {
        return parse(line, Optional.of(postmasterDomain));
    }

    private static SmtpCommand parse(String line, Optional<Domain> postmasterDomain) {
        int start = 0;
        int end = line.length();
        while (start < end && isBlank(line.charAt(start))) {
            start++;
        }
        while (end > start && isBlank(line.charAt(end - 1))) {
            end--;
        }
        if (start == end || hasControlCharacter(line)) {
            return new SmtpSyntaxError("", SmtpReplies.BAD_SYNTAX);
        }
        int verbEnd = start;
        while (verbEnd < end && !isBlank(line.charAt(verbEnd))) {
            verbEnd++;
        }
        int argStart = verbEnd;
        while (argStart < end && isBlank(line.charAt(argStart))) {
            argStart++;
        }
        String verb = line.substring(start, verbEnd);
        String arg = line.substring(argStart, end);
        if (verb.equalsIgnoreCase("STARTTLS")) {
            return arg.isEmpty() ? STARTTLS : new SmtpSyntaxError("STARTTLS", SmtpReplies.SYNTAX_STARTTLS);
        }
        if (verb.length() != 4) {
            return new SmtpCommand.Unknown(verb);
        }
        switch (verb.toUpperCase(Locale.ROOT)) {
            case "HELO":
                return arg.isEmpty() ? new SmtpSyntaxError("HELO", SmtpReplies.SYNTAX_HELO) : new SmtpCommand.Helo(arg);
            case "EHLO":
                return arg.isEmpty() ? new SmtpSyntaxError("EHLO", SmtpReplies.SYNTAX_EHLO) : new SmtpCommand.Ehlo(arg);
            case "MAIL":
                return parseMail(arg);
            case "RCPT":
                return parseRcpt(arg, postmasterDomain);
            case "DATA":
                return arg.isEmpty() ? DATA : new SmtpSyntaxError("DATA", SmtpReplies.SYNTAX_DATA);
            case "BDAT":
                return parseBdat(arg);
            case "RSET":
                return arg.isEmpty() ? RSET : new SmtpSyntaxError("RSET", SmtpReplies.SYNTAX_RSET);
            case "NOOP":
                return NOOP;
            case "QUIT":
                return QUIT;
            case "VRFY":
                return arg.isEmpty() ? new SmtpSyntaxError("VRFY", SmtpReplies.SYNTAX_VRFY) : new SmtpCommand.Vrfy(arg);
            case "HELP":
                return new SmtpCommand.Help(arg);
            case "AUTH":
                return parseAuth(arg);
            default:
                return new SmtpCommand.Unknown(verb);
        }
    }

    /** {@code AUTH mechanism [initial-response]}: a SASL mechanism name (RFC 4422 §3.1) and base64 or {@code =}. */
    private static SmtpCommand parseAuth(String arg) {
        int space = arg.indexOf(' ');
        String mechanism = space < 0 ? arg : arg.substring(0, space);
        String response = space < 0 ? "" : arg.substring(space + 1).strip();
        if (mechanism.isEmpty() || mechanism.length() > 20 || !mechanism.chars().allMatch(
                c -> c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_')
                || response.indexOf(' ') >= 0 || !response.chars().allMatch(
                        c -> c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '+'
                                || c == '/' || c == '=')) {
            return new SmtpSyntaxError("AUTH", SmtpReplies.SYNTAX_AUTH);
        }
        return new SmtpCommand.Auth(mechanism.toUpperCase(Locale.ROOT),
                response.isEmpty() ? Optional.empty() : Optional.of(response));
    }

    private static SmtpCommand parseMail(String arg) {
        int pathStart = afterKeyword(arg, "FROM");
        if (pathStart < 0) {
            return new SmtpSyntaxError("MAIL", SmtpReplies.SYNTAX_MAIL);
        }
        int pathEnd = pathEnd(arg, pathStart);
        if (pathEnd < 0) {
            return new SmtpSyntaxError("MAIL", SmtpReplies.SYNTAX_MAIL);
        }
        ReversePath reversePath;
        try {
            reversePath = ReversePath.parse(bracketed(arg, pathStart, pathEnd));
        } catch (AddressException e) {
            return new SmtpSyntaxError("MAIL", SmtpReplies.badSenderAddress(e.reason()));
        }
        Map<String, String> parameters = new LinkedHashMap<>();
        Optional<SmtpReply> error = parseParameters(arg, pathEnd, parameters);
        if (error.isPresent()) {
            return new SmtpSyntaxError("MAIL", error.get());
        }
        return new SmtpCommand.Mail(reversePath, parameters);
    }

    private static SmtpCommand parseRcpt(String arg, Optional<Domain> postmasterDomain) {
        int pathStart = afterKeyword(arg, "TO");
        if (pathStart < 0) {
            return new SmtpSyntaxError("RCPT", SmtpReplies.SYNTAX_RCPT);
        }
        int pathEnd = pathEnd(arg, pathStart);
        if (pathEnd < 0) {
            return new SmtpSyntaxError("RCPT", SmtpReplies.SYNTAX_RCPT);
        }
        String path = bracketed(arg, pathStart, pathEnd);
        MailAddress address;
        try {
            boolean closed = path.length() >= 2 && path.charAt(path.length() - 1) == '>';
            String inner = closed ? path.substring(1, path.length() - 1) : path;
            if (closed && inner.isEmpty()) {
                throw new AddressException("Null path not allowed as a recipient", path, 1);
            }
            if (closed && postmasterDomain.isPresent() && inner.equalsIgnoreCase(POSTMASTER)) {
                address = MailAddress.of(inner, postmasterDomain.get());
            } else {
                address = MailAddress.parsePath(path);
            }
        } catch (AddressException e) {
            return new SmtpSyntaxError("RCPT", SmtpReplies.badRecipientAddress(e.reason()));
        }
        Map<String, String> parameters = new LinkedHashMap<>();
        Optional<SmtpReply> error = parseParameters(arg, pathEnd, parameters);
        if (error.isPresent()) {
            return new SmtpSyntaxError("RCPT", error.get());
        }
        return new SmtpCommand.Rcpt(address, parameters);
    }

    private static SmtpCommand parseBdat(String arg) {
        String[] tokens = arg.isEmpty() ? new String[0] : arg.split("[ \t]+");
        if (tokens.length < 1 || tokens.length > 2 || tokens[0].length() > 18
                || !tokens[0].chars().allMatch(c -> c >= '0' && c <= '9')
                || tokens.length == 2 && !tokens[1].equalsIgnoreCase("LAST")) {
            return new SmtpSyntaxError("BDAT", SmtpReplies.SYNTAX_BDAT);
        }
        return new SmtpCommand.Bdat(Long.parseLong(tokens[0]), tokens.length == 2);
    }

    /** The index after {@code keyword} blanks {@code ':'} blanks, or -1; the path must start there. */
    private static int afterKeyword(String arg, String keyword) {
        if (!arg.regionMatches(true, 0, keyword, 0, keyword.length())) {
            return -1;
        }
        int i = skipBlanks(arg, keyword.length());
        if (i >= arg.length() || arg.charAt(i) != ':') {
            return -1;
        }
        i = skipBlanks(arg, i + 1);
        return i < arg.length() ? i : -1;
    }

    /**
     * The end (exclusive) of the path starting at {@code start}: after the {@code '>'} that closes it (a quoted
     * local part may contain {@code '>'} and blanks), or at the next blank for a path without brackets. -1 if
     * something other than a blank follows the closing bracket.
     */
    private static int pathEnd(String arg, int start) {
        int end = arg.length();
        if (arg.charAt(start) == '<') {
            boolean quoted = false;
            for (int i = start + 1; i < arg.length(); i++) {
                char c = arg.charAt(i);
                if (quoted) {
                    if (c == '\\') {
                        i++;
                    } else if (c == '"') {
                        quoted = false;
                    }
                } else if (c == '"') {
                    quoted = true;
                } else if (c == '>') {
                    end = i + 1;
                    break;
                }
            }
            if (end < arg.length() && !isBlank(arg.charAt(end))) {
                return -1;
            }
            if (end == arg.length() && arg.charAt(end - 1) != '>') {
                // not closed: hand the first word to the address parser for a precise reason
                end = start;
                while (end < arg.length() && !isBlank(arg.charAt(end))) {
                    end++;
                }
            }
            return end;
        }
        end = start;
        while (end < arg.length() && !isBlank(arg.charAt(end))) {
            end++;
        }
        return end;
    }

    /** The path text with angle brackets: a bare {@code kato@example1.jp} (RFC 821 style) is wrapped. */
    private static String bracketed(String arg, int start, int end) {
        String path = arg.substring(start, end);
        return path.charAt(0) == '<' ? path : "<" + path + ">";
    }

    /** Reads {@code SP keyword[=value]} pairs from {@code start}; returns the error reply, if any. */
    private static Optional<SmtpReply> parseParameters(String arg, int start, Map<String, String> into) {
        int i = start;
        while (true) {
            i = skipBlanks(arg, i);
            if (i >= arg.length()) {
                return Optional.empty();
            }
            int end = i;
            while (end < arg.length() && !isBlank(arg.charAt(end))) {
                end++;
            }
            String token = arg.substring(i, end);
            int eq = token.indexOf('=');
            String keyword = eq < 0 ? token : token.substring(0, eq);
            String value = eq < 0 ? "" : token.substring(eq + 1);
            if (!isKeyword(keyword) || eq >= 0 && !isValue(value)) {
                return Optional.of(SmtpReplies.badParameter(token));
            }
            String key = keyword.toUpperCase(Locale.ROOT);
            if (into.putIfAbsent(key, value) != null) {
                return Optional.of(SmtpReplies.duplicateParameter(key));
            }
            i = end;
        }
    }

    /** RFC 5321 esmtp-keyword: {@code (ALPHA / DIGIT) *(ALPHA / DIGIT / "-")}. */
    private static boolean isKeyword(String keyword) {
        if (keyword.isEmpty() || keyword.charAt(0) == '-') {
            return false;
        }
        for (int i = 0; i < keyword.length(); i++) {
            char c = keyword.charAt(i);
            if (!(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-')) {
                return false;
            }
        }
        return true;
    }

    /** RFC 5321 esmtp-value: {@code 1*(%d33-60 / %d62-126)}, plus UTF-8 as RFC 6531 §3.3 allows. */
    private static boolean isValue(String value) {
        if (value.isEmpty()) {
            return false;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 33 || c == '=' || c == 127) {
                return false;
            }
        }
        return true;
    }

    private static boolean hasControlCharacter(String line) {
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c < 0x20 && c != '\t' || c == 0x7f) {
                return true;
            }
        }
        return false;
    }

    private static int skipBlanks(String text, int from) {
        int i = from;
        while (i < text.length() && isBlank(text.charAt(i))) {
            i++;
        }
        return i;
    }

    private static boolean isBlank(char c) {
        return c == ' ' || c == '\t';
    }
}
