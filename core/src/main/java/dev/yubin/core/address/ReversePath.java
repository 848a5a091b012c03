package dev.yubin.core.address;

import java.util.Objects;
import java.util.Optional;

/**
 * The reverse-path of MAIL FROM: either the null path {@code <>} (bounces, RFC 5321 §4.5.5) or a mailbox.
 * Never {@code null}; use {@link #NULL}. Immutable and thread-safe.
 */
public final class ReversePath {
    /** The null reverse-path {@code <>}. */
    public static final ReversePath NULL = new ReversePath(null);

    private final MailAddress address;

    private ReversePath(MailAddress address) {
        this.address = address;
    }

    /** The reverse-path of a mailbox; use {@link #NULL} for {@code <>}. */
    public static ReversePath of(MailAddress address) {
        return new ReversePath(Objects.requireNonNull(address, "address"));
    }

    /**
     * Parses {@code <>} or a path {@code <local@domain>} (a source route is checked and dropped), per
     * RFC 5321 §4.1.2 {@code Reverse-path = Path / "<>"}.
     *
     * @throws AddressException with the reason and the index
     */
    public static ReversePath parse(String text) throws AddressException {
        if (text == null) {
            throw new AddressException("Path missing", "null", 0);
        }
        if (text.length() == 2 && text.charAt(0) == '<' && text.charAt(1) == '>') {
            return NULL;
        }
        return of(AddressParser.path(text));
    }

    /** Whether this is the null reverse-path {@code <>}. */
    public boolean isNull() {
        return address == null;
    }

    /** The mailbox, or empty for the null reverse-path. */
    public Optional<MailAddress> address() {
        return Optional.ofNullable(address);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ReversePath && Objects.equals(((ReversePath) o).address, address);
    }

    @Override
    public int hashCode() {
        return Objects.hashCode(address);
    }

    /** The address without brackets, or the empty string for the null path (as Postfix logs {@code from=<>}). */
    @Override
    public String toString() {
        return address == null ? "" : address.toString();
    }
}
