package dev.yubin.pop3.netty;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.yubin.auth.FailureDelay;
import dev.yubin.auth.InMemoryUserDatabase;
import dev.yubin.auth.sasl.PlainMechanism;
import dev.yubin.auth.sasl.SaslContext;
import dev.yubin.core.message.MessageContent;
import dev.yubin.core.net.Limits;
import dev.yubin.core.net.ListenerConfig;
import dev.yubin.core.store.MailStore;
import dev.yubin.core.store.Maildrop;
import dev.yubin.core.store.StoreException;
import dev.yubin.core.store.StoredMessage;
import dev.yubin.core.tls.TlsIdentity;
import dev.yubin.core.user.MailUser;
import dev.yubin.delivery.maildir.MaildirStore;
import dev.yubin.pop3.server.MaildropLocator;
import dev.yubin.pop3.server.Pop3Auth;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import dev.yubin.core.testing.TrustingTls;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real server on 127.0.0.1:0 over a real Maildir, driven through sockets. */
class Pop3ServerSocketTest {
    private static final TlsIdentity IDENTITY = TlsIdentity.selfSigned("pop.example1.jp");
    private static final int USERS = 8;

    @TempDir
    Path root;

    private MaildirStore maildirs;
    private CountingStore store;
    private InMemoryUserDatabase users;
    private final List<Pop3Server> servers = new ArrayList<>();

    /** Counts the octets read from message streams and the largest single read. */
    static final class CountingStore implements MailStore {
        final MailStore delegate;
        final AtomicLong octetsRead = new AtomicLong();
        final AtomicLong largestRead = new AtomicLong();

        CountingStore(MailStore delegate) {
            this.delegate = delegate;
        }

        @Override
        public String kind() {
            return delegate.kind();
        }

        @Override
        public void deliver(MailUser user, MessageContent content) throws StoreException {
            delegate.deliver(user, content);
        }

        @Override
        public Maildrop openMaildrop(MailUser user) throws StoreException {
            Maildrop inner = delegate.openMaildrop(user);
            return new Maildrop() {
                @Override
                public List<StoredMessage> messages() {
                    return inner.messages();
                }

                @Override
                public InputStream open(StoredMessage message) throws StoreException {
                    return new FilterInputStream(inner.open(message)) {
                        @Override
                        public int read(byte[] b, int off, int len) throws IOException {
                            largestRead.accumulateAndGet(len, Math::max);
                            int n = super.read(b, off, len);
                            if (n > 0) {
                                octetsRead.addAndGet(n);
                            }
                            return n;
                        }
                    };
                }

                @Override
                public void delete(Collection<StoredMessage> messages) throws StoreException {
                    inner.delete(messages);
                }

                @Override
                public void close() {
                    inner.close();
                }
            };
        }
    }

    @BeforeEach
    void setUp() {
        maildirs = MaildirStore.builder().mailRoot(root).fsync(false).hostname("test.example1.jp").build();
        store = new CountingStore(maildirs);
        InMemoryUserDatabase.Builder builder = InMemoryUserDatabase.builder().user("abe", "{PLAIN}password");
        for (int i = 0; i < USERS; i++) {
            builder.user("user" + i, "{PLAIN}pw" + i);
        }
        users = builder.build();
    }

    @AfterEach
    void tearDown() {
        for (Pop3Server server : servers) {
            server.closeGracefully(Duration.ofSeconds(2));
        }
    }

    private MailUser mailUser(String login) {
        return new MailUser(login, root.resolve(login).resolve("Maildir").toString() + "/");
    }

    private final MaildropLocator locator = login -> Optional.of(mailUser(login));

    private void deliver(String login, String lfText) throws StoreException {
        maildirs.deliver(mailUser(login), MessageContent.ofBytes(lfText.getBytes(StandardCharsets.UTF_8)));
    }

    private void deliver(String login, byte[] lfBytes) throws StoreException {
        maildirs.deliver(mailUser(login), MessageContent.ofBytes(lfBytes));
    }

    private long maildirFiles(String login) throws IOException {
        Path maildir = root.resolve(login).resolve("Maildir");
        long count = 0;
        for (String sub : List.of("new", "cur")) {
            try (Stream<Path> files = Files.list(maildir.resolve(sub))) {
                count += files.count();
            }
        }
        return count;
    }

