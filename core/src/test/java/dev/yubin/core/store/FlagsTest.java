package dev.yubin.core.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FlagsTest {
    private static final Flags SEEN_WORK = new Flags(Set.of(Flag.SEEN), Set.of("$Work"));

    @Test
    void storeOperationsAddRemoveAndReplace() {
        Flags given = new Flags(Set.of(Flag.FLAGGED, Flag.SEEN), Set.of("todo"));
        assertEquals(new Flags(Set.of(Flag.SEEN, Flag.FLAGGED), Set.of("$Work", "todo")),
                SEEN_WORK.apply(FlagOperation.ADD, given));
        assertEquals(new Flags(Set.of(), Set.of("$Work")), SEEN_WORK.apply(FlagOperation.REMOVE, given));
        assertEquals(given, SEEN_WORK.apply(FlagOperation.REPLACE, given));
        assertTrue(Flags.NONE.isEmpty());
        assertFalse(SEEN_WORK.isEmpty());
    }

    @Test
    void keywordsMustBeAtoms() {
        for (String bad : List.of("", "two words", "\\Seen", "paren(", "star*", "quote\"", "brace{", "br]",
                "ü", "x".repeat(101))) {
            assertFalse(Flags.isKeyword(bad), bad);
            assertThrows(IllegalArgumentException.class, () -> new Flags(Set.of(), Set.of(bad)), bad);
        }
        assertTrue(Flags.isKeyword("$Forwarded"));
        assertTrue(Flags.isKeyword("NonJunk"));
    }

    @Test
    void setsAreCopiedAndUnmodifiable() {
        assertThrows(UnsupportedOperationException.class, () -> SEEN_WORK.system().add(Flag.DRAFT));
        assertThrows(UnsupportedOperationException.class, () -> SEEN_WORK.keywords().add("x"));
        assertEquals("\\Seen", Flag.SEEN.imapName());
    }

    @Test
    void messageInfoChecksUidAndSizes() {
        Instant now = Instant.now();
        assertThrows(IllegalArgumentException.class, () -> new MessageInfo(0, Flags.NONE, false, now, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> new MessageInfo(1L << 32, Flags.NONE, false, now, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> new MessageInfo(1, Flags.NONE, false, now, 5, 4));
        MessageInfo info = new MessageInfo(7, Flags.NONE, true, now, 4, 6);
        assertEquals(SEEN_WORK, info.withFlags(SEEN_WORK).flags());
        assertTrue(info.withFlags(SEEN_WORK).recent());
    }

    @Test
    void resultsValidate() {
        assertThrows(IllegalArgumentException.class, () -> new CopyResult(1, List.of(1L, 2L), List.of(3L)));
        assertThrows(IllegalArgumentException.class, () -> new AppendResult(0, 1));
        assertTrue(MailboxDelta.NONE.isEmpty());
        assertTrue(MailboxAttribute.JUNK.isSpecialUse());
        assertFalse(MailboxAttribute.NOSELECT.isSpecialUse());
        MailboxException e = new MailboxException(MailboxException.Reason.NONEXISTENT, "no such mailbox");
        assertFalse(e.isTemporary());
    }
}
