package dev.yubin.imap.search;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The calendar date of a Date: field (RFC 5322 §3.3) as written, that is in the field's own zone, for SENTBEFORE,
 * SENTON and SENTSINCE. Lenient like Dovecot's {@code message_date_parse}: comments are ignored, the day of week
 * is optional, two- and three-digit years follow RFC 5322 §4.3, the zone may be missing; but day, month, year and
 * an {@code hh:mm} time are required. Stateless and thread-safe.
 */
final class DateHeader {
    private static final List<String> MONTHS = List.of("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug",
            "sep", "oct", "nov", "dec");

    private DateHeader() {
    }

    /** The date in {@code value}, or empty when it is not a date-time. */
    static Optional<LocalDate> parse(String value) {
        List<String> tokens = tokens(value);
        int i = 0;
        if (i < tokens.size() && !tokens.get(i).isEmpty() && Character.isLetter(tokens.get(i).charAt(0))) {
            i++; // day of week
        }
        if (tokens.size() < i + 4) {
            return Optional.empty();
        }
        int day = number(tokens.get(i), 1, 2);
        int month = MONTHS.indexOf(tokens.get(i + 1).toLowerCase(Locale.ROOT)) + 1;
        String yearText = tokens.get(i + 2);
        int year = number(yearText, 2, 4);
        if (day < 0 || month < 1 || year < 0 || !isTime(tokens.get(i + 3))) {
            return Optional.empty();
        }
        if (yearText.length() == 2) {
            year += year < 50 ? 2000 : 1900;
        } else if (yearText.length() == 3) {
            year += 1900;
        }
        try {
            return Optional.of(LocalDate.of(year, month, day));
        } catch (DateTimeException e) {
            return Optional.empty();
        }
    }

    private static List<String> tokens(String value) {
        List<String> out = new ArrayList<>();
        StringBuilder token = new StringBuilder();
        int depth = 0;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '(') {
                depth++;
            } else if (c == ')' && depth > 0) {
                depth--;
            } else if (depth == 0 && (c == ',' || Character.isWhitespace(c))) {
                if (token.length() > 0) {
                    out.add(token.toString());
                    token.setLength(0);
                }
            } else if (depth == 0) {
                token.append(c);
            }
        }
        if (token.length() > 0) {
            out.add(token.toString());
        }
        return out;
    }

    /** The value of a string of {@code min} to {@code max} ASCII digits, or -1. */
    private static int number(String s, int min, int max) {
        if (s.length() < min || s.length() > max) {
            return -1;
        }
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            n = n * 10 + (c - '0');
        }
        return n;
    }

    /** {@code hh:mm} or {@code hh:mm:ss}. */
    private static boolean isTime(String s) {
        String[] parts = s.split(":", -1);
        if (parts.length < 2 || parts.length > 3) {
            return false;
        }
        int hour = number(parts[0], 1, 2);
        int minute = number(parts[1], 2, 2);
        int second = parts.length == 3 ? number(parts[2], 2, 2) : 0;
        return hour >= 0 && hour <= 23 && minute >= 0 && minute <= 59 && second >= 0 && second <= 60;
    }
}
