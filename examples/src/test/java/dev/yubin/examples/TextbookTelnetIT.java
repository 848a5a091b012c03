package dev.yubin.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The textbook's first check (seed 000, 図19), replayed over a socket as telnet sends it: lowercase commands, CRLF
 * line ends, a body without headers. Replies must match the Postfix transcript except for the banner's product name
 * and the queue id; the Maildir file must hold what figure 27 shows: Postfix-style trace headers, the Message-Id,
 * Date and From that Postfix adds for a local client, and the body.
 */
class TextbookTelnetIT {

    @Test
    void telnetDialogueDeliversIntoMaildirNew(@TempDir Path dir) throws Exception {
        try (TestServer server = TestServer.start(dir);
             Socket socket = new Socket("127.0.0.1", server.smtpPort())) {
            socket.setSoTimeout(10_000);
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(),
                    StandardCharsets.US_ASCII));
            OutputStream out = socket.getOutputStream();

            assertEquals("220 mail.example1.jp ESMTP Yubin", in.readLine());
            assertEquals("250 mail.example1.jp", exchange(in, out, "helo mail.example1.jp"));
            assertEquals("250 2.1.0 Ok", exchange(in, out, "mail from:<kato@example1.jp>"));
            assertEquals("250 2.1.5 Ok", exchange(in, out, "rcpt to:<abe@example1.jp>"));
            assertEquals("354 End data with <CR><LF>.<CR><LF>", exchange(in, out, "data"));
            send(out, "hello postfix!");
            String queued = exchange(in, out, ".");
            Matcher m = Pattern.compile("250 2\\.0\\.0 Ok: queued as ([0-9A-Za-z]+)").matcher(queued);
            assertTrue(m.matches(), queued);
            String queueId = m.group(1);

            // 250 means durable: the file is there now, without waiting.
            List<Path> files = server.awaitMessages("abe", 1, Duration.ZERO);
            String mail = Files.readString(files.get(0), StandardCharsets.UTF_8);
            String date = "\\w{3}, [ \\d]\\d \\w{3} \\d{4} \\d\\d:\\d\\d:\\d\\d [+-]\\d{4} \\([\\w+-]+\\)";
            // As in figure 27: the client is on the server's own address, so the missing Message-Id, Date and
            // From are added (Postfix's local_header_rewrite_clients), and the empty line before the body.
            Pattern expected = Pattern.compile(
                    "Return-Path: <kato@example1\\.jp>\n"
                    + "X-Original-To: abe@example1\\.jp\n"
                    + "Delivered-To: abe@example1\\.jp\n"
                    + "Received: from mail\\.example1\\.jp \\(unknown \\[127\\.0\\.0\\.1\\]\\)\n"
                    + "\tby mail\\.example1\\.jp \\(Yubin\\) with SMTP id " + queueId + "\n"
                    + "\tfor <abe@example1\\.jp>; " + date + "\n"
                    + "Message-Id: <\\d{14}\\." + queueId + "@mail\\.example1\\.jp>\n"
                    + "Date: " + date + "\n"
                    + "From: kato@example1\\.jp\n"
                    + "\n"
                    + "hello postfix!\n");
            assertTrue(expected.matcher(mail).matches(), mail);
            assertTrue(files.get(0).getFileName().toString().contains(",S=" + Files.size(files.get(0))),
                    files.get(0).toString());

            assertEquals("221 2.0.0 Bye", exchange(in, out, "quit"));
            assertEquals(null, in.readLine(), "server closes after QUIT");
        }
    }

    @Test
    void unknownLocalUserAndRelayAreRefused(@TempDir Path dir) throws Exception {
        try (TestServer server = TestServer.start(dir);
             Socket socket = new Socket("127.0.0.1", server.smtpPort())) {
            socket.setSoTimeout(10_000);
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(),
                    StandardCharsets.US_ASCII));
            OutputStream out = socket.getOutputStream();
            in.readLine();
            exchange(in, out, "helo client.example");
            exchange(in, out, "mail from:<kato@example1.jp>");
            assertEquals("550 5.1.1 <nobody@example1.jp>: Recipient address rejected: "
                    + "User unknown in local recipient table", exchange(in, out, "rcpt to:<nobody@example1.jp>"));
            assertEquals("554 5.7.1 <user2@example2.jp>: Relay access denied",
                    exchange(in, out, "rcpt to:<user2@example2.jp>"));
            assertEquals("554 5.5.1 Error: no valid recipients", exchange(in, out, "data"));
            assertEquals("221 2.0.0 Bye", exchange(in, out, "quit"));
        }
    }

    private static String exchange(BufferedReader in, OutputStream out, String line) throws Exception {
        send(out, line);
        return in.readLine();
    }

    private static void send(OutputStream out, String line) throws Exception {
        out.write((line + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }
}
