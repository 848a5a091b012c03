package dev.yubin.imap.search;

import java.time.ZoneId;
import java.util.Objects;
import java.util.Set;

/**
 * What a SEARCH needs besides the key and the messages. Immutable and thread-safe.
 *
 * @param zone        the zone in which an INTERNALDATE instant has its date for BEFORE, ON and SINCE
 *                    (RFC 3501 §6.4.4 "disregarding time and timezone": the server's zone)
 * @param savedResult the UIDs of the saved search result that {@code $} stands for (RFC 5182 §2.1); empty when
 *                    nothing was saved, which makes {@code $} the empty set
 */
public record SearchOptions(ZoneId zone, Set<Long> savedResult) {

    /** Checks the zone and copies the saved UIDs. */
    public SearchOptions {
        Objects.requireNonNull(zone, "zone");
        savedResult = Set.copyOf(savedResult);
    }

    /** The server's default time zone and no saved result. */
    public static SearchOptions defaults() {
        return new SearchOptions(ZoneId.systemDefault(), Set.of());
    }

    /** These options with the date zone set to {@code newZone}. */
    public SearchOptions withZone(ZoneId newZone) {
        return new SearchOptions(newZone, savedResult);
    }

    /** These options with {@code uids} as the saved result that {@code $} stands for. */
    public SearchOptions withSavedResult(Set<Long> uids) {
        return new SearchOptions(zone, uids);
    }
}
