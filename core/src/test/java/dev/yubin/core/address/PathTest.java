package dev.yubin.core.address;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

class PathTest {

    /** A valid path and the address it names. */
    record Valid(String input, String address) {
    }

    /** An invalid path with the reason (prefix) and index. */
    record Invalid(String input, String reason, int index) {
    }

    static final List<Valid> VALID = List.of(
            new Valid("<abe@example1.jp>", "abe@example1.jp"),
            new Valid("<Abe@EXAMPLE1.jp>", "Abe@example1.jp"),
            new Valid("<@a.example:user@c.example>", "user@c.example"),
            new Valid("<@a.example,@b.example:user@c.example>", "user@c.example"),
            new Valid("<@例え.jp:user@c.example>", "user@c.example"),
            new Valid("<\"a>b\"@x.jp>", "\"a>b\"@x.jp"),
            new Valid("<\"a b\"@[IPv6:::1]>", "\"a b\"@[IPv6:::1]"),
            new Valid("<阿部@例え.jp>", "阿部@xn--r8jz45g.jp"));

    static final List<Invalid> INVALID = List.of(
            new Invalid("", "Path must be enclosed in '<' and '>'", 0),
            new Invalid("abe@x.jp", "Path must be enclosed in '<' and '>'", 0),
            new Invalid("<abe@x.jp", "Path must be enclosed in '<' and '>'", 9),
            new Invalid("<", "Path must be enclosed in '<' and '>'", 1),
            new Invalid("<>", "Null path not allowed here", 1),
            new Invalid("<@a.example>", "Source route not ended by ':'", 11),
            new Invalid("<@a.example:>", "Address missing", 12),
            new Invalid("<@:u@x.jp>", "Domain missing in source route", 2),
            new Invalid("<@a,b:u@x.jp>", "Source route entry must start with '@'", 4),
            new Invalid("<@a..b:u@x.jp>", "Empty domain label", 4),
            new Invalid("<@[1.2.3.4]:u@x.jp>", "Address literal not allowed in source route", 2),
            new Invalid("<" + "a".repeat(64) + "@" + "b".repeat(63) + "." + "c".repeat(63) + "."
                    + "d".repeat(63) + ".jp>", "Path too long", 256));

    @TestFactory
    Stream<DynamicTest> validPathsParse() {
        return VALID.stream().map(c -> DynamicTest.dynamicTest("'" + c.input() + "'", () -> {
            assertEquals(c.address(), MailAddress.parsePath(c.input()).toString());
            ReversePath path = ReversePath.parse(c.input());
            assertFalse(path.isNull());
            assertEquals(c.address(), path.toString());
            assertEquals(MailAddress.parsePath(c.input()), path.address().orElseThrow());
        }));
    }

    @TestFactory
    Stream<DynamicTest> invalidPathsFailWithReasonAndIndex() {
        return INVALID.stream().map(c -> DynamicTest.dynamicTest("'" + c.input() + "'", () -> {
            AddressException e = assertThrows(AddressException.class, () -> MailAddress.parsePath(c.input()));
            assertTrue(e.reason().startsWith(c.reason()), () -> "reason was: " + e.reason());
            assertEquals(c.index(), e.index(), () -> "index for " + e.getMessage());
            if (!c.input().equals("<>")) {
                AddressException r = assertThrows(AddressException.class, () -> ReversePath.parse(c.input()));
                assertEquals(e.reason(), r.reason());
            }
        }));
    }

    @Test
    void pathOfExactly256OctetsIsAcceptedAnd257IsNot() throws AddressException {
        String domain = "b".repeat(63) + "." + "c".repeat(63) + "." + "d".repeat(61);
        String path = "<" + "a".repeat(64) + "@" + domain + ">";
        assertEquals(256, path.length());
        assertEquals(domain, MailAddress.parsePath(path).domain().ascii());
        String longer = "<" + "a".repeat(64) + "@" + domain + "d>";
        AddressException e = assertThrows(AddressException.class, () -> MailAddress.parsePath(longer));
        assertEquals("Path too long (over 256 octets)", e.reason());
        assertEquals(256, e.index());
    }

    @Test
    void pathLengthCountsUtf8Octets() {
        // 218 chars but 260 octets: the 21 kanji of the local part are 3 octets each
        String local = "阿".repeat(21);
        String domain = "x".repeat(63) + "." + "y".repeat(63) + "." + "z".repeat(63) + ".jp";
        String path = "<" + local + "@" + domain + ">";
        assertTrue(path.length() <= 256);
        AddressException e = assertThrows(AddressException.class, () -> MailAddress.parsePath(path));
        assertTrue(e.reason().startsWith("Path too long"), e.reason());
    }

    @Test
    void nullReversePath() throws AddressException {
        assertSame(ReversePath.NULL, ReversePath.parse("<>"));
        assertTrue(ReversePath.NULL.isNull());
        assertTrue(ReversePath.NULL.address().isEmpty());
        assertEquals("", ReversePath.NULL.toString());
    }

    @Test
    void reversePathEqualityFollowsTheAddress() throws AddressException {
        assertEquals(ReversePath.parse("<abe@EXAMPLE1.jp>"), ReversePath.parse("<@relay.jp:abe@example1.jp>"));
        assertEquals(ReversePath.parse("<>"), ReversePath.NULL);
        assertFalse(ReversePath.parse("<abe@example1.jp>").equals(ReversePath.NULL));
    }

    @Test
    void reversePathRejectsBlankAndNull() {
        assertThrows(AddressException.class, () -> ReversePath.parse("< >"));
        assertThrows(AddressException.class, () -> ReversePath.parse(""));
        assertThrows(AddressException.class, () -> ReversePath.parse(null));
    }
}
