package dev.yubin.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The second textbook's relay control with real clients: swaks and Python's smtplib authenticate (PLAIN, LOGIN;
 * STARTTLS, implicit TLS on the smtps port, plaintext where the configuration allows it) and may then send
 * anywhere, while the same message without AUTH is refused as an open-relay probe.
 */
class SmtpAuthIT {
    private static final String[] AUTH_ON = {
        "smtpd_sasl_auth_enable = yes",
        "smtpd_recipient_restrictions = permit_mynetworks, permit_sasl_authenticated, reject_unauth_destination",
        "submission_listen = 127.0.0.1:0",
        "smtps_listen = 127.0.0.1:0",
    };

    private static String[] with(String... more) {
        List<String> lines = new ArrayList<>(List.of(AUTH_ON));
        lines.addAll(List.of(more));
        return lines.toArray(String[]::new);
    }

    @Test
    void openRelayProbeIsRefusedAndTheSameMessageAfterAuthIsQueued(@TempDir Path dir) throws Exception {
        try (TestServer server = TestServer.start(dir, AUTH_ON)) {
            ExternalClient.Result probe = swaks(server.smtpPort(), "--to", "user2@example2.jp",
                    "--from", "kato@example1.jp");
            assertNotEquals(0, probe.exitCode(), probe.output());
            assertTrue(probe.output().contains("554 5.7.1 <user2@example2.jp>: Relay access denied"),
                    probe.output());
            assertEquals(List.of(), server.deferred());

            ExternalClient.Result authed = swaks(server.smtpPort(), "--to", "user2@example2.jp",
                    "--from", "kato@example1.jp", "-tls", "--auth", "PLAIN", "--auth-user", "kato",
                    "--auth-password", "password", "--header", "Subject: relayed after AUTH");
            assertEquals(0, authed.exitCode(), authed.output());
            assertTrue(authed.output().contains("235 2.7.0 Authentication successful"), authed.output());
            List<Path> queued = server.deferred();
            assertEquals(1, queued.size(), "the relayed message waits in the queue: " + queued);
            String file = Files.readString(queued.get(0), StandardCharsets.ISO_8859_1);
            assertTrue(file.contains("user2@example2.jp"), file);
            assertTrue(file.contains("Subject: relayed after AUTH"), file);
        }
    }

    @Test
    void authLoginOverStartTlsOnTheSubmissionPort(@TempDir Path dir) throws Exception {
        try (TestServer server = TestServer.start(dir, AUTH_ON)) {
            ExternalClient.Result result = swaks(server.port("submission"), "--to", "abe@example1.jp",
                    "--from", "sato@example1.jp", "-tls", "--auth", "LOGIN", "--auth-user", "sato",
                    "--auth-password", "password", "--header", "Subject: submitted");
            assertEquals(0, result.exitCode(), result.output());
            assertTrue(result.output().contains("334 VXNlcm5hbWU6"), result.output()); // "Username:"
            String mail = Files.readString(server.awaitMessages("abe", 1, Duration.ofSeconds(5)).get(0));
            assertTrue(mail.contains("with ESMTPSA id"), mail);
        }
    }

    @Test
    void submissionRefusesMailBeforeAuth(@TempDir Path dir) throws Exception {
        try (TestServer server = TestServer.start(dir, AUTH_ON)) {
            ExternalClient.Result result = swaks(server.port("submission"), "--to", "abe@example1.jp",
                    "--from", "sato@example1.jp", "-tls");
            assertNotEquals(0, result.exitCode(), result.output());
            assertTrue(result.output().contains("530 5.7.0 Authentication required"), result.output());
        }
    }

    @Test
    void authPlainOnTheImplicitTlsPort(@TempDir Path dir) throws Exception {
        try (TestServer server = TestServer.start(dir, AUTH_ON)) {
            ExternalClient.Result result = swaks(server.port("smtps"), "--tls-on-connect", "--to",
                    "user2@example2.jp", "--from", "abe@example1.jp", "--auth", "PLAIN", "--auth-user", "abe",
                    "--auth-password", "password");
            assertEquals(0, result.exitCode(), result.output());
            assertEquals(1, server.deferred().size());
        }
    }

