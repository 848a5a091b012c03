package dev.yubin.core.net;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;

/**
 * An IPv4 or IPv6 network, {@code address/prefix} (RFC 4632 §3.1, RFC 4291 §2.3): one item of Postfix's
 * {@code mynetworks}. A plain address is a block of one ({@code /32} or {@code /128}). Immutable and thread-safe.
 *
 * <p>IPv4-mapped IPv6 addresses ({@code ::ffff:10.1.2.3}, RFC 4291 §2.5.5.2) count as the IPv4 address they carry,
 * both as clients and in blocks, as Postfix's smtpd converts such clients to IPv4.
 *
 * @param network the first address of the block; the bits beyond the prefix must be zero
 * @param prefixLength 0 to 32 for IPv4, 0 to 128 for IPv6
 */
public record CidrBlock(InetAddress network, int prefixLength) {

    /**
     * Checks the prefix length and that the host bits are zero; an IPv4-mapped network becomes IPv4.
     *
     * @throws IllegalArgumentException naming the problem, with the corrected block when host bits are set
     */
    public CidrBlock {
        Objects.requireNonNull(network, "network");
        network = unmapped(network);
        int bits = network.getAddress().length * 8;
        if (prefixLength < 0 || prefixLength > bits) {
            throw new IllegalArgumentException("bad prefix length \"" + prefixLength + "\" (0-" + bits + ")");
        }
        byte[] address = network.getAddress();
        byte[] masked = masked(address, prefixLength);
        if (!Arrays.equals(address, masked)) {
            throw new IllegalArgumentException("non-null host address bits, perhaps you mean "
                    + postfixForm(address(masked), prefixLength));
        }
    }

    /** The block of the single address {@code address}. */
    public static CidrBlock host(InetAddress address) {
        InetAddress plain = unmapped(address);
        return new CidrBlock(plain, plain.getAddress().length * 8);
    }

    /**
     * Parses one item in Postfix's syntax: {@code 192.0.2.1}, {@code 192.0.2.0/24}, {@code [2001:db8::1]} or
     * {@code [2001:db8::]/32}. IPv6 goes in brackets, because Postfix reads {@code name:rest} as a lookup table.
     * Never asks DNS.
     *
     * @throws IllegalArgumentException with the reason, e.g. {@code non-null host address bits, perhaps you mean
     *     10.0.0.0/8}
     */
    public static CidrBlock parse(String text) {
        if (text.startsWith("!") || text.startsWith("/") || text.matches("[A-Za-z0-9_]+:.*")) {
            throw new IllegalArgumentException("negation, /file/name and type:table are not supported yet");
        }
        int slash = text.indexOf('/');
        String host = slash < 0 ? text : text.substring(0, slash);
        InetAddress address;
        boolean mapped = false;
        if (host.startsWith("[")) {
            if (!host.endsWith("]")) {
                throw new IllegalArgumentException("missing \"]\"");
            }
            address = ipv6(host.substring(1, host.length() - 1));
            mapped = address instanceof Inet4Address;
        } else if (host.contains(":")) {
            throw new IllegalArgumentException("write IPv6 networks in brackets, e.g. [::1]/128");
        } else if (isIpv4(host)) {
            address = ipv4(host);
        } else {
            throw new IllegalArgumentException("expected an IP address or network/prefix");
        }
        int bits = mapped ? 128 : address.getAddress().length * 8;
        if (slash < 0) {
            return host(address);
        }
        String prefixText = text.substring(slash + 1);
        if (prefixText.isEmpty() || prefixText.length() > 3 || !prefixText.chars().allMatch(c -> c >= '0' && c <= '9')
                || Integer.parseInt(prefixText) > bits) {
            throw new IllegalArgumentException("bad prefix length \"" + prefixText + "\" (0-" + bits + ")");
        }
        int prefix = Integer.parseInt(prefixText);
        if (mapped) {
            if (prefix < 96) {
                throw new IllegalArgumentException("an IPv4-mapped network needs a prefix length of 96-128");
            }
            prefix -= 96;
        }
        return new CidrBlock(address, prefix);
    }

    /** Whether {@code address} is in this block; an IPv4-mapped IPv6 address is taken as its IPv4 address. */
    public boolean contains(InetAddress address) {
        byte[] candidate = unmapped(address).getAddress();
        byte[] mine = network.getAddress();
        if (candidate.length != mine.length) {
            return false;
        }
        return Arrays.equals(masked(candidate, prefixLength), mine);
    }

    /** Whether this is an IPv6 block. */
    public boolean isIpv6() {
        return network instanceof Inet6Address;
    }

    /** Postfix's form: {@code 10.0.0.0/8}, {@code [2001:db8::]/32}. */
    @Override
    public String toString() {
        return postfixForm(network, prefixLength);
    }

    private static String postfixForm(InetAddress address, int prefix) {
        String text = IpAddresses.text(address);
        return (address instanceof Inet6Address ? "[" + text + "]" : text) + "/" + prefix;
    }

    private static byte[] masked(byte[] address, int prefix) {
        byte[] result = address.clone();
        for (int i = 0; i < result.length; i++) {
            int keep = Math.max(0, Math.min(8, prefix - i * 8));
            result[i] &= (byte) (0xff << (8 - keep));
        }
        return result;
    }

    /** {@code ::ffff:a.b.c.d} as the IPv4 address {@code a.b.c.d}; other addresses unchanged. */
    private static InetAddress unmapped(InetAddress address) {
        byte[] bytes = address.getAddress();
        if (bytes.length != 16) {
            return address;
        }
        for (int i = 0; i < 10; i++) {
            if (bytes[i] != 0) {
                return address;
            }
        }
        if (bytes[10] != (byte) 0xff || bytes[11] != (byte) 0xff) {
            return address;
        }
        return address(new byte[] {bytes[12], bytes[13], bytes[14], bytes[15]});
    }

    private static InetAddress address(byte[] bytes) {
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("4 or 16 bytes expected", e);
        }
    }

    private static boolean isIpv4(String text) {
        return text.matches("[0-9]{1,3}\\.[0-9]{1,3}\\.[0-9]{1,3}\\.[0-9]{1,3}");
    }

    private static InetAddress ipv4(String text) {
        String[] parts = text.split("\\.");
        byte[] result = new byte[4];
        for (int i = 0; i < 4; i++) {
            int octet = Integer.parseInt(parts[i]);
            if (octet > 255) {
                throw new IllegalArgumentException("not a valid IPv4 address");
            }
            result[i] = (byte) octet;
        }
        return address(result);
    }

    /** An IPv6 literal; an IPv4-mapped one comes back as its {@link Inet4Address}. */
    private static InetAddress ipv6(String text) {
        // Only hex digits, colons and dots: InetAddress then parses a literal and never asks DNS.
        if (text.isEmpty() || !text.contains(":") || !text.toLowerCase(Locale.ROOT).matches("[0-9a-f:.]+")) {
            throw new IllegalArgumentException("not a valid IPv6 address");
        }
        try {
            return InetAddress.getByName(text);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not a valid IPv6 address");
        }
    }
}
