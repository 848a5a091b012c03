package dev.yubin.core.address;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

class DomainTest {

    /** A valid domain: the input, the ASCII form, the Unicode form. */
    record Valid(String input, String ascii, String unicode) {
    }

    /** An IPv6 literal and the address java.net would give for its content. */
    record Ipv6(String literal, String address) {
    }

    /** An invalid domain: the input, the reason (prefix), the index. */
    record Invalid(String input, String reason, int index) {
    }

    private static final String LABEL_63 = "a".repeat(63);
    private static final String NAME_255 = String.join(".", LABEL_63, LABEL_63, LABEL_63, LABEL_63);

    static final List<Valid> VALID = List.of(
            new Valid("example1.jp", "example1.jp", "example1.jp"),
            new Valid("MX.Example1.JP", "mx.example1.jp", "mx.example1.jp"),
            new Valid("localhost", "localhost", "localhost"),
            new Valid("a-b--c.x1", "a-b--c.x1", "a-b--c.x1"),
            new Valid("1.2.3.4", "1.2.3.4", "1.2.3.4"),
            new Valid("例え.jp", "xn--r8jz45g.jp", "例え.jp"),
            new Valid("例え.JP", "xn--r8jz45g.jp", "例え.jp"),
            new Valid("xn--r8jz45g.jp", "xn--r8jz45g.jp", "例え.jp"),
            new Valid("XN--R8JZ45G.JP", "xn--r8jz45g.jp", "例え.jp"),
            new Valid("mail.例え.テスト", "mail.xn--r8jz45g.xn--zckzah", "mail.例え.テスト"),
            new Valid("xn--r8jz45g.テスト", "xn--r8jz45g.xn--zckzah", "例え.テスト"),
            new Valid("BÜCHER.de", "xn--bcher-kva.de", "bücher.de"),
            new Valid(NAME_255, NAME_255, NAME_255),
            new Valid("[127.0.0.1]", "[127.0.0.1]", "[127.0.0.1]"),
            new Valid("[IPv6:::1]", "[IPv6:::1]", "[IPv6:::1]"),
            new Valid("[IPV6:FE80::1]", "[IPv6:fe80::1]", "[IPv6:fe80::1]"),
            new Valid("[x-tag:Any.Thing]", "[x-tag:Any.Thing]", "[x-tag:Any.Thing]"));

    static final List<Ipv6> IPV6 = List.of(
            new Ipv6("[IPv6:2001:db8:0:0:0:0:0:1]", "2001:db8::1"),
            new Ipv6("[IPv6:2001:db8::1]", "2001:db8::1"),
            new Ipv6("[IPv6:::]", "::"),
            new Ipv6("[IPv6:::1]", "::1"),
            new Ipv6("[IPv6:fe80::]", "fe80::"),
            new Ipv6("[IPv6:1:2:3::6:7:8]", "1:2:3::6:7:8"),
            new Ipv6("[IPv6:1:2:3:4:5:6:7:8]", "1:2:3:4:5:6:7:8"),
            new Ipv6("[IPv6:0:0:0:0:0:ffff:192.0.2.1]", "::ffff:192.0.2.1"),
            new Ipv6("[IPv6:::ffff:192.0.2.1]", "::ffff:192.0.2.1"),
            new Ipv6("[IPv6:::192.0.2.1]", "::192.0.2.1"),
            new Ipv6("[IPv6:1:2:3:4::192.0.2.1]", "1:2:3:4::192.0.2.1"),
            new Ipv6("[IPv6:ABCD:EF01::1]", "abcd:ef01::1"));

