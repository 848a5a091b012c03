package dev.yubin.core.message;

import java.security.SecureRandom;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A short, unique, time-sortable message id: the key of every log line about a message, like Postfix's long
 * queue ids ({@code 4Fb2kQ0xYz}).
 *
 * <p>Layout: nine base-62 digits of a strictly increasing microsecond clock, then two base-62 digits chosen at
 * random once per process, so ids of two processes sharing a queue do not collide. The alphabet is in ASCII
 * order, so ids sort by creation time. Immutable and thread-safe; {@link #next()} is lock-free.
 */
public record QueueId(String value) implements Comparable<QueueId> {
    private static final char[] DIGITS =
            "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();
    private static final int TIME_DIGITS = 9;
    private static final AtomicLong LAST = new AtomicLong();
    private static final String PROCESS_SALT = salt();

    /**
     * Checks the id: non-empty ASCII letters and digits.
     *
     * @throws IllegalArgumentException otherwise
     */
    public QueueId {
        Objects.requireNonNull(value, "value");
        if (value.isEmpty() || !value.chars().allMatch(c -> c < 128 && Character.isLetterOrDigit(c))) {
            throw new IllegalArgumentException("queue id must be ASCII letters and digits: " + value);
        }
    }

    /** A new id, later than every id this process made before. */
    public static QueueId next() {
        long now = System.currentTimeMillis() * 1000 + (System.nanoTime() / 1000) % 1000;
        long micros = LAST.accumulateAndGet(now, (last, candidate) -> Math.max(last + 1, candidate));
        char[] out = new char[TIME_DIGITS + 2];
        for (int i = TIME_DIGITS - 1; i >= 0; i--) {
            out[i] = DIGITS[(int) (micros % 62)];
            micros /= 62;
        }
        out[TIME_DIGITS] = PROCESS_SALT.charAt(0);
        out[TIME_DIGITS + 1] = PROCESS_SALT.charAt(1);
        return new QueueId(new String(out));
    }

    private static String salt() {
        SecureRandom random = new SecureRandom();
        return "" + DIGITS[random.nextInt(62)] + DIGITS[random.nextInt(62)];
    }

    @Override
    public int compareTo(QueueId other) {
        return value.compareTo(other.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
