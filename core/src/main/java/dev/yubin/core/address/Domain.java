package dev.yubin.core.address;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * A domain name or an address literal, as in RFC 5321 §4.1.2 ({@code Domain / address-literal}) and §4.1.3.
 *
 * <p>Names are kept in both forms: {@link #ascii()} (A-labels, lower case) and {@link #unicode()} (U-labels).
 * Equality is case-insensitive and IDN-aware: {@code 例え.jp} equals {@code xn--r8jz45g.jp}. IP literals
 * ({@code [127.0.0.1]}, {@code [IPv6:::1]}) compare by address, so {@code [IPv6:0::1]} equals {@code [IPv6:::1]};
 * general literals ({@code [tag:content]}) by their text ignoring case. Immutable and thread-safe.
 *
 * <table>
 *   <caption>Accepted forms</caption>
 *   <tr><th>form</th><th>example</th><th>rule</th></tr>
 *   <tr><td>name</td><td>{@code mx.Example1.jp}</td>
 *       <td>labels {@code Let-dig [Ldh-str]}, ≤ 63 octets, name ≤ 255</td></tr>
 *   <tr><td>IDN</td><td>{@code 例え.jp}, {@code xn--r8jz45g.jp}</td><td>RFC 6531; {@link java.net.IDN}
 *       (IDNA2003); bad punycode is an error</td></tr>
 *   <tr><td>IPv4 literal</td><td>{@code [192.0.2.1]}</td><td>four decimal octets 0–255</td></tr>
 *   <tr><td>IPv6 literal</td><td>{@code [IPv6:2001:db8::1]}, {@code [IPv6:::ffff:192.0.2.1]}</td>
 *       <td>RFC 5321 §4.1.3 forms; {@code ::} stands for at least two groups</td></tr>
 *   <tr><td>general literal</td><td>{@code [x-tag:content]}</td><td>accepted as text</td></tr>
 * </table>
 */
public final class Domain {
    private final String ascii;
    private final String unicode;
    private final boolean literal;
    /** The address of an IP literal (4 or 16 bytes), else {@code null}. Never exposed. */
    private final byte[] ip;
    /** What equality compares: the lower-case ASCII form (names, general literals); unused for IP literals. */
    private final String key;

    private Domain(String ascii, String unicode, boolean literal, byte[] ip) {
        this.ascii = ascii;
        this.unicode = unicode;
        this.literal = literal;
        this.ip = ip;
        this.key = literal && ip == null ? ascii.toLowerCase(Locale.ROOT) : ascii;
    }

    static Domain name(String ascii, String unicode) {
        return new Domain(ascii, unicode.equals(ascii) ? ascii : unicode, false, null);
    }

    static Domain literal(String text, byte[] ip) {
        return new Domain(text, text, true, ip);
    }

    /**
     * Parses a domain name (ASCII, A-labels or UTF-8 U-labels) or an address literal in brackets.
     *
     * @throws AddressException with the reason and the index, e.g. {@code "Domain label too long"}
     */
    public static Domain parse(String text) throws AddressException {
        if (text == null) {
            throw new AddressException("Domain missing", "null", 0);
        }
        return AddressParser.domain(text, 0, text.length());
    }

    /** Parses a domain that is known to be valid (configuration constants); throws {@link IllegalArgumentException}. */
    public static Domain of(String text) {
        try {
            return parse(text);
        } catch (AddressException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    /** The A-label form in lower case, or the address literal with its brackets ({@code [IPv6:…]} in lower case). */
    public String ascii() {
        return ascii;
    }

    /** The U-label form (equal to {@link #ascii()} for ASCII names and literals). */
    public String unicode() {
        return unicode;
    }

    /** Whether this is an address literal such as {@code [192.0.2.1]}. */
    public boolean isAddressLiteral() {
        return literal;
    }

    /**
     * The address of an IPv4 or IPv6 literal, built without DNS; empty for names and general literals.
     * An {@code [IPv6:::ffff:a.b.c.d]} literal gives an {@link Inet6Address}.
     */
    public Optional<InetAddress> literalAddress() {
        if (ip == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(ip.length == 4 ? InetAddress.getByAddress(ip)
                    : Inet6Address.getByAddress(null, ip, -1));
        } catch (UnknownHostException e) {
            throw new IllegalStateException("unreachable: address of " + ip.length + " bytes", e);
        }
    }

    /** Whether the name has labels outside ASCII (needs SMTPUTF8 or A-label conversion). */
    public boolean isInternationalized() {
        return !unicode.equals(ascii);
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof Domain)) {
            return false;
        }
        Domain other = (Domain) o;
        if (ip != null || other.ip != null) {
            return Arrays.equals(ip, other.ip);
        }
        return literal == other.literal && key.equals(other.key);
    }

    @Override
    public int hashCode() {
        return ip != null ? Arrays.hashCode(ip) : key.hashCode();
    }

    /** The ASCII form. */
    @Override
    public String toString() {
        return ascii;
    }
}
