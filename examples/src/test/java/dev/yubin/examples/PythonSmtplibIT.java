package dev.yubin.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Python's smtplib (EHLO, PIPELINING-free, 8BITMIME, SMTPUTF8) sending to the server; the Maildir bytes are checked. */
class PythonSmtplibIT {

    private static final String SCRIPT = String.join("\n",
            "import smtplib, sys",
            "from email.message import EmailMessage",
            "port = int(sys.argv[1])",
            "msg = EmailMessage()",
            "msg['From'] = 'kato@example1.jp'",
            "msg['To'] = 'abe@example1.jp, sato@example1.jp'",
            "msg['Subject'] = 'smtplib test'",
            "msg['Message-ID'] = '<smtplib-1@example1.jp>'",
            "msg.set_content('line one\\n.leading dot\\n..two dots\\n\\u3053\\u3093\\u306b\\u3061\\u306f\\n')",
            "with smtplib.SMTP('127.0.0.1', port, local_hostname='client.example1.jp', timeout=20) as s:",
            "    code, caps = s.ehlo()",
            "    assert code == 250, code",
            "    for ext in ('pipelining', 'size', '8bitmime', 'enhancedstatuscodes', 'smtputf8', 'chunking'):",
            "        assert s.has_extn(ext), ext",
            "    refused = s.send_message(msg)",
            "    open(sys.argv[2], 'wb').write(msg.as_bytes())  # what was sent, with LF line endings",
            "    assert refused == {}, refused",
            "    try:",
            "        s.sendmail('kato@example1.jp', ['nobody@example1.jp'], 'Subject: x\\r\\n\\r\\nx\\r\\n')",
            "        raise SystemExit('unknown user was accepted')",
            "    except smtplib.SMTPRecipientsRefused as e:",
            "        code, text = e.recipients['nobody@example1.jp']",
            "        assert code == 550 and text.startswith(b'5.1.1'), (code, text)",
            "print('OK')",
            "");

    @Test
    void smtplibSendsToTwoLocalUsers(@TempDir Path dir) throws Exception {
        try (TestServer server = TestServer.start(dir)) {
            Path script = dir.resolve("send.py");
            Files.writeString(script, SCRIPT);
            ExternalClient.Result result = ExternalClient.run(Duration.ofSeconds(60), "python3", script.toString(),
                    String.valueOf(server.smtpPort()), dir.resolve("sent.eml").toString());
            assertEquals(0, result.exitCode(), result.output());
            assertTrue(result.output().contains("OK"), result.output());

            for (String user : List.of("abe", "sato")) {
                List<Path> files = server.awaitMessages(user, 1, Duration.ZERO);
                String mail = Files.readString(files.get(0), StandardCharsets.UTF_8);
                assertTrue(mail.startsWith("Return-Path: <kato@example1.jp>\nX-Original-To: " + user
                        + "@example1.jp\nDelivered-To: " + user + "@example1.jp\nReceived: from client.example1.jp "
                        + "(unknown [127.0.0.1])\n\tby mail.example1.jp (Yubin) with ESMTP id "), mail);
                // exactly what smtplib sent, after the trace headers and the Date that was missing
                String sent = Files.readString(dir.resolve("sent.eml"), StandardCharsets.UTF_8);
                assertTrue(sent.contains("\n\nline one\n.leading dot\n..two dots\n"), sent);
                assertTrue(mail.endsWith(sent), mail);
                String added = mail.substring(0, mail.length() - sent.length());
                assertTrue(added.matches("(?s).*\\([^)]+\\)\nDate: [^\n]+\n"), added);
            }
        }
    }
}
