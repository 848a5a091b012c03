package dev.yubin.smtp.server;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.yubin.auth.Account;
import dev.yubin.auth.FailureDelay;
import dev.yubin.auth.UserDatabase;
import dev.yubin.auth.password.PasswordSchemes;
import dev.yubin.auth.sasl.CramMd5Mechanism;
import dev.yubin.auth.sasl.LoginMechanism;
import dev.yubin.auth.sasl.PlainMechanism;
import dev.yubin.auth.sasl.SaslContext;
import dev.yubin.core.net.ConnectionInfo;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SMTP AUTH (RFC 4954) in the session state machine, without sockets. */
class SmtpSessionAuthTest {
    private static final InetSocketAddress CLIENT = new InetSocketAddress(InetAddress.getLoopbackAddress(), 40000);
    private static final InetSocketAddress SERVER = new InetSocketAddress(InetAddress.getLoopbackAddress(), 25);

    @TempDir
    Path spool;

    private final List<String> delays = new ArrayList<>();
    private RecordingHandler handler;
    private SmtpAuth auth;
    private boolean databaseDown;

    @BeforeEach
    void setUp() {
        handler = new RecordingHandler();
        UserDatabase users = login -> {
            if (databaseDown) {
                throw new IllegalStateException("database down");
            }
            return login.equals("abe")
                    ? Optional.of(new Account("abe", PasswordSchemes.parse("{PLAIN}secret")))
                    : Optional.empty();
        };
        auth = SmtpAuth.builder()
                .mechanisms(new PlainMechanism(), new LoginMechanism(), new CramMd5Mechanism())
                .context(SaslContext.of(users, "mx.example1.jp"))
                .failureDelay(new FailureDelay() {
                    @Override
                    public Duration failure(InetAddress client) {
                        delays.add("failed " + client.getHostAddress());
                        return Duration.ofSeconds(2);
                    }

                    @Override
                    public void success(InetAddress client) {
                        delays.add("succeeded " + client.getHostAddress());
                    }
                })
                .build();
    }

    private SmtpConversation plaintext(SmtpAuth value) {
        return SmtpConversation.with(SmtpServerConfig.of("mx.example1.jp", spool).withAuth(value), handler);
    }

    private SmtpConversation overTls(SmtpAuth value) {
        ConnectionInfo tls = ConnectionInfo.of("s1", CLIENT, SERVER).withTls("TLSv1.3 with cipher TLS_AES_128_GCM_SHA256");
        return SmtpConversation.with(SmtpServerConfig.of("mx.example1.jp", spool).withAuth(value), handler, tls);
    }

