package dev.yubin.smtp.netty;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.yubin.auth.Account;
import dev.yubin.auth.FailureDelay;
import dev.yubin.auth.password.PasswordSchemes;
import dev.yubin.auth.sasl.PlainMechanism;
import dev.yubin.auth.sasl.SaslContext;
import dev.yubin.core.address.MailAddress;
import dev.yubin.core.address.ReversePath;
import dev.yubin.core.message.MessageContent;
import dev.yubin.core.net.Limits;
import dev.yubin.core.net.ListenerConfig;
import dev.yubin.core.tls.TlsIdentity;
import dev.yubin.smtp.client.ClientSettings;
import dev.yubin.smtp.client.OutboundMessage;
import dev.yubin.smtp.client.RecipientResult;
import dev.yubin.smtp.client.RecipientResult.Outcome;
import dev.yubin.smtp.client.SessionResult;
import dev.yubin.smtp.server.SmtpAuth;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The SMTP client over loopback: against Yubin's own server (STARTTLS, AUTH) and scripted broken servers. */
@Timeout(60)
class SmtpClientSocketTest {
    @TempDir
    Path spool;

    private final MemoryHandler backend = new MemoryHandler();
    private SmtpServer server;
    private SmtpClient client;

    @AfterEach
    void stop() {
        if (client != null) {
            client.close();
        }
        if (server != null) {
            server.closeGracefully(Duration.ofSeconds(2));
        }
    }

    private int startServer() throws Exception {
        SmtpAuth auth = SmtpAuth.builder()
                .mechanisms(new PlainMechanism())
                .context(SaslContext.of(login -> login.equals("user1")
                        ? Optional.of(new Account("user1", PasswordSchemes.parse("{PLAIN}secret")))
                        : Optional.empty(), "mail.example2.jp"))
                .failureDelay(new FailureDelay() {
                    @Override
                    public Duration failure(InetAddress c) {
                        return Duration.ZERO;
                    }

                    @Override
                    public void success(InetAddress c) {
                    }
                })
                .build();
        server = SmtpServer.builder().hostname("mail.example2.jp").listen(ListenerConfig.loopback(0))
                .limits(Limits.defaults()).handler(backend).spoolDirectory(spool)
                .tls(TlsIdentity.selfSigned("mail.example2.jp")).auth(auth).build().start();
        return server.port();
    }

    private static OutboundMessage message(byte[] content, String... to) throws Exception {
        List<MailAddress> recipients = new ArrayList<>();
        for (String r : to) {
            recipients.add(MailAddress.parse(r));
        }
        return new OutboundMessage(ReversePath.of(MailAddress.parse("user1@example1.jp")), recipients,
                MessageContent.ofBytes(content), true, false);
    }

    private SessionResult deliver(ClientSettings settings, int port, OutboundMessage message) throws Exception {
        client = SmtpClient.builder().settings(settings).replyTimeout(Duration.ofSeconds(5)).build();
        return client.deliver(new InetSocketAddress("127.0.0.1", port), "mail.example2.jp", message)
                .toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    @Test
    void deliversOverStartTlsWithAuthExactlyTheStoredBytes() throws Exception {
        int port = startServer();
        byte[] content = ("Subject: =?UTF-8?B?5pel5pys?=\n\n.a dot at the start\n..two\n8-bit: 日本語\n"
                + "no newline at the end").getBytes(UTF_8);
        ClientSettings settings = ClientSettings.of("mail.example1.jp")
                .withCredentials(new ClientSettings.Credentials("user1", "secret"));
        SessionResult result = deliver(settings, port, message(content, "user2@example2.jp",
                "unknown@example2.jp"));
        RecipientResult sent = result.recipients().get(0);
        assertEquals(Outcome.SENT, sent.outcome(), sent.detail());
        assertTrue(sent.detail().startsWith("250 2.0.0 Ok: queued as "), sent.detail());
        RecipientResult bounced = result.recipients().get(1);
        assertEquals(Outcome.BOUNCED, bounced.outcome());
        assertEquals("host mail.example2.jp[127.0.0.1]:" + port + " said: 550 5.1.1 <unknown@example2.jp>:"
                + " Recipient address rejected: User unknown (in reply to RCPT TO command)", bounced.detail());
        assertEquals(1, backend.delivered.size());
        MemoryHandler.Delivered got = backend.delivered.get(0);
        assertEquals(List.of("user2@example2.jp"), got.to());
        // the server stores LF; the last line gained one, as DATA needs
        assertArrayEquals((new String(content, UTF_8) + "\n").getBytes(UTF_8), got.content());
    }

    @Test
    void aLargeMessageStreamsInChunks() throws Exception {
        int port = startServer();
        StringBuilder text = new StringBuilder("Subject: big\n\n");
        for (int i = 0; text.length() < 3_000_000; i++) {
            text.append(i % 50 == 0 ? "." : "").append("line ").append(i).append(" of a large message\n");
        }
        byte[] content = text.toString().getBytes(UTF_8);
        SessionResult result = deliver(ClientSettings.of("mail.example1.jp"), port,
                message(content, "user2@example2.jp"));
        assertTrue(result.allSent(), result.toString());
        assertArrayEquals(content, backend.delivered.get(0).content());
    }

    @Test
    void aRefusedConnectionDefersAndAsksForTheNextHost() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        SessionResult result = deliver(ClientSettings.of("mail.example1.jp"), port,
                message("x\n".getBytes(UTF_8), "user2@example2.jp"));
        assertTrue(result.tryNextHost());
        assertFalse(result.connected());
        assertEquals(new RecipientResult(MailAddress.parse("user2@example2.jp"), Outcome.DEFERRED, "4.4.1",
                "connect to mail.example2.jp[127.0.0.1]:" + port + ": Connection refused"),
                result.recipients().get(0));
    }