    static final List<Invalid> INVALID = List.of(
            new Invalid("", "Domain missing", 0),
            new Invalid(".", "Domain starts with '.'", 0),
            new Invalid("a.", "Domain ends with '.'", 1),
            new Invalid("a..b", "Empty domain label", 2),
            new Invalid("-a.jp", "Domain label starts with '-'", 0),
            new Invalid("a-.jp", "Domain label ends with '-'", 1),
            new Invalid("a.-b", "Domain label starts with '-'", 2),
            new Invalid("a_b.jp", "Invalid character '_'", 1),
            new Invalid("a b", "Invalid character ' '", 1),
            new Invalid("a\u0001b", "Invalid character U+0001", 1),
            new Invalid("a\uD83D", "Invalid character U+D83D", 1),
            new Invalid(LABEL_63 + "b.jp", "Domain label too long", 63),
            new Invalid("x." + LABEL_63 + "b", "Domain label too long", 65),
            new Invalid(NAME_255 + "b", "Domain label too long", 255),
            new Invalid(NAME_255 + ".b", "Domain name too long", 255),
            new Invalid("一二三四五六七八九十壱弐参肆伍陸漆捌玖拾百千万億兆京垓𥝱穣溝澗正載極恒河沙阿僧祇那由他.jp",
                    "Domain label too long", 0),
            new Invalid("xn--abc.jp", "Invalid punycode in domain label", 0),
            new Invalid("ok.XN--ZZ.jp", "Invalid punycode in domain label", 3),
            new Invalid("ok.XN--.jp", "Domain label ends with '-'", 6),
            new Invalid("例え。jp", "Invalid character '。'", 2),
            new Invalid("例え．jp", "Invalid character '．'", 2),
            new Invalid("[1.2.3.4", "Address literal not closed with ']'", 8),
            new Invalid("[", "Address literal not closed with ']'", 1),
            new Invalid("[1.2.3.04]x", "Characters after address literal", 10),
            new Invalid("[1.2.3.-4]", "Invalid IPv4 address literal", 7),
            new Invalid("[1.2.3.4 ]", "Invalid IPv4 address literal", 8),
            new Invalid("[IPv6:1:2:3:4:5:6:7:8:9]", "Invalid IPv6 address literal (too many groups)", 22),
            new Invalid("[IPv6:1:2:3:4:5:6:7::]", "Invalid IPv6 address literal (too many groups beside '::')", 6),
            new Invalid("[IPv6:1::3:4:5:6:7:8]", "Invalid IPv6 address literal (too many groups beside '::')", 6),
            new Invalid("[IPv6:1:2:3:4:5:1.2.3.4]", "Invalid IPv6 address literal (6 groups expected)", 6),
            new Invalid("[IPv6:1:2:3:4:5:6:7:1.2.3.4]", "Invalid IPv6 address literal (too many groups)", 20),
            new Invalid("[IPv6:1:2:3:4:5::1.2.3.4]", "Invalid IPv6 address literal (too many groups beside '::')", 6),
            new Invalid("[IPv6:::1.2.3]", "Invalid IPv4 address literal", 13),
            new Invalid("[IPv6:::256.1.1.1]", "Invalid IPv4 address literal", 8),
            new Invalid("[IPv6:1:]", "Invalid IPv6 address literal (ends with ':')", 7),
            new Invalid("[IPv6::1]", "Invalid IPv6 address literal", 6),
            new Invalid("[IPv6:1:::2]", "Invalid IPv6 address literal", 9),
            new Invalid("[IPv6:1:2:3:4:5:6:7:8%eth0]", "Invalid character '%'", 21),
            new Invalid("[IPv6:１::1]", "Invalid IPv6 address literal", 6));

    @TestFactory
    Stream<DynamicTest> validDomainsParse() {
        return VALID.stream().map(c -> DynamicTest.dynamicTest("'" + c.input() + "'", () -> {
            Domain domain = Domain.parse(c.input());
            assertEquals(c.ascii(), domain.ascii(), "ascii");
            assertEquals(c.unicode(), domain.unicode(), "unicode");
            assertEquals(c.ascii(), domain.toString());
            assertEquals(domain, Domain.parse(domain.ascii()), "A-label round trip");
            assertEquals(domain, Domain.parse(domain.unicode()), "U-label round trip");
            assertEquals(domain.hashCode(), Domain.parse(domain.unicode()).hashCode());
        }));
    }

    @TestFactory
    Stream<DynamicTest> ipv6LiteralsGiveTheAddressWithoutDns() {
        return IPV6.stream().map(c -> DynamicTest.dynamicTest("'" + c.literal() + "'", () -> {
            Domain domain = Domain.parse(c.literal());
            assertTrue(domain.isAddressLiteral());
            InetAddress address = domain.literalAddress().orElseThrow();
            assertTrue(address instanceof Inet6Address, address.getClass().getName());
            assertArrayEquals(ipv6Bytes(c.address()), address.getAddress());
        }));
    }

