package dev.yubin.imap.protocol;

/**
 * The bounds {@link ImapParser} puts on one client command. Every limit, when exceeded, turns into a tagged
 * {@code BAD} (or {@code NO [TOOBIG]} for an APPEND message) that names it; nothing is buffered beyond it.
 * Immutable; change a limit with a wither.
 *
 * <table>
 *   <caption>Limits and defaults</caption>
 *   <tr><th>limit</th><th>default</th><th>before authentication</th><th>meaning</th></tr>
 *   <tr><td>{@code maxLineLength}</td><td>64 KiB</td><td>64 KiB</td><td>one line, without CRLF (RFC 7162 §4
 *     asks servers to take at least 8192 octets; Dovecot takes 64 KiB, and clients send long ID lines before
 *     login)</td></tr>
 *   <tr><td>{@code maxCommandLength}</td><td>256 KiB</td><td>64 KiB</td><td>all lines plus in-memory literals
 *     of one command</td></tr>
 *   <tr><td>{@code maxLiteralSize}</td><td>64 KiB</td><td>8 KiB</td><td>one literal kept in memory (LOGIN,
 *     SEARCH, mailbox names)</td></tr>
 *   <tr><td>{@code maxAppendSize}</td><td>64 MiB</td><td>0</td><td>one APPEND message, streamed to a
 *     {@link LiteralSink}</td></tr>
 *   <tr><td>{@code maxNestingDepth}</td><td>32</td><td>8</td><td>parentheses inside parentheses
 *     (SEARCH groups, lists)</td></tr>
 *   <tr><td>{@code maxSequenceRanges}</td><td>20000</td><td>100</td><td>ranges in one sequence set</td></tr>
 *   <tr><td>{@code maxLiterals}</td><td>64</td><td>4</td><td>literals in one command</td></tr>
 * </table>
 */
public record ImapLimits(int maxLineLength, int maxCommandLength, int maxLiteralSize, long maxAppendSize,
                         int maxNestingDepth, int maxSequenceRanges, int maxLiterals) {

    /**
     * Checks that the sizes are not negative and every other limit is positive.
     *
     * @throws IllegalArgumentException naming the limit
     */
    public ImapLimits {
        positive(maxLineLength, "maxLineLength");
        positive(maxCommandLength, "maxCommandLength");
        if (maxLiteralSize < 0 || maxAppendSize < 0) {
            throw new IllegalArgumentException("literal sizes must not be negative");
        }
        positive(maxNestingDepth, "maxNestingDepth");
        positive(maxSequenceRanges, "maxSequenceRanges");
        positive(maxLiterals, "maxLiterals");
    }

    private static void positive(int value, String name) {
        if (value < 1) {
            throw new IllegalArgumentException(name + " must be positive: " + value);
        }
    }

    /** The limits for an authenticated session. */
    public static ImapLimits defaults() {
        return new ImapLimits(64 * 1024, 256 * 1024, 64 * 1024, 64L << 20, 32, 20_000, 64);
    }

    /** The smaller limits before LOGIN/AUTHENTICATE succeeds (as Apache James does): APPEND is impossible there. */
    public static ImapLimits unauthenticated() {
        return new ImapLimits(64 * 1024, 64 * 1024, 8 * 1024, 0, 8, 100, 4);
    }

    /** These limits with {@code maxLineLength} set to {@code value} octets. */
    public ImapLimits withMaxLineLength(int value) {
        return new ImapLimits(value, maxCommandLength, maxLiteralSize, maxAppendSize, maxNestingDepth,
                maxSequenceRanges, maxLiterals);
    }

    /** These limits with {@code maxCommandLength} set to {@code value} octets. */
    public ImapLimits withMaxCommandLength(int value) {
        return new ImapLimits(maxLineLength, value, maxLiteralSize, maxAppendSize, maxNestingDepth,
                maxSequenceRanges, maxLiterals);
    }

    /** These limits with {@code maxLiteralSize} set to {@code value} octets. */
    public ImapLimits withMaxLiteralSize(int value) {
        return new ImapLimits(maxLineLength, maxCommandLength, value, maxAppendSize, maxNestingDepth,
                maxSequenceRanges, maxLiterals);
    }

    /** These limits with {@code maxAppendSize} set to {@code value} octets; 0 refuses every APPEND. */
    public ImapLimits withMaxAppendSize(long value) {
        return new ImapLimits(maxLineLength, maxCommandLength, maxLiteralSize, value, maxNestingDepth,
                maxSequenceRanges, maxLiterals);
    }

    /** These limits with {@code maxNestingDepth} set to {@code value}. */
    public ImapLimits withMaxNestingDepth(int value) {
        return new ImapLimits(maxLineLength, maxCommandLength, maxLiteralSize, maxAppendSize, value,
                maxSequenceRanges, maxLiterals);
    }

    /** These limits with {@code maxSequenceRanges} set to {@code value}. */
    public ImapLimits withMaxSequenceRanges(int value) {
        return new ImapLimits(maxLineLength, maxCommandLength, maxLiteralSize, maxAppendSize, maxNestingDepth,
                value, maxLiterals);
    }

    /** These limits with {@code maxLiterals} set to {@code value}. */
    public ImapLimits withMaxLiterals(int value) {
        return new ImapLimits(maxLineLength, maxCommandLength, maxLiteralSize, maxAppendSize, maxNestingDepth,
                maxSequenceRanges, value);
    }
}
