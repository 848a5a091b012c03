package dev.yubin.dns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.yubin.core.address.Domain;
import dev.yubin.dns.testing.MutableClock;
import dev.yubin.dns.testing.TestDnsServer;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.xbill.DNS.Type;

@Timeout(20)
class DnsMxResolverTest {
    private TestDnsServer dns;
    private final MutableClock clock = new MutableClock();
    private DnsMxResolver resolver;

    @BeforeEach
    void start() throws IOException {
        dns = TestDnsServer.start();
        resolver = builder().build();
    }

    @AfterEach
    void stop() {
        assertEquals(List.of(), dns.errors(), "the test server could not parse a query");
        dns.close();
    }

    private DnsMxResolver.Builder builder() {
        return DnsMxResolver.builder().server(dns.address()).timeout(Duration.ofMillis(300)).attempts(1).clock(clock);
    }

    private MxResult resolve(String domain) {
        return resolver.resolveBlocking(Domain.of(domain));
    }

    private static List<MxHost> hosts(MxResult result) {
        return assertInstanceOf(MxResult.Hosts.class, result, () -> "expected hosts, got " + result).hosts();
    }

    private static List<String> names(MxResult result) {
        return hosts(result).stream().map(h -> h.name().ascii()).collect(Collectors.toList());
    }

    @Test
    void hostsAreOrderedByPreferenceWithTheirAddresses() throws IOException {
        dns.zone("""
                example.test. MX 20 b.example.test.
                example.test. MX 10 a.example.test.
                example.test. MX 30 c.example.test.
                a.example.test. A 192.0.2.1
                a.example.test. AAAA 2001:db8::1
                b.example.test. A 192.0.2.2
                c.example.test. AAAA 2001:db8::3
                """);
        MxResult result = resolve("example.test");
        assertEquals(List.of("a.example.test", "b.example.test", "c.example.test"), names(result));
        List<MxHost> hosts = hosts(result);
        assertEquals(List.of(10, 20, 30), hosts.stream().map(MxHost::preference).collect(Collectors.toList()));
        assertEquals(List.of(InetAddress.getByName("192.0.2.1"), InetAddress.getByName("2001:db8::1")),
                hosts.get(0).addresses());
        assertEquals(List.of(InetAddress.getByName("2001:db8::3")), hosts.get(2).addresses());
        assertFalse(hosts.get(0).implicit());
        assertFalse(result.isTemporary());
        assertFalse(result.isPermanent());
    }

