package dev.yubin.smtp.protocol;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The service extensions a server advertises in its EHLO reply (RFC 5321 §4.1.1.1), one line each, in order:
 * a keyword and its optional parameters, e.g. {@code SIZE 10240000}. Immutable; later extensions are added with
 * {@link #with(String)} (STARTTLS, AUTH…).
 *
 * @param lines the keyword lines, without the leading hostname line
 */
public record EhloKeywords(List<String> lines) {
    /** {@code PIPELINING}, RFC 2920. */
    public static final String PIPELINING = "PIPELINING";
    /** {@code SIZE}, RFC 1870; its parameter is the largest message size accepted, in octets. */
    public static final String SIZE = "SIZE";
    /** {@code 8BITMIME}, RFC 6152. */
    public static final String EIGHT_BIT_MIME = "8BITMIME";
    /** {@code ENHANCEDSTATUSCODES}, RFC 2034. */
    public static final String ENHANCED_STATUS_CODES = "ENHANCEDSTATUSCODES";
    /** {@code SMTPUTF8}, RFC 6531. */
    public static final String SMTPUTF8 = "SMTPUTF8";
    /** {@code CHUNKING} (BDAT), RFC 3030. */
    public static final String CHUNKING = "CHUNKING";
    /** {@code BINARYMIME}, RFC 3030. */
    public static final String BINARYMIME = "BINARYMIME";
    /** {@code STARTTLS}, RFC 3207. */
    public static final String STARTTLS = "STARTTLS";
    /** {@code AUTH}, RFC 4954; its parameters are the SASL mechanisms. */
    public static final String AUTH = "AUTH";

    /**
     * Copies the lines.
     *
     * @throws IllegalArgumentException for a line whose keyword is not letters, digits and {@code -}, or that has
     *     control characters
     */
    public EhloKeywords {
        lines = List.copyOf(lines);
        for (String line : lines) {
            String keyword = keyword(line);
            if (keyword.isEmpty() || !keyword.chars().allMatch(c -> c < 0x80 && (Character.isLetterOrDigit(c)
                    || c == '-')) || line.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
                throw new IllegalArgumentException("bad EHLO keyword line: " + line);
            }
        }
    }

    /**
     * What Yubin's server supports: PIPELINING (RFC 2920), SIZE (RFC 1870), 8BITMIME (RFC 6152),
     * ENHANCEDSTATUSCODES (RFC 2034), SMTPUTF8 (RFC 6531) and CHUNKING (RFC 3030).
     */
    public static EhloKeywords standard(long maxMessageSize) {
        return new EhloKeywords(List.of(PIPELINING, SIZE + " " + maxMessageSize, EIGHT_BIT_MIME,
                ENHANCED_STATUS_CODES, SMTPUTF8, CHUNKING));
    }

    /** This list with {@code line} appended, or replacing the line with the same keyword in place. */
    public EhloKeywords with(String line) {
        List<String> out = new ArrayList<>(lines);
        String keyword = keyword(line);
        for (int i = 0; i < out.size(); i++) {
            if (keyword(out.get(i)).equals(keyword)) {
                out.set(i, line);
                return new EhloKeywords(out);
            }
        }
        out.add(line);
        return new EhloKeywords(out);
    }

    /** This list without the line for {@code keyword} (case-insensitive). */
    public EhloKeywords without(String keyword) {
        String wanted = keyword.toUpperCase(Locale.ROOT);
        List<String> out = new ArrayList<>(lines);
        out.removeIf(line -> keyword(line).equals(wanted));
        return new EhloKeywords(out);
    }

    /** Whether {@code keyword} is advertised (case-insensitive). */
    public boolean contains(String keyword) {
        String wanted = keyword.toUpperCase(Locale.ROOT);
        return lines.stream().anyMatch(line -> keyword(line).equals(wanted));
    }

    /** The EHLO reply: {@code 250-<hostname>}, then one line per keyword, without enhanced status codes. */
    public SmtpReply reply(String hostname) {
        List<String> all = new ArrayList<>(lines.size() + 1);
        all.add(SmtpReplies.printable(hostname));
        all.addAll(lines);
        return SmtpReply.multiline(250, all);
    }

    private static String keyword(String line) {
        int space = line.indexOf(' ');
        return (space < 0 ? line : line.substring(0, space)).toUpperCase(Locale.ROOT);
    }
}