    private Pop3Auth.Builder auth() {
        return Pop3Auth.builder().context(SaslContext.of(users, "pop.example1.jp")).mechanisms(new PlainMechanism());
    }

    private Pop3Server.Builder server() {
        return Pop3Server.builder()
                .hostname("pop.example1.jp")
                .listen(ListenerConfig.loopback(0))
                .store(store)
                .locator(locator);
    }

    private Pop3Server start(Pop3Server.Builder builder) throws IOException {
        Pop3Server server = builder.build().start();
        servers.add(server);
        return server;
    }

    private Pop3Server classroom() throws IOException {
        return start(server().auth(auth().plaintextWithoutTls(true).build()).tls(IDENTITY));
    }

    // ---- the client ------------------------------------------------------------------------------------------------

    /** A line client: lines as ISO-8859-1 strings so that every octet is seen. */
    static final class Client implements AutoCloseable {
        private Socket socket;
        private InputStream in;
        private OutputStream out;

        Client(int port) throws IOException {
            this(new Socket(InetAddress.getLoopbackAddress(), port));
        }

        Client(Socket socket) throws IOException {
            use(socket);
            socket.setSoTimeout(10_000);
        }

        private void use(Socket s) throws IOException {
            this.socket = s;
            this.in = s.getInputStream();
            this.out = s.getOutputStream();
        }

        void send(String text) throws IOException {
            out.write(text.getBytes(StandardCharsets.UTF_8));
            out.flush();
        }

        String command(String line) throws IOException {
            send(line + "\r\n");
            return line();
        }

        /** One line without CRLF; fails on a bare LF. */
        String line() throws IOException {
            ByteArrayOutputStream buffer = new ByteArrayOutputStream();
            int previous = -1;
            while (true) {
                int b = in.read();
                if (b < 0) {
                    throw new IOException("connection closed after " + buffer.toString(StandardCharsets.ISO_8859_1));
                }
                if (b == '\n') {
                    assertEquals('\r', previous, "bare LF from the server");
                    byte[] bytes = buffer.toByteArray();
                    return new String(bytes, 0, bytes.length - 1, StandardCharsets.ISO_8859_1);
                }
                buffer.write(b);
                previous = b;
            }
        }

        /** The lines of a multi-line body up to the terminating dot, still byte-stuffed. */
        List<String> lines() throws IOException {
            List<String> lines = new ArrayList<>();
            for (String line = line(); !line.equals("."); line = line()) {
                lines.add(line);
            }
            return lines;
        }

        /** The raw octets of a multi-line body including the final {@code .CRLF}. */
        byte[] body() throws IOException {
            ByteArrayOutputStream buffer = new ByteArrayOutputStream();
            byte[] chunk = new byte[8192];
            while (true) {
                int n = in.read(chunk);
                if (n < 0) {
                    throw new IOException("closed inside a multi-line response");
                }
                buffer.write(chunk, 0, n);
                byte[] all = buffer.toByteArray();
                int len = all.length;
                if (len >= 5 && all[len - 5] == '\r' && all[len - 4] == '\n' && all[len - 3] == '.'
                        && all[len - 2] == '\r' && all[len - 1] == '\n' || len == 3 && all[0] == '.') {
                    return all;
                }
            }
        }

        InputStream input() {
            return in;
        }

        boolean closedByServer() throws IOException {
            return in.read() < 0;
        }

        void startTls() throws IOException {
            SSLSocket ssl = (SSLSocket) TrustingTls.context().getSocketFactory().createSocket(socket, "pop.example1.jp",
                    socket.getPort(), true);
            ssl.startHandshake();
            use(ssl);
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }


