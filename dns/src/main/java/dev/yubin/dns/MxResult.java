package dev.yubin.dns;

import dev.yubin.core.address.Domain;
import java.util.List;
import java.util.Objects;

/**
 * The outcome of resolving a domain's mail exchangers: hosts to try, a null MX, or a failure that says whether
 * a later attempt may succeed. Immutable and thread-safe.
 *
 * <table>
 *   <caption>Outcomes</caption>
 *   <tr><th>type</th><th>when</th><th>{@link #isTemporary()}</th><th>delivery</th></tr>
 *   <tr><td>{@link Hosts}</td><td>MX records (or an implicit MX) with addresses</td><td>false</td>
 *       <td>try the hosts in order</td></tr>
 *   <tr><td>{@link NullMx}</td><td>a single {@code MX 0 .} (RFC 7505)</td><td>false</td>
 *       <td>bounce, {@code 556 5.1.10}</td></tr>
 *   <tr><td>{@link Permanent}</td><td>NXDOMAIN, no MX and no address, no usable MX host</td><td>false</td>
 *       <td>bounce, {@code 5.1.2} / {@code 5.4.4}</td></tr>
 *   <tr><td>{@link Temporary}</td><td>SERVFAIL, REFUSED, timeout, CNAME loop</td><td>true</td>
 *       <td>defer and retry, {@code 4.4.3}</td></tr>
 * </table>
 */
public sealed interface MxResult permits MxResult.Hosts, MxResult.NullMx, MxResult.Permanent, MxResult.Temporary {
    /** The domain that was resolved. */
    Domain domain();

    /** Whether the failure may go away (SERVFAIL, timeout): the message should stay queued. */
    default boolean isTemporary() {
        return false;
    }

    /** Whether mail for the domain cannot be delivered: a null MX or a permanent failure. */
    default boolean isPermanent() {
        return this instanceof NullMx || this instanceof Permanent;
    }

    /**
     * The exchangers to try, in order: by preference, and shuffled among equal preferences (RFC 5321 §5.1).
     *
     * @param domain the domain resolved
     * @param hosts never empty
     */
    record Hosts(Domain domain, List<MxHost> hosts) implements MxResult {
        /** Validates and copies {@code hosts}. */
        public Hosts {
            Objects.requireNonNull(domain, "domain");
            hosts = List.copyOf(hosts);
            if (hosts.isEmpty()) {
                throw new IllegalArgumentException("no MX host for " + domain);
            }
        }
    }

    /**
     * The domain publishes a null MX ({@code MX 0 .}): it accepts no mail at all (RFC 7505 §3).
     *
     * @param domain the domain resolved
     */
    record NullMx(Domain domain) implements MxResult {
        /** Validates the domain. */
        public NullMx {
            Objects.requireNonNull(domain, "domain");
        }
    }

    /**
     * Mail for the domain cannot be delivered: the domain does not exist, has neither MX nor address records,
     * or none of its MX hosts has an address.
     *
     * @param domain the domain resolved
     * @param reason for the log and the bounce, e.g. {@code "Host not found (NXDOMAIN)"}
     */
    record Permanent(Domain domain, String reason) implements MxResult {
        /** Validates the fields. */
        public Permanent {
            Objects.requireNonNull(domain, "domain");
            Objects.requireNonNull(reason, "reason");
        }
    }

    /**
     * The lookup failed in a way that a later attempt may not (SERVFAIL, timeout).
     *
     * @param domain the domain resolved
     * @param reason for the log and the deferral, e.g. {@code "SERVFAIL for example.test/MX"}
     */
    record Temporary(Domain domain, String reason) implements MxResult {
        /** Validates the fields. */
        public Temporary {
            Objects.requireNonNull(domain, "domain");
            Objects.requireNonNull(reason, "reason");
        }

        @Override
        public boolean isTemporary() {
            return true;
        }
    }
}
