package dev.yubin.core.address;

import java.net.IDN;
import java.util.Locale;

/**
 * A domain name or an address literal, as in RFC 5321 §4.1.2 ({@code Domain / address-literal}).
 *
 * <p>Names are kept in both forms: {@link #ascii()} (A-labels, lower case) and {@link #unicode()} (U-labels).
 * Equality is case-insensitive and IDN-aware: {@code 例え.jp} equals {@code xn--r8jz45g.jp}. Address literals
 * ({@code [127.0.0.1]}, {@code [IPv6:::1]}) compare by their text in lower case. Immutable and thread-safe.
 */
public final class Domain {
    private final String ascii;
    private final String unicode;
    private final boolean literal;

    private Domain(String ascii, String unicode, boolean literal) {
        this.ascii = ascii;
        this.unicode = unicode;
        this.literal = literal;
    }

    /** Parses a domain name (ASCII or UTF-8 U-labels) or an address literal in brackets. */
    public static Domain parse(String text) throws AddressException {
        if (text == null || text.isEmpty()) {
            throw new AddressException("Domain missing", String.valueOf(text), 0);
        }
        if (text.charAt(0) == '[') {
            if (text.charAt(text.length() - 1) != ']') {
                throw new AddressException("Address literal not closed with ']'", text, text.length());
            }
            return new Domain(text.toLowerCase(Locale.ROOT), text.toLowerCase(Locale.ROOT), true);
        }
        String ascii;
        try {
            ascii = IDN.toASCII(text, IDN.USE_STD3_ASCII_RULES).toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            throw new AddressException("Invalid domain name", text, 0);
        }
        if (ascii.isEmpty() || ascii.startsWith(".") || ascii.endsWith(".") || ascii.contains("..")) {
            throw new AddressException("Invalid domain name", text, 0);
        }
        return new Domain(ascii, IDN.toUnicode(ascii, IDN.USE_STD3_ASCII_RULES), false);
    }

    /** Parses a domain that is known to be valid (configuration constants); throws {@link IllegalArgumentException}. */
    public static Domain of(String text) {
        try {
            return parse(text);
        } catch (AddressException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    /** The A-label form in lower case, or the address literal with its brackets. */
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

    /** Whether the name has labels outside ASCII (needs SMTPUTF8 or A-label conversion). */
    public boolean isInternationalized() {
        return !ascii.equals(unicode);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Domain && ((Domain) o).ascii.equals(ascii);
    }

    @Override
    public int hashCode() {
        return ascii.hashCode();
    }

    /** The ASCII form. */
    @Override
    public String toString() {
        return ascii;
    }
}
