package dev.yubin.imap.netty;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.yubin.auth.InMemoryUserDatabase;
import dev.yubin.auth.sasl.SaslContext;
import dev.yubin.core.message.MessageContent;
import dev.yubin.core.net.Limits;
import dev.yubin.core.net.ListenerConfig;
import dev.yubin.core.tls.TlsIdentity;
import dev.yubin.core.user.MailUser;
import dev.yubin.delivery.maildir.MaildirStore;
import dev.yubin.imap.server.ImapConfig;
import dev.yubin.imap.server.MailboxLocator;
import java.io.ByteArrayOutputStream;
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
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import dev.yubin.core.testing.TrustingTls;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real server on 127.0.0.1:0 over a real Maildir, driven through sockets. */
class ImapServerSocketTest {
    private static final TlsIdentity IDENTITY = TlsIdentity.selfSigned("imap.example1.jp");
    private static final Pattern LITERAL = Pattern.compile("\\{(\\d+)\\}$");

    @TempDir
    Path root;

    private MaildirStore store;
    private final InMemoryUserDatabase users = InMemoryUserDatabase.builder()
            .user("abe", "{PLAIN}password").user("kato", "{PLAIN}secret").build();
    private final MailboxLocator locator = login -> Optional.of(mailUser(login));
    private final List<ImapServer> servers = new ArrayList<>();

    @BeforeEach
    void setUp() {
        store = MaildirStore.builder().mailRoot(root).fsync(false).hostname("imap.example1.jp").build();
    }

    @AfterEach
    void tearDown() {
        for (ImapServer server : servers) {
            server.closeGracefully(Duration.ofSeconds(2));
        }
    }

    private MailUser mailUser(String login) {
        return new MailUser(login, root.resolve(login).toString());
    }

    private void deliver(String login, byte[] lfBytes) throws Exception {
        store.deliver(mailUser(login), MessageContent.ofBytes(lfBytes));
    }

    private void deliver(String login, String lfText) throws Exception {
        deliver(login, lfText.getBytes(StandardCharsets.UTF_8));
    }

    private ImapConfig config() {
        return ImapConfig.of("imap.example1.jp", SaslContext.of(users, "imap.example1.jp"))
                .withPlaintextWithoutTls(true);
    }

    private ImapServer.Builder server() throws IOException {
        return ImapServer.builder().config(config()).listen(ListenerConfig.loopback(0)).store(store)
                .locator(locator).spool(Files.createDirectories(root.resolve("spool")), 4096);
    }

    private ImapServer start(ImapServer.Builder builder) throws IOException {
        ImapServer server = builder.build().start();
        servers.add(server);
        return server;
    }

    private ImapServer classroom() throws IOException {
        return start(server().tls(IDENTITY));
    }

    // ---- the client ------------------------------------------------------------------------------------------------

