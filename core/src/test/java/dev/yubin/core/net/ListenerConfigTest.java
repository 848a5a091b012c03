package dev.yubin.core.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class ListenerConfigTest {

    @Test
    void parsesIpv4AndPort() throws Exception {
        InetSocketAddress address = ListenerConfig.parseAddress("127.0.0.1:25");
        assertEquals(InetAddress.getByName("127.0.0.1"), address.getAddress());
        assertEquals(25, address.getPort());
    }

    @Test
    void parsesBracketedIpv6() {
        InetSocketAddress address = ListenerConfig.parseAddress("[::1]:25");
        assertTrue(address.getAddress() instanceof Inet6Address);
        assertTrue(address.getAddress().isLoopbackAddress());
        assertEquals(25, address.getPort());
        assertEquals(587, ListenerConfig.parseAddress("[2001:db8::1]:587").getPort());
    }

    @Test
    void wildcardMeansEveryInterface() {
        assertTrue(ListenerConfig.parseAddress("*:2525").getAddress().isAnyLocalAddress());
        assertTrue(ListenerConfig.parseAddress("all:2525").getAddress().isAnyLocalAddress());
        assertEquals(2525, ListenerConfig.parseAddress("*:2525").getPort());
    }

    @Test
    void portZeroAndMaximumAreAccepted() {
        assertEquals(0, ListenerConfig.parseAddress("127.0.0.1:0").getPort());
        assertEquals(65535, ListenerConfig.parseAddress("127.0.0.1:65535").getPort());
    }

    @Test
    void errorsNameTheProblem() {
        assertError("expected host:port", "127.0.0.1");
        assertError("expected host:port", "127.0.0.1:");
        assertError("expected host:port", ":25");
        assertError("expected host:port", "");
        assertError("bad port", "127.0.0.1:smtp");
        assertError("bad port", "127.0.0.1:+25");
        assertError("port out of range", "127.0.0.1:65536");
        assertError("bad port", "127.0.0.1:-1");
        assertError("bad port", "127.0.0.1:999999");
        assertError("write IPv6 addresses in brackets", "::1:25");
        assertError("bad port", "[::1]");
        assertError("empty host", "[]:25");
    }

    private static void assertError(String expected, String item) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ListenerConfig.parseAddress(item));
        assertTrue(e.getMessage().contains(expected), () -> item + ": " + e.getMessage());
    }

    @Test
    void parseListTrimsItemsAndKeepsOrder() {
        ListenerConfig config = ListenerConfig.parse(List.of(" 127.0.0.1:25", "[::1]:25 "), true);
        assertEquals(2, config.addresses().size());
        assertEquals(25, config.addresses().get(1).getPort());
        assertTrue(config.addresses().get(1).getAddress() instanceof Inet6Address);
        assertTrue(config.implicitTls());
    }

    @Test
    void loopbackAndEmptyList() {
        ListenerConfig config = ListenerConfig.loopback(0);
        assertTrue(config.addresses().get(0).getAddress().isLoopbackAddress());
        assertFalse(config.implicitTls());
        assertThrows(IllegalArgumentException.class, () -> new ListenerConfig(List.of(), false));
    }
}
