package dev.yubin.core.address;

import java.util.Objects;

/**
 * A mailbox address, {@code local-part@domain}, per RFC 5321 §4.1.2 and RFC 6531 (UTF-8 local parts and domains).
 *
 * <p>The local part is kept as written (case-sensitive per RFC 5321, though local users are looked up
 * case-insensitively); a quoted local part is kept in its unquoted form ({@code "a b"@x} has the local part
 * {@code a b}) and quoted again by {@link #toString()}. The domain compares case-insensitively. Immutable and
 * thread-safe.
 *
 * <table>
 *   <caption>Limits</caption>
 *   <tr><th>item</th><th>maximum</th><th>source</th></tr>
 *   <tr><td>local part</td><td>64 octets as written</td><td>RFC 5321 §4.5.3.1.1</td></tr>
 *   <tr><td>domain</td><td>255 octets, labels 63</td><td>RFC 5321 §4.5.3.1.2</td></tr>
 *   <tr><td>path</td><td>256 octets with {@code <>}</td><td>RFC 5321 §4.5.3.1.3</td></tr>
 * </table>
 */
public final class MailAddress {
    private final String localPart;
    private final Domain domain;
    private String text;

    MailAddress(String localPart, Domain domain) {
        this.localPart = localPart;
        this.domain = domain;
    }

    /**
     * Creates an address from an already validated local part (unquoted form) and domain. The local part is not
     * checked; use {@link #parse} for input from clients.
     */
    public static MailAddress of(String localPart, Domain domain) {
        return new MailAddress(Objects.requireNonNull(localPart, "localPart"),
                Objects.requireNonNull(domain, "domain"));
    }

    /**
     * Parses {@code local-part@domain} without angle brackets: {@code Local-part = Dot-string / Quoted-string},
     * then a domain name or an address literal.
     *
     * @throws AddressException with the reason and the index, e.g. {@code "Unbalanced quote"}
     */
    public static MailAddress parse(String text) throws AddressException {
        if (text == null) {
            throw new AddressException("Address missing", "null", 0);
        }
        return AddressParser.mailbox(text, 0, text.length());
    }

    /**
     * Parses a path {@code <local-part@domain>}, checking and dropping an RFC 5321 source route
     * ({@code <@a.example,@b.example:u@c.example>}). The null path {@code <>} is an error here; see
     * {@link ReversePath#parse}.
     *
     * @throws AddressException with the reason and the index
     */
    public static MailAddress parsePath(String text) throws AddressException {
        if (text == null) {
            throw new AddressException("Path missing", "null", 0);
        }
        return AddressParser.path(text);
    }

    /** The local part, unquoted: quoted-pairs resolved and the surrounding quotes removed. */
    public String localPart() {
        return localPart;
    }

    /** The domain, a name or an address literal. */
    public Domain domain() {
        return domain;
    }

    /** Whether the local part must be quoted when written (it is not an RFC 5321 {@code Dot-string}). */
    public boolean isQuotedLocalPart() {
        return !AddressParser.isDotString(localPart);
    }

    /** Whether the address needs SMTPUTF8 (non-ASCII local part or U-label domain). */
    public boolean isInternationalized() {
        if (domain.isInternationalized()) {
            return true;
        }
        for (int i = 0; i < localPart.length(); i++) {
            if (localPart.charAt(i) >= 0x80) {
                return true;
            }
        }
        return false;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MailAddress && ((MailAddress) o).localPart.equals(localPart)
                && ((MailAddress) o).domain.equals(domain);
    }

    @Override
    public int hashCode() {
        return localPart.hashCode() * 31 + domain.hashCode();
    }

    /** {@code local-part@domain}, the local part quoted where it needs to be, the domain in ASCII form. */
    @Override
    public String toString() {
        String result = text;
        if (result == null) {
            result = AddressParser.quoteIfNeeded(localPart) + "@" + domain.ascii();
            text = result; // benign race: every thread computes the same string
        }
        return result;
    }
}
