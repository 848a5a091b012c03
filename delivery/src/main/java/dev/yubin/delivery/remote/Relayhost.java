package dev.yubin.delivery.remote;

import java.util.Objects;

/**
 * Postfix's {@code relayhost}: the next hop for all remote mail. {@code [host]:port} (or {@code [host]}) names the
 * host itself; without brackets the name's MX records are looked up (Postfix's syntax). Immutable.
 *
 * @param host a host name or IP address
 * @param port default 25
 * @param mxLookup whether {@code host} is a domain whose MX hosts are used
 */
public record Relayhost(String host, int port, boolean mxLookup) {
    /** Checks that the host is not empty and the port is 1 to 65535. */
    public Relayhost {
        Objects.requireNonNull(host, "host");
        if (host.isEmpty() || port < 1 || port > 65535) {
            throw new IllegalArgumentException("bad relayhost " + host + ":" + port);
        }
    }

    /** Parses {@code [mail.isp.example]:587}, {@code [192.0.2.1]}, {@code isp.example}, {@code isp.example:2525}. */
    public static Relayhost parse(String text) {
        String t = text.trim();
        boolean bracketed = t.startsWith("[");
        String host;
        String rest;
        if (bracketed) {
            int close = t.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException("missing ] in relayhost " + text);
            }
            host = t.substring(1, close);
            rest = t.substring(close + 1);
        } else {
            int colon = t.lastIndexOf(':');
            host = colon < 0 ? t : t.substring(0, colon);
            rest = colon < 0 ? "" : t.substring(colon);
        }
        int port = 25;
        if (!rest.isEmpty()) {
            if (!rest.startsWith(":") || rest.length() == 1 || !rest.substring(1).chars().allMatch(Character::isDigit)
                    || rest.length() > 6) {
                throw new IllegalArgumentException("bad port in relayhost " + text);
            }
            port = Integer.parseInt(rest.substring(1));
        }
        return new Relayhost(host, port, !bracketed);
    }

    @Override
    public String toString() {
        return (mxLookup ? host : "[" + host + "]") + (port == 25 ? "" : ":" + port);
    }
}
