package dev.yubin.core.text;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SuggestionsTest {
    @Test
    void distanceCountsEdits() {
        assertEquals(0, Suggestions.distance("abc", "abc"));
        assertEquals(3, Suggestions.distance("", "abc"));
        assertEquals(1, Suggestions.distance("reject_unauth_destination", "reject_unauth_destinaition"));
        assertEquals(3, Suggestions.distance("kitten", "sitting"));
    }

    @Test
    void closestIsTheNearestWithinTheLimit() {
        List<String> known = List.of("permit_mynetworks", "reject_unauth_destination", "reject");
        assertEquals(Optional.of("reject_unauth_destination"),
                Suggestions.closest("reject_unauth_destinaition", known, 3));
        assertEquals(Optional.empty(), Suggestions.closest("something_else", known, 3));
        assertEquals(Optional.of("reject"), Suggestions.closest("rejcet", known, 3));
    }
}