    /** The stored form of a byte-stuffed CRLF body: dots unstuffed, CRLF back to LF, the final dot removed. */
    static byte[] unstuff(byte[] wire) {
        String text = new String(wire, StandardCharsets.ISO_8859_1);
        assertTrue(text.endsWith("\r\n.\r\n") || text.equals(".\r\n"), "terminated by CRLF.CRLF");
        text = text.substring(0, text.length() - 3);
        StringBuilder out = new StringBuilder(text.length());
        for (String line : text.split("\r\n", -1)) {
            out.append(line.startsWith(".") ? line.substring(1) : line).append('\n');
        }
        out.setLength(out.length() - 1);
        return out.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    // ---- tests -----------------------------------------------------------------------------------------------------

    @Test
    void textbookTelnetDialogueOverARealMaildir() throws Exception {
        deliver("abe", "From: kato@example1.jp\nSubject: hello\n\nHi Abe.\n");
        deliver("abe", "Subject: two\n\n.dot\n");
        Pop3Server server = classroom();
        try (Client c = new Client(server.port())) {
            assertEquals("+OK Yubin ready.", c.line());
            assertEquals("+OK", c.command("user abe"));
            assertEquals("+OK Logged in.", c.command("pass password"));
            assertEquals("+OK 2 messages:", c.command("list"));
            assertEquals(List.of("1 51", "2 22"), c.lines());
            assertEquals("+OK 51 octets", c.command("retr 1"));
            assertEquals(List.of("From: kato@example1.jp", "Subject: hello", "", "Hi Abe."), c.lines());
            assertEquals("+OK 22 octets", c.command("retr 2"));
            assertEquals(List.of("Subject: two", "", "..dot"), c.lines());
            assertEquals("+OK message 1 deleted", c.command("dele 1"));
            assertEquals("+OK Logging out, messages deleted.", c.command("quit"));
            assertTrue(c.closedByServer());
        }
        assertEquals(1, maildirFiles("abe"));
    }

    @Test
    void aFiveMegabyteMessageIsStreamedInChunksWithBackPressure() throws Exception {
        StringBuilder text = new StringBuilder("Subject: big\n\n");
        int i = 0;
        while (text.length() < 5 * 1024 * 1024) {
            text.append(i % 7 == 0 ? ".dotted line " : "line ").append(i++).append(" of a big message\n");
        }
        text.append(".\n..\nlast line without newline");
        byte[] stored = text.toString().getBytes(StandardCharsets.US_ASCII);
        deliver("abe", stored);
        Pop3Server server = start(server().auth(auth().plaintextWithoutTls(true).build()));
        try (Client c = new Client(server.port())) {
            c.line();
            c.command("USER abe");
            c.command("PASS password");
            long lf = text.chars().filter(ch -> ch == '\n').count();
            assertEquals("+OK " + (stored.length + lf) + " octets", c.command("RETR 1"));
            byte[] first = c.input().readNBytes(64 * 1024);
            assertEquals(64 * 1024, first.length);
            Thread.sleep(500); // the server fills the socket buffers and must then stop reading the store
            long readWhileStalled = store.octetsRead.get();
            assertTrue(readWhileStalled < stored.length - 1024 * 1024,
                    "read " + readWhileStalled + " of " + stored.length + " octets while the client did not read");
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            all.write(first);
            all.write(c.body());
            // the message lacks a final line break: the server adds the CRLF the terminating dot needs
            assertArrayEquals((text + "\n").getBytes(StandardCharsets.US_ASCII), unstuff(all.toByteArray()));
            assertTrue(store.largestRead.get() <= 64 * 1024, "largest read " + store.largestRead.get());
            assertEquals("+OK", c.command("NOOP"));
        }
    }

    @Test
    void pipelinedCommandsAreAnsweredInOrder() throws Exception {
        deliver("abe", "Subject: one\n\nbody\n");
        Pop3Server server = classroom();
        try (Client c = new Client(server.port())) {
            c.line();
            c.send("CAPA\r\nUSER abe\r\nPASS password\r\nSTAT\r\nLIST\r\nUIDL\r\nRETR 1\r\nTOP 1 0\r\nNOOP\r\nQUIT\r\n");
            assertEquals("+OK Capability list follows", c.line());
            List<String> capa = c.lines();
            assertTrue(capa.contains("PIPELINING") && capa.contains("USER") && capa.contains("STLS"), capa.toString());
            assertEquals("+OK", c.line());
            assertEquals("+OK Logged in.", c.line());
            assertEquals("+OK 1 22", c.line());
            assertEquals("+OK 1 messages:", c.line());
            assertEquals(List.of("1 22"), c.lines());
            assertEquals("+OK", c.line());
            assertEquals(1, c.lines().size());
            assertEquals("+OK 22 octets", c.line());
            assertEquals(List.of("Subject: one", "", "body"), c.lines());
            assertEquals("+OK", c.line());
            assertEquals(List.of("Subject: one", ""), c.lines());
            assertEquals("+OK", c.line());
            assertEquals("+OK Logging out.", c.line());
            assertTrue(c.closedByServer());
        }
    }

    @Test
    void stlsDiscardsPlaintextPipelinedBehindIt() throws Exception {
        deliver("abe", "Subject: one\n\nbody\n");
        Pop3Server server = start(server().auth(auth().build()).tls(IDENTITY));
        try (Client c = new Client(server.port())) {
            c.line();
            assertEquals("-ERR [AUTH] Plaintext authentication disallowed on non-secure (SSL/TLS) connections.",
                    c.command("USER abe"));
            c.send("STLS\r\nUSER abe\r\nPASS password\r\n"); // an injection attempt in plaintext
            assertEquals("+OK Begin TLS negotiation now.", c.line());
            c.startTls();
            assertEquals("+OK Capability list follows", c.command("CAPA")); // not the answer to the injected USER
            List<String> capa = c.lines();
            assertTrue(capa.contains("USER") && !capa.contains("STLS"), capa.toString());
            assertEquals("-ERR No username given.", c.command("PASS password"));
            assertEquals("+OK", c.command("USER abe"));
            assertEquals("+OK Logged in.", c.command("PASS password"));
            assertEquals("+OK 1 22", c.command("STAT"));
        }
    }

    @Test
    void implicitTlsForPop3s() throws Exception {
        deliver("abe", "Subject: one\n\nbody\n");
        Pop3Server server = start(server().auth(auth().build()).tls(IDENTITY).implicitTls(true));
        Socket raw = TrustingTls.context().getSocketFactory()
                .createSocket(InetAddress.getLoopbackAddress(), server.port());
        try (Client c = new Client(raw)) {
            assertEquals("+OK Yubin ready.", c.line());
            assertEquals("+OK Capability list follows", c.command("CAPA"));
            assertFalse(c.lines().contains("STLS"));
            String plain = Base64.getEncoder().encodeToString("\0abe\0password".getBytes(StandardCharsets.UTF_8));
            assertEquals("+OK Logged in.", c.command("AUTH PLAIN " + plain));
            assertEquals("+OK 22 octets", c.command("RETR 1"));
            assertEquals(List.of("Subject: one", "", "body"), c.lines());
        }
    }

    @Test
    void concurrentSessionsOfDifferentUsers() throws Exception {
        for (int u = 0; u < USERS; u++) {
            for (int m = 0; m < 3; m++) {
                deliver("user" + u, "Subject: " + u + "/" + m + "\n\n" + "x".repeat(10_000 * (m + 1)) + "\n");
            }
        }
        Pop3Server server = classroom();
        ExecutorService clients = Executors.newFixedThreadPool(USERS);
        try {
            List<Future<String>> results = new ArrayList<>();
            for (int u = 0; u < USERS; u++) {
                int user = u;
                results.add(clients.submit(() -> {
                    try (Client c = new Client(server.port())) {
                        c.line();
                        c.command("USER user" + user);
                        assertEquals("+OK Logged in.", c.command("PASS pw" + user));
                        for (int m = 1; m <= 3; m++) {
                            assertTrue(c.command("RETR " + m).startsWith("+OK"));
                            List<String> lines = c.lines();
                            assertEquals("Subject: " + user + "/" + (m - 1), lines.get(0));
                            assertEquals(10_000 * m, lines.get(2).length());
                        }
                        c.command("DELE 1");
                        return c.command("QUIT");
                    }
                }));
            }
            for (Future<String> result : results) {
                assertEquals("+OK Logging out, messages deleted.", result.get());
            }
        } finally {
            clients.shutdownNow();
        }
        for (int u = 0; u < USERS; u++) {
            assertEquals(2, maildirFiles("user" + u));
        }
    }

    @Test
    void aSecondSessionOfTheSameUserIsInUse() throws Exception {
        deliver("abe", "Subject: one\n\nbody\n");
        Pop3Server server = classroom();
        try (Client first = new Client(server.port()); Client second = new Client(server.port())) {
            first.line();
            second.line();
            first.command("USER abe");
            assertEquals("+OK Logged in.", first.command("PASS password"));
            second.command("USER abe");
            assertEquals("-ERR [IN-USE] Mailbox is locked by another POP3 session", second.command("PASS password"));
            assertEquals("+OK Logging out.", first.command("QUIT"));
            assertTrue(first.closedByServer());
            second.command("USER abe");
            String reply = second.command("PASS password");
            for (int attempt = 0; attempt < 50 && reply.contains("IN-USE"); attempt++) {
                Thread.sleep(20); // the first session's disconnect releases the lock on its executor
                second.command("USER abe");
                reply = second.command("PASS password");
            }
            assertEquals("+OK Logged in.", reply);
        }
    }

    @Test
    void aDroppedConnectionDeletesNothing() throws Exception {
        deliver("abe", "Subject: one\n\nbody\n");
        deliver("abe", "Subject: two\n\nbody\n");
        Pop3Server server = classroom();
        try (Client c = new Client(server.port())) {
            c.line();
            c.command("USER abe");
            c.command("PASS password");
            assertEquals("+OK message 1 deleted", c.command("DELE 1"));
            assertEquals("+OK message 2 deleted", c.command("DELE 2"));
        } // closed without QUIT
        for (int attempt = 0; attempt < 100 && server.lock().isLocked(mailUser("abe")); attempt++) {
            Thread.sleep(10);
        }
        assertFalse(server.lock().isLocked(mailUser("abe")));
        assertEquals(2, maildirFiles("abe"));
    }

    @Test
    void aFailedLoginIsAnsweredLateWithoutBlockingTheNextCommand() throws Exception {
        AtomicInteger failures = new AtomicInteger();
        FailureDelay delay = new FailureDelay() {
            @Override
            public Duration failure(InetAddress client) {
                failures.incrementAndGet();
                return Duration.ofMillis(400);
            }

            @Override
            public void success(InetAddress client) {
            }
        };
        Pop3Server server = start(server().auth(auth().plaintextWithoutTls(true).failureDelay(delay).build()));
        try (Client c = new Client(server.port())) {
            c.line();
            long start = System.nanoTime();
            c.send("USER abe\r\nPASS wrong\r\nNOOP\r\n");
            assertEquals("+OK", c.line());
            assertEquals("-ERR [AUTH] Authentication failed.", c.line());
            long elapsed = Duration.ofNanos(System.nanoTime() - start).toMillis();
            assertTrue(elapsed >= 390, "answered after " + elapsed + " ms");
            assertEquals("-ERR Unknown command or not logged in.", c.line());
            assertEquals(1, failures.get());
        }
    }

    @Test
    void anIdleClientIsDisconnected() throws Exception {
        Pop3Server server = start(server().auth(auth().build())
                .limits(Limits.defaults().withIdleTimeout(Duration.ofMillis(300))));
        try (Client c = new Client(server.port())) {
            c.line();
            assertEquals("-ERR Disconnected for inactivity.", c.line());
            assertTrue(c.closedByServer());
        }
    }

    @Test
    void aTooLongLineIsRefusedAndTheSessionGoesOn() throws Exception {
        Pop3Server server = classroom();
        try (Client c = new Client(server.port())) {
            c.line();
            c.send("USER " + "x".repeat(2000) + "\r\n");
            assertEquals("-ERR Input line too long.", c.line());
            assertEquals("+OK Logging out.", c.command("QUIT"));
        }
    }

    @Test
    void gracefulShutdownTellsWaitingSessions() throws Exception {
        Pop3Server server = classroom();
        try (Client c = new Client(server.port())) {
            c.line();
            server.closeGracefully(Duration.ofSeconds(2));
            assertEquals("-ERR [SYS/TEMP] Server shutting down.", c.line());
            assertTrue(c.closedByServer());
        }
    }

    @Test
    void theBuilderNamesMissingSettings() {
        IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                () -> Pop3Server.builder().hostname("h").listen(ListenerConfig.loopback(0)).store(store)
                        .locator(locator).build());
        assertEquals("Pop3Server: auth is required", e.getMessage());
        e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                () -> server().auth(auth().build()).implicitTls(true).build());
        assertEquals("Pop3Server: implicitTls needs a tls identity", e.getMessage());
    }
}
