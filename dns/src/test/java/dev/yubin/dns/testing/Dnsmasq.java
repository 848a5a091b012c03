package dev.yubin.dns.testing;

import dev.yubin.core.address.Domain;
import dev.yubin.dns.DnsMxResolver;
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
import java.util.stream.Stream;

/**
 * A real DNS server for integration tests: dnsmasq on 127.0.0.1 and a free UDP port, answering only the records
 * given ({@code --mx-host=…}, {@code --host-record=…}, {@code --cname=…}), logging its queries. Fails, not skips,
 * when dnsmasq is not installed (scripts/test-all.sh installs {@code dnsmasq-base}).
 */
public final class Dnsmasq implements AutoCloseable {
    private final Process process;
    private final Path log;
    private final int port;

    private Dnsmasq(Process process, Path log, int port) {
        this.process = process;
        this.log = log;
        this.port = port;
    }

    /** Starts dnsmasq with {@code records} and waits until it answers for {@code probe}. */
    public static Dnsmasq start(List<String> records, String probe) throws IOException, InterruptedException {
        Optional<Path> binary = Stream.concat(
                        Stream.of(System.getenv().getOrDefault("PATH", "").split(":")), Stream.of("/usr/sbin", "/sbin"))
                .filter(dir -> !dir.isEmpty()).map(dir -> Path.of(dir, "dnsmasq")).filter(Files::isExecutable)
                .findFirst();
        if (binary.isEmpty()) {
            throw new AssertionError("dnsmasq is not installed: run scripts/test-all.sh or apt-get install -y"
                    + " dnsmasq-base");
        }
        int port;
        try (DatagramSocket free = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            port = free.getLocalPort();
        }
        Path log = Files.createTempFile("dnsmasq", ".log");
        List<String> command = new ArrayList<>(List.of(binary.get().toString(),
                "--keep-in-foreground", "--conf-file=/dev/null", "--no-resolv", "--no-hosts", "--no-poll",
                "--listen-address=127.0.0.1", "--bind-interfaces", "--port=" + port, "--pid-file=",
                "--log-queries", "--log-facility=-"));
        command.addAll(records);
        if ("root".equals(System.getProperty("user.name"))) {
            command.add("--user=root"); // dnsmasq would otherwise switch to nobody, who cannot write the log
        }
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        Dnsmasq dnsmasq = new Dnsmasq(process, log, port);
        dnsmasq.awaitReady(probe);
        return dnsmasq;
    }

    private void awaitReady(String probe) throws IOException, InterruptedException {
        DnsMxResolver resolver = DnsMxResolver.builder().server("127.0.0.1", port).timeout(Duration.ofMillis(500))
                .attempts(1).cacheSize(0).build();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError("dnsmasq exited with " + process.exitValue() + ":\n" + Files.readString(log));
            }
            if (!resolver.resolveBlocking(Domain.of(probe)).isTemporary()) {
                return;
            }
            Thread.sleep(50);
        }
        close();
        throw new AssertionError("dnsmasq did not answer within 10 s:\n" + Files.readString(log));
    }

    /** The UDP port on 127.0.0.1. */
    public int port() {
        return port;
    }

    /** What dnsmasq logged so far (its queries). */
    public String log() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
            Files.deleteIfExists(log);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            // a temp file left behind
        }
    }
}
