package dev.yubin.core.net;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Where one server listens: a list of addresses (like Postfix {@code inet_interfaces} with a port each), and
 * whether the connection starts with TLS (implicit TLS, RFC 8314). Port 0 picks a free port at bind time.
 * Immutable.
 */
public record ListenerConfig(List<InetSocketAddress> addresses, boolean implicitTls) {

    /**
     * Copies the addresses.
     *
     * @throws IllegalArgumentException if there are none
     */
    public ListenerConfig {
        addresses = List.copyOf(addresses);
        if (addresses.isEmpty()) {
            throw new IllegalArgumentException("a listener needs at least one address");
        }
    }

    /** 127.0.0.1 on {@code port} (0 for any free port), plaintext. */
    public static ListenerConfig loopback(int port) {
        return new ListenerConfig(List.of(new InetSocketAddress(InetAddress.getLoopbackAddress(), port)), false);
    }

    /**
     * Parses {@code host:port} items: {@code 127.0.0.1:25}, {@code [::1]:25}, {@code localhost:2525}, {@code *:25}
     * (every interface). Host names are resolved now, so this may block briefly.
     */
    public static ListenerConfig parse(List<String> items, boolean implicitTls) {
        List<InetSocketAddress> result = new ArrayList<>();
        for (String item : items) {
            result.add(parseAddress(item.trim()));
        }
        return new ListenerConfig(result, implicitTls);
    }

    /** Parses one {@code host:port}; throws {@link IllegalArgumentException} with the reason. */
    public static InetSocketAddress parseAddress(String item) {
        Objects.requireNonNull(item, "item");
        int colon = item.lastIndexOf(':');
        if (colon <= 0 || colon == item.length() - 1) {
            throw new IllegalArgumentException("expected host:port, got '" + item + "'");
        }
        String host = item.substring(0, colon);
        String digits = item.substring(colon + 1);
        if (digits.length() > 5 || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new IllegalArgumentException("bad port in '" + item + "'");
        }
        int port = Integer.parseInt(digits);
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port out of range in '" + item + "'");
        }
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
            if (host.isEmpty()) {
                throw new IllegalArgumentException("empty host in '" + item + "'");
            }
        } else if (host.contains(":")) {
            throw new IllegalArgumentException("write IPv6 addresses in brackets: '[::1]:25', got '" + item + "'");
        }
        if (host.equals("*") || host.equals("all")) {
            return new InetSocketAddress(port);
        }
        try {
            return new InetSocketAddress(InetAddress.getByName(host), port);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("unknown host in '" + item + "'");
        }
    }
}
