package dev.yubin.core.address;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

class MailAddressTest {

    /** A valid address: the input, the expected local part (unquoted), domain ASCII form and toString. */
    record Valid(String input, String localPart, String domain, String written) {
    }

    /** An invalid address: the input, the expected reason (prefix) and index. */
    record Invalid(String input, String reason, int index) {
    }

    private static final String LOCAL_64 = "a".repeat(64);
    private static final String LABEL_63 = "b".repeat(63);

    static final List<Valid> VALID = List.of(
            new Valid("abe@example1.jp", "abe", "example1.jp", "abe@example1.jp"),
            new Valid("Kato.Taro@Example1.JP", "Kato.Taro", "example1.jp", "Kato.Taro@example1.jp"),
            new Valid("a@b", "a", "b", "a@b"),
            new Valid("!#$%&'*+-/=?^_`{|}~@x.jp", "!#$%&'*+-/=?^_`{|}~", "x.jp", "!#$%&'*+-/=?^_`{|}~@x.jp"),
            new Valid("user+tag@mx-1.example.com", "user+tag", "mx-1.example.com", "user+tag@mx-1.example.com"),
            new Valid("\"abe\"@example1.jp", "abe", "example1.jp", "abe@example1.jp"),
            new Valid("\"a b\"@example1.jp", "a b", "example1.jp", "\"a b\"@example1.jp"),
            new Valid("\"a@b\"@example1.jp", "a@b", "example1.jp", "\"a@b\"@example1.jp"),
            new Valid("\"a\\\"b\"@x.jp", "a\"b", "x.jp", "\"a\\\"b\"@x.jp"),
            new Valid("\"a\\\\b\"@x.jp", "a\\b", "x.jp", "\"a\\\\b\"@x.jp"),
            new Valid("\"\\a\"@x.jp", "a", "x.jp", "a@x.jp"),
            new Valid("\".abe\"@x.jp", ".abe", "x.jp", "\".abe\"@x.jp"),
            new Valid("\"a..b\"@x.jp", "a..b", "x.jp", "\"a..b\"@x.jp"),
            new Valid("\"\"@x.jp", "", "x.jp", "\"\"@x.jp"),
            new Valid("\"<a>\"@x.jp", "<a>", "x.jp", "\"<a>\"@x.jp"),
            new Valid("阿部@例え.jp", "阿部", "xn--r8jz45g.jp", "阿部@xn--r8jz45g.jp"),
            new Valid("josé@exámple.com", "josé", "xn--exmple-qta.com", "josé@xn--exmple-qta.com"),
            new Valid("\"阿 部\"@x.jp", "阿 部", "x.jp", "\"阿 部\"@x.jp"),
            new Valid("😀@x.jp", "😀", "x.jp", "😀@x.jp"),
            new Valid("abe@xn--r8jz45g.jp", "abe", "xn--r8jz45g.jp", "abe@xn--r8jz45g.jp"),
            new Valid("abe@[127.0.0.1]", "abe", "[127.0.0.1]", "abe@[127.0.0.1]"),
            new Valid("abe@[IPv6:::1]", "abe", "[IPv6:::1]", "abe@[IPv6:::1]"),
            new Valid("abe@[ipv6:2001:DB8::1]", "abe", "[IPv6:2001:db8::1]", "abe@[IPv6:2001:db8::1]"),
            new Valid("abe@[x-tag:some.thing]", "abe", "[x-tag:some.thing]", "abe@[x-tag:some.thing]"),
            new Valid(LOCAL_64 + "@x.jp", LOCAL_64, "x.jp", LOCAL_64 + "@x.jp"),
            new Valid("a@" + LABEL_63 + ".jp", "a", LABEL_63 + ".jp", "a@" + LABEL_63 + ".jp"),
            new Valid("a@1.2.3.4", "a", "1.2.3.4", "a@1.2.3.4"));

