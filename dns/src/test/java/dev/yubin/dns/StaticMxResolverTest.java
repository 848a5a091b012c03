package dev.yubin.dns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.yubin.core.address.Domain;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The override table, with no DNS server anywhere. */
class StaticMxResolverTest {
    private static MxResult resolve(MxResolver resolver, String domain) {
        return resolver.resolveBlocking(Domain.of(domain));
    }

    private static List<MxHost> hosts(MxResult result) {
        return assertInstanceOf(MxResult.Hosts.class, result, () -> "expected hosts, got " + result).hosts();
    }

    @Test
    void mxEntriesAreOrderedByPreferenceWithTheirHostsAddresses() throws UnknownHostException {
        StaticMxResolver resolver = StaticMxResolver.builder()
                .mx("example.test", 20, "backup.example.test")
                .mx("example.test", 10, "mx.example.test")
                .host("mx.example.test", "127.0.0.2", "::1")
                .host("backup.example.test", "127.0.0.3")
                .build();
        List<MxHost> hosts = hosts(resolve(resolver, "Example.TEST"));
        assertEquals(List.of(new MxHost(Domain.of("mx.example.test"), 10,
                        List.of(InetAddress.getByName("127.0.0.2"), InetAddress.getByName("::1")), false),
                new MxHost(Domain.of("backup.example.test"), 20, List.of(InetAddress.getByName("127.0.0.3")), false)),
                hosts);
    }

    @Test
    void equalPreferencesAreShuffled() {
        StaticMxResolver resolver = StaticMxResolver.builder()
                .mx("example.test", 10, "a.example.test").mx("example.test", 10, "b.example.test")
                .host("a.example.test", "127.0.0.2").host("b.example.test", "127.0.0.3")
                .build();
        Set<Domain> firsts = new HashSet<>();
        for (int i = 0; i < 100; i++) {
            firsts.add(hosts(resolve(resolver, "example.test")).get(0).name());
        }
        assertEquals(Set.of(Domain.of("a.example.test"), Domain.of("b.example.test")), firsts);
    }

    @Test
    void hostEntryAloneIsAnImplicitMx() throws UnknownHostException {
        StaticMxResolver resolver = StaticMxResolver.builder().host("plain.test", "127.0.0.5").build();
        MxHost host = hosts(resolve(resolver, "plain.test")).get(0);
        assertTrue(host.implicit());
        assertEquals(List.of(InetAddress.getByName("127.0.0.5")), host.addresses());
    }

    @Test
    void addressLiteralTargetNeedsNoHostEntry() throws UnknownHostException {
        StaticMxResolver resolver = StaticMxResolver.builder().mx("example.test", 10, "[127.0.0.9]").build();
        assertEquals(List.of(InetAddress.getByName("127.0.0.9")),
                hosts(resolve(resolver, "example.test")).get(0).addresses());
    }

    @Test
    void nullMxTemporaryFailureAndUnknownDomain() {
        StaticMxResolver resolver = StaticMxResolver.builder()
                .nullMx("nomail.test")
                .temporaryFailure("flaky.test", "simulated SERVFAIL")
                .build();
        assertEquals(new MxResult.NullMx(Domain.of("nomail.test")), resolve(resolver, "nomail.test"));
        assertEquals(new MxResult.Temporary(Domain.of("flaky.test"), "simulated SERVFAIL"),
                resolve(resolver, "flaky.test"));
        assertInstanceOf(MxResult.Permanent.class, resolve(resolver, "unknown.test"));
    }

    @Test
    void unknownDomainsGoToTheFallback() {
        MxResult answer = new MxResult.Temporary(Domain.of("elsewhere.test"), "from the fallback");
        List<Domain> asked = new ArrayList<>();
        MxResolver fallback = domain -> {
            asked.add(domain);
            return CompletableFuture.completedFuture(answer);
        };
        StaticMxResolver resolver = StaticMxResolver.builder()
                .host("local.test", "127.0.0.1").fallback(fallback).build();
        assertSame(answer, resolve(resolver, "elsewhere.test"));
        hosts(resolve(resolver, "local.test"));
        assertEquals(List.of(Domain.of("elsewhere.test")), asked, "only the domain without an entry");
    }

    @Test
    void buildRefusesAnMxHostWithoutAddress() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> StaticMxResolver.builder().mx("example.test", 10, "mx.example.test").build());
        assertTrue(e.getMessage().startsWith("mx: host mx.example.test"), e.getMessage());
    }

    @Test
    void hostAddressesMustBeIpLiterals() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> StaticMxResolver.builder().host("mx.example.test", "localhost"));
        assertTrue(e.getMessage().startsWith("host: not an IP address"), e.getMessage());
    }

    @Test
    void nullMxAndMxHostsExcludeEachOther() {
        assertThrows(IllegalArgumentException.class,
                () -> StaticMxResolver.builder().nullMx("a.test").mx("a.test", 10, "[127.0.0.1]"));
        assertThrows(IllegalArgumentException.class,
                () -> StaticMxResolver.builder().mx("a.test", 10, "[127.0.0.1]").nullMx("a.test"));
    }

    @Test
    void hostsToStringReadsLikeTheZone() {
        StaticMxResolver resolver = StaticMxResolver.builder().mx("example.test", 10, "mx.example.test")
                .host("mx.example.test", "127.0.0.2").build();
        assertEquals(List.of("10 mx.example.test [127.0.0.2]"), hosts(resolve(resolver, "example.test")).stream()
                .map(MxHost::toString).collect(Collectors.toList()));
    }
}