    @TestFactory
    Stream<DynamicTest> invalidDomainsFailWithReasonAndIndex() {
        return INVALID.stream().map(c -> DynamicTest.dynamicTest("'" + c.input() + "'", () -> {
            AddressException e = assertThrows(AddressException.class, () -> Domain.parse(c.input()));
            assertTrue(e.reason().startsWith(c.reason()), () -> "reason was: " + e.reason());
            assertEquals(c.index(), e.index(), () -> "index for " + e.getMessage());
        }));
    }

    /** Parses an IPv6 text with java.net (a numeric literal, so no DNS lookup) keeping the 16-byte form. */
    private static byte[] ipv6Bytes(String text) throws Exception {
        byte[] bytes = InetAddress.getByName(text).getAddress();
        if (bytes.length == 4) { // java.net folds ::ffff:a.b.c.d into an Inet4Address
            byte[] mapped = new byte[16];
            mapped[10] = (byte) 0xff;
            mapped[11] = (byte) 0xff;
            System.arraycopy(bytes, 0, mapped, 12, 4);
            return mapped;
        }
        return bytes;
    }

    @Test
    void ipv4LiteralGivesInet4Address() throws Exception {
        Domain domain = Domain.parse("[192.0.2.1]");
        InetAddress address = domain.literalAddress().orElseThrow();
        assertTrue(address instanceof Inet4Address);
        assertArrayEquals(new byte[] {(byte) 192, 0, 2, 1}, address.getAddress());
        assertTrue(domain.isAddressLiteral());
        assertFalse(domain.isInternationalized());
    }

    @Test
    void namesAndGeneralLiteralsHaveNoLiteralAddress() throws AddressException {
        assertTrue(Domain.parse("example1.jp").literalAddress().isEmpty());
        assertTrue(Domain.parse("[x-tag:abc]").literalAddress().isEmpty());
        assertTrue(Domain.parse("[x-tag:abc]").isAddressLiteral());
        assertFalse(Domain.parse("example1.jp").isAddressLiteral());
    }

    @Test
    void ipLiteralsCompareByAddress() throws AddressException {
        assertEquals(Domain.parse("[IPv6:::1]"), Domain.parse("[IPv6:0:0:0:0:0:0:0:1]"));
        assertEquals(Domain.parse("[IPv6:::1]").hashCode(), Domain.parse("[IPv6:0::0:1]").hashCode());
        assertEquals(Domain.parse("[127.0.0.1]"), Domain.parse("[127.000.0.01]"));
        assertNotEquals(Domain.parse("[127.0.0.1]"), Domain.parse("[IPv6:::ffff:127.0.0.1]"));
        assertNotEquals(Domain.parse("[127.0.0.1]"), Domain.parse("127.0.0.1"));
        assertNotEquals(Domain.parse("[127.0.0.1]"), Domain.parse("[127.0.0.2]"));
    }

    @Test
    void generalLiteralsCompareIgnoringCase() throws AddressException {
        assertEquals(Domain.parse("[X-Tag:ABC]"), Domain.parse("[x-tag:abc]"));
        assertEquals(Domain.parse("[X-Tag:ABC]").hashCode(), Domain.parse("[x-tag:abc]").hashCode());
        assertNotEquals(Domain.parse("[x-tag:abc]"), Domain.parse("[x-tag:abd]"));
    }

    @Test
    void namesCompareIgnoringCaseAndIdnForm() throws AddressException {
        assertEquals(Domain.parse("Example1.JP"), Domain.parse("example1.jp"));
        assertEquals(Domain.parse("例え.jp"), Domain.parse("xn--r8jz45g.jp"));
        assertEquals(Domain.parse("例え.jp").hashCode(), Domain.parse("XN--R8JZ45G.JP").hashCode());
        assertNotEquals(Domain.parse("example1.jp"), Domain.parse("example2.jp"));
    }

    @Test
    void idnRoundTrip() throws AddressException {
        Domain fromUnicode = Domain.parse("例え.jp");
        assertEquals("xn--r8jz45g.jp", fromUnicode.ascii());
        assertTrue(fromUnicode.isInternationalized());
        Domain fromAscii = Domain.parse(fromUnicode.ascii());
        assertEquals("例え.jp", fromAscii.unicode());
        assertEquals(fromUnicode, fromAscii);
        assertFalse(Domain.parse("example1.jp").isInternationalized());
    }

    @Test
    void ofThrowsIllegalArgumentWithTheReason() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Domain.of("a..b"));
        assertTrue(e.getMessage().contains("Empty domain label"), e.getMessage());
        assertThrows(AddressException.class, () -> Domain.parse(null));
    }
}
