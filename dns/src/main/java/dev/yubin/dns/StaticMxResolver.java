package dev.yubin.dns;

import dev.yubin.core.address.Domain;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import org.xbill.DNS.Address;

/**
 * Mail exchangers from a fixed table, with no DNS server: for tests and closed networks, as {@code /etc/hosts}
 * and a transport map would give them. Immutable and thread-safe.
 *
 * <table>
 *   <caption>Lookup order for a domain</caption>
 *   <tr><th>entry</th><th>result</th></tr>
 *   <tr><td>an address literal such as {@code [192.0.2.1]}</td><td>that address, as an implicit MX</td></tr>
 *   <tr><td>{@link Builder#mx mx(domain, …)}</td><td>those hosts, by preference, shuffled among equals</td></tr>
 *   <tr><td>{@link Builder#nullMx nullMx(domain)}</td><td>{@link MxResult.NullMx}</td></tr>
 *   <tr><td>{@link Builder#temporaryFailure temporaryFailure(domain, …)}</td><td>{@link MxResult.Temporary}
 *       (to test deferral)</td></tr>
 *   <tr><td>{@link Builder#host host(domain, …)} alone</td><td>the domain as an implicit MX</td></tr>
 *   <tr><td>none of these</td><td>the {@link Builder#fallback fallback} resolver, or else
 *       {@link MxResult.Permanent}</td></tr>
 * </table>
 *
 * <p>Names match exactly, ignoring case; there are no wildcards.
 */
public final class StaticMxResolver implements MxResolver {
    private record Exchanger(Domain name, int preference) {
    }

    private final Map<Domain, List<Exchanger>> exchangers;
    private final Set<Domain> nullMx;
    private final Map<Domain, List<InetAddress>> hosts;
    private final Map<Domain, String> temporaryFailures;
    private final Optional<MxResolver> fallback;
    private final Supplier<RandomGenerator> random;

    private StaticMxResolver(Builder builder) {
        Map<Domain, List<Exchanger>> copy = new HashMap<>();
        builder.exchangers.forEach((domain, list) -> copy.put(domain, List.copyOf(list)));
        this.exchangers = Map.copyOf(copy);
        this.nullMx = Set.copyOf(builder.nullMx);
        this.hosts = Map.copyOf(builder.hosts);
        this.temporaryFailures = Map.copyOf(builder.temporaryFailures);
        this.fallback = Optional.ofNullable(builder.fallback);
        this.random = builder.random;
    }

    /** An empty table. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public CompletionStage<MxResult> resolve(Domain domain) {
        Objects.requireNonNull(domain, "domain");
        if (domain.isAddressLiteral()) {
            return CompletableFuture.completedFuture(literal(domain));
        }
        if (nullMx.contains(domain)) {
            return CompletableFuture.completedFuture(new MxResult.NullMx(domain));
        }
        List<Exchanger> mx = exchangers.get(domain);
        if (mx != null) {
            List<MxHost> list = new ArrayList<>();
            for (Exchanger exchanger : mx) {
                list.add(new MxHost(exchanger.name(), exchanger.preference(), addressesOf(exchanger.name()), false));
            }
            return CompletableFuture.completedFuture(new MxResult.Hosts(domain, MxOrder.arrange(list, random.get())));
        }
        String failure = temporaryFailures.get(domain);
        if (failure != null) {
            return CompletableFuture.completedFuture(new MxResult.Temporary(domain, failure));
        }
        List<InetAddress> own = hosts.get(domain);
        if (own != null) {
            return CompletableFuture.completedFuture(new MxResult.Hosts(domain, List.of(MxHost.implicit(domain, own))));
        }
        return fallback.map(resolver -> resolver.resolve(domain)).orElseGet(() -> CompletableFuture.completedFuture(
                new MxResult.Permanent(domain, "no static MX entry for " + domain)));
    }

    private List<InetAddress> addressesOf(Domain name) {
        return name.isAddressLiteral() ? List.of(name.literalAddress().orElseThrow()) : hosts.get(name);
    }

    /** The address of an IP literal as an implicit MX; a general literal ({@code [tag:…]}) cannot be reached. */
    static MxResult literal(Domain domain) {
        return domain.literalAddress()
                .<MxResult>map(address -> new MxResult.Hosts(domain, List.of(MxHost.implicit(domain, List.of(address)))))
                .orElseGet(() -> new MxResult.Permanent(domain, "not an IP address literal: " + domain));
    }

