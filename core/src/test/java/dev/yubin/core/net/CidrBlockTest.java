package dev.yubin.core.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import org.junit.jupiter.api.Test;

class CidrBlockTest {

    private static InetAddress ip(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void postfixItemsParseToTheirCanonicalForm() {
        String[][] cases = {
            {"192.0.2.1", "192.0.2.1/32"},
            {"192.168.56.0/24", "192.168.56.0/24"},
            {"10.0.0.0/8", "10.0.0.0/8"},
            {"0.0.0.0/0", "0.0.0.0/0"},
            {"[::1]", "[::1]/128"},
            {"[::1]/128", "[::1]/128"},
            {"[2001:DB8::]/32", "[2001:db8::]/32"},
            {"[fe80::1]", "[fe80::1]/128"},
            {"[::]/0", "[::]/0"},
            {"[::ffff:10.0.0.0]/104", "10.0.0.0/8"},
            {"[::ffff:192.0.2.1]", "192.0.2.1/32"},
        };
        for (String[] c : cases) {
            assertEquals(c[1], CidrBlock.parse(c[0]).toString(), c[0]);
        }
    }

    @Test
    void badItemsNameTheReason() {
        String[][] cases = {
            {"192.168.1.1/24", "non-null host address bits, perhaps you mean 192.168.1.0/24"},
            {"[2001:db8::1]/32", "non-null host address bits, perhaps you mean [2001:db8::]/32"},
            {"10.0.0.0/33", "bad prefix length \"33\" (0-32)"},
            {"[::]/129", "bad prefix length \"129\" (0-128)"},
            {"10.0.0.0/", "bad prefix length \"\" (0-32)"},
            {"10.0.0.0/-1", "bad prefix length \"-1\" (0-32)"},
            {"10.0.0.0/0008", "bad prefix length \"0008\" (0-32)"},
            {"::1/128", "write IPv6 networks in brackets, e.g. [::1]/128"},
            {"300.1.1.1", "not a valid IPv4 address"},
            {"example.com", "expected an IP address or network/prefix"},
            {"!10.0.0.0/8", "negation, /file/name and type:table are not supported yet"},
            {"hash:/etc/postfix/network_table", "negation, /file/name and type:table are not supported yet"},
            {"/etc/postfix/networks", "negation, /file/name and type:table are not supported yet"},
            {"[::1/128", "missing \"]\""},
            {"[gg::1]", "not a valid IPv6 address"},
            {"[192.0.2.1]", "not a valid IPv6 address"},
            {"[fe80::1%eth0]", "not a valid IPv6 address"},
            {"[::ffff:10.0.0.0]/8", "an IPv4-mapped network needs a prefix length of 96-128"},
        };
        for (String[] c : cases) {
            assertEquals(c[1], assertThrows(IllegalArgumentException.class, () -> CidrBlock.parse(c[0]), c[0])
                    .getMessage(), c[0]);
        }
    }

    @Test
    void containsComparesOnlyThePrefixBits() {
        CidrBlock ten = CidrBlock.parse("10.0.0.0/8");
        assertTrue(ten.contains(ip("10.0.0.0")));
        assertTrue(ten.contains(ip("10.255.255.255")));
        assertFalse(ten.contains(ip("11.0.0.0")));
        assertFalse(ten.contains(ip("9.255.255.255")));
        CidrBlock odd = CidrBlock.parse("192.168.56.96/27");
        assertTrue(odd.contains(ip("192.168.56.127")));
        assertFalse(odd.contains(ip("192.168.56.128")));
        assertFalse(odd.contains(ip("192.168.56.95")));
        assertTrue(CidrBlock.parse("0.0.0.0/0").contains(ip("203.0.113.7")));
        CidrBlock doc = CidrBlock.parse("[2001:db8::]/32");
        assertTrue(doc.contains(ip("2001:db8:ffff::1")));
        assertFalse(doc.contains(ip("2001:db9::1")));
        assertTrue(CidrBlock.parse("[::1]").contains(ip("::1")));
        assertFalse(CidrBlock.parse("[::1]").contains(ip("::2")));
    }

    @Test
    void familiesDoNotMix() {
        assertFalse(CidrBlock.parse("[::]/0").contains(ip("127.0.0.1")));
        assertFalse(CidrBlock.parse("0.0.0.0/0").contains(ip("::1")));
        // ::a.b.c.d (IPv4-compatible, deprecated) is an IPv6 address, not IPv4
        assertFalse(CidrBlock.parse("10.0.0.0/8").contains(ip("::10.1.2.3")));
    }

    @Test
    void ipv4MappedClientsMatchIpv4Blocks() throws Exception {
        byte[] mapped = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, 10, 1, 2, 3};
        // Java usually turns a mapped address into an Inet4Address; a native transport may still hand over an
        // Inet6Address that carries one, so both must match.
        InetAddress asInet6 = Inet6Address.getByAddress(null, mapped, -1);
        assertTrue(asInet6 instanceof Inet6Address);
        assertTrue(CidrBlock.parse("10.0.0.0/8").contains(asInet6));
        assertTrue(CidrBlock.parse("10.0.0.0/8").contains(ip("::ffff:10.1.2.3")));
        assertFalse(CidrBlock.parse("10.0.0.0/8").contains(Inet6Address.getByAddress(null,
                new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, 11, 1, 2, 3}, -1)));
        assertTrue(CidrBlock.parse("[::ffff:10.0.0.0]/104").contains(ip("10.9.9.9")));
        assertEquals("10.1.2.3/32", CidrBlock.host(asInet6).toString());
    }

    @Test
    void constructorRejectsHostBitsAndBadPrefixes() {
        assertThrows(IllegalArgumentException.class, () -> new CidrBlock(ip("10.1.0.0"), 8));
        assertThrows(IllegalArgumentException.class, () -> new CidrBlock(ip("10.0.0.0"), 33));
        assertThrows(IllegalArgumentException.class, () -> new CidrBlock(ip("10.0.0.0"), -1));
        assertEquals(new CidrBlock(ip("10.0.0.0"), 8), CidrBlock.parse("10.0.0.0/8"));
        assertTrue(CidrBlock.parse("[::1]").isIpv6());
        assertFalse(CidrBlock.parse("10.0.0.0/8").isIpv6());
    }
}
