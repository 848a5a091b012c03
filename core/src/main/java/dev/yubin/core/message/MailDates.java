package dev.yubin.core.message;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** Dates in message headers (RFC 5322 §3.3), as Postfix writes them. Stateless and thread-safe. */
public final class MailDates {
    private static final DateTimeFormatter DATE =
            DateTimeFormatter.ofPattern("EEE, ppd MMM yyyy HH:mm:ss Z", Locale.ENGLISH);
    private static final DateTimeFormatter ZONE_NAME = DateTimeFormatter.ofPattern("zzz", Locale.ENGLISH);

    private MailDates() {
    }

    /**
     * A date as Postfix's {@code mail_date()} writes it: {@code Thu, 23 Jul 2020 19:03:23 +0900 (JST)}, the day of
     * month padded with a space ({@code %e}).
     */
    public static String format(Instant when, ZoneId zone) {
        ZonedDateTime time = when.atZone(zone);
        String name = ZONE_NAME.format(time);
        return DATE.format(time) + " (" + ("Z".equals(name) ? "UTC" : name) + ")";
    }
}
