package dev.yubin.dns.testing;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Master;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * A small recursive-looking DNS server over UDP on {@code 127.0.0.1} and a free port, for tests: it answers the
 * records it was given in master-file syntax, follows CNAMEs among them, and answers NXDOMAIN or NODATA with an
 * SOA otherwise. Names can be made to SERVFAIL or to get no answer at all (a timeout). It counts the questions
 * it receives, so tests can tell a cache hit from a query.
 *
 * <pre>{@code
 * try (TestDnsServer dns = TestDnsServer.start()) {
 *     dns.zone("""
 *             example.test. 300 MX 10 mx1.example.test.
 *             mx1.example.test. 300 A 192.0.2.1
 *             """);
 *     ... DnsMxResolver.builder().server(dns.address()) ...
 *     assertEquals(1, dns.queries("example.test", Type.MX));
 * }
 * }</pre>
 *
 * <p>Thread-safe: one thread serves, tests configure and count from theirs.
 */
public final class TestDnsServer implements AutoCloseable {
    private final DatagramSocket socket;
    private final Thread thread;
    private final Map<Name, List<Record>> records = new ConcurrentHashMap<>();
    private final Set<Name> servfail = ConcurrentHashMap.newKeySet();
    private final Set<Name> silent = ConcurrentHashMap.newKeySet();
    private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();
    private final AtomicInteger total = new AtomicInteger();
    private final List<Throwable> errors = new CopyOnWriteArrayList<>();
    private volatile SOARecord soa;
    private volatile boolean chaseCnames = true;

    private TestDnsServer(DatagramSocket socket) {
        this.socket = socket;
        soa(3600, 300);
        this.thread = new Thread(this::serve, "test-dns-" + socket.getLocalPort());
        thread.setDaemon(true);
        thread.start();
    }

    /** Binds {@code 127.0.0.1:0} and starts answering. */
    public static TestDnsServer start() throws IOException {
        return new TestDnsServer(new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)));
    }

    /** Where to send queries: {@code 127.0.0.1} and the port bound. */
    public InetSocketAddress address() {
        return (InetSocketAddress) socket.getLocalSocketAddress();
    }

    /**
     * Adds records in master-file syntax, one per line; names without a final dot are absolute too, and the
     * default TTL is 300 s. Example: {@code example.test. 60 MX 10 mx1.example.test.}
     */
    public TestDnsServer zone(String text) {
        Master master = new Master(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), Name.root, 300);
        try {
            for (Record record = master.nextRecord(); record != null; record = master.nextRecord()) {
                records.computeIfAbsent(record.getName(), n -> new CopyOnWriteArrayList<>()).add(record);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("bad zone text: " + e.getMessage(), e);
        }
        return this;
    }

    /** Removes every record (the SERVFAIL and silent names stay). */
    public TestDnsServer clearRecords() {
        records.clear();
        return this;
    }

    /**
     * The SOA sent with NXDOMAIN and NODATA, whose negative TTL is the smaller of {@code ttl} and
     * {@code minimum} (RFC 2308 §5). The default is 3600 and 300.
     */
    public TestDnsServer soa(long ttl, long minimum) {
        soa = new SOARecord(name("test"), DClass.IN, ttl, name("ns.test"), name("hostmaster.test"), 1, 3600, 600,
                86400, minimum);
        return this;
    }

    /** Sends NXDOMAIN and NODATA without an SOA (RFC 2308 §2.1 "type 3"), which must not be cached. */
    public TestDnsServer withoutSoa() {
        soa = null;
        return this;
    }

    /** Whether CNAMEs are followed in the answer as a recursive resolver does (default); if not, only the CNAME. */
    public TestDnsServer chaseCnames(boolean chase) {
        this.chaseCnames = chase;
        return this;
    }

    /** Answers SERVFAIL for every question about {@code name}. */
    public TestDnsServer servfail(String name) {
        servfail.add(name(name));
        return this;
    }

    /** Answers nothing about {@code name}: the client times out. */
    public TestDnsServer silent(String name) {
        silent.add(name(name));
        return this;
    }

    /** How many questions for {@code name} and {@code type} ({@code Type.MX}) arrived. */
    public int queries(String name, int type) {
        AtomicInteger count = counts.get(key(name(name), type));
        return count == null ? 0 : count.get();
    }

    /** How many questions arrived in all. */
    public int queries() {
        return total.get();
    }

    /** Errors in the serving thread (bad packets); a test can assert there are none. */
    public List<Throwable> errors() {
        return List.copyOf(errors);
    }

    @Override
    public void close() {
        socket.close();
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void serve() {
        byte[] buffer = new byte[4096];
        while (!socket.isClosed()) {
            DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
            try {
                socket.receive(packet);
                Message query = new Message(Arrays.copyOf(packet.getData(), packet.getLength()));
                Message response = answer(query);
                if (response != null) {
                    byte[] out = response.toWire(512);
                    socket.send(new DatagramPacket(out, out.length, packet.getSocketAddress()));
                }
            } catch (SocketException e) {
                return; // closed
            } catch (IOException | RuntimeException e) {
                errors.add(e);
            }
        }
    }

    private Message answer(Message query) {
        Record question = query.getQuestion();
        Name qname = question.getName();
        int qtype = question.getType();
        total.incrementAndGet();
        counts.computeIfAbsent(key(qname, qtype), k -> new AtomicInteger()).incrementAndGet();
        if (silent.contains(qname)) {
            return null;
        }
        Message response = new Message(query.getHeader().getID());
        response.getHeader().setFlag(Flags.QR);
        response.getHeader().setFlag(Flags.RD);
        response.getHeader().setFlag(Flags.RA);
        response.addRecord(question, Section.QUESTION);
        if (servfail.contains(qname)) {
            response.getHeader().setRcode(Rcode.SERVFAIL);
            return response;
        }
        Name current = qname;
        for (int hops = 0; hops < 16; hops++) {
            List<Record> here = records.getOrDefault(current, List.of());
            List<Record> matching = new ArrayList<>();
            CNAMERecord alias = null;
            for (Record record : here) {
                if (record.getType() == qtype) {
                    matching.add(record);
                } else if (record instanceof CNAMERecord cname) {
                    alias = cname;
                }
            }
            if (!matching.isEmpty()) {
                matching.forEach(r -> response.addRecord(r, Section.ANSWER));
                return response;
            }
            if (alias == null) {
                break;
            }
            response.addRecord(alias, Section.ANSWER);
            if (!chaseCnames) {
                return response;
            }
            current = alias.getTarget();
        }
        if (!records.containsKey(current)) {
            response.getHeader().setRcode(Rcode.NXDOMAIN);
        }
        SOARecord negative = soa;
        if (negative != null) {
            response.addRecord(negative, Section.AUTHORITY);
        }
        return response;
    }

    private static String key(Name name, int type) {
        return name.toString().toLowerCase(Locale.ROOT) + "/" + Type.string(type);
    }

    private static Name name(String text) {
        try {
            return Name.fromString(text.endsWith(".") ? text : text + ".");
        } catch (TextParseException e) {
            throw new IllegalArgumentException("not a DNS name: " + text, e);
        }
    }
}
