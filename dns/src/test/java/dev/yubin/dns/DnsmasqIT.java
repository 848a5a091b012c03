package dev.yubin.dns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.yubin.core.address.Domain;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Resolves through a real DNS server nobody here wrote: dnsmasq on {@code 127.0.0.1} and a free port, serving
 * {@code --mx-host}, {@code --host-record} and {@code --cname} entries and nothing else ({@code --no-resolv}).
 * Skipped, with the reason, where the dnsmasq binary is not installed ({@code apt-get install dnsmasq-base};
 * scripts/test-all.sh installs it).
 */
@Timeout(30)
class DnsmasqIT {
    private static Process dnsmasq;
    private static Path log;
    private static DnsMxResolver resolver;

    @BeforeAll
    static void startDnsmasq() throws Exception {
        Optional<Path> binary = Stream.concat(
                        Stream.of(System.getenv().getOrDefault("PATH", "").split(":")), Stream.of("/usr/sbin", "/sbin"))
                .filter(dir -> !dir.isEmpty()).map(dir -> Path.of(dir, "dnsmasq")).filter(Files::isExecutable)
                .findFirst();
        // a missing tool fails the test (STYLE.md §7): scripts/test-all.sh installs it
        Assertions.assertTrue(binary.isPresent(),
                "dnsmasq is not installed: run scripts/test-all.sh or apt-get install -y dnsmasq-base");
        int port;
        try (DatagramSocket probe = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            port = probe.getLocalPort();
        }
        log = Files.createTempFile("dnsmasq", ".log");
        List<String> command = new ArrayList<>(List.of(binary.get().toString(),
                "--keep-in-foreground", "--conf-file=/dev/null", "--no-resolv", "--no-hosts", "--no-poll",
                "--listen-address=127.0.0.1", "--bind-interfaces", "--port=" + port, "--pid-file=",
                "--local=/test/", "--log-queries", "--log-facility=-",
                "--mx-host=example.test,mx1.example.test,10",
                "--mx-host=example.test,mx2.example.test,20",
                "--host-record=mx1.example.test,127.0.0.2",
                "--host-record=mx2.example.test,127.0.0.3,::3",
                "--host-record=plain.test,127.0.0.4",
                "--mx-host=aliased.test,mxalias.example.test,10",
                "--mx-host=aliased.test,mx2.example.test,20",
                "--cname=mxalias.example.test,mx1.example.test"));
        if ("root".equals(System.getProperty("user.name"))) {
            command.add("--user=root"); // dnsmasq would otherwise switch to nobody, who cannot write the log
        }
        dnsmasq = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        resolver = DnsMxResolver.builder().server("127.0.0.1", port).timeout(Duration.ofMillis(500)).attempts(1)
                .cacheSize(0).build();
        awaitReady();
    }

    private static void awaitReady() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            if (!dnsmasq.isAlive()) {
                throw new AssertionError("dnsmasq exited with " + dnsmasq.exitValue() + ":\n" + Files.readString(log));
            }
            if (!resolver.resolveBlocking(Domain.of("example.test")).isTemporary()) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("dnsmasq did not answer within 10 s:\n" + Files.readString(log));
    }

    @AfterAll
    static void stopDnsmasq() throws InterruptedException, IOException {
        if (dnsmasq != null) {
            dnsmasq.destroy();
            if (!dnsmasq.waitFor(5, TimeUnit.SECONDS)) {
                dnsmasq.destroyForcibly();
            }
        }
        if (log != null) {
            Files.deleteIfExists(log);
        }
    }

    private static List<MxHost> hosts(String domain) throws IOException {
        MxResult result = resolver.resolveBlocking(Domain.of(domain));
        return assertInstanceOf(MxResult.Hosts.class, result, () -> "expected hosts for " + domain + ", got "
                + result + "; dnsmasq log:\n" + readLog()).hosts();
    }

    private static String readLog() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
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
