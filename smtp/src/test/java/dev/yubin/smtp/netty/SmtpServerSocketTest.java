package dev.yubin.smtp.netty;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.yubin.core.net.Limits;
import dev.yubin.core.net.ListenerConfig;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@Timeout(60)
class SmtpServerSocketTest {
    @TempDir
    Path spool;

    private final MemoryHandler backend = new MemoryHandler();
    private SmtpServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.closeGracefully(Duration.ofSeconds(2));
        }
    }

    private SmtpServer start(Limits limits) throws IOException {
        server = SmtpServer.builder()
                .hostname("mx.example1.jp")
                .listen(ListenerConfig.loopback(0))
                .limits(limits)
                .handler(backend)
                .spoolDirectory(spool)
                .build()
                .start();
        return server;
    }

    /** A plain-socket SMTP client that reads whole replies. */
    static final class Client implements AutoCloseable {
        final Socket socket;
        final InputStream in;
        final OutputStream out;

        Client(int port) throws IOException {
            socket = new Socket(InetAddress.getLoopbackAddress(), port);
            socket.setSoTimeout(20_000);
            in = socket.getInputStream();
            out = socket.getOutputStream();
        }

        void write(String text) throws IOException {
            write(text.getBytes(StandardCharsets.UTF_8));
        }

        void write(byte[] bytes) throws IOException {
            out.write(bytes);
            out.flush();
        }

        /** One reply, all its lines; the last line's first 3 characters are the code. */
        String reply() throws IOException {
            StringBuilder reply = new StringBuilder();
            while (true) {
                String line = line();
                if (line == null) {
                    throw new IOException("connection closed after: " + reply);
                }
                reply.append(line).append("\r\n");
                if (line.length() < 4 || line.charAt(3) == ' ') {
                    return reply.toString();
                }
            }
        }

        /** The code and enhanced status of the next reply's last line: "250 2.1.0", or "354". */
        String code() throws IOException {
            String[] lines = reply().split("\r\n");
            String[] words = lines[lines.length - 1].split(" ");
            return words.length > 1 && words[1].matches("[245]\\.\\d+\\.\\d+") ? words[0] + " " + words[1] : words[0];
        }

        private String line() throws IOException {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            int b;
            while ((b = in.read()) != -1) {
                if (b == '\n') {
                    String text = line.toString(StandardCharsets.UTF_8);
                    return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
                }
                line.write(b);
            }
            return null;
        }

        boolean isClosedByServer() throws IOException {
            return in.read() == -1;
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    @Test
    void aTakenPortIsReportedWithItsAddress() throws Exception {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            SmtpServer second = SmtpServer.builder()
                    .hostname("mx.example1.jp")
                    .listen(ListenerConfig.loopback(taken.getLocalPort()))
                    .handler(backend)
                    .spoolDirectory(spool)
                    .build();
            IOException e = assertThrows(IOException.class, second::start);
            assertTrue(e.getMessage().startsWith("smtpd: cannot listen on 127.0.0.1:" + taken.getLocalPort() + ": "),
                    e.getMessage());
        }
    }

    @Test
    void clientThatDoesNotReadItsRepliesIsDroppedAfterTheIdleTimeout() throws Exception {
        start(Limits.defaults().withIdleTimeout(Duration.ofMillis(500)));
        try (Socket socket = new Socket()) {
            socket.setReceiveBufferSize(4096);
            socket.connect(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), server.port()));
            Thread writer = new Thread(() -> {
                byte[] ehlos = "EHLO x\r\n".repeat(8192).getBytes(StandardCharsets.US_ASCII);
                try {
                    while (true) {
                        socket.getOutputStream().write(ehlos); // never reads a reply
                    }
                } catch (IOException closed) {
                    // the server gave up on us
                }
            });
            writer.setDaemon(true);
            writer.start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (server.openConnections() > 0 || backend.opened.get() == 0) {
                assertTrue(System.nanoTime() < deadline, "connection still open: " + server.openConnections());
                Thread.sleep(50);
            }
        }
    }

    @ParameterizedTest(name = "envelope checks on the event loop: {0}")
    @ValueSource(booleans = {false, true})
    void linesBehindARefusedDataAreAnsweredWithoutWaiting(boolean inline) throws Exception {
        backend.nonBlockingEnvelope = inline;
        start(Limits.defaults().withIdleTimeout(Duration.ofSeconds(30)));
        try (Client c = new Client(server.port())) {
            c.reply();
            c.write("EHLO client.example\r\n");
            c.reply();
            long start = System.nanoTime();
            c.write("DATA\r\nNOOP\r\n");
            assertEquals("503 5.5.1", c.code());
            assertEquals("250 2.0.0", c.code());
            assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(10), "NOOP answered only at the timeout");
        }
    }

    @Test
    void pipelinedTransactionInOneWrite() throws Exception {
        start(Limits.defaults());
        try (Client c = new Client(server.port())) {
            assertEquals("220 mx.example1.jp ESMTP Yubin\r\n", c.reply());
            c.write("EHLO client.example\r\nMAIL FROM:<kato@example1.jp>\r\nRCPT TO:<abe@example1.jp>\r\n"
                    + "RCPT TO:<unknown@example1.jp>\r\nDATA\r\n");
            String ehlo = c.reply();
            assertTrue(ehlo.contains("250-PIPELINING\r\n") && ehlo.contains("CHUNKING"), ehlo);
            assertEquals("250 2.1.0", c.code());
            assertEquals("250 2.1.5", c.code());
            assertEquals("550 5.1.1", c.code());
            assertEquals("354", c.code());
            c.write("Subject: hello\r\n\r\n..a dot\r\n.\r\nQUIT\r\n");
            assertEquals("250 2.0.0", c.code());
            assertEquals("221 2.0.0", c.code());
            assertTrue(c.isClosedByServer());
        }
        assertEquals(1, backend.delivered.size());
        MemoryHandler.Delivered message = backend.delivered.get(0);
        assertEquals(List.of("abe@example1.jp"), message.to());
        assertArrayEquals("Subject: hello\n\n.a dot\n".getBytes(StandardCharsets.US_ASCII), message.content());
    }

    @Test
    void netcatUserWithBareLfLineEndings() throws Exception {
        start(Limits.defaults());
        try (Client c = new Client(server.port())) {
            c.reply();
            c.write("helo client.example\n");
            assertEquals("250", c.code());
            c.write("mail from:<kato@example1.jp>\n");
            assertEquals("250 2.1.0", c.code());
            c.write("rcpt to:<abe@example1.jp>\n");
            assertEquals("250 2.1.5", c.code());
            c.write("data\n");
            assertEquals("354", c.code());
            c.write("Subject: typed by hand\n\nhello\n.\n");
            assertEquals("250 2.0.0", c.code());
            c.write("quit\n");
            assertEquals("221 2.0.0", c.code());
        }
        assertArrayEquals("Subject: typed by hand\n\nhello\n".getBytes(StandardCharsets.US_ASCII),
                backend.delivered.get(0).content());
    }

    @Test
    void smugglingAttemptStaysInsideTheMessage() throws Exception {
        start(Limits.defaults());
        try (Client c = new Client(server.port())) {
            c.reply();
            c.write("EHLO client.example\r\nMAIL FROM:<kato@example1.jp>\r\nRCPT TO:<abe@example1.jp>\r\nDATA\r\n");
            c.reply();
            c.reply();
            c.reply();
            assertEquals("354", c.code());
            c.write("Subject: one\r\n\r\nbody\n.\r\nMAIL FROM:<admin@example1.jp>\r\nRCPT TO:<abe@example1.jp>\r\n"
                    + "DATA\r\nSubject: smuggled\r\n\r\n.\r\nNOOP\r\n");
            assertEquals("250 2.0.0", c.code());
            assertEquals("250 2.0.0", c.code()); // the NOOP: nothing in between was taken for a command
        }
        assertEquals(1, backend.delivered.size());
        assertArrayEquals(("Subject: one\n\nbody\n\nMAIL FROM:<admin@example1.jp>\nRCPT TO:<abe@example1.jp>\n"
                + "DATA\nSubject: smuggled\n\n").getBytes(StandardCharsets.US_ASCII), backend.delivered.get(0).content());
    }

    @Test
    void fiveMegabyteMessageIsStoredExactly() throws Exception {
        start(Limits.defaults());
        Random random = new Random(42);
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        byte[] alphabet = "abcdefghijklmnopqrstuvwxyz0123456789 .:-\t\u00e9".getBytes(StandardCharsets.ISO_8859_1);
        while (expected.size() < 5 * 1024 * 1024) {
            int length = random.nextInt(200);
            byte[] line = new byte[length];
            for (int i = 0; i < length; i++) {
                line[i] = alphabet[random.nextInt(alphabet.length)];
            }
            if (length > 0 && random.nextInt(10) == 0) {
                line[0] = '.';
            }
            if (length > 0 && line[0] == '.') {
                wire.write('.');
            }
            wire.write(line);
            wire.write('\r');
            wire.write('\n');
            expected.write(line);
            expected.write('\n');
        }
        wire.write(".\r\n".getBytes(StandardCharsets.US_ASCII));
        try (Client c = new Client(server.port())) {
            c.reply();
            c.write("EHLO client.example\r\nMAIL FROM:<kato@example1.jp>\r\nRCPT TO:<abe@example1.jp>\r\nDATA\r\n");
            c.reply();
            c.reply();
            c.reply();
            assertEquals("354", c.code());
            c.write(wire.toByteArray());
            assertEquals("250 2.0.0", c.code());
        }
        assertArrayEquals(expected.toByteArray(), backend.delivered.get(0).content());
    }

    @Test
    void oversizedMessageIsDrainedThenRejected552() throws Exception {
        start(Limits.defaults().withMaxMessageSize(100_000));
        try (Client c = new Client(server.port())) {
            c.reply();
            c.write("EHLO client.example\r\nMAIL FROM:<kato@example1.jp>\r\nRCPT TO:<abe@example1.jp>\r\nDATA\r\n");
            c.reply();
            c.reply();
            c.reply();
            assertEquals("354", c.code());
            String line = "x".repeat(98) + "\r\n";
            c.write(line.repeat(3000) + ".\r\n");
            assertEquals("552 5.3.4", c.code());
            c.write("NOOP\r\n");
            assertEquals("250 2.0.0", c.code());
        }
        assertTrue(backend.delivered.isEmpty());
    }

    @Test
    void idleClientGets421AndIsDisconnected() throws Exception {
        start(Limits.defaults().withIdleTimeout(Duration.ofMillis(300)));
        try (Client c = new Client(server.port())) {
            c.reply();
            c.write("EHLO client.example\r\n");
            c.reply();
            assertEquals("421 4.4.2 mx.example1.jp Error: timeout exceeded\r\n", c.reply());
            assertTrue(c.isClosedByServer());
        }
        assertTrue(backend.firstClose.await(5, TimeUnit.SECONDS));
    }

    @Test
    void connectionsOverTheClientLimitAreRefused() throws Exception {
        start(Limits.defaults().withMaxConnectionsPerClient(1));
        try (Client first = new Client(server.port())) {
            // The first connection is counted before the second one is opened.
            assertEquals("220 mx.example1.jp ESMTP Yubin\r\n", first.reply());
            Client second = new Client(server.port());
            assertEquals("421 4.7.0 mx.example1.jp Error: too many connections from 127.0.0.1\r\n", second.reply());
            assertTrue(second.isClosedByServer());
            second.close();
            first.write("NOOP\r\n");
            assertEquals("250 2.0.0", first.code());
        }
    }

    @Test
    void gracefulShutdownFinishesTheMessageInFlight() throws Exception {
        start(Limits.defaults());
        try (Client idle = new Client(server.port()); Client sending = new Client(server.port())) {
            idle.reply();
            idle.write("EHLO idle.example\r\n");
            idle.reply();
            sending.reply();
            sending.write("EHLO busy.example\r\nMAIL FROM:<kato@example1.jp>\r\nRCPT TO:<abe@example1.jp>\r\nDATA\r\n");
            sending.reply();
            sending.reply();
            sending.reply();
            assertEquals("354", sending.code());
            sending.write("Subject: in flight\r\n\r\nfirst half\r\n");

            SmtpServer stopping = server;
            CompletableFuture<Void> closed = CompletableFuture.runAsync(
                    () -> stopping.closeGracefully(Duration.ofSeconds(10)));
            assertEquals("421 4.3.2 mx.example1.jp Service shutting down\r\n", idle.reply());
            assertTrue(idle.isClosedByServer());

            sending.write("second half\r\n.\r\n");
            assertEquals("250 2.0.0", sending.code());
            assertEquals("421 4.3.2", sending.code());
            assertTrue(sending.isClosedByServer());
            closed.get(10, TimeUnit.SECONDS);
        }
        assertArrayEquals("Subject: in flight\n\nfirst half\nsecond half\n".getBytes(StandardCharsets.US_ASCII),
                backend.delivered.get(0).content());
        assertThrows(IOException.class, () -> new Client(server.port()).reply());
    }

    @ParameterizedTest(name = "envelope checks on the event loop: {0}")
    @ValueSource(booleans = {false, true})
    void parallelClientsPipeliningWholeTransactionsKeepEveryMessageIntact(boolean inline) throws Exception {
        backend.nonBlockingEnvelope = inline;
        start(Limits.defaults());
        int clients = 8;
        int messages = 40;
        List<CompletableFuture<Void>> runs = new ArrayList<>();
        for (int n = 0; n < clients; n++) {
            int client = n;
            runs.add(CompletableFuture.runAsync(() -> {
                try (Client c = new Client(server.port())) {
                    c.reply();
                    c.write("EHLO client" + client + ".example\r\n");
                    c.reply();
                    StringBuilder all = new StringBuilder();
                    for (int i = 0; i < messages; i++) {
                        all.append("MAIL FROM:<c").append(client).append("@example1.jp>\r\nRCPT TO:<abe@example1.jp>\r\n")
                                .append("DATA\r\n").append("Subject: ").append(client).append('/').append(i)
                                .append("\r\n\r\n").append(".".repeat(i % 3)).append("x".repeat(i * 20)).append("\r\n.\r\n");
                    }
                    // Everything in one write: DATA's text arrives before the 354 is sent, the hard case.
                    c.write(all.toString());
                    for (int i = 0; i < messages; i++) {
                        assertEquals(List.of("250 2.1.0", "250 2.1.5", "354", "250 2.0.0"),
                                List.of(c.code(), c.code(), c.code(), c.code()));
                    }
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }));
        }
        CompletableFuture.allOf(runs.toArray(new CompletableFuture[0])).get(40, TimeUnit.SECONDS);
        assertEquals(clients * messages, backend.delivered.size());
        for (MemoryHandler.Delivered message : backend.delivered) {
            String text = new String(message.content(), StandardCharsets.US_ASCII);
            String[] id = text.substring("Subject: ".length(), text.indexOf('\n')).split("/");
            int i = Integer.parseInt(id[1]);
            String dots = i % 3 == 2 ? "." : "";
            assertEquals("Subject: " + id[0] + "/" + i + "\n\n" + dots + "x".repeat(i * 20) + "\n", text);
            assertEquals(List.of("abe@example1.jp"), message.to());
        }
    }

    @ParameterizedTest(name = "envelope checks on the event loop: {0}")
    @ValueSource(booleans = {false, true})
    void manySequentialMessagesOnOneConnection(boolean inline) throws Exception {
        backend.nonBlockingEnvelope = inline;
        start(Limits.defaults());
        try (Client c = new Client(server.port())) {
            c.reply();
            c.write("EHLO client.example\r\n");
            c.reply();
            List<String> codes = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                c.write("MAIL FROM:<kato@example1.jp>\r\nRCPT TO:<abe@example1.jp>\r\nDATA\r\n");
                codes.add(c.code());
                codes.add(c.code());
                codes.add(c.code());
                c.write("Subject: " + i + "\r\n\r\nbody " + i + "\r\n.\r\n");
                codes.add(c.code());
            }
            for (int i = 0; i < codes.size(); i += 4) {
                assertEquals(List.of("250 2.1.0", "250 2.1.5", "354", "250 2.0.0"), codes.subList(i, i + 4));
            }
        }
        assertEquals(200, backend.delivered.size());
        assertTrue(backend.dataThreads.stream().allMatch(name -> name.startsWith("smtpd-")), "delivery blocks: "
                + backend.dataThreads);
        // Inline only while the executor is idle, so some MAILs may still go to the executor.
        assertEquals(inline, backend.mailThreads.stream().anyMatch(name -> !name.startsWith("smtpd-")),
                "MAIL ran on " + backend.mailThreads);
    }
}
