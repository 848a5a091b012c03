package dev.yubin.core.net;

import java.net.Inet6Address;
import java.net.InetAddress;

/** IP addresses as text the way Postfix writes them (inet_ntop). Stateless and thread-safe. */
public final class IpAddresses {
    private IpAddresses() {
    }

    /**
     * {@code 192.0.2.1}, or an IPv6 address in the RFC 5952 form: {@code 2001:db8::1}, {@code ::1} (Java's
     * {@link InetAddress#getHostAddress()} gives {@code 2001:db8:0:0:0:0:0:1}); no zone suffix.
     */
    public static String text(InetAddress address) {
        return address instanceof Inet6Address ? compressed(address.getAddress()) : address.getHostAddress();
    }

    private static String compressed(byte[] bytes) {
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = (bytes[2 * i] & 0xff) << 8 | bytes[2 * i + 1] & 0xff;
        }
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < 8; ) {
            int j = i;
            while (j < 8 && groups[j] == 0) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = j == i ? i + 1 : j;
        }
        StringBuilder out = new StringBuilder(39);
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                out.append("::");
                i += bestLength - 1;
                continue;
            }
            if (out.length() > 0 && out.charAt(out.length() - 1) != ':') {
                out.append(':');
            }
            out.append(Integer.toHexString(groups[i]));
        }
        return out.toString();
    }

}
