package dev.yubin.core.store;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * The flags of a message: system flags plus keywords (RFC 3501 §2.3.2). Keywords are IMAP atoms without
 * {@code \}; they keep the case they were first given. Immutable.
 */
public record Flags(Set<Flag> system, Set<String> keywords) {
    /** No flags and no keywords. */
    public static final Flags NONE = new Flags(Set.of(), Set.of());

    /**
     * Copies the sets.
     *
     * @throws IllegalArgumentException if a keyword is not an IMAP atom (see {@link #isKeyword})
     */
    public Flags {
        Objects.requireNonNull(system, "system");
        Objects.requireNonNull(keywords, "keywords");
        system = system.isEmpty() ? Set.of() : Collections.unmodifiableSet(EnumSet.copyOf(system));
        for (String keyword : keywords) {
            if (!isKeyword(keyword)) {
                throw new IllegalArgumentException("bad keyword: " + keyword);
            }
        }
        keywords = Collections.unmodifiableSet(new TreeSet<>(keywords));
    }

    /** The system {@code flags}, without keywords. */
    public static Flags of(Flag... flags) {
        return new Flags(Set.of(flags), Set.of());
    }

    /** Whether the system flag {@code flag} is set. */
    public boolean contains(Flag flag) {
        return system.contains(flag);
    }

    /** Whether there are neither system flags nor keywords. */
    public boolean isEmpty() {
        return system.isEmpty() && keywords.isEmpty();
    }

    /** These system flags with the keywords replaced by {@code newKeywords}. */
    public Flags withKeywords(Set<String> newKeywords) {
        return new Flags(system, newKeywords);
    }

    /** These flags plus {@code other}'s. */
    public Flags plus(Flags other) {
        Set<Flag> s = EnumSet.noneOf(Flag.class);
        s.addAll(system);
        s.addAll(other.system);
        Set<String> k = new TreeSet<>(keywords);
        k.addAll(other.keywords);
        return new Flags(s, k);
    }

    /** These flags without {@code other}'s. */
    public Flags minus(Flags other) {
        Set<Flag> s = EnumSet.noneOf(Flag.class);
        s.addAll(system);
        s.removeAll(other.system);
        Set<String> k = new TreeSet<>(keywords);
        k.removeAll(other.keywords);
        return new Flags(s, k);
    }

    /** The result of STORE with {@code operation} and {@code given} on these flags. */
    public Flags apply(FlagOperation operation, Flags given) {
        switch (operation) {
            case ADD:
                return plus(given);
            case REMOVE:
                return minus(given);
            default:
                return given;
        }
    }

    /**
     * Whether {@code keyword} is an IMAP atom usable as a keyword (RFC 3501 §9 {@code flag-keyword}): printable
     * ASCII without <code>( ) &#123; SP % * " \ ]</code>, at most 100 characters.
     */
    public static boolean isKeyword(String keyword) {
        if (keyword == null || keyword.isEmpty() || keyword.length() > 100) {
            return false;
        }
        for (int i = 0; i < keyword.length(); i++) {
            char c = keyword.charAt(i);
            if (c <= 0x20 || c >= 0x7f || "(){%*\"\\]".indexOf(c) >= 0) {
                return false;
            }
        }
        return true;
    }
}
