package dev.yubin.delivery.mbox;

import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The mbox {@code From_} separator line: written as Postfix's local(8) writes it ({@code From sender  asctime},
 * two spaces, {@code MAILER-DAEMON} for the null sender), and recognised when reading.
 */
final class FromLine {
    static final String MAILER_DAEMON = "MAILER-DAEMON";
    private static final DateTimeFormatter ASCTIME =
            DateTimeFormatter.ofPattern("EEE MMM ppd HH:mm:ss yyyy", Locale.ENGLISH);
    private static final byte[] RETURN_PATH = "return-path:".getBytes(StandardCharsets.US_ASCII);
    /** A {@code From_} line as mutt's {@code is_from} accepts it: a sender, then an asctime-like date. */
    private static final Pattern VALID = Pattern.compile(
            "From .*(Mon|Tue|Wed|Thu|Fri|Sat|Sun),? +(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) +\\d{1,2},? +"
            + "\\d{1,2}:\\d{2}(:\\d{2})?.*\\b\\d{4}\\b.*");

    /** The asctime date of a {@code From_} line: {@code Mon Dec  2 10:11:12 2026}, seconds optional. */
    private static final Pattern DATE = Pattern.compile(
            "(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun),? +(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) +(\\d{1,2}),? +"
            + "(\\d{1,2}):(\\d{2})(?::(\\d{2}))?(?: +[A-Z]{3,4})? +(\\d{4})");
    private static final List<String> MONTHS = List.of("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep",
            "Oct", "Nov", "Dec");

    private FromLine() {
    }

    /**
     * The date of a {@code From_} line (the local time of {@code zone}, as asctime has no zone), for IMAP's
     * INTERNALDATE; empty when the line has none.
     */
    static Optional<Instant> dateOf(String line, ZoneId zone) {
        Matcher m = DATE.matcher(line);
        if (!m.find()) {
            return Optional.empty();
        }
        try {
            LocalDateTime local = LocalDateTime.of(Integer.parseInt(m.group(6)), MONTHS.indexOf(m.group(1)) + 1,
                    Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)), Integer.parseInt(m.group(4)),
                    m.group(5) == null ? 0 : Integer.parseInt(m.group(5)));
            return Optional.of(local.atZone(zone).toInstant());
        } catch (DateTimeException e) {
            return Optional.empty(); // "Feb 31" or hour 25
        }
    }

    /** {@code From <sender>  <asctime>\n}; an empty sender becomes {@code MAILER-DAEMON}. */
    static byte[] format(String sender, Instant when, ZoneId zone) {
        String who = sender.isEmpty() ? MAILER_DAEMON : sender;
        return ("From " + who + "  " + ASCTIME.format(when.atZone(zone)) + "\n").getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The envelope sender from a first header line {@code Return-Path: <sender>} (as the local delivery agent
     * prepends it), with blanks and controls replaced by {@code _} so that the separator line stays one word;
     * empty for {@code <>} or when the line is not a Return-Path.
     */
    static String senderOf(byte[] line, int length) {
        if (length < RETURN_PATH.length || !startsWithIgnoreCase(line, RETURN_PATH)) {
            return "";
        }
        int open = indexOf(line, length, (byte) '<', RETURN_PATH.length);
        int close = lastIndexOf(line, length, (byte) '>');
        if (open < 0 || close <= open) {
            return "";
        }
        String sender = new String(line, open + 1, close - open - 1, StandardCharsets.UTF_8);
        StringBuilder out = new StringBuilder(sender.length());
        for (int i = 0; i < sender.length(); i++) {
            char c = sender.charAt(i);
            out.append(c <= ' ' || c == 0x7f ? '_' : c);
        }
        return out.toString();
    }

    /** Whether {@code line} (without its line end) looks like a {@code From_} line with a date. */
    static boolean looksValid(String line) {
        return VALID.matcher(line).matches();
    }

    private static boolean startsWithIgnoreCase(byte[] line, byte[] prefix) {
        for (int i = 0; i < prefix.length; i++) {
            int c = line[i];
            if (c >= 'A' && c <= 'Z') {
                c += 'a' - 'A';
            }
            if (c != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    private static int indexOf(byte[] line, int length, byte b, int from) {
        for (int i = from; i < length; i++) {
            if (line[i] == b) {
                return i;
            }
        }
        return -1;
    }

    private static int lastIndexOf(byte[] line, int length, byte b) {
        for (int i = length - 1; i >= 0; i--) {
            if (line[i] == b) {
                return i;
            }
        }
        return -1;
    }
}
