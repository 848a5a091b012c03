package dev.yubin.imap.protocol;

/**
 * The modified UTF-7 encoding of IMAP mailbox names (RFC 3501 §5.1.3): printable US-ASCII stands for itself,
 * {@code &} is written {@code &-}, and every other run of characters is UTF-16 in modified BASE64 ({@code ,}
 * instead of {@code /}, no padding) between {@code &} and {@code -}. Stateless and thread-safe.
 *
 * <p>{@link #decode} is strict, as Dovecot is: it refuses 8-bit or control characters outside a shifted run,
 * printable ASCII inside one, non-zero padding bits, unpaired surrogates and an unterminated {@code &}, so that
 * every name has exactly one wire form.
 */
public final class ModifiedUtf7 {
    private static final char[] ALPHABET =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+,".toCharArray();
    private static final int[] VALUES = new int[128];

    static {
        java.util.Arrays.fill(VALUES, -1);
        for (int i = 0; i < ALPHABET.length; i++) {
            VALUES[ALPHABET[i]] = i;
        }
    }

    private ModifiedUtf7() {
    }

    /** The wire form of {@code name}: {@code "台北"} gives {@code "&U,BTFw-"}, {@code "&"} gives {@code "&-"}. */
    public static String encode(String name) {
        StringBuilder out = new StringBuilder(name.length() + 8);
        int i = 0;
        int n = name.length();
        while (i < n) {
            char c = name.charAt(i);
            if (c >= 0x20 && c <= 0x7e) {
                out.append(c);
                if (c == '&') {
                    out.append('-');
                }
                i++;
                continue;
            }
            int end = i;
            while (end < n && (name.charAt(end) < 0x20 || name.charAt(end) > 0x7e)) {
                end++;
            }
            out.append('&');
            encodeRun(name, i, end, out);
            out.append('-');
            i = end;
        }
        return out.toString();
    }

    private static void encodeRun(String name, int from, int to, StringBuilder out) {
        int bits = 0;
        int bitCount = 0;
        for (int i = from; i < to; i++) {
            bits = (bits << 16) | name.charAt(i);
            bitCount += 16;
            while (bitCount >= 6) {
                bitCount -= 6;
                out.append(ALPHABET[(bits >> bitCount) & 0x3f]);
            }
        }
        if (bitCount > 0) {
            out.append(ALPHABET[(bits << (6 - bitCount)) & 0x3f]);
        }
    }

    /**
     * The name that {@code wire} stands for.
     *
     * @throws IllegalArgumentException if {@code wire} is not valid modified UTF-7; the message says why
     */
    public static String decode(String wire) {
        StringBuilder out = new StringBuilder(wire.length());
        String error = decode(wire, out);
        if (error != null) {
            throw new IllegalArgumentException(error + ": " + wire);
        }
        return out.toString();
    }

    /** Whether {@code wire} is valid modified UTF-7. */
    public static boolean isValid(String wire) {
        return decode(wire, new StringBuilder(wire.length())) == null;
    }

    /** Decodes into {@code out}; returns the reason when {@code wire} is invalid, otherwise {@code null}. */
    static String decode(String wire, StringBuilder out) {
        int i = 0;
        int n = wire.length();
        boolean previousWasShift = false;
        while (i < n) {
            char c = wire.charAt(i);
            if (c < 0x20 || c > 0x7e) {
                return "Not 7-bit printable";
            }
            if (c != '&') {
                out.append(c);
                i++;
                previousWasShift = false;
                continue;
            }
            int end = wire.indexOf('-', i + 1);
            if (end < 0) {
                return "Unterminated &";
            }
            if (end == i + 1) {
                out.append('&');
                i = end + 1;
                previousWasShift = false;
                continue;
            }
            if (previousWasShift) {
                return "Adjacent encoded runs";
            }
            String error = decodeRun(wire, i + 1, end, out);
            if (error != null) {
                return error;
            }
            i = end + 1;
            previousWasShift = true;
        }
        return null;
    }

    private static String decodeRun(String wire, int from, int to, StringBuilder out) {
        int bits = 0;
        int bitCount = 0;
        int start = out.length();
        for (int i = from; i < to; i++) {
            char c = wire.charAt(i);
            int value = c < 128 ? VALUES[c] : -1;
            if (value < 0) {
                return "Invalid modified BASE64 character '" + c + "'";
            }
            bits = (bits << 6) | value;
            bitCount += 6;
            if (bitCount >= 16) {
                bitCount -= 16;
                char decoded = (char) ((bits >> bitCount) & 0xffff);
                if (decoded >= 0x20 && decoded <= 0x7e) {
                    return "Printable ASCII encoded in BASE64";
                }
                out.append(decoded);
            }
        }
        if (bitCount >= 6 || (bits & ((1 << bitCount) - 1)) != 0) {
            return "Bad padding in encoded run";
        }
        for (int i = start; i < out.length(); i++) {
            char c = out.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 >= out.length() || !Character.isLowSurrogate(out.charAt(i + 1))) {
                    return "Unpaired surrogate";
                }
                i++;
            } else if (Character.isLowSurrogate(c)) {
                return "Unpaired surrogate";
            }
        }
        return null;
    }
}
