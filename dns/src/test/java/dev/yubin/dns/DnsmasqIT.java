package dev.yubin.dns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.yubin.core.address.Domain;
import dev.yubin.dns.testing.Dnsmasq;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Resolves through a real DNS server nobody here wrote: dnsmasq on {@code 127.0.0.1} and a free port, serving
 * {@code --mx-host}, {@code --host-record} and {@code --cname} entries and nothing else ({@code --no-resolv}).
 * Fails where the dnsmasq binary is not installed ({@code apt-get install dnsmasq-base}; scripts/test-all.sh
 * installs it).
 */
@Timeout(30)
class DnsmasqIT {
    private static Dnsmasq dnsmasq;
    private static DnsMxResolver resolver;

    @BeforeAll
    static void startDnsmasq() throws Exception {
        dnsmasq = Dnsmasq.start(List.of("--local=/test/",
                "--mx-host=example.test,mx1.example.test,10",
                "--mx-host=example.test,mx2.example.test,20",
                "--host-record=mx1.example.test,127.0.0.2",
                "--host-record=mx2.example.test,127.0.0.3,::3",
                "--host-record=plain.test,127.0.0.4",
                "--mx-host=aliased.test,mxalias.example.test,10",
                "--mx-host=aliased.test,mx2.example.test,20",
                "--cname=mxalias.example.test,mx1.example.test"), "example.test");
        resolver = DnsMxResolver.builder().server("127.0.0.1", dnsmasq.port()).timeout(Duration.ofMillis(500))
                .attempts(1).cacheSize(0).build();
    }

    @AfterAll
    static void stopDnsmasq() {
        if (dnsmasq != null) {
            dnsmasq.close();
        }
    }

    private static List<MxHost> hosts(String domain) throws IOException {
        MxResult result = resolver.resolveBlocking(Domain.of(domain));
        return assertInstanceOf(MxResult.Hosts.class, result, () -> "expected hosts for " + domain + ", got "
                + result + "; dnsmasq log:\n" + readLog()).hosts();
    }

    private static String readLog() {
        try {
            return dnsmasq.log();
        } catch (RuntimeException e) {
            return e.toString();
        }
    }

    @Test
    void mxHostsComeInPreferenceOrderWithTheirAddresses() throws IOException {
        List<MxHost> hosts = hosts("example.test");
        assertEquals(List.of("10 mx1.example.test [127.0.0.2]", "20 mx2.example.test [127.0.0.3, 0:0:0:0:0:0:0:3]"),
                hosts.stream().map(MxHost::toString).collect(Collectors.toList()));
    }

    @Test
    void domainWithOnlyAnAddressIsAnImplicitMx() throws IOException {
        List<MxHost> hosts = hosts("plain.test");
        assertEquals(1, hosts.size());
        assertTrue(hosts.get(0).implicit());
        assertEquals(List.of(InetAddress.getByName("127.0.0.4")), hosts.get(0).addresses());
    }

    @Test
    void mxTargetThatIsACnameIsDropped() throws IOException {
        assertEquals(List.of(Domain.of("mx2.example.test")),
                hosts("aliased.test").stream().map(MxHost::name).collect(Collectors.toList()));
    }

    @Test
    void unknownNameIsPermanent() {
        MxResult result = resolver.resolveBlocking(Domain.of("nowhere.test"));
        assertTrue(result.isPermanent(), () -> result + "; dnsmasq log:\n" + readLog());
    }
}
