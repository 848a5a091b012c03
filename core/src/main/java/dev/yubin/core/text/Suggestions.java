package dev.yubin.core.text;

import java.util.Collection;
import java.util.Optional;

/** "Did you mean …?" for configuration names: the nearest known name by edit distance. Stateless. Thread-safe. */
public final class Suggestions {
    private Suggestions() {
    }

    /**
     * The known name nearest to {@code name} that is fewer than {@code limit} edits away (insertions, deletions,
     * substitutions), the first of equals in {@code known}'s order; empty when none is that close.
     */
    public static Optional<String> closest(String name, Collection<String> known, int limit) {
        String best = null;
        int bestDistance = limit;
        for (String candidate : known) {
            int d = distance(name, candidate);
            if (d < bestDistance) {
                bestDistance = d;
                best = candidate;
            }
        }
        return Optional.ofNullable(best);
    }

    /** The Levenshtein distance of {@code a} and {@code b}. */
    public static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                current[j] = Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
