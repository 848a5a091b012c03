package dev.yubin.dns;

import dev.yubin.core.address.AddressException;
import dev.yubin.core.address.Domain;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import java.util.stream.Collectors;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.Address;
import org.xbill.DNS.ExtendedResolver;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.ResolverConfig;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * Resolves mail exchangers through DNS with dnsjava, asynchronously and with a cache (RFC 5321 §5.1, RFC 7505,
 * RFC 2308). Thread-safe; share one per server.
 *
 * <p>For a domain it asks for MX records and follows a CNAME on the domain. With MX records it drops targets
 * that are IP addresses, aliases (RFC 2181 §10.3) or without addresses, logging one line each on
 * {@code yubin.dns}, then asks for each target's A and AAAA records. Without MX records (NODATA) it uses the
 * domain's own addresses as an implicit MX. A single {@code MX 0 .} is a {@link MxResult.NullMx}.
 *
 * <table>
 *   <caption>Settings</caption>
 *   <tr><th>setting</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>{@link Builder#server servers}</td><td>the system's ({@code /etc/resolv.conf}), by
 *       dnsjava's {@code ResolverConfig}</td><td>recursive resolvers, tried in turn</td></tr>
 *   <tr><td>{@link Builder#timeout timeout}</td><td>5 s</td><td>per attempt per server</td></tr>
 *   <tr><td>{@link Builder#attempts attempts}</td><td>2</td><td>per server, as resolv.conf's
 *       {@code attempts:}</td></tr>
 *   <tr><td>{@link Builder#cacheSize cacheSize}</td><td>10 000 answers</td><td>0 turns the cache off</td></tr>
 *   <tr><td>{@link Builder#maxTtl maxTtl}</td><td>1 day</td><td>cap on a positive answer's TTL</td></tr>
 *   <tr><td>{@link Builder#maxNegativeTtl maxNegativeTtl}</td><td>3 hours (RFC 2308 §5)</td>
 *       <td>cap on NXDOMAIN/NODATA, whose TTL is the SOA's MINIMUM</td></tr>
 *   <tr><td>{@link Builder#ipv6 ipv6}</td><td>true</td><td>also ask for AAAA records</td></tr>
 *   <tr><td>{@link Builder#executor executor}</td><td>a shared pool of 4 daemon threads
 *       {@code yubin-dns-N}, idle ones ending after 30 s</td><td>where network answers complete</td></tr>
 * </table>
 *
 * <p>SERVFAIL, REFUSED and timeouts are {@link MxResult.Temporary} and are not cached; NXDOMAIN, and NODATA
 * for both MX and addresses, are {@link MxResult.Permanent}.
 */
public final class DnsMxResolver implements MxResolver {
    private final List<InetSocketAddress> servers;
    private final DnsLookup lookup;
    private final Executor executor;
    private final Supplier<RandomGenerator> random;
    private final boolean ipv6;

    private DnsMxResolver(Builder builder, List<InetSocketAddress> servers) {
        this.servers = List.copyOf(servers);
        this.executor = builder.executor;
        this.random = builder.random;
        this.ipv6 = builder.ipv6;
        List<Resolver> resolvers = new ArrayList<>();
        for (InetSocketAddress server : servers) {
            SimpleResolver resolver = new SimpleResolver(server);
            resolver.setTimeout(builder.timeout);
            resolvers.add(resolver);
        }
        ExtendedResolver resolver = new ExtendedResolver(resolvers);
        resolver.setRetries(builder.attempts);
        Duration total = builder.timeout.multipliedBy((long) builder.attempts * servers.size());
        resolver.setTimeout(total);
        RecordCache cache = new RecordCache(builder.cacheSize, builder.clock,
                builder.maxTtl.toSeconds(), builder.maxNegativeTtl.toSeconds());
        String names = servers.stream().map(DnsMxResolver::format).collect(Collectors.joining(","));
        // dnsjava enforces the timeouts; the deadline only guards against an answer that never comes.
        this.lookup = new DnsLookup(resolver, executor, cache, total.plusSeconds(1), names);
    }

    /** A builder with the defaults in the table above. */
    public static Builder builder() {
        return new Builder();
    }

    /** The DNS servers asked, in order. */
    public List<InetSocketAddress> servers() {
        return servers;
    }

    @Override
    public CompletionStage<MxResult> resolve(Domain domain) {
        Objects.requireNonNull(domain, "domain");
        if (domain.isAddressLiteral()) {
            return CompletableFuture.completedFuture(StaticMxResolver.literal(domain));
        }
        Name name;
        try {
            name = Name.fromString(domain.ascii() + ".");
        } catch (TextParseException e) {
            return CompletableFuture.completedFuture(new MxResult.Permanent(domain, "not a DNS name: " + domain));
        }
        CompletableFuture<MxResult> result = lookup.lookup(name, Type.MX)
                .thenCompose(answer -> onMx(domain, name, answer))
                .exceptionally(e -> {
                    DnsLog.LOG.warn("MX resolution of {} failed unexpectedly", domain, e);
                    return new MxResult.Temporary(domain, "resolver error: " + e);
                });
        // From the cache the answer is there at once; from the network, hand it off dnsjava's threads.
        return result.isDone() ? result : result.thenApplyAsync(Function.identity(), executor);
    }

    @Override
    public String toString() {
        return "DnsMxResolver" + servers.stream().map(DnsMxResolver::format).collect(Collectors.toList());
    }

    private CompletableFuture<MxResult> onMx(Domain domain, Name name, Answer answer) {
        if (answer instanceof Answer.Found found) {
            return exchangers(domain, found);
        }
        if (answer instanceof Answer.NoData) {
            return implicitMx(domain, name);
        }
        if (answer instanceof Answer.NoSuchDomain) {
            return done(new MxResult.Permanent(domain, "Host not found: " + domain + " (NXDOMAIN)"));
        }
        return done(new MxResult.Temporary(domain, ((Answer.Failure) answer).reason()));
    }

    private CompletableFuture<MxResult> implicitMx(Domain domain, Name name) {
        return addresses(name).thenApply(host -> {
            if (!host.addresses().isEmpty()) {
                return new MxResult.Hosts(domain, List.of(MxHost.implicit(domain, host.addresses())));
            }
            if (host.failure() != null) {
                return new MxResult.Temporary(domain, host.failure());
            }
            return new MxResult.Permanent(domain, "no MX or address records for " + domain);
        });
    }

    private CompletableFuture<MxResult> exchangers(Domain domain, Answer.Found found) {
        List<MXRecord> records = found.records().stream().filter(r -> r instanceof MXRecord)
                .map(r -> (MXRecord) r).collect(Collectors.toList());
        if (records.size() == 1 && records.get(0).getTarget().equals(Name.root)) {
            return done(new MxResult.NullMx(domain));
        }
        List<MXRecord> targets = new ArrayList<>();
        List<Domain> names = new ArrayList<>();
        for (MXRecord mx : records) {
            Domain target = usableTarget(domain, mx);
            if (target != null) {
                targets.add(mx);
                names.add(target);
            }
        }
        List<CompletableFuture<HostAddresses>> lookups = targets.stream()
                .map(mx -> addresses(mx.getTarget())).collect(Collectors.toList());
        return CompletableFuture.allOf(lookups.toArray(CompletableFuture[]::new)).thenApply(ignored -> {
            List<MxHost> hosts = new ArrayList<>();
            List<String> failures = new ArrayList<>();
            for (int i = 0; i < targets.size(); i++) {
                MXRecord mx = targets.get(i);
                HostAddresses host = lookups.get(i).join();
                if (host.alias() != null) {
                    DnsLog.MX_ALIAS.log(domain, mx.getPriority(), names.get(i), host.alias());
                } else if (!host.addresses().isEmpty()) {
                    hosts.add(new MxHost(names.get(i), mx.getPriority(), host.addresses(), false));
                } else if (host.failure() != null) {
                    failures.add(host.failure());
                } else {
                    DnsLog.MX_NO_ADDRESS.log(domain, mx.getPriority(), names.get(i));
                }
            }
            if (!hosts.isEmpty()) {
                return new MxResult.Hosts(domain, MxOrder.arrange(hosts, random.get()));
            }
            if (!failures.isEmpty()) {
                return new MxResult.Temporary(domain, String.join("; ", failures));
            }
            return new MxResult.Permanent(domain, "no MX host of " + domain + " has an address");
        });
    }

    /** The MX target as a {@link Domain}, or {@code null} (logged) when it cannot be a mail exchanger. */
    private static Domain usableTarget(Domain domain, MXRecord mx) {
        Name target = mx.getTarget();
        String text = target.toString(true);
        if (target.equals(Name.root)) {
            DnsLog.MX_ROOT_BESIDE_OTHERS.log(domain, mx.getPriority(), ".");
            return null;
        }
        if (Address.isDottedQuad(text) || text.indexOf(':') >= 0 || text.startsWith("[")) {
            DnsLog.MX_IP_LITERAL.log(domain, mx.getPriority(), text);
            return null;
        }
        try {
            Domain parsed = Domain.parse(text);
            if (parsed.isAddressLiteral()) {
                DnsLog.MX_IP_LITERAL.log(domain, mx.getPriority(), text);
                return null;
            }
            return parsed;
        } catch (AddressException e) {
            DnsLog.MX_BAD_NAME.log(domain, mx.getPriority(), text);
            return null;
        }
    }

    /** What the A and AAAA lookups of one host came to. */
    private record HostAddresses(List<InetAddress> addresses, Name alias, String failure) {
    }

    private CompletableFuture<HostAddresses> addresses(Name host) {
        CompletableFuture<Answer> v4 = lookup.lookup(host, Type.A);
        CompletableFuture<Answer> v6 = ipv6 ? lookup.lookup(host, Type.AAAA)
                : CompletableFuture.completedFuture(new Answer.NoData(-1));
        return v4.thenCombine(v6, (a, aaaa) -> {
            List<InetAddress> addresses = new ArrayList<>();
            Name alias = null;
            String failure = null;
            for (Answer answer : List.of(a, aaaa)) {
                if (answer instanceof Answer.Found found) {
                    alias = found.alias() ? found.owner() : alias;
                    for (Record record : found.records()) {
                        addresses.add(record instanceof ARecord r ? r.getAddress() : ((AAAARecord) record).getAddress());
                    }
                } else if (answer instanceof Answer.Failure f && failure == null) {
                    failure = f.reason();
                }
            }
            return new HostAddresses(addresses, alias, failure);
        });
    }

    private static CompletableFuture<MxResult> done(MxResult result) {
        return CompletableFuture.completedFuture(result);
    }

    private static String format(InetSocketAddress server) {
        String host = server.getAddress().getHostAddress();
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + server.getPort();
    }

    /**
     * The default executor. Not {@link ForkJoinPool#commonPool()}: with fewer than 3 cores the JDK turns that
     * into a new thread per task for {@code CompletableFuture}s, which would be a thread per DNS answer.
     */
    private static final class DefaultExecutor {
        static final Executor INSTANCE = create();

        private static Executor create() {
            AtomicInteger count = new AtomicInteger();
            // The work is parsing answers, never blocking: a few threads suffice; more tasks wait in the queue.
            ThreadPoolExecutor pool = new ThreadPoolExecutor(4, 4, 30, TimeUnit.SECONDS,
                    new LinkedBlockingQueue<>(), task -> {
                        Thread thread = new Thread(task, "yubin-dns-" + count.incrementAndGet());
                        thread.setDaemon(true);
                        return thread;
                    });
            pool.allowCoreThreadTimeOut(true);
            return pool;
        }
    }

    /**
     * Settings of a {@link DnsMxResolver}; {@link #build()} checks them. Not thread-safe; use it on one thread.
     */
    public static final class Builder {
        private final List<InetSocketAddress> servers = new ArrayList<>();
        private Duration timeout = Duration.ofSeconds(5);
        private int attempts = 2;
        private Executor executor;
        private Clock clock = Clock.systemUTC();
        private Supplier<RandomGenerator> random = ThreadLocalRandom::current;
        private int cacheSize = 10_000;
        private Duration maxTtl = Duration.ofDays(1);
        private Duration maxNegativeTtl = Duration.ofHours(3);
        private boolean ipv6 = true;

        private Builder() {
        }

        /** Adds a DNS server to ask, as {@code dig @server -p port}; without any, the system's are used. */
        public Builder server(InetSocketAddress server) {
            Objects.requireNonNull(server, "server");
            if (server.isUnresolved()) {
                throw new IllegalArgumentException("server: give an IP address, not a name: " + server);
            }
            servers.add(server);
            return this;
        }

        /**
         * Adds a DNS server by IP address ({@code "127.0.0.1"}, {@code "::1"}) and port; a host name is refused,
         * since finding it would need DNS.
         */
        public Builder server(String address, int port) {
            try {
                return server(new InetSocketAddress(Address.getByAddress(address), port));
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException("server: not an IP address: " + address, e);
            }
        }

        /** How long to wait for one answer from one server; more than 0. */
        public Builder timeout(Duration timeout) {
            this.timeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /** How many times to ask each server before giving up; at least 1. */
        public Builder attempts(int attempts) {
            this.attempts = attempts;
            return this;
        }

        /** Where answers from the network complete, and so where stages chained without an executor run. */
        public Builder executor(Executor executor) {
            this.executor = Objects.requireNonNull(executor, "executor");
            return this;
        }

        /** The clock that TTLs are counted by; tests pass one they move. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** The random order among MX hosts of equal preference; it must be thread-safe (as {@code Random} is). */
        public Builder random(RandomGenerator random) {
            Objects.requireNonNull(random, "random");
            this.random = () -> random;
            return this;
        }

        /** At most this many cached answers (one per name and type); 0 turns caching off. */
        public Builder cacheSize(int cacheSize) {
            this.cacheSize = cacheSize;
            return this;
        }

        /** The longest time a positive answer is kept, whatever its TTL. */
        public Builder maxTtl(Duration maxTtl) {
            this.maxTtl = Objects.requireNonNull(maxTtl, "maxTtl");
            return this;
        }

        /** The longest time NXDOMAIN or NODATA is kept, whatever the SOA says. */
        public Builder maxNegativeTtl(Duration maxNegativeTtl) {
            this.maxNegativeTtl = Objects.requireNonNull(maxNegativeTtl, "maxNegativeTtl");
            return this;
        }

        /** Whether to ask for AAAA records too; off on hosts without IPv6 connectivity. */
        public Builder ipv6(boolean ipv6) {
            this.ipv6 = ipv6;
            return this;
        }

        /**
         * The resolver.
         *
         * @throws IllegalArgumentException naming the setting that is out of range, or when no server is given
         *         and the system configuration names none
         */
        public DnsMxResolver build() {
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("timeout must be more than 0: " + timeout);
            }
            if (attempts < 1) {
                throw new IllegalArgumentException("attempts must be at least 1: " + attempts);
            }
            if (cacheSize < 0) {
                throw new IllegalArgumentException("cacheSize must not be negative: " + cacheSize);
            }
            if (maxTtl.isNegative() || maxNegativeTtl.isNegative()) {
                throw new IllegalArgumentException("maxTtl and maxNegativeTtl must not be negative");
            }
            List<InetSocketAddress> chosen = servers.isEmpty() ? ResolverConfig.getCurrentConfig().servers() : servers;
            if (chosen.isEmpty()) {
                throw new IllegalArgumentException("server: none given, and the system configuration names none");
            }
            if (executor == null) {
                executor = DefaultExecutor.INSTANCE;
            }
            return new DnsMxResolver(this, chosen);
        }
    }
}