    @Test
    void equalPreferencesAreShuffledAndLowerPreferencesStayFirst() {
        dns.zone("""
                example.test. MX 10 a.example.test.
                example.test. MX 10 b.example.test.
                example.test. MX 10 c.example.test.
                example.test. MX 20 backup.example.test.
                a.example.test. A 192.0.2.1
                b.example.test. A 192.0.2.2
                c.example.test. A 192.0.2.3
                backup.example.test. A 192.0.2.9
                """);
        Set<String> firsts = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            List<String> names = names(resolve("example.test"));
            assertEquals("backup.example.test", names.get(3), "preference 20 after all of preference 10");
            firsts.add(names.get(0));
        }
        assertEquals(Set.of("a.example.test", "b.example.test", "c.example.test"), firsts,
                "each host of preference 10 comes first sometimes");
    }

    @Test
    void domainWithoutMxIsItsOwnImplicitMx() throws IOException {
        dns.zone("""
                plain.test. A 192.0.2.7
                plain.test. AAAA 2001:db8::7
                """);
        List<MxHost> hosts = hosts(resolve("plain.test"));
        assertEquals(1, hosts.size());
        MxHost host = hosts.get(0);
        assertEquals(Domain.of("plain.test"), host.name());
        assertEquals(0, host.preference());
        assertTrue(host.implicit());
        assertEquals(List.of(InetAddress.getByName("192.0.2.7"), InetAddress.getByName("2001:db8::7")),
                host.addresses());
    }

    @Test
    void nullMxIsPermanent() {
        dns.zone("nomail.test. MX 0 .\nnomail.test. A 192.0.2.1\n");
        MxResult result = resolve("nomail.test");
        assertEquals(new MxResult.NullMx(Domain.of("nomail.test")), result);
        assertTrue(result.isPermanent());
        assertFalse(result.isTemporary());
        assertEquals(0, dns.queries("nomail.test", Type.A), "a null MX needs no address lookup");
    }

    @Test
    void nullMxBesideOtherMxRecordsIsIgnored() {
        dns.zone("""
                mixed.test. MX 0 .
                mixed.test. MX 10 mx.mixed.test.
                mx.mixed.test. A 192.0.2.1
                """);
        assertEquals(List.of("mx.mixed.test"), names(resolve("mixed.test")));
    }

    @Test
    void cnameOnTheDomainIsFollowed() {
        dns.zone("""
                alias.test. CNAME real.test.
                real.test. MX 10 mx.real.test.
                mx.real.test. A 192.0.2.1
                """);
        MxResult result = resolve("alias.test");
        assertEquals(Domain.of("alias.test"), result.domain());
        assertEquals(List.of("mx.real.test"), names(result));
    }

    @Test
    void cnameIsFollowedByAskingAgainWhenTheServerDoesNotFollowIt() {
        dns.chaseCnames(false).withoutSoa().zone("""
                alias.test. CNAME real.test.
                real.test. MX 10 mx.real.test.
                mx.real.test. A 192.0.2.1
                """);
        assertEquals(List.of("mx.real.test"), names(resolve("alias.test")));
        assertEquals(1, dns.queries("real.test", Type.MX));
    }

    @Test
    void cnameLoopIsTemporary() {
        dns.chaseCnames(false).withoutSoa().zone("""
                loop1.test. CNAME loop2.test.
                loop2.test. CNAME loop1.test.
                """);
        MxResult result = resolve("loop1.test");
        assertTrue(result.isTemporary(), result::toString);
    }

    @Test
    void mxTargetThatIsAnAliasIsDropped() {
        dns.zone("""
                example.test. MX 10 alias.example.test.
                example.test. MX 20 good.example.test.
                alias.example.test. CNAME real.example.test.
                real.example.test. A 192.0.2.1
                good.example.test. A 192.0.2.2
                """);
        assertEquals(List.of("good.example.test"), names(resolve("example.test")));
    }

    @Test
    void mxTargetThatIsAnIpAddressIsDropped() {
        dns.zone("""
                example.test. MX 10 192.0.2.1.
                example.test. MX 20 good.example.test.
                good.example.test. A 192.0.2.2
                """);
        assertEquals(List.of("good.example.test"), names(resolve("example.test")));
        assertEquals(0, dns.queries("192.0.2.1", Type.A), "an IP literal target is not looked up");
    }

    @Test
    void onlyIpAddressTargetsArePermanent() {
        dns.zone("example.test. MX 10 192.0.2.1.\n");
        assertInstanceOf(MxResult.Permanent.class, resolve("example.test"));
    }

    @Test
    void mxTargetWithoutAddressIsDroppedAndNoneLeftIsPermanent() {
        dns.zone("""
                example.test. MX 10 gone.example.test.
                example.test. MX 20 good.example.test.
                good.example.test. A 192.0.2.2
                lonely.test. MX 10 gone.example.test.
                """);
        assertEquals(List.of("good.example.test"), names(resolve("example.test")));
        MxResult lonely = resolve("lonely.test");
        assertInstanceOf(MxResult.Permanent.class, lonely);
        assertEquals(0, dns.queries("lonely.test", Type.A), "MX records exist: no implicit MX");
    }

    @Test
    void mxTargetThatFailsTemporarilyWithNoOtherHostIsTemporary() {
        dns.servfail("flaky.example.test").zone("""
                example.test. MX 10 flaky.example.test.
                other.test. MX 10 flaky.example.test.
                other.test. MX 20 good.other.test.
                good.other.test. A 192.0.2.2
                """);
        assertTrue(resolve("example.test").isTemporary());
        assertEquals(List.of("good.other.test"), names(resolve("other.test")));
    }

    @Test
    void nxdomainIsPermanent() {
        MxResult result = resolve("nowhere.test");
        MxResult.Permanent permanent = assertInstanceOf(MxResult.Permanent.class, result);
        assertTrue(permanent.reason().contains("NXDOMAIN"), permanent.reason());
        assertTrue(result.isPermanent());
    }

    @Test
    void nodataForMxAndAddressesIsPermanent() {
        dns.zone("textonly.test. TXT \"no mail here\"\n");
        MxResult result = resolve("textonly.test");
        assertInstanceOf(MxResult.Permanent.class, result);
        assertEquals(1, dns.queries("textonly.test", Type.MX));
        assertEquals(1, dns.queries("textonly.test", Type.A), "NODATA for MX falls back to the address");
    }

    @Test
    void servfailIsTemporary() {
        dns.servfail("broken.test");
        MxResult result = resolve("broken.test");
        MxResult.Temporary temporary = assertInstanceOf(MxResult.Temporary.class, result);
        assertTrue(temporary.reason().contains("SERVFAIL"), temporary.reason());
        assertFalse(result.isPermanent());
    }

    @Test
    void noAnswerIsTemporaryAfterTheTimeout() {
        dns.silent("slow.test");
        long start = System.nanoTime();
        MxResult result = resolve("slow.test");
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        MxResult.Temporary temporary = assertInstanceOf(MxResult.Temporary.class, result);
        assertTrue(temporary.reason().contains("timeout"), temporary.reason());
        assertTrue(millis >= 250 && millis < 3000, "took " + millis + " ms with a timeout of 300 ms");
    }

    @Test
    void answersAreCachedUntilTheirTtlRunsOut() {
        dns.zone("""
                example.test. 60 MX 10 mx.example.test.
                mx.example.test. 120 A 192.0.2.1
                mx.example.test. 120 AAAA 2001:db8::1
                """);
        resolve("example.test");
        resolve("example.test");
        assertEquals(1, dns.queries("example.test", Type.MX));
        assertEquals(1, dns.queries("mx.example.test", Type.A));
        clock.advance(Duration.ofSeconds(59));
        resolve("example.test");
        assertEquals(1, dns.queries("example.test", Type.MX), "59 s into a TTL of 60");
        clock.advance(Duration.ofSeconds(1));
        assertEquals(List.of("mx.example.test"), names(resolve("example.test")));
        assertEquals(2, dns.queries("example.test", Type.MX), "the TTL of 60 s ran out");
        assertEquals(1, dns.queries("mx.example.test", Type.A), "the A record's TTL of 120 s has not");
    }

    @Test
    void cachedAnswersAreStillShuffled() {
        dns.zone("""
                example.test. MX 10 a.example.test.
                example.test. MX 10 b.example.test.
                a.example.test. A 192.0.2.1
                b.example.test. A 192.0.2.2
                """);
        Set<String> firsts = new HashSet<>();
        for (int i = 0; i < 100; i++) {
            firsts.add(names(resolve("example.test")).get(0));
        }
        assertEquals(2, firsts.size());
        assertEquals(1, dns.queries("example.test", Type.MX));
    }

    @Test
    void nxdomainIsCachedForTheSoaMinimum() {
        dns.soa(3600, 30);
        resolve("nowhere.test");
        resolve("nowhere.test");
        assertEquals(1, dns.queries("nowhere.test", Type.MX));
        clock.advance(Duration.ofSeconds(29));
        resolve("nowhere.test");
        assertEquals(1, dns.queries("nowhere.test", Type.MX), "29 s into a negative TTL of 30");
        clock.advance(Duration.ofSeconds(1));
        resolve("nowhere.test");
        assertEquals(2, dns.queries("nowhere.test", Type.MX), "negative TTL is min(SOA TTL, MINIMUM) = 30 s");
    }

    @Test
    void negativeTtlIsTheSoaTtlWhenThatIsSmaller() {
        dns.soa(20, 600);
        resolve("nowhere.test");
        clock.advance(Duration.ofSeconds(20));
        resolve("nowhere.test");
        assertEquals(2, dns.queries("nowhere.test", Type.MX));
    }

    @Test
    void nodataIsCachedForTheSoaMinimum() {
        dns.soa(3600, 30).zone("textonly.test. TXT \"x\"\n");
        resolve("textonly.test");
        resolve("textonly.test");
        assertEquals(1, dns.queries("textonly.test", Type.MX));
        assertEquals(1, dns.queries("textonly.test", Type.A));
        clock.advance(Duration.ofSeconds(30));
        resolve("textonly.test");
        assertEquals(2, dns.queries("textonly.test", Type.MX));
    }

    @Test
    void negativeAnswerWithoutSoaIsNotCached() {
        dns.withoutSoa();
        resolve("nowhere.test");
        resolve("nowhere.test");
        assertEquals(2, dns.queries("nowhere.test", Type.MX));
    }

    @Test
    void failuresAreNotCached() {
        dns.servfail("broken.test");
        resolve("broken.test");
        resolve("broken.test");
        assertEquals(2, dns.queries("broken.test", Type.MX));
    }

    @Test
    void maxNegativeTtlCapsTheSoaMinimum() {
        resolver = builder().maxNegativeTtl(Duration.ofSeconds(5)).build();
        resolve("nowhere.test");
        clock.advance(Duration.ofSeconds(5));
        resolve("nowhere.test");
        assertEquals(2, dns.queries("nowhere.test", Type.MX));
    }

    @Test
    void cacheSizeZeroAsksEveryTime() {
        resolver = builder().cacheSize(0).build();
        dns.zone("example.test. MX 10 mx.example.test.\nmx.example.test. A 192.0.2.1\n");
        resolve("example.test");
        resolve("example.test");
        assertEquals(2, dns.queries("example.test", Type.MX));
    }

    @Test
    void withoutIpv6NoAaaaIsAsked() {
        resolver = builder().ipv6(false).build();
        dns.zone("example.test. MX 10 mx.example.test.\nmx.example.test. A 192.0.2.1\n"
                + "mx.example.test. AAAA 2001:db8::1\n");
        assertEquals(1, hosts(resolve("example.test")).get(0).addresses().size());
        assertEquals(0, dns.queries("mx.example.test", Type.AAAA));
    }

    @Test
    void addressLiteralNeedsNoDns() throws IOException {
        List<MxHost> hosts = hosts(resolve("[192.0.2.5]"));
        assertEquals(List.of(InetAddress.getByName("192.0.2.5")), hosts.get(0).addresses());
        assertTrue(hosts.get(0).implicit());
        assertEquals(0, dns.queries());
    }

    @Test
    void answersFromTheNetworkCompleteOnTheExecutor() throws Exception {
        ExecutorService executor = Executors.newSingleThreadExecutor(r -> new Thread(r, "delivery-pool"));
        try {
            resolver = builder().executor(executor).build();
            dns.zone("example.test. MX 10 mx.example.test.\nmx.example.test. A 192.0.2.1\n");
            // the pool is held until the stage below is attached, else an early answer would run it on this thread
            CountDownLatch attached = new CountDownLatch(1);
            executor.execute(() -> awaitQuietly(attached));
            CompletableFuture<String> thread = resolver.resolve(Domain.of("example.test"))
                    .thenApply(result -> Thread.currentThread().getName()).toCompletableFuture();
            attached.countDown();
            assertEquals("delivery-pool", thread.get());
        } finally {
            executor.shutdownNow();
        }
    }

    @Test
    void timeoutsCompleteOnTheExecutorToo() throws Exception {
        ExecutorService executor = Executors.newSingleThreadExecutor(r -> new Thread(r, "delivery-pool"));
        try {
            resolver = builder().executor(executor).build();
            dns.silent("slow.test");
            // the pool is held until the stage below is attached, else an early answer would run it on this thread
            CountDownLatch attached = new CountDownLatch(1);
            executor.execute(() -> awaitQuietly(attached));
            CompletableFuture<String> thread = resolver.resolve(Domain.of("slow.test"))
                    .thenApply(result -> Thread.currentThread().getName()).toCompletableFuture();
            attached.countDown();
            assertEquals("delivery-pool", thread.get());
        } finally {
            executor.shutdownNow();
        }
    }

    @Test
    void builderNamesTheBadSetting() {
        IllegalArgumentException attempts = assertThrows(IllegalArgumentException.class,
                () -> builder().attempts(0).build());
        assertTrue(attempts.getMessage().startsWith("attempts"), attempts.getMessage());
        IllegalArgumentException timeout = assertThrows(IllegalArgumentException.class,
                () -> builder().timeout(Duration.ZERO).build());
        assertTrue(timeout.getMessage().startsWith("timeout"), timeout.getMessage());
        IllegalArgumentException server = assertThrows(IllegalArgumentException.class,
                () -> DnsMxResolver.builder().server("dns.example.test", 53));
        assertTrue(server.getMessage().startsWith("server"), server.getMessage());
    }

    @Test
    void serverGivenByAddressAndPortIsUsed() {
        DnsMxResolver byText = DnsMxResolver.builder().server("127.0.0.1", dns.address().getPort()).build();
        assertEquals(List.of(dns.address()), byText.servers());
        dns.zone("example.test. MX 10 mx.example.test.\nmx.example.test. A 192.0.2.1\n");
        assertEquals(List.of("mx.example.test"), names(byText.resolveBlocking(Domain.of("example.test"))));
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
