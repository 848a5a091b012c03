package dev.yubin.examples.config;

import dev.yubin.core.address.AddressException;
import dev.yubin.core.address.Domain;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Parsers for the value types of {@code main.cf}. Each throws {@link IllegalArgumentException} whose message is
 * the reason, ready to follow {@code bad value "…" for name: }. Stateless and thread-safe.
 */
final class Values {

    private Values() {
    }

    /** Splits a list as Postfix does: on commas and/or whitespace, dropping empty items. */
    static List<String> split(String value) {
        List<String> items = new ArrayList<>();
        for (String item : value.split("[,\\s]+")) {
            if (!item.isEmpty()) {
                items.add(item);
            }
        }
        return items;
    }

    /** A Postfix boolean: {@code yes} or {@code no}, any case. */
    static boolean bool(String value) {
        if (value.equalsIgnoreCase("yes")) {
            return true;
        }
        if (value.equalsIgnoreCase("no")) {
            return false;
        }
        throw new IllegalArgumentException("expected yes or no");
    }

    /** A decimal number of at least {@code min}; Postfix accepts digits only. */
    static long number(String value, long min) {
        if (value.isEmpty() || !value.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new IllegalArgumentException("expected a whole number");
        }
        long n;
        try {
            n = Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("number too large");
        }
        if (n < min) {
            throw new IllegalArgumentException("must be at least " + min);
        }
        return n;
    }

    /**
     * A Postfix time value: a number with an optional unit {@code s} (seconds), {@code m} (minutes), {@code h}
     * (hours), {@code d} (days) or {@code w} (weeks); without a unit, {@code defaultUnit} applies.
     */
    static Duration duration(String value, char defaultUnit, Duration min) {
        int i = 0;
        while (i < value.length() && value.charAt(i) >= '0' && value.charAt(i) <= '9') {
            i++;
        }
        if (i == 0) {
            throw new IllegalArgumentException("expected a time such as 300s");
        }
        String unitText = value.substring(i);
        char unit = unitText.isEmpty() ? defaultUnit : unitText.charAt(0);
        if (unitText.length() > 1 || "smhdw".indexOf(unit) < 0) {
            throw new IllegalArgumentException("unknown time unit \"" + unitText + "\" (use s, m, h, d or w)");
        }
        long seconds;
        switch (unit) {
            case 's': seconds = 1; break;
            case 'm': seconds = 60; break;
            case 'h': seconds = 3600; break;
            case 'd': seconds = 86_400; break;
            default: seconds = 604_800; break;
        }
        Duration result;
        try {
            result = Duration.ofSeconds(Math.multiplyExact(Long.parseLong(value.substring(0, i)), seconds));
        } catch (ArithmeticException | NumberFormatException e) {
            throw new IllegalArgumentException("time too large");
        }
        if (result.compareTo(min) < 0) {
            throw new IllegalArgumentException("must be at least " + min.toSeconds() + "s");
        }
        return result;
    }

    /** DNS servers: IP addresses with an optional port, {@code 127.0.0.1:5353 [::1]:53 192.0.2.53}. */
    static List<java.net.InetSocketAddress> dnsServers(String value) {
        List<java.net.InetSocketAddress> servers = new java.util.ArrayList<>();
        for (String item : split(value)) {
            String host = item;
            int port = 53;
            if (item.startsWith("[")) {
                int close = item.indexOf(']');
                if (close < 0) {
                    throw new IllegalArgumentException("missing ] in " + item);
                }
                host = item.substring(1, close);
                String rest = item.substring(close + 1);
                if (!rest.isEmpty()) {
                    port = port(rest, item);
                }
            } else if (item.indexOf(':') == item.lastIndexOf(':') && item.indexOf(':') > 0) {
                host = item.substring(0, item.indexOf(':'));
                port = port(item.substring(item.indexOf(':')), item);
            }
            boolean literal = host.matches("\\d{1,3}(\\.\\d{1,3}){3}") || host.contains(":")
                    && host.matches("[0-9A-Fa-f:.]+");
            try {
                if (!literal) {
                    throw new java.net.UnknownHostException(host);
                }
                // a literal: no name service is asked
                servers.add(new java.net.InetSocketAddress(java.net.InetAddress.getByName(host), port));
            } catch (java.net.UnknownHostException e) {
                throw new IllegalArgumentException("not an IP address: " + host + " (give the resolver's address)");
            }
        }
        return servers;
    }

