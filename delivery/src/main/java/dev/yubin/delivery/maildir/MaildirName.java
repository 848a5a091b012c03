package dev.yubin.delivery.maildir;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The file name of one message in a Maildir, as Dovecot writes it:
 * {@code <base>[,S=<size>][,W=<wire size>][:2,<flags>]}, e.g.
 * {@code 1764019800.M123456P4242Q7.mx1,S=1234,W=1260:2,RS}.
 *
 * <table>
 *   <caption>Parts</caption>
 *   <tr><th>Part</th><th>Meaning</th></tr>
 *   <tr><td>{@code base}</td><td>the unique name (time, process, sequence, host); never changes</td></tr>
 *   <tr><td>{@code S=}</td><td>size in octets as stored, with LF line endings</td></tr>
 *   <tr><td>{@code W=}</td><td>size with CRLF line endings (RFC822.SIZE, POP3 LIST): S plus the number of LFs</td></tr>
 *   <tr><td>{@code :2,}</td><td>the info part; absent in {@code new/}. Flags are ASCII letters in ASCII order
 *       ({@code D F P R S T}, and Dovecot keywords {@code a}–{@code z})</td></tr>
 * </table>
 *
 * <p>Other comma-separated fields are kept in {@link #otherFields()} and written after {@code S} and {@code W}, so
 * formatting a parsed name gives back the same name whenever its fields were in that usual order. Immutable.
 *
 * @param flags the flags after {@code :2,} (sorted, without duplicates), or empty when there is no info part
 */
public record MaildirName(String base, OptionalLong size, OptionalLong wireSize, List<String> otherFields,
        Optional<String> flags) {

    private static final String INFO = ":2,";

    /**
     * Checks the parts and sorts the flags.
     *
     * @throws IllegalArgumentException for an empty base, a part with characters a Maildir name cannot hold, a
     *     negative size, or flags that are not ASCII letters
     */
    public MaildirName {
        Objects.requireNonNull(base, "base");
        Objects.requireNonNull(size, "size");
        Objects.requireNonNull(wireSize, "wireSize");
        Objects.requireNonNull(flags, "flags");
        if (base.isEmpty() || !isNamePart(base)) {
            throw new IllegalArgumentException("bad maildir base name: " + base);
        }
        if (size.isPresent() && size.getAsLong() < 0 || wireSize.isPresent() && wireSize.getAsLong() < 0) {
            throw new IllegalArgumentException("negative size");
        }
        otherFields = List.copyOf(otherFields);
        for (String field : otherFields) {
            if (!isNamePart(field)) {
                throw new IllegalArgumentException("bad maildir name field: " + field);
            }
        }
        flags = flags.map(MaildirName::normalizeFlags);
    }

    /** A name as delivered into {@code new/}: no info part. */
    public static MaildirName of(String base, long size, long wireSize) {
        return new MaildirName(base, OptionalLong.of(size), OptionalLong.of(wireSize), List.of(), Optional.empty());
    }

    /**
     * Arrival order of base names: runs of digits compare as numbers, so that {@code 1700000000.M99P1} comes before
     * {@code 1700000000.M123P1} (Dovecot's {@code M<usec>} is not zero-padded); other characters compare as text.
     */
    public static final Comparator<String> ARRIVAL_ORDER = MaildirName::compareArrival;

    private static int compareArrival(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            char x = a.charAt(i);
            char y = b.charAt(j);
            if (isDigit(x) && isDigit(y)) {
                int endA = digitsEnd(a, i);
                int endB = digitsEnd(b, j);
                int startA = skipZeros(a, i, endA);
                int startB = skipZeros(b, j, endB);
                int byLength = Integer.compare(endA - startA, endB - startB);
                if (byLength != 0) {
                    return byLength;
                }
                for (int k = 0; k < endA - startA; k++) {
                    int byDigit = Character.compare(a.charAt(startA + k), b.charAt(startB + k));
                    if (byDigit != 0) {
                        return byDigit;
                    }
                }
                i = endA;
                j = endB;
            } else {
                if (x != y) {
                    return Character.compare(x, y);
                }
                i++;
                j++;
            }
        }
        int byRest = Integer.compare(a.length() - i, b.length() - j);
        return byRest != 0 ? byRest : a.compareTo(b); // "01" and "1" differ: keep the order total
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static int digitsEnd(String s, int from) {
        int end = from;
        while (end < s.length() && isDigit(s.charAt(end))) {
            end++;
        }
        return end;
    }

    private static int skipZeros(String s, int from, int end) {
        int start = from;
        while (start < end - 1 && s.charAt(start) == '0') {
            start++;
        }
        return start;
    }

    /**
     * Parses a file name. Returns empty for names that are not Maildir message names: empty, containing {@code /},
     * an info part other than {@code :2,}, or flags that are not letters. Never throws.
     */
    public static Optional<MaildirName> parse(String fileName) {
        if (fileName == null || fileName.isEmpty() || fileName.indexOf('/') >= 0 || fileName.indexOf('\0') >= 0) {
            return Optional.empty();
        }
        int colon = fileName.indexOf(':');
        Optional<String> flags = Optional.empty();
        String head = fileName;
        if (colon >= 0) {
            if (!fileName.startsWith(INFO, colon)) {
                return Optional.empty();
            }
            String letters = fileName.substring(colon + INFO.length());
            if (!letters.chars().allMatch(MaildirName::isFlag)) {
                return Optional.empty();
            }
            flags = Optional.of(letters);
            head = fileName.substring(0, colon);
        }
        String[] parts = head.split(",", -1);
        if (parts[0].isEmpty()) {
            return Optional.empty();
        }
        OptionalLong size = OptionalLong.empty();
        OptionalLong wireSize = OptionalLong.empty();
        List<String> others = new ArrayList<>();
        for (int i = 1; i < parts.length; i++) {
            String field = parts[i];
            OptionalLong value = number(field);
            if (field.startsWith("S=") && size.isEmpty() && value.isPresent()) {
                size = value;
            } else if (field.startsWith("W=") && wireSize.isEmpty() && value.isPresent()) {
                wireSize = value;
            } else {
                others.add(field);
            }
        }
        return Optional.of(new MaildirName(parts[0], size, wireSize, others, flags));
    }

    /** This name with the info part {@code :2,<flags>}; the letters are sorted and de-duplicated. */
    public MaildirName withFlags(String newFlags) {
        return new MaildirName(base, size, wireSize, otherFields, Optional.of(newFlags));
    }

    /** Whether the info part holds {@code flag}. */
    public boolean hasFlag(char flag) {
        return flags.isPresent() && flags.get().indexOf(flag) >= 0;
    }

    /** The file name: {@code base[,S=n][,W=n][,other…][:2,flags]}. */
    public String fileName() {
        StringBuilder out = new StringBuilder(base.length() + 40).append(base);
        size.ifPresent(n -> out.append(",S=").append(n));
        wireSize.ifPresent(n -> out.append(",W=").append(n));
        for (String field : otherFields) {
            out.append(',').append(field);
        }
        flags.ifPresent(f -> out.append(INFO).append(f));
        return out.toString();
    }

    @Override
    public String toString() {
        return fileName();
    }

    private static OptionalLong number(String field) {
        if (field.length() < 3 || field.length() > 20) {
            return OptionalLong.empty();
        }
        long value = 0;
        for (int i = 2; i < field.length(); i++) {
            char c = field.charAt(i);
            if (c < '0' || c > '9' || value > (Long.MAX_VALUE - 9) / 10) {
                return OptionalLong.empty();
            }
            value = value * 10 + (c - '0');
        }
        return OptionalLong.of(value);
    }

    private static boolean isNamePart(String part) {
        for (int i = 0; i < part.length(); i++) {
            char c = part.charAt(i);
            if (c == '/' || c == ':' || c == ',' || c == '\0') {
                return false;
            }
        }
        return true;
    }

    private static boolean isFlag(int c) {
        return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z';
    }

    private static String normalizeFlags(String letters) {
        if (!letters.chars().allMatch(MaildirName::isFlag)) {
            throw new IllegalArgumentException("maildir flags must be ASCII letters: " + letters);
        }
        return letters.chars().distinct().sorted()
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
    }
}
