package dev.yubin.core.address;

/**
 * A mailbox address, {@code local-part@domain}, per RFC 5321 §4.1.2 and RFC 6531 (UTF-8 local parts).
 *
 * <p>The local part is kept as written (case-sensitive per RFC 5321, though local users are looked up
 * case-insensitively); a quoted local part is kept in its unquoted form. Immutable and thread-safe.
 */
public final class MailAddress {
    private final String localPart;
    private final Domain domain;

    private MailAddress(String localPart, Domain domain) {
        this.localPart = localPart;
        this.domain = domain;
    }

    /** Creates an address from an already validated local part and domain. */
    public static MailAddress of(String localPart, Domain domain) {
        return new MailAddress(localPart, domain);
    }

    /** Parses {@code local-part@domain} without angle brackets. */
    public static MailAddress parse(String text) throws AddressException {
        int at = text.lastIndexOf('@');
        if (at <= 0) {
            throw new AddressException(at == 0 ? "Local part missing" : "'@' missing", text, Math.max(at, 0));
        }
        return new MailAddress(text.substring(0, at), Domain.parse(text.substring(at + 1)));
    }

    /** Parses a path {@code <local-part@domain>}, dropping an RFC 5321 source route ({@code <@a,@b:u@d>}). */
    public static MailAddress parsePath(String text) throws AddressException {
        if (text.length() < 2 || text.charAt(0) != '<' || text.charAt(text.length() - 1) != '>') {
            throw new AddressException("Path must be enclosed in '<' and '>'", text, 0);
        }
        String inner = text.substring(1, text.length() - 1);
        if (inner.startsWith("@")) {
            int colon = inner.indexOf(':');
            if (colon < 0) {
                throw new AddressException("Source route not ended by ':'", text, 1);
            }
            inner = inner.substring(colon + 1);
        }
        return parse(inner);
    }

    public String localPart() {
        return localPart;
    }

    public Domain domain() {
        return domain;
    }

    /** Whether the address needs SMTPUTF8 (non-ASCII local part or U-label domain). */
    public boolean isInternationalized() {
        return domain.isInternationalized() || !localPart.chars().allMatch(c -> c < 0x80);
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
        return localPart + "@" + domain.ascii();
    }
}
