package dev.yubin.benchmarks.dns;

import dev.yubin.core.address.Domain;
import dev.yubin.dns.DnsMxResolver;
import dev.yubin.dns.MxResult;
import dev.yubin.dns.testing.TestDnsServer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@code DnsMxResolver.resolve} answered from its cache, the path of every delivery attempt after the first to a
 * domain: the MX records and each host's A and AAAA records from the cache, dropping checks, ordering and the
 * shuffle among equal preferences. The cache is filled once from an in-process DNS server serving
 * {@code mx-zone.txt}; the server then answers nothing more.
 */
@State(Scope.Benchmark)
@Fork(2)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class MxLookupBenchmark {
    /** The domain looked up: one exchanger, five in five preference groups, four of equal preference. */
    @Param({"one", "five", "four"})
    public String hosts;

    private TestDnsServer dns;
    private DnsMxResolver resolver;
    private Domain domain;

    @Setup(Level.Trial)
    public void fillCache() throws IOException {
        dns = TestDnsServer.start();
        try (InputStream in = MxLookupBenchmark.class.getResourceAsStream("/mx-zone.txt")) {
            dns.zone(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
        resolver = DnsMxResolver.builder().server(dns.address()).build();
        domain = Domain.of(hosts + ".example.test");
        MxResult first = resolver.resolveBlocking(domain);
        if (!(first instanceof MxResult.Hosts)) {
            throw new IllegalStateException("the zone does not resolve: " + first);
        }
        dns.silent(domain.ascii()); // from here on, a miss would time out instead of passing unnoticed
    }

    @TearDown(Level.Trial)
    public void stop() {
        int queries = dns.queries();
        dns.close();
        if (queries > 1 + 2 * 5) {
            throw new IllegalStateException("the cache missed: " + queries + " queries");
        }
    }

    @Benchmark
    public MxResult resolveCached() {
        return resolver.resolve(domain).toCompletableFuture().join();
    }
}
