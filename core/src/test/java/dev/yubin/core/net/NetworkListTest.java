package dev.yubin.core.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class NetworkListTest {

    private static InetAddress ip(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void postfixDefaultIsLoopbackOnly() {
        NetworkList loopback = NetworkList.LOOPBACK;
        assertEquals("127.0.0.0/8 [::1]/128", loopback.toString());
        assertTrue(loopback.contains(ip("127.0.0.1")));
        assertTrue(loopback.contains(ip("127.1.2.3")));
        assertTrue(loopback.contains(ip("::1")));
        assertTrue(loopback.contains(ip("::ffff:127.0.0.1")));
        assertFalse(loopback.contains(ip("192.0.2.1")));
        assertFalse(loopback.contains(ip("::2")));
    }

    @Test
    void itemsSplitOnCommasAndWhitespace() {
        NetworkList list = NetworkList.parse(
                "192.168.56.101, 192.168.56.0/24\t10.0.0.0/8,,[2001:db8::]/32\n [fe80::1]");
        assertEquals(List.of("192.168.56.101/32", "192.168.56.0/24", "10.0.0.0/8", "[2001:db8::]/32",
                "[fe80::1]/128"), list.blocks().stream().map(CidrBlock::toString).toList());
        assertTrue(list.contains(ip("10.1.2.3")));
        assertTrue(list.contains(ip("::ffff:10.1.2.3")));
        assertTrue(list.contains(ip("2001:db8::25")));
        assertTrue(list.contains(ip("192.168.56.200")));
        assertFalse(list.contains(ip("192.168.57.1")));
        assertFalse(list.contains(ip("fe80::2")));
    }

    @Test
    void emptyTextIsNoNetworks() {
        assertEquals(NetworkList.NONE, NetworkList.parse(""));
        assertEquals(NetworkList.NONE, NetworkList.parse(" , "));
        assertTrue(NetworkList.NONE.isEmpty());
        assertFalse(NetworkList.NONE.contains(ip("127.0.0.1")));
    }

    @Test
    void aBadItemIsNamedWithItsReason() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> NetworkList.parse("127.0.0.1, 10.1.2.3/8"));
        assertEquals("bad network \"10.1.2.3/8\": non-null host address bits, perhaps you mean 10.0.0.0/8",
                e.getMessage());
    }

    @Test
    void theListIsACopy() {
        var blocks = new ArrayList<>(List.of(CidrBlock.parse("10.0.0.0/8")));
        NetworkList list = new NetworkList(blocks);
        blocks.clear();
        assertTrue(list.contains(ip("10.0.0.1")));
        assertEquals(NetworkList.of(CidrBlock.parse("10.0.0.0/8")), list);
    }
}