    static final List<Invalid> INVALID = List.of(
            new Invalid("", "Address missing", 0),
            new Invalid("abe", "'@' missing", 3),
            new Invalid("@example1.jp", "Local part missing", 0),
            new Invalid("abe@", "Domain missing", 4),
            new Invalid(".abe@x.jp", "Local part starts with '.'", 0),
            new Invalid("abe.@x.jp", "Local part ends with '.'", 3),
            new Invalid("a..be@x.jp", "Consecutive dots in local part", 2),
            new Invalid("a b@x.jp", "Invalid character ' '", 1),
            new Invalid("a(b)@x.jp", "Invalid character '('", 1),
            new Invalid("a\"b@x.jp", "Invalid character '\"'", 1),
            new Invalid("a\tb@x.jp", "Invalid character U+0009", 1),
            new Invalid("a\u0000b@x.jp", "Invalid character U+0000", 1),
            new Invalid("\"abe@x.jp", "Unbalanced quote", 0),
            new Invalid("\"abe\\\"@x.jp", "Unbalanced quote", 0),
            new Invalid("\"abe\\", "Unbalanced quote", 0),
            new Invalid("\"abe\"x@x.jp", "Expected '@' after quoted local part", 5),
            new Invalid("\"abe\"", "'@' missing", 5),
            new Invalid("\"a\tb\"@x.jp", "Invalid character U+0009", 2),
            new Invalid("\"a\\\tb\"@x.jp", "Invalid quoted pair", 2),
            new Invalid("\"a\\éb\"@x.jp", "Invalid quoted pair", 2),
            new Invalid("a\uD800b@x.jp", "Invalid character U+D800", 1),
            new Invalid("a\uDC00@x.jp", "Invalid character U+DC00", 1),
            new Invalid("a" + LOCAL_64 + "@x.jp", "Local part too long", 64),
            new Invalid("\"" + LOCAL_64 + "\"@x.jp", "Local part too long", 64),
            new Invalid("あ".repeat(22) + "@x.jp", "Local part too long", 21),
            new Invalid("a@b@x.jp", "Invalid character '@'", 3),
            new Invalid("a@-x.jp", "Domain label starts with '-'", 2),
            new Invalid("a@x-.jp", "Domain label ends with '-'", 3),
            new Invalid("a@.x.jp", "Domain starts with '.'", 2),
            new Invalid("a@x..jp", "Empty domain label", 4),
            new Invalid("a@x.jp.", "Domain ends with '.'", 6),
            new Invalid("a@x_y.jp", "Invalid character '_'", 3),
            new Invalid("a@x y.jp", "Invalid character ' '", 3),
            new Invalid("a@" + LABEL_63 + "c.jp", "Domain label too long", 65),
            new Invalid("a@例え。jp", "Invalid character '。'", 4),
            new Invalid("a@xn--abc.jp", "Invalid punycode in domain label", 2),
            new Invalid("a@ok.xn--zz", "Invalid punycode in domain label", 5),
            new Invalid("a@例え.xn--zz", "Invalid punycode in domain label", 5),
            new Invalid("a@[127.0.0.1", "Address literal not closed with ']'", 12),
            new Invalid("a@[127.0.0.1]x", "Characters after address literal", 13),
            new Invalid("a@[]", "Empty address literal", 3),
            new Invalid("a@[256.0.0.1]", "Invalid IPv4 address literal", 3),
            new Invalid("a@[1.2.3]", "Invalid IPv4 address literal", 8),
            new Invalid("a@[1.2.3.4.5]", "Invalid IPv4 address literal", 10),
            new Invalid("a@[1234.1.1.1]", "Invalid IPv4 address literal", 6),
            new Invalid("a@[IPv6:1::2::3]", "Invalid IPv6 address literal (more than one '::')", 12),
            new Invalid("a@[IPv6:12345::]", "Invalid IPv6 address literal", 12),
            new Invalid("a@[IPv6:1:2:3]", "Invalid IPv6 address literal (8 groups expected)", 8),
            new Invalid("a@[IPv6:g::1]", "Invalid IPv6 address literal", 8),
            new Invalid("a@[IPv6:]", "Invalid IPv6 address literal (8 groups expected)", 8),
            new Invalid("a@[foo]", "Invalid address literal", 3),
            new Invalid("a@[x-tag:]", "Empty general address literal", 9),
            new Invalid("a@[x-tag:a b]", "Invalid character ' '", 10),
            new Invalid("a@[x_tag:ab]", "Invalid character '_'", 4),
            new Invalid("a@[-:ab]", "Invalid address literal tag", 3));

