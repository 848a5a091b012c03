package dev.yubin.core.net;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

class IpAddressesTest {

    @Test
    void ipv6AddressesAreCompressedLikeInetNtop() throws Exception {
        String[][] cases = {
            {"2001:db8:0:0:0:0:0:1", "2001:db8::1"},
            {"::1", "::1"},
            {"::", "::"},
            {"2001:db8:0:1:0:0:0:1", "2001:db8:0:1::1"},
            {"2001:0:0:1:0:0:0:0", "2001:0:0:1::"},
            {"2001:db8:1:1:1:1:0:1", "2001:db8:1:1:1:1:0:1"},
            {"2001:0:0:1:1:0:0:1", "2001::1:1:0:0:1"},
            {"fe80:0:0:0:0:0:0:ABCD", "fe80::abcd"},
        };
        for (String[] c : cases) {
            assertEquals(c[1], IpAddresses.text(InetAddress.getByName(c[0])), c[0]);
        }
    }

    @Test
    void ipv4StaysDottedAndTheClientLabelUsesTheShortForm() throws Exception {
        assertEquals("192.0.2.1", IpAddresses.text(InetAddress.getByName("192.0.2.1")));
        ConnectionInfo client = ConnectionInfo.of("s", new InetSocketAddress(InetAddress.getByName("::1"), 4000),
                new InetSocketAddress(InetAddress.getByName("::1"), 25));
        assertEquals("unknown[::1]", client.clientLabel());
    }
}