    private static String b64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(UTF_8));
    }

    @Test
    void plaintextMechanismsAreOfferedOnlyOverTlsByDefault() {
        var c = plaintext(auth);
        List<String> lines = c.send("EHLO client").expect(250).reply().lines();
        assertTrue(lines.contains("AUTH CRAM-MD5"), lines.toString());
        c.send("AUTH PLAIN " + b64("\0abe\0secret")).expect(538, "5.7.11")
                .text("Encryption required for requested authentication mechanism");

        var t = overTls(auth);
        assertTrue(t.send("EHLO client").reply().lines().contains("AUTH PLAIN LOGIN CRAM-MD5"));
    }

    @Test
    void plaintextAllowedByConfigurationIsOfferedWithoutTls() {
        var c = plaintext(auth.withPlaintextWithoutTls(true));
        assertTrue(c.send("EHLO client").reply().lines().contains("AUTH PLAIN LOGIN CRAM-MD5"));
    }

    @Test
    void plainWithInitialResponseAuthenticatesAndTheSessionKnowsTheUser() {
        try (LogCapture log = new LogCapture()) {
            var c = overTls(auth);
            c.send("EHLO client").expect(250);
            c.send("AUTH PLAIN " + b64("\0abe\0secret")).expect(235, "2.7.0").text("Authentication successful");
            assertTrue(handler.events.contains("connection tls=true user=abe"), handler.events.toString());
            List<String> lines = c.send("EHLO client").reply().lines();
            assertFalse(lines.stream().anyMatch(l -> l.startsWith("AUTH")), "AUTH is not offered again: " + lines);
            c.send("AUTH PLAIN " + b64("\0abe\0secret")).expect(503, "5.5.1").text("Error: already authenticated");
            c.send("MAIL FROM:<abe@example1.jp>").expect(250);
            c.send("RCPT TO:<kato@example2.jp>").expect(250);
            c.data("Subject: hi\n\nhello\n").expect(250);
            assertEquals("ESMTPSA", handler.envelopes.get(0).protocol());
            assertEquals(Optional.of("abe"), handler.envelopes.get(0).client().authenticatedUser());
            assertTrue(log.lines("yubin.smtpd").stream().anyMatch(l -> l.endsWith(
                    ": client=unknown[127.0.0.1], sasl_method=PLAIN, sasl_username=abe")), log.lines("yubin.smtpd")
                    .toString());
            assertEquals(List.of("succeeded 127.0.0.1"), delays);
        }
    }

    @Test
    void plainWithoutInitialResponseGetsAnEmptyChallenge() {
        var c = overTls(auth);
        c.send("EHLO client");
        assertEquals("334 \r\n", c.send("AUTH PLAIN").expect(334).reply().toWire());
        c.send(b64("\0abe\0secret")).expect(235, "2.7.0");
    }

    @Test
    void loginAsksForUsernameAndPassword() {
        var c = overTls(auth);
        c.send("ehlo client");
        c.send("auth login").expect(334).text(b64("Username:"));
        c.send(b64("abe")).expect(334).text(b64("Password:"));
        c.send(b64("secret")).expect(235, "2.7.0");
    }

    @Test
    void loginWithInitialResponse() {
        var c = overTls(auth);
        c.send("EHLO client");
        c.send("AUTH LOGIN " + b64("abe")).expect(334).text(b64("Password:"));
        c.send(b64("secret")).expect(235);
    }

    @Test
    void wrongPasswordIs535AndTheReplyIsDelayed() {
        try (LogCapture log = new LogCapture()) {
            var c = overTls(auth);
            c.send("EHLO client");
            var failed = c.send("AUTH PLAIN " + b64("\0abe\0wrong")).expect(535, "5.7.8")
                    .text("Error: authentication failed: authentication failure");
            assertEquals(Duration.ofSeconds(2), failed.step().replyDelay());
            assertEquals(List.of("failed 127.0.0.1"), delays);
            assertTrue(log.lines("yubin.smtpd").stream().anyMatch(l -> l.startsWith(
                    "warning: unknown[127.0.0.1]: SASL PLAIN authentication failed")), log.lines("yubin.smtpd")
                    .toString());
            // the client may try again
            c.send("AUTH PLAIN " + b64("\0abe\0secret")).expect(235);
        }
    }

    @Test
    void unknownUserFailsLikeAWrongPassword() {
        var c = overTls(auth);
        c.send("EHLO client");
        c.send("AUTH PLAIN " + b64("\0nobody\0secret")).expect(535, "5.7.8")
                .text("Error: authentication failed: authentication failure");
    }

    @Test
    void cancelWithStarIs501AndNotDelayed() {
        var c = overTls(auth);
        c.send("EHLO client");
        c.send("AUTH LOGIN").expect(334);
        var cancelled = c.send("*").expect(501, "5.7.0").text("Authentication aborted");
        assertEquals(Duration.ZERO, cancelled.step().replyDelay());
        c.send("NOOP").expect(250);
    }

    @Test
    void responseThatIsNotBase64Is501() {
        var c = overTls(auth);
        c.send("EHLO client");
        c.send("AUTH PLAIN !!!!").expect(501, "5.5.4"); // not even base64 characters: a syntax error
        c.send("AUTH PLAIN abc").expect(501, "5.5.2").text("Cannot decode response");
        c.send("AUTH LOGIN").expect(334);
        c.send("not base64 at all").expect(501, "5.5.2");
        c.send("NOOP").expect(250, "2.0.0");
    }

    @Test
    void aResponseThatLooksLikeACommandIsStillAResponse() {
        var c = overTls(auth);
        c.send("EHLO client");
        c.send("AUTH LOGIN").expect(334);
        // "QUIT" is valid base64 (3 octets, not UTF-8): a malformed user name, never the command
        c.send("QUIT").expect(501, "5.5.2").next(Next.READ_COMMAND);
        c.send("NOOP").expect(250);
        assertTrue(handler.events.stream().noneMatch(e -> e.startsWith("close")));
    }

    @Test
    void temporaryDatabaseFailureIs454() {
        databaseDown = true;
        var c = overTls(auth);
        c.send("EHLO client");
        var reply = c.send("AUTH PLAIN " + b64("\0abe\0secret")).expect(454, "4.7.0");
        assertEquals(Duration.ZERO, reply.step().replyDelay());
    }

    @Test
    void sequenceErrors() {
        var c = overTls(auth);
        c.send("AUTH PLAIN " + b64("\0abe\0secret")).expect(503, "5.5.1").text("Error: send EHLO first");
        c.send("HELO client").expect(250);
        c.send("AUTH PLAIN " + b64("\0abe\0secret")).expect(503, "5.5.1");
        c.send("EHLO client").expect(250);
        c.send("AUTH GSSAPI").expect(504, "5.5.4").text("Unrecognized authentication type");
        c.send("MAIL FROM:<a@example1.jp>").expect(250);
        c.send("AUTH PLAIN " + b64("\0abe\0secret")).expect(503, "5.5.1").text("Error: MAIL transaction in progress");
    }

    @Test
    void cramMd5WorksWithoutTls() {
        var c = plaintext(auth);
        c.send("EHLO client");
        String challenge = new String(Base64.getDecoder().decode(c.send("AUTH CRAM-MD5").expect(334).reply().text()),
                UTF_8);
        assertTrue(challenge.startsWith("<") && challenge.endsWith("@mx.example1.jp>"), challenge);
        c.send(b64("abe " + hmacMd5Hex("secret", challenge))).expect(235);
    }

    @Test
    void submissionRequiresAuthenticationBeforeMail() {
        var c = overTls(auth.withRequired(true));
        c.send("EHLO client");
        c.send("MAIL FROM:<abe@example1.jp>").expect(530, "5.7.0").text("Authentication required");
        c.send("AUTH PLAIN " + b64("\0abe\0secret")).expect(235);
        c.send("MAIL FROM:<abe@example1.jp>").expect(250);
    }

    @Test
    void authCountsInTheDisconnectLine() {
        try (LogCapture log = new LogCapture()) {
            var c = overTls(auth);
            c.send("EHLO client");
            c.send("AUTH PLAIN " + b64("\0abe\0wrong")).expect(535);
            c.send("AUTH PLAIN " + b64("\0abe\0secret")).expect(235);
            c.send("QUIT");
            c.disconnect();
            List<String> lines = log.lines("yubin.smtpd");
            assertTrue(lines.get(lines.size() - 1).endsWith("ehlo=1 auth=1/2 quit=1 commands=3/4"), lines.toString());
        }
    }

    private static String hmacMd5Hex(String key, String text) {
        try {
            javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacMD5");
            mac.init(new javax.crypto.spec.SecretKeySpec(key.getBytes(UTF_8), "HmacMD5"));
            StringBuilder hex = new StringBuilder();
            for (byte b : mac.doFinal(text.getBytes(UTF_8))) {
                hex.append(String.format("%02x", b & 0xff));
            }
            return hex.toString();
        } catch (java.security.GeneralSecurityException e) {
            throw new AssertionError(e);
        }
    }
}