    @TestFactory
    Stream<DynamicTest> validAddressesParse() {
        return VALID.stream().map(c -> DynamicTest.dynamicTest("'" + c.input() + "'", () -> {
            MailAddress address = MailAddress.parse(c.input());
            assertEquals(c.localPart(), address.localPart(), "local part");
            assertEquals(c.domain(), address.domain().ascii(), "domain");
            assertEquals(c.written(), address.toString(), "toString");
            // what toString writes parses back to the same address
            assertEquals(address, MailAddress.parse(address.toString()));
            // and the path form gives the same result
            assertEquals(address, MailAddress.parsePath("<" + c.input() + ">"));
        }));
    }

    @TestFactory
    Stream<DynamicTest> invalidAddressesFailWithReasonAndIndex() {
        return INVALID.stream().map(c -> DynamicTest.dynamicTest("'" + c.input() + "'", () -> {
            AddressException e = assertThrows(AddressException.class, () -> MailAddress.parse(c.input()));
            assertTrue(e.reason().startsWith(c.reason()), () -> "reason was: " + e.reason());
            assertEquals(c.index(), e.index(), () -> "index for " + e.getMessage());
            assertEquals(c.input(), e.input());
            assertTrue(e.getMessage().contains(e.reason() + " at " + e.index()), e.getMessage());
        }));
    }

    @TestFactory
    Stream<DynamicTest> invalidAddressesFailAlsoAsPathsWithIndexShiftedByBracket() {
        // "@x" would read as a source route in a path, so those cases are left out
        Stream<Invalid> cases = INVALID.stream().filter(c -> !c.input().isEmpty() && !c.input().startsWith("@"));
        return cases.map(c -> DynamicTest.dynamicTest("'" + c.input() + "'", () -> {
            AddressException e = assertThrows(AddressException.class,
                    () -> MailAddress.parsePath("<" + c.input() + ">"));
            assertTrue(e.reason().startsWith(c.reason()), () -> "reason was: " + e.reason());
            assertEquals(c.index() + 1, e.index(), () -> "index for " + e.getMessage());
        }));
    }

    @Test
    void ofQuotesLocalPartOnlyWhenWritten() {
        MailAddress address = MailAddress.of("a b", Domain.of("example1.jp"));
        assertEquals("a b", address.localPart());
        assertTrue(address.isQuotedLocalPart());
        assertEquals("\"a b\"@example1.jp", address.toString());
        assertFalse(MailAddress.of("abe", Domain.of("example1.jp")).isQuotedLocalPart());
    }

    @Test
    void quotedAndUnquotedFormsAreEqual() throws AddressException {
        assertEquals(MailAddress.parse("abe@example1.jp"), MailAddress.parse("\"abe\"@example1.jp"));
        assertEquals(MailAddress.parse("abe@example1.jp"), MailAddress.parse("\"a\\be\"@EXAMPLE1.JP"));
    }

    @Test
    void domainComparesCaseInsensitivelyLocalPartCaseSensitively() throws AddressException {
        MailAddress lower = MailAddress.parse("abe@example1.jp");
        assertEquals(lower, MailAddress.parse("abe@Example1.JP"));
        assertEquals(lower.hashCode(), MailAddress.parse("abe@Example1.JP").hashCode());
        assertNotEquals(lower, MailAddress.parse("Abe@example1.jp"));
        assertNotEquals(lower, MailAddress.parse("abe@example2.jp"));
    }

    @Test
    void idnDomainsInBothFormsAreEqual() throws AddressException {
        MailAddress unicode = MailAddress.parse("abe@例え.jp");
        MailAddress ascii = MailAddress.parse("abe@XN--R8JZ45G.jp");
        assertEquals(unicode, ascii);
        assertEquals(unicode.hashCode(), ascii.hashCode());
        assertEquals("例え.jp", ascii.domain().unicode());
        assertTrue(unicode.isInternationalized());
    }

    @Test
    void internationalizedOnlyWithNonAsciiParts() throws AddressException {
        assertFalse(MailAddress.parse("abe@example1.jp").isInternationalized());
        assertTrue(MailAddress.parse("阿部@example1.jp").isInternationalized());
        assertTrue(MailAddress.parse("abe@例え.jp").isInternationalized());
    }

    @Test
    void nullInputIsAnErrorNotANullPointer() {
        assertThrows(AddressException.class, () -> MailAddress.parse(null));
        assertThrows(AddressException.class, () -> MailAddress.parsePath(null));
    }
}
