package dev.yubin.dns;

import dev.yubin.core.address.Domain;
import java.net.InetAddress;
import java.util.List;
import java.util.Objects;

/**
 * One mail exchanger of a domain, with the addresses to connect to, as RFC 5321 §5.1 lists them.
 *
 * <p>An <em>implicit</em> MX is the domain itself, used when it has no MX records but has an address (RFC 5321
 * §5.1: "treated as if it was associated with an implicit MX RR with a preference of 0"), or an address literal
 * such as {@code [192.0.2.1]}. Immutable and thread-safe.
 *
 * @param name the exchanger's host name (the MX target, or the domain itself when implicit)
 * @param preference the MX preference, 0–65535; lower is tried first
 * @param addresses IPv4 addresses first, then IPv6; never empty
 * @param implicit whether this is an implicit MX rather than an MX record
 */
public record MxHost(Domain name, int preference, List<InetAddress> addresses, boolean implicit) {
    /** Validates the fields and copies {@code addresses}. */
    public MxHost {
        Objects.requireNonNull(name, "name");
        if (preference < 0 || preference > 0xFFFF) {
            throw new IllegalArgumentException("MX preference out of range 0-65535: " + preference);
        }
        addresses = List.copyOf(addresses);
        if (addresses.isEmpty()) {
            throw new IllegalArgumentException("MX host " + name + " has no address");
        }
    }

    /** The domain itself as its own exchanger (preference 0), for a domain without MX records. */
    public static MxHost implicit(Domain domain, List<InetAddress> addresses) {
        return new MxHost(domain, 0, addresses, true);
    }

    /** {@code 10 mx1.example.test [192.0.2.1, 2001:db8::1]}, with {@code (implicit)} for an implicit MX. */
    @Override
    public String toString() {
        StringBuilder text = new StringBuilder().append(preference).append(' ').append(name).append(" [");
        for (int i = 0; i < addresses.size(); i++) {
            text.append(i == 0 ? "" : ", ").append(addresses.get(i).getHostAddress());
        }
        return text.append(']').append(implicit ? " (implicit)" : "").toString();
    }
}