    @Test
    void plaintextAuthOnlyWhereTheConfigurationAllowsIt(@TempDir Path dir) throws Exception {
        try (TestServer server = TestServer.start(dir, AUTH_ON)) {
            // disable_plaintext_auth = yes (the default): PLAIN is not offered before STARTTLS
            ExternalClient.Result refused = swaks(server.smtpPort(), "--to", "abe@example1.jp",
                    "--from", "kato@example1.jp", "--auth", "PLAIN", "--auth-user", "kato",
                    "--auth-password", "password");
            assertNotEquals(0, refused.exitCode(), refused.output());
        }
        Path second = Files.createDirectories(dir.resolve("textbook"));
        try (TestServer server = TestServer.start(second, with("disable_plaintext_auth = no"))) {
            ExternalClient.Result allowed = swaks(server.smtpPort(), "--to", "user2@example2.jp",
                    "--from", "kato@example1.jp", "--auth", "PLAIN", "--auth-user", "kato",
                    "--auth-password", "password");
            assertEquals(0, allowed.exitCode(), allowed.output());
        }
    }

    @Test
    void wrongPasswordIs535(@TempDir Path dir) throws Exception {
        try (TestServer server = TestServer.start(dir, AUTH_ON)) {
            ExternalClient.Result result = swaks(server.smtpPort(), "--to", "user2@example2.jp",
                    "--from", "kato@example1.jp", "-tls", "--auth", "PLAIN", "--auth-user", "kato",
                    "--auth-password", "wrong");
            assertNotEquals(0, result.exitCode(), result.output());
            assertTrue(result.output().contains("535 5.7.8 Error: authentication failed"), result.output());
            assertEquals(List.of(), server.deferred());
        }
    }

    private static final String SMTPLIB = String.join("\n",
            "import smtplib, ssl, sys",
            "port = int(sys.argv[1])",
            "context = ssl.create_default_context()",
            "context.check_hostname = False",
            "context.verify_mode = ssl.CERT_NONE",
            "with smtplib.SMTP('127.0.0.1', port, local_hostname='client.example1.jp', timeout=20) as s:",
            "    s.ehlo()",
            "    assert s.has_extn('starttls')",
            "    assert not s.has_extn('auth'), 'AUTH PLAIN offered in plaintext'",
            "    try:",
            "        s.sendmail('kato@example1.jp', ['user2@example2.jp'], 'Subject: probe\\r\\n\\r\\nx\\r\\n')",
            "        raise SystemExit('relay accepted without AUTH')",
            "    except smtplib.SMTPRecipientsRefused as e:",
            "        code, text = e.recipients['user2@example2.jp']",
            "        assert code == 554, (code, text)",
            "    s.starttls(context=context)",
            "    s.ehlo()",
            "    assert 'PLAIN' in s.esmtp_features['auth'], s.esmtp_features",
            "    try:",
            "        s.login('kato', 'not-the-password')",
            "        raise SystemExit('wrong password accepted')",
            "    except smtplib.SMTPAuthenticationError as e:",
            "        assert e.smtp_code == 535, e",
            "    code, text = s.login('kato', 'password')",
            "    assert code == 235, (code, text)",
            "    refused = s.sendmail('kato@example1.jp', ['user2@example2.jp', 'abe@example1.jp'],",
            "                         'Subject: after login\\r\\n\\r\\nhello\\r\\n')",
            "    assert refused == {}, refused",
            "print('OK')",
            "");

    @Test
    void smtplibStartTlsLoginAndRelay(@TempDir Path dir) throws Exception {
        try (TestServer server = TestServer.start(dir, AUTH_ON)) {
            Path script = dir.resolve("auth.py");
            Files.writeString(script, SMTPLIB);
            ExternalClient.Result result = ExternalClient.run(Duration.ofSeconds(60), "python3", script.toString(),
                    String.valueOf(server.smtpPort()));
            assertEquals(0, result.exitCode(), result.output());
            assertTrue(result.output().contains("OK"), result.output());
            assertEquals(1, server.deferred().size());
            String mail = Files.readString(server.awaitMessages("abe", 1, Duration.ofSeconds(5)).get(0));
            assertTrue(mail.contains("Subject: after login"), mail);
        }
    }

    private static ExternalClient.Result swaks(int port, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("swaks", "--server", "127.0.0.1",
                "--port", String.valueOf(port), "--helo", "client.example1.jp", "--timeout", "20"));
        command.addAll(List.of(args));
        return ExternalClient.run(Duration.ofSeconds(60), command.toArray(String[]::new));
    }
}
