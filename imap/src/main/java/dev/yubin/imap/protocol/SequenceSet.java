package dev.yubin.imap.protocol;

import java.util.List;

/**
 * An IMAP {@code sequence-set} (RFC 3501 §9, RFC 9051 §9): message sequence numbers or UIDs as ranges such as
 * {@code 2,4:7,9,12:*}, or {@code $}, the result saved by SEARCHRES (RFC 5182). {@code *} is kept symbolic as
 * {@link #STAR} until {@link #contains(long, long)} or {@link #resolve(long)} knows the largest number in use.
 * Immutable and thread-safe.
 *
 * @param ranges the ranges in client order, empty only for {@code $}
 * @param saved  whether this is {@code $}
 */
public record SequenceSet(List<Range> ranges, boolean saved) {
    /** The value standing for {@code *}, the largest number in use. */
    public static final long STAR = -1;
    /** The largest sequence number or UID, {@code 2^32-1} (RFC 3501 §9 {@code nz-number}). */
    public static final long MAX_NUMBER = 0xffff_ffffL;
    /** {@code $}: the saved search result (RFC 5182). */
    public static final SequenceSet SAVED = new SequenceSet(List.of(), true);

    /**
     * Copies the ranges.
     *
     * @throws IllegalArgumentException if {@code saved} has ranges or another set has none
     */
    public SequenceSet {
        ranges = List.copyOf(ranges);
        if (saved != ranges.isEmpty()) {
            throw new IllegalArgumentException(saved ? "$ has no ranges" : "a sequence set needs a range");
        }
    }

    /** A set of the given ranges. */
    public static SequenceSet of(Range... ranges) {
        return new SequenceSet(List.of(ranges), false);
    }

    /** The set holding the single number {@code n}. */
    public static SequenceSet single(long n) {
        return of(new Range(n, n));
    }

    /** Whether {@code n} is in this set when {@code largest} is the largest number in use ({@code *}). */
    public boolean contains(long n, long largest) {
        for (Range range : ranges) {
            if (range.contains(n, largest)) {
                return true;
            }
        }
        return false;
    }

    /** The ranges with {@code *} replaced by {@code largest}, each low to high (RFC 3501: {@code 5:*} is {@code *:5}). */
    public List<Range> resolve(long largest) {
        Range[] out = new Range[ranges.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = ranges.get(i).resolve(largest);
        }
        return List.of(out);
    }

    /** The wire form: {@code 1:*}, {@code 2,4:7,9} or {@code $}. */
    @Override
    public String toString() {
        if (saved) {
            return "$";
        }
        StringBuilder out = new StringBuilder();
        for (Range range : ranges) {
            if (out.length() > 0) {
                out.append(',');
            }
            out.append(range);
        }
        return out.toString();
    }

    /**
     * One {@code seq-range} or {@code seq-number}: {@code first:last}, either of which may be {@link #STAR}. The order
     * is the client's; {@code 7:4} means the same as {@code 4:7}. Immutable.
     */
    public record Range(long first, long last) {
        /** Checks that each end is {@link #STAR} or 1 to {@link #MAX_NUMBER}. */
        public Range {
            check(first);
            check(last);
        }

        private static void check(long n) {
            if (n != STAR && (n < 1 || n > MAX_NUMBER)) {
                throw new IllegalArgumentException("not a sequence number: " + n);
            }
        }

        /** This range low to high, with {@code *} as {@code largest}. */
        public Range resolve(long largest) {
            long a = first == STAR ? largest : first;
            long b = last == STAR ? largest : last;
            return new Range(Math.max(1, Math.min(a, b)), Math.max(1, Math.max(a, b)));
        }

        /** Whether {@code n} falls in this range when {@code *} is {@code largest}. */
        public boolean contains(long n, long largest) {
            long a = first == STAR ? largest : first;
            long b = last == STAR ? largest : last;
            return n >= Math.min(a, b) && n <= Math.max(a, b);
        }

        @Override
        public String toString() {
            String a = first == STAR ? "*" : Long.toString(first);
            if (first == last) {
                return a;
            }
            return a + ":" + (last == STAR ? "*" : Long.toString(last));
        }
    }
}
