package dev.yubin.smtp.policy;

import java.util.Collection;
import java.util.Locale;
import java.util.Optional;

/** Name lookup with a "did you mean" for the restriction enums. Stateless. */
final class RestrictionNames {
    private RestrictionNames() {
    }

    /** {@code unknown restriction "x"}, with {@code (did you mean "y"?)} when a known name is close. */
    static String unknown(String name, Collection<String> known) {
        String message = "unknown restriction \"" + name + "\"";
        return closest(name, known).map(best -> message + " (did you mean \"" + best + "\"?)").orElse(message);
    }

    /** The known name nearest to {@code name}, if it is a plausible typo (a few edits away). */
    static Optional<String> closest(String name, Collection<String> known) {
        String lower = name.toLowerCase(Locale.ROOT);
        String best = null;
        int bestDistance = Math.max(2, lower.length() / 4) + 1;
        for (String candidate : known) {
            int d = distance(lower, candidate);
            if (d < bestDistance) {
                bestDistance = d;
                best = candidate;
            }
        }
        return Optional.ofNullable(best);
    }

    /** Levenshtein distance. */
    static int distance(String a, String b) {
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
