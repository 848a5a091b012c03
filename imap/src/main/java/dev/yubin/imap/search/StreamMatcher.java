package dev.yubin.imap.search;

import java.util.List;

/**
 * Finds the needles of BODY and TEXT criteria in a text that arrives in pieces, such as a decoded body streamed
 * from disk: each piece is case-folded into a window that keeps the last {@code longest needle - 1} characters
 * of the previous piece, so a match across a buffer boundary is found, and memory stays at one piece plus that
 * overlap whatever the size of the text. Not thread-safe; one per message scan.
 */
final class StreamMatcher {
    private final List<Criterion.Text> criteria;
    private final char[][] needles;
    private final Candidate candidate;
    private final int overlap;
    private char[] window;
    private int length;

    /** A matcher for those of {@code criteria} still open in {@code candidate}; it records matches there. */
    StreamMatcher(List<Criterion.Text> criteria, Candidate candidate) {
        this.criteria = criteria;
        this.candidate = candidate;
        this.needles = new char[criteria.size()][];
        int longest = 1;
        for (int i = 0; i < needles.length; i++) {
            needles[i] = criteria.get(i).needle.toCharArray();
            longest = Math.max(longest, needles[i].length);
        }
        this.overlap = longest - 1;
        this.window = new char[overlap + 8192];
    }

    /** Starts a new text: nothing matches across the end of the previous one. */
    void reset() {
        length = 0;
    }

    /** Whether some criterion is still open. */
    boolean isOpen() {
        for (Criterion.Text c : criteria) {
            if (!candidate.isKnown(c.id)) {
                return true;
            }
        }
        return false;
    }

    /** Adds {@code chars[offset, offset + count)}; returns whether a criterion matched that had not before. */
    boolean feed(char[] chars, int offset, int count) {
        if (length + count > window.length) {
            char[] bigger = new char[length + count];
            System.arraycopy(window, 0, bigger, 0, length);
            window = bigger;
        }
        System.arraycopy(chars, offset, window, length, count);
        Folding.foldInPlace(window, length, count);
        length += count;
        boolean matched = false;
        for (int i = 0; i < needles.length; i++) {
            int id = criteria.get(i).id;
            if (!candidate.isKnown(id) && contains(window, length, needles[i])) {
                candidate.setResult(id, true);
                matched = true;
            }
        }
        int keep = Math.min(overlap, length);
        System.arraycopy(window, length - keep, window, 0, keep);
        length = keep;
        return matched;
    }

    /** Adds the whole of {@code text} as one text of its own. */
    boolean feedText(String text) {
        reset();
        char[] chars = text.toCharArray();
        boolean matched = feed(chars, 0, chars.length);
        reset();
        return matched;
    }

    private static boolean contains(char[] hay, int length, char[] needle) {
        int last = length - needle.length;
        char first = needle[0];
        for (int i = 0; i <= last; i++) {
            if (hay[i] != first) {
                continue;
            }
            int j = 1;
            while (j < needle.length && hay[i + j] == needle[j]) {
                j++;
            }
            if (j == needle.length) {
                return true;
            }
        }
        return false;
    }
}
