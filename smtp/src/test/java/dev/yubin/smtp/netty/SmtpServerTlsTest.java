package dev.yubin.smtp.netty;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.yubin.auth.Account;
import dev.yubin.auth.FailureDelay;
import dev.yubin.auth.password.PasswordSchemes;
import dev.yubin.auth.sasl.PlainMechanism;
import dev.yubin.auth.sasl.SaslContext;
import dev.yubin.core.net.Limits;
import dev.yubin.core.net.ListenerConfig;
import dev.yubin.core.tls.TlsIdentity;
import dev.yubin.smtp.server.SmtpAuth;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import dev.yubin.core.testing.TrustingTls;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** STARTTLS (RFC 3207), implicit TLS (RFC 8314) and AUTH over real sockets. */
@Timeout(60)
class SmtpServerTlsTest {
    private static TlsIdentity identity;

    @TempDir
    Path spool;

    private final MemoryHandler backend = new MemoryHandler();
    private SmtpServer server;

    @BeforeAll
    static void certificate() {
        identity = TlsIdentity.selfSigned("mx.example1.jp");
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.closeGracefully(Duration.ofSeconds(2));
        }
    }

    private SmtpAuth auth(Duration failureDelay) {
        return SmtpAuth.builder()
                .mechanisms(new PlainMechanism())
                .context(SaslContext.of(login -> login.equals("abe")
                        ? Optional.of(new Account("abe", PasswordSchemes.parse("{PLAIN}secret")))
                        : Optional.empty(), "mx.example1.jp"))
                .failureDelay(new FailureDelay() {
                    @Override
                    public Duration failure(InetAddress client) {
                        return failureDelay;
                    }

                    @Override
                    public void success(InetAddress client) {
                    }
                })
                .build();
    }

    private int start(boolean implicitTls, Duration failureDelay) throws IOException {
        server = SmtpServer.builder()
                .hostname("mx.example1.jp")
                .listen(ListenerConfig.loopback(0))
                .limits(Limits.defaults())
                .handler(backend)
                .spoolDirectory(spool)
                .tls(identity)
                .implicitTls(implicitTls)
                .auth(auth(failureDelay))
                .build()
                .start();
        return server.port();
    }

    private static String b64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(UTF_8));
    }

    /** A line-oriented client over a socket that can be upgraded to TLS. */
    private static final class Wire implements AutoCloseable {
        private Socket socket;
        private InputStream in;
        private OutputStream out;

        Wire(int port) throws IOException {
            socket = new Socket(InetAddress.getLoopbackAddress(), port);
            socket.setSoTimeout(20_000);
            in = socket.getInputStream();
            out = socket.getOutputStream();
        }

        static Wire tls(int port) throws IOException {
            Wire wire = new Wire(port);
            wire.startTls();
            return wire;
        }

        void startTls() throws IOException {
            SSLSocket ssl = (SSLSocket) TrustingTls.context().getSocketFactory().createSocket(socket, "mx.example1.jp",
                    socket.getPort(), true);
            ssl.setUseClientMode(true);
            ssl.startHandshake();
            socket = ssl;
            in = ssl.getInputStream();
            out = ssl.getOutputStream();
        }

        boolean isTls() {
            return socket instanceof SSLSocket;
        }

        void send(String text) throws IOException {
            out.write(text.getBytes(UTF_8));
            out.flush();
        }

        String reply() throws IOException {
            StringBuilder reply = new StringBuilder();
            while (true) {
                ByteArrayOutputStream line = new ByteArrayOutputStream();
                int b;
                while ((b = in.read()) != '\n') {
                    if (b == -1) {
                        throw new IOException("closed after: " + reply);
                    }
                    line.write(b);
                }
                String text = line.toString(UTF_8).replace("\r", "");
                reply.append(text).append('\n');
                if (text.length() < 4 || text.charAt(3) == ' ') {
                    return reply.toString();
                }
            }
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }


    @Test
    void startTlsThenAuthPlainThenMail() throws IOException {
        int port = start(false, Duration.ZERO);
        try (Wire c = new Wire(port)) {
            assertTrue(c.reply().startsWith("220 mx.example1.jp"));
            c.send("EHLO client\r\n");
            String ehlo = c.reply();
            assertTrue(ehlo.contains("STARTTLS\n"), ehlo);
            assertFalse(ehlo.contains("AUTH"), "PLAIN is not offered before TLS: " + ehlo);
            c.send("AUTH PLAIN " + b64("\0abe\0secret") + "\r\n");
            assertTrue(c.reply().startsWith("538 5.7.11"));
            c.send("STARTTLS\r\n");
            assertEquals("220 2.0.0 Ready to start TLS\n", c.reply());
            c.startTls();
            c.send("EHLO client\r\n");
            String secure = c.reply();
            assertTrue(secure.contains("AUTH PLAIN"), secure);
            assertFalse(secure.contains("STARTTLS"), secure);
            c.send("STARTTLS\r\n");
            assertTrue(c.reply().startsWith("554 5.5.1"));
            c.send("AUTH PLAIN " + b64("\0abe\0secret") + "\r\n");
            assertEquals("235 2.7.0 Authentication successful\n", c.reply());
            c.send("MAIL FROM:<abe@example1.jp>\r\nRCPT TO:<kato@example2.jp>\r\nDATA\r\n");
            assertTrue(c.reply().startsWith("250 2.1.0"));
            assertTrue(c.reply().startsWith("250 2.1.5"));
            assertTrue(c.reply().startsWith("354"));
            c.send("Subject: over TLS\r\n\r\nhello\r\n.\r\nQUIT\r\n");
            assertTrue(c.reply().startsWith("250 2.0.0"));
            assertTrue(c.reply().startsWith("221"));
        }
        assertEquals(1, backend.delivered.size());
    }

    @Test
    void plaintextPipelinedBehindStartTlsIsNeverExecuted() throws IOException {
        int port = start(false, Duration.ZERO);
        try (Wire c = new Wire(port)) {
            c.reply();
            c.send("EHLO client\r\n");
            c.reply();
            // CVE-2011-0411: the injected MAIL must not run inside the TLS session
            c.send("STARTTLS\r\nMAIL FROM:<injected@example.com>\r\n");
            assertEquals("220 2.0.0 Ready to start TLS\n", c.reply());
            c.startTls();
            c.send("MAIL FROM:<abe@example1.jp>\r\n");
            // EHLO was forgotten with the plaintext session, and the injected MAIL never ran
            assertTrue(c.reply().startsWith("250 2.1.0"), "no nested MAIL: the injected one was dropped");
            c.send("RSET\r\nEHLO again\r\n");
            assertTrue(c.reply().startsWith("250 2.0.0"));
            assertTrue(c.reply().contains("AUTH PLAIN"));
        }
    }

    @Test
    void implicitTlsGreetsInsideTlsAndOffersAuthAtOnce() throws IOException {
        int port = start(true, Duration.ZERO);
        try (Wire c = Wire.tls(port)) {
            assertTrue(c.isTls());
            assertTrue(c.reply().startsWith("220 mx.example1.jp"));
            c.send("EHLO client\r\n");
            String ehlo = c.reply();
            assertTrue(ehlo.contains("AUTH PLAIN"), ehlo);
            assertFalse(ehlo.contains("STARTTLS"), ehlo);
            c.send("AUTH PLAIN " + b64("\0abe\0secret") + "\r\n");
            assertTrue(c.reply().startsWith("235 2.7.0"));
        }
    }

    @Test
    void aPlaintextClientOnTheImplicitTlsPortGetsNoGreeting() throws IOException {
        int port = start(true, Duration.ZERO);
        try (Wire c = new Wire(port)) {
            c.send("EHLO client\r\n");
            int first = c.in.read();
            // the server answers with a TLS alert or closes; never with an SMTP reply in plaintext
            assertTrue(first == -1 || first == 0x15, "got " + first);
        }
    }

    @Test
    void aFailedAuthIsAnsweredAfterTheDelayAndLaterRepliesFollowInOrder() throws IOException {
        int port = start(true, Duration.ofMillis(700));
        try (Wire c = Wire.tls(port)) {
            c.reply();
            c.send("EHLO client\r\n");
            c.reply();
            long started = System.nanoTime();
            c.send("AUTH PLAIN " + b64("\0abe\0wrong") + "\r\n");
            String failed = c.reply();
            long waited = Duration.ofNanos(System.nanoTime() - started).toMillis();
            assertTrue(failed.startsWith("535 5.7.8"), failed);
            assertTrue(waited >= 650, "answered after " + waited + " ms");
            c.send("NOOP\r\n");
            assertTrue(c.reply().startsWith("250 2.0.0"));
            c.send("AUTH PLAIN " + b64("\0abe\0wrong") + "\r\nNOOP\r\n");
            assertTrue(c.reply().startsWith("535"));
            assertTrue(c.reply().startsWith("250 2.0.0"));
        }
    }
}