    /** A server that answers from a script and records what it got; null as a reply means: close now. */
    private static final class ScriptedServer implements AutoCloseable {
        final ServerSocket socket = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
        final List<String> received = new CopyOnWriteArrayList<>();
        final Thread thread;

        ScriptedServer(String greeting, String... replies) throws Exception {
            thread = new Thread(() -> {
                try (Socket s = socket.accept()) {
                    OutputStream out = s.getOutputStream();
                    BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), UTF_8));
                    if (greeting == null) {
                        Thread.sleep(10_000);
                        return;
                    }
                    out.write(greeting.getBytes(UTF_8));
                    for (String reply : replies) {
                        String line = in.readLine();
                        if (line == null) {
                            return;
                        }
                        received.add(line);
                        if (reply == null) {
                            return;
                        }
                        out.write(reply.getBytes(UTF_8));
                        out.flush();
                    }
                    Thread.sleep(10_000);
                } catch (Exception e) {
                    // the test ends the conversation
                }
            });
            thread.setDaemon(true);
            thread.start();
        }

        int port() {
            return socket.getLocalPort();
        }

        @Override
        public void close() throws Exception {
            socket.close();
            thread.interrupt();
        }
    }

    @Test
    void aSilentServerTimesOutWhileReceivingTheGreeting() throws Exception {
        try (ScriptedServer silent = new ScriptedServer(null)) {
            client = SmtpClient.builder().settings(ClientSettings.of("mail.example1.jp"))
                    .replyTimeout(Duration.ofMillis(300)).build();
            SessionResult result = client.deliver(new InetSocketAddress("127.0.0.1", silent.port()),
                    "mail.example2.jp", message("x\n".getBytes(UTF_8), "user2@example2.jp"))
                    .toCompletableFuture().get(10, TimeUnit.SECONDS);
            assertEquals("conversation with mail.example2.jp[127.0.0.1]:" + silent.port()
                    + " timed out while receiving the initial server greeting", result.recipients().get(0).detail());
            assertTrue(result.tryNextHost());
        }
    }

    @Test
    void aConnectionLostAfterAcceptedRecipientsDefersThemWithoutTheNextHost() throws Exception {
        try (ScriptedServer dying = new ScriptedServer("220 mx ESMTP\r\n",
                "250-mx\r\n250 PIPELINING\r\n", "250 ok\r\n", "250 ok\r\n", null)) {
            OutboundMessage seven = new OutboundMessage(ReversePath.of(MailAddress.parse("user1@example1.jp")),
                    List.of(MailAddress.parse("user2@example2.jp")), MessageContent.ofBytes("x\n".getBytes(UTF_8)),
                    false, false); // 8BITMIME is not offered
            SessionResult result = deliver(ClientSettings.of("mail.example1.jp"), dying.port(), seven);
            assertEquals(List.of("EHLO mail.example1.jp", "MAIL FROM:<user1@example1.jp>",
                    "RCPT TO:<user2@example2.jp>", "DATA"), dying.received);
            RecipientResult r = result.recipients().get(0);
            assertEquals(Outcome.DEFERRED, r.outcome());
            assertEquals("lost connection with mail.example2.jp[127.0.0.1]:" + dying.port()
                    + " while sending DATA command", r.detail());
            assertFalse(result.tryNextHost());
        }
    }
}