    private static int port(String colonPort, String item) {
        String digits = colonPort.startsWith(":") ? colonPort.substring(1) : "";
        if (digits.isEmpty() || digits.length() > 5 || !digits.chars().allMatch(c -> c >= '0' && c <= '9')
                || Integer.parseInt(digits) < 1 || Integer.parseInt(digits) > 65535) {
            throw new IllegalArgumentException("bad port in " + item);
        }
        return Integer.parseInt(digits);
    }

    /** A host or domain name (not an address literal). */
    static Domain hostName(String value) {
        if (value.isEmpty()) {
            throw new IllegalArgumentException("a name is required");
        }
        if (value.startsWith("[") || isIpv4(value) || value.contains(":")) {
            throw new IllegalArgumentException("expected a name, not an address");
        }
        try {
            return Domain.parse(value);
        } catch (AddressException e) {
            throw new IllegalArgumentException("not a valid domain name");
        }
    }

    /** One {@code mydestination} item: a domain name; Postfix's {@code /file} and {@code type:table} are not. */
    static Domain destination(String item) {
        if (item.startsWith("/") || item.matches("[A-Za-z0-9_]+:.*")) {
            throw new IllegalArgumentException("lookup tables (/file/name, type:table) are not supported yet");
        }
        return hostName(item);
    }

    /** An {@code inet_interfaces} item: an IP address or a host name (syntax only; resolved at bind time). */
    static void interfaceAddress(String item) {
        if (item.startsWith("[") && item.endsWith("]")) {
            ipv6(item.substring(1, item.length() - 1));
        } else if (item.contains(":")) {
            ipv6(item);
        } else if (isIpv4(item)) {
            ipv4(item);
        } else if (item.chars().allMatch(c -> c == '.' || Character.isDigit(c))) {
            throw new IllegalArgumentException("not a valid IPv4 address");
        } else {
            hostName(item);
        }
    }

    /**
     * Postfix {@code home_mailbox}: a path relative to the home directory. Only Maildir (a trailing {@code /}) is
     * supported yet; empty (the mail spool) and a file name (mbox) wait for the mbox issue.
     */
    static void homeMailbox(String value) {
        if (value.isEmpty()) {
            return; // Postfix: deliver to the mbox mail_spool_directory/<user>
        }
        if (value.startsWith("/")) {
            throw new IllegalArgumentException("must be relative to the home directory, e.g. Maildir/");
        }
        for (String segment : value.split("/")) {
            if (segment.equals("..")) {
                throw new IllegalArgumentException("must not contain \"..\"");
            }
        }
        if (!value.endsWith("/")) {
            throw new IllegalArgumentException("an mbox in the home directory (no trailing \"/\") is not supported"
                    + " yet; write Maildir/ for Maildir, or leave home_mailbox empty for mbox files in"
                    + " mail_spool_directory");
        }
    }

    static boolean isIpv4(String text) {
        return text.matches("[0-9]{1,3}\\.[0-9]{1,3}\\.[0-9]{1,3}\\.[0-9]{1,3}");
    }

    private static byte[] ipv4(String text) {
        String[] parts = text.split("\\.");
        byte[] result = new byte[4];
        for (int i = 0; i < 4; i++) {
            int octet = Integer.parseInt(parts[i]);
            if (octet > 255) {
                throw new IllegalArgumentException("not a valid IPv4 address");
            }
            result[i] = (byte) octet;
        }
        return result;
    }

    private static byte[] ipv6(String text) {
        // Only hex digits, colons and dots: InetAddress then parses a literal and never asks DNS.
        if (text.isEmpty() || !text.contains(":") || !text.toLowerCase(Locale.ROOT).matches("[0-9a-f:.]+")) {
            throw new IllegalArgumentException("not a valid IPv6 address");
        }
        try {
            byte[] bytes = InetAddress.getByName(text).getAddress();
            if (bytes.length != 16) {
                throw new IllegalArgumentException("not a valid IPv6 address");
            }
            return bytes;
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not a valid IPv6 address");
        }
    }
}