    /** An IMAP line client: text as ISO-8859-1 so that every octet is seen; literals read by their count. */
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
            send(text.getBytes(StandardCharsets.UTF_8));
        }

        void send(byte[] octets) throws IOException {
            out.write(octets);
            out.flush();
        }

        /** Sends a command line and returns everything up to and including its tagged response. */
        String command(String line) throws IOException {
            send(line + "\r\n");
            return response(line.substring(0, line.indexOf(' ')));
        }

        /** Everything up to and including the line tagged {@code tag}, literals inlined. */
        String response(String tag) throws IOException {
            StringBuilder text = new StringBuilder();
            while (true) {
                String line = line();
                text.append(line).append("\r\n");
                Matcher literal = LITERAL.matcher(line);
                if (literal.find()) {
                    text.append(new String(in.readNBytes(Integer.parseInt(literal.group(1))),
                            StandardCharsets.ISO_8859_1));
                    continue;
                }
                if (line.startsWith(tag + " ")) {
                    return text.toString();
                }
            }
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

        InputStream input() {
            return in;
        }

        boolean closedByServer() throws IOException {
            return in.read() < 0;
        }

        void startTls() throws IOException {
            SSLSocket ssl = (SSLSocket) TrustingTls.context().getSocketFactory()
                    .createSocket(socket, "imap.example1.jp", socket.getPort(), true);
            ssl.startHandshake();
            use(ssl);
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }


    private static Client loggedIn(ImapServer server, String login, String password) throws IOException {
        Client c = new Client(server.port());
        assertTrue(c.line().startsWith("* OK [CAPABILITY IMAP4rev1"));
        assertTrue(c.command("l login " + login + " " + password).contains("l OK"));
        return c;
    }

    // ---- tests -----------------------------------------------------------------------------------------------------

    @Test
    void textbookSessionReadsAMessageDeliveredToTheMaildir() throws Exception {
        deliver("abe", "From: kato@example1.jp\nTo: abe@example1.jp\nSubject: test\n\nHello, abe.\n");
        ImapServer server = classroom();
        try (Client c = new Client(server.port())) {
            String greeting = c.line();
            assertTrue(greeting.startsWith("* OK [CAPABILITY IMAP4rev1 "), greeting);
            assertTrue(greeting.contains(" STARTTLS"), greeting);
            assertTrue(greeting.endsWith("] Yubin ready."), greeting);
            assertTrue(c.command("A01 LOGIN abe password").endsWith("A01 OK [CAPABILITY IMAP4rev1 LITERAL+ SASL-IR"
                    + " ID ENABLE IDLE NAMESPACE UNSELECT CHILDREN LIST-EXTENDED LIST-STATUS SPECIAL-USE UIDPLUS MOVE"
                    + " UTF8=ACCEPT] Logged in\r\n"));
            String select = c.command("A02 SELECT INBOX");
            assertTrue(select.contains("* 1 EXISTS\r\n"), select);
            assertTrue(select.endsWith("A02 OK [READ-WRITE] SELECT completed.\r\n"), select);
            String fetch = c.command("A03 FETCH 1 BODY[]");
            String body = "From: kato@example1.jp\r\nTo: abe@example1.jp\r\nSubject: test\r\n\r\nHello, abe.\r\n";
            assertEquals("* 1 FETCH (BODY[] {" + body.length() + "}\r\n" + body + " FLAGS (\\Seen \\Recent))\r\n"
                    + "A03 OK FETCH completed.\r\n", fetch);
            assertEquals("* BYE Logging out\r\nA06 OK Logout completed.\r\n", c.command("A06 LOGOUT"));
            assertTrue(c.closedByServer());
        }
    }

    @Test
    void appendWithASynchronizingLiteralWaitsForTheContinuation() throws Exception {
        ImapServer server = classroom();
        try (Client c = loggedIn(server, "abe", "password")) {
            String message = "From: abe@example1.jp\r\nSubject: draft\r\n\r\nText.\r\n";
            c.send("a APPEND INBOX (\\Seen) {" + message.length() + "}\r\n");
            assertEquals("+ OK", c.line());
            c.send(message + "\r\n");
            String appended = c.response("a");
            assertTrue(appended.matches("a OK \\[APPENDUID \\d+ 1\\] APPEND completed\\.\r\n"), appended);
            c.command("s SELECT INBOX");
            assertTrue(c.command("f FETCH 1 (FLAGS RFC822.SIZE)").contains("RFC822.SIZE " + message.length()));
        }
    }

    @Test
    void aLargeAppendStreamsToDiskAndComesBackByteForByte() throws Exception {
        ImapServer server = classroom();
        byte[] message = largeMessage(5 * 1024 * 1024);
        try (Client c = loggedIn(server, "abe", "password")) {
            c.send("a APPEND INBOX {" + message.length + "+}\r\n");
            c.send(message);
            c.send("\r\n");
            assertTrue(c.response("a").contains("a OK [APPENDUID"));
            c.command("s SELECT INBOX");
            c.send("f FETCH 1 BODY.PEEK[]\r\n");
            String head = c.line();
            assertEquals("* 1 FETCH (BODY[] {" + message.length + "}", head);
            byte[] fetched = c.input().readNBytes(message.length);
            assertArrayEquals(message, fetched);
            assertEquals(")", c.line());
            assertEquals("f OK FETCH completed.", c.line());
        }
        try (Stream files = new Stream(root.resolve("spool"))) {
            assertEquals(0, files.count(), "the spooled APPEND is gone");
        }
    }

    /** Lists a directory, closing the listing. */
    private static final class Stream implements AutoCloseable {
        private final java.util.stream.Stream<Path> files;

        Stream(Path dir) throws IOException {
            files = Files.list(dir);
        }

        long count() {
            return files.count();
        }

        @Override
        public void close() {
            files.close();
        }
    }

    /** CRLF lines of printable text, {@code size} octets. */
    private static byte[] largeMessage(int size) {
        Random random = new Random(42);
        ByteArrayOutputStream out = new ByteArrayOutputStream(size + 100);
        out.writeBytes("From: kato@example1.jp\r\nSubject: large\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        while (out.size() < size - 80) {
            byte[] line = new byte[76];
            for (int i = 0; i < line.length; i++) {
                line[i] = (byte) ('A' + random.nextInt(26));
            }
            out.writeBytes(line);
            out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        return out.toByteArray();
    }

    @Test
    void aLiteralTooLargeBeforeLoginIsRefusedAtOnceAndTheSessionGoesOn() throws Exception {
        ImapServer server = classroom();
        try (Client c = new Client(server.port())) {
            c.line();
            c.send("a LOGIN {100000}\r\n");
            String refused = c.line();
            assertTrue(refused.startsWith("a BAD ") || refused.startsWith("a NO "), refused);
            assertTrue(c.command("b LOGIN {3+}\r\nabe password").contains("b OK"));
        }
    }

    @Test
    void aRefusedNonSynchronizingLiteralIsReadAndDroppedWithoutLosingTheFraming() throws Exception {
        ImapServer server = classroom();
        try (Client c = new Client(server.port())) {
            c.line();
            // APPEND before login: the LITERAL+ octets still come, and must not be taken for commands
            c.send("a APPEND INBOX {19+}\r\nb NOOP\r\nc NOOP\r\nxyz\r\nd NOOP\r\n");
            String refused = c.response("a");
            assertTrue(refused.startsWith("a BAD ") || refused.startsWith("a NO "), refused);
            assertEquals("d OK NOOP completed.\r\n", c.response("d"));
        }
    }

    @Test
    void pipelinedCommandsAreAnsweredInOrder() throws Exception {
        deliver("abe", "Subject: one\n\n1\n");
        deliver("abe", "Subject: two\n\n2\n");
        ImapServer server = classroom();
        try (Client c = new Client(server.port())) {
            c.line();
            c.send("a LOGIN abe password\r\nb SELECT INBOX\r\nc FETCH 1:2 (FLAGS)\r\nd NOOP\r\n");
            assertTrue(c.response("a").contains("a OK"));
            assertTrue(c.response("b").contains("b OK [READ-WRITE]"));
            String fetch = c.response("c");
            assertTrue(fetch.contains("* 1 FETCH (FLAGS (\\Recent))\r\n* 2 FETCH (FLAGS (\\Recent))\r\n"), fetch);
            assertEquals("d OK NOOP completed.\r\n", c.response("d"));
        }
    }

    @Test
    void startTlsDiscardsPlaintextPipelinedBehindIt() throws Exception {
        ImapServer server = classroom();
        try (Client c = new Client(server.port())) {
            c.line();
            c.send("a STARTTLS\r\nb LOGIN abe password\r\n");
            assertEquals("a OK Begin TLS negotiation now.", c.line());
            c.startTls();
            String caps = c.command("c CAPABILITY");
            assertFalse(caps.contains("STARTTLS"), caps);
            assertFalse(caps.contains("b OK"), caps);
            assertTrue(caps.endsWith("c OK CAPABILITY completed.\r\n"), caps);
            assertTrue(c.command("d LOGIN abe password").contains("d OK"));
        }
    }

    @Test
    void implicitTlsForImaps() throws Exception {
        ImapServer server = start(server().tls(IDENTITY).implicitTls(true));
        assertFalse(server.config().startTlsOffered());
        try (Client c = new Client(TrustingTls.context().getSocketFactory()
                .createSocket(InetAddress.getLoopbackAddress(), server.port()))) {
            String greeting = c.line();
            assertTrue(greeting.startsWith("* OK [CAPABILITY IMAP4rev1"), greeting);
            assertFalse(greeting.contains("STARTTLS"), greeting);
            assertTrue(c.command("a LOGIN abe password").contains("a OK"));
        }
    }

    @Test
    void withoutTlsAndPlaintextLoginIsDisabled() throws Exception {
        ImapServer server = start(server().config(ImapConfig.of("imap.example1.jp",
                SaslContext.of(users, "imap.example1.jp"))).tls(IDENTITY));
        try (Client c = new Client(server.port())) {
            assertTrue(c.line().contains(" STARTTLS LOGINDISABLED]"));
            assertEquals("a NO [PRIVACYREQUIRED] Plaintext authentication disallowed on non-secure (SSL/TLS)"
                    + " connections.\r\n", c.command("a LOGIN abe password"));
        }
    }

    @Test
    void idleReportsAnotherSessionsAppendAsItHappens() throws Exception {
        ImapServer server = start(server().tls(IDENTITY).config(config()
                .withIdleCheckInterval(Duration.ofMinutes(10)))); // only the change notification can wake it
        try (Client idler = loggedIn(server, "abe", "password");
                Client other = loggedIn(server, "abe", "password")) {
            idler.command("s SELECT INBOX");
            idler.send("i IDLE\r\n");
            assertEquals("+ idling", idler.line());
            String message = "Subject: new\r\n\r\nNew.\r\n";
            assertTrue(other.command("a APPEND INBOX {" + message.length() + "+}\r\n" + message).contains("a OK"));
            assertEquals("* 1 EXISTS", idler.line());
            assertTrue(idler.line().matches("\\* [01] RECENT"));
            idler.send("DONE\r\n");
            assertEquals("i OK IDLE completed.", idler.line());
            assertTrue(idler.command("n NOOP").endsWith("n OK NOOP completed.\r\n"));
        }
    }

    @Test
    void idleSeesDeliveriesOfOtherProcessesAtTheCheckInterval() throws Exception {
        ImapServer server = start(server().tls(IDENTITY).config(config()
                .withIdleCheckInterval(Duration.ofMillis(300))));
        try (Client idler = loggedIn(server, "abe", "password")) {
            idler.command("s SELECT INBOX");
            idler.send("i IDLE\r\n");
            assertEquals("+ idling", idler.line());
            Thread.sleep(2100); // Maildir mtimes count as settled after 2 s
            deliver("abe", "Subject: from the MDA\n\nHi.\n");
            assertEquals("* 1 EXISTS", idler.line());
            idler.send("DONE\r\n");
            assertTrue(idler.response("i").endsWith("i OK IDLE completed.\r\n"));
        }
    }

    @Test
    void authenticatePlainWithAContinuation() throws Exception {
        ImapServer server = classroom();
        try (Client c = new Client(server.port())) {
            c.line();
            c.send("a AUTHENTICATE PLAIN\r\n");
            assertEquals("+ ", c.line());
            c.send(java.util.Base64.getEncoder().encodeToString("\0abe\0password".getBytes(StandardCharsets.UTF_8))
                    + "\r\n");
            assertTrue(c.response("a").contains("a OK"));
            assertTrue(c.command("s SELECT INBOX").contains("s OK [READ-WRITE]"));
        }
    }

    @Test
    void aTooLongLineIsRefusedAndTheSessionGoesOn() throws Exception {
        ImapServer server = classroom();
        try (Client c = new Client(server.port())) {
            c.line();
            char[] filler = new char[100_000];
            Arrays.fill(filler, 'x');
            String refused = c.command("a NOOP " + new String(filler));
            assertTrue(refused.startsWith("a BAD ") && refused.contains("too long"), refused);
            assertEquals("b OK NOOP completed.\r\n", c.command("b NOOP"));
        }
    }

    @Test
    void anIdleClientIsLoggedOut() throws Exception {
        ImapServer server = start(server().limits(Limits.defaults().withIdleTimeout(Duration.ofMillis(500)))
                .autologout(Duration.ofSeconds(1)));
        try (Client c = new Client(server.port())) {
            c.line();
            assertEquals("* BYE Disconnected for inactivity.", c.line());
            assertTrue(c.closedByServer());
        }
        try (Client c = loggedIn(server, "abe", "password")) {
            long start = System.nanoTime();
            assertEquals("* BYE Disconnected for inactivity.", c.line());
            assertTrue(System.nanoTime() - start >= Duration.ofMillis(800).toNanos(), "autologout, not the pre-login"
                    + " timeout, applies once logged in");
        }
    }

    @Test
    void gracefulShutdownTellsWaitingSessions() throws Exception {
        ImapServer server = classroom();
        Client c = loggedIn(server, "abe", "password");
        c.command("s SELECT INBOX");
        server.closeGracefully(Duration.ofSeconds(2));
        assertEquals("* BYE [UNAVAILABLE] Server shutting down.", c.line());
        assertTrue(c.closedByServer());
        c.close();
    }

    @Test
    void connectionsOverTheLimitPerClientAreTurnedAway() throws Exception {
        ImapServer server = start(server().limits(Limits.defaults().withMaxConnectionsPerClient(1)));
        try (Client first = new Client(server.port())) {
            assertTrue(first.line().startsWith("* OK")); // admitted before the second connects
            Client second = new Client(server.port());
            assertEquals("* BYE [UNAVAILABLE] Too many connections from 127.0.0.1.", second.line());
            assertTrue(second.closedByServer());
            second.close();
        }
    }

    @Test
    void threeFailedLoginsCloseTheConnection() throws Exception {
        ImapServer server = classroom();
        try (Client c = new Client(server.port())) {
            c.line();
            for (int i = 0; i < 3; i++) {
                assertEquals("a NO [AUTHENTICATIONFAILED] Authentication failed.\r\n",
                        c.command("a LOGIN abe wrong"));
            }
            assertEquals("* BYE Too many invalid authentication attempts.", c.line());
            assertTrue(c.closedByServer());
        }
    }

    @Test
    void theBuilderNamesMissingSettings() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> ImapServer.builder().listen(ListenerConfig.loopback(0)).store(store).locator(locator).build());
        assertEquals("ImapServer: config is required", e.getMessage());
        e = assertThrows(IllegalStateException.class, () -> ImapServer.builder().config(config())
                .listen(ListenerConfig.loopback(0)).store(store).locator(locator).implicitTls(true).build());
        assertEquals("ImapServer: implicitTls needs a tls identity", e.getMessage());
    }
}