    /** The entries of a {@link StaticMxResolver}. Not thread-safe; use it on one thread. */
    public static final class Builder {
        private final Map<Domain, List<Exchanger>> exchangers = new LinkedHashMap<>();
        private final Set<Domain> nullMx = new HashSet<>();
        private final Map<Domain, List<InetAddress>> hosts = new LinkedHashMap<>();
        private final Map<Domain, String> temporaryFailures = new LinkedHashMap<>();
        private MxResolver fallback;
        private Supplier<RandomGenerator> random = ThreadLocalRandom::current;

        private Builder() {
        }

        /**
         * Adds an MX host for {@code domain}, as a DNS {@code domain MX preference host} would. The host needs a
         * {@link #host} entry unless it is an address literal such as {@code [192.0.2.1]}.
         */
        public Builder mx(String domain, int preference, String host) {
            Domain exchanger = Domain.of(host);
            if (preference < 0 || preference > 0xFFFF) {
                throw new IllegalArgumentException("mx: preference out of range 0-65535: " + preference);
            }
            Domain name = Domain.of(domain);
            if (nullMx.contains(name)) {
                throw new IllegalArgumentException("mx: " + domain + " already has a null MX");
            }
            exchangers.computeIfAbsent(name, d -> new ArrayList<>()).add(new Exchanger(exchanger, preference));
            return this;
        }

        /** Gives {@code domain} a null MX (RFC 7505): it accepts no mail. */
        public Builder nullMx(String domain) {
            Domain name = Domain.of(domain);
            if (exchangers.containsKey(name)) {
                throw new IllegalArgumentException("nullMx: " + domain + " already has MX hosts");
            }
            nullMx.add(name);
            return this;
        }

        /** Sets the addresses of a host, given as IP literals ({@code "192.0.2.1"}, {@code "2001:db8::1"}). */
        public Builder host(String name, String... addresses) {
            if (addresses.length == 0) {
                throw new IllegalArgumentException("host: " + name + " needs at least one address");
            }
            List<InetAddress> list = new ArrayList<>();
            for (String address : addresses) {
                try {
                    list.add(Address.getByAddress(address));
                } catch (UnknownHostException e) {
                    throw new IllegalArgumentException("host: not an IP address for " + name + ": " + address, e);
                }
            }
            hosts.put(Domain.of(name), List.copyOf(list));
            return this;
        }

        /** Makes {@code domain} fail as a SERVFAIL would, with {@code reason}: to test deferral and retries. */
        public Builder temporaryFailure(String domain, String reason) {
            temporaryFailures.put(Domain.of(domain), Objects.requireNonNull(reason, "reason"));
            return this;
        }

        /** Asks {@code resolver} about domains that have no entry here, as an override map over DNS. */
        public Builder fallback(MxResolver resolver) {
            this.fallback = Objects.requireNonNull(resolver, "fallback");
            return this;
        }

        /** The random order among MX hosts of equal preference; it must be thread-safe. */
        public Builder random(RandomGenerator random) {
            Objects.requireNonNull(random, "random");
            this.random = () -> random;
            return this;
        }

        /**
         * The resolver.
         *
         * @throws IllegalArgumentException when an MX host has neither a {@code host} entry nor is a literal
         */
        public StaticMxResolver build() {
            exchangers.forEach((domain, list) -> {
                for (Exchanger exchanger : list) {
                    if (!exchanger.name().isAddressLiteral() && !hosts.containsKey(exchanger.name())) {
                        throw new IllegalArgumentException("mx: host " + exchanger.name() + " of " + domain
                                + " has no address; add host(\"" + exchanger.name() + "\", address)");
                    }
                    if (exchanger.name().isAddressLiteral() && exchanger.name().literalAddress().isEmpty()) {
                        throw new IllegalArgumentException("mx: " + exchanger.name() + " of " + domain
                                + " is not an IP address literal");
                    }
                }
            });
            return new StaticMxResolver(this);
        }
    }
}
