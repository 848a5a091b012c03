package dev.yubin.smtp.policy;

import dev.yubin.core.text.Suggestions;
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
        return Suggestions.closest(lower, known, Math.max(2, lower.length() / 4) + 1);
    }
}
