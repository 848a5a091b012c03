package dev.yubin.examples;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The textbooks' POP3 reading with real clients: the telnet dialogue, Python's poplib, curl and fetchmail against
 * the assembled server, over Maildir and over mbox (which s-nail then reads, as the textbook's {@code mail} does).
 */
class Pop3IT {
    private static final String[] POP3 = {
        "pop3_listen = 127.0.0.1:0",
        "pop3s_listen = 127.0.0.1:0",
        "disable_plaintext_auth = no", // the textbook logs in with USER/PASS over telnet
    };

    private static String[] with(String... more) {
        List<String> lines = new ArrayList<>(List.of(POP3));
        lines.addAll(List.of(more));
        return lines.toArray(String[]::new);
    }

    private static String readLine(InputStream in) throws Exception {
        return TestServer.readLine(in);
    }

    @Test
    void textbookTelnetDialogueReadsTheMessage(@TempDir Path dir) throws Exception {
        try (TestServer server = TestServer.start(dir, POP3)) {
            server.sendTextbookMessage("test", "hello postfix!");
            Path stored = server.awaitMessages("abe", 1, Duration.ofSeconds(5)).get(0);
            String text = Files.readString(stored, UTF_8);
            long octets = text.getBytes(UTF_8).length + text.chars().filter(c -> c == '\n').count();
            try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.port("pop3"))) {
                socket.setSoTimeout(20_000);
                InputStream in = socket.getInputStream();
                OutputStream out = socket.getOutputStream();
                assertTrue(readLine(in).startsWith("+OK"));
                out.write("user abe\r\n".getBytes(UTF_8));
                assertTrue(readLine(in).startsWith("+OK"));
                out.write("pass password\r\n".getBytes(UTF_8));
                assertEquals("+OK Logged in.", readLine(in));
                out.write("list\r\n".getBytes(UTF_8));
                assertTrue(readLine(in).startsWith("+OK 1 messages"));
                assertEquals("1 " + octets, readLine(in));
                assertEquals(".", readLine(in));
                out.write("retr 1\r\n".getBytes(UTF_8));
                assertEquals("+OK " + octets + " octets", readLine(in));
                StringBuilder message = new StringBuilder();
                for (String line = readLine(in); !line.equals("."); line = readLine(in)) {
                    message.append(line).append('\n');
                }
                assertEquals(text, message.toString());
                assertTrue(text.contains("Subject: test\n\nhello postfix!\n"), text);
                out.write("quit\r\n".getBytes(UTF_8));
                assertEquals("+OK Logging out.", readLine(in));
            }
            assertEquals(1, server.awaitMessages("abe", 1, Duration.ZERO).size(), "nothing was deleted");
        }
    }

    private static final String POPLIB = String.join("\n",
            "import poplib, ssl, sys",
            "port, expected = int(sys.argv[1]), int(sys.argv[2])",
            "context = ssl.create_default_context()",
            "context.check_hostname = False",
            "context.verify_mode = ssl.CERT_NONE",
            "p = poplib.POP3('127.0.0.1', port, timeout=20)",
            "caps = p.capa()",
            "assert 'STLS' in caps and 'UIDL' in caps and 'TOP' in caps, caps",
            "p.stls(context=context)",
            "p.user('abe')",
            "p.pass_('password')",
            "count, size = p.stat()",
            "assert count == expected, (count, expected)",
            "resp, listing, _ = p.list()",
            "uids = [line.split()[1] for line in p.uidl()[1]]",
            "assert len(set(uids)) == count, uids",
            "for i in range(1, count + 1):",
            "    resp, lines, octets = p.retr(i)",
            "    listed = int(listing[i - 1].split()[1])",
            "    assert octets == listed, (octets, listed)",
            "    assert any(l.startswith(b'Subject: poplib ') for l in lines), lines",
            "resp, top, _ = p.top(1, 0)",
            "assert top[-1] == b'' and any(l.startswith(b'Subject:') for l in top), top",
            "p.dele(1)",
            "p.quit()",
            "p = poplib.POP3_SSL('127.0.0.1', int(sys.argv[3]), timeout=20, context=context)",
            "p.user('abe')",
            "p.pass_('password')",
            "assert p.stat()[0] == expected - 1, p.stat()",
            "assert p.uidl()[1][0].split()[1] == uids[1], 'UIDs are stable across sessions'",
            "p.quit()",
            "print('OK')",
            "");

    @Test
    void poplibWithStlsAndPop3s(@TempDir Path dir) throws Exception {
        try (TestServer server = TestServer.start(dir, POP3)) {
            for (int i = 1; i <= 3; i++) {
                server.sendTextbookMessage("poplib " + i, "body " + i);
            }
            server.awaitMessages("abe", 3, Duration.ofSeconds(5));
            Path script = dir.resolve("pop.py");
            Files.writeString(script, POPLIB);
            ExternalClient.Result result = ExternalClient.run(Duration.ofSeconds(60), "python3", script.toString(),
                    String.valueOf(server.port("pop3")), "3", String.valueOf(server.port("pop3s")));
            assertEquals(0, result.exitCode(), result.output());
            assertTrue(result.output().contains("OK"), result.output());
            assertEquals(2, server.awaitMessages("abe", 2, Duration.ofSeconds(5)).size());
        }
    }

    @Test
    void curlListsAndRetrieves(@TempDir Path dir) throws Exception {
        try (TestServer server = TestServer.start(dir, POP3)) {
            server.sendTextbookMessage("curl", "fetched by curl");
            String stored = Files.readString(server.awaitMessages("abe", 1, Duration.ofSeconds(5)).get(0), UTF_8);
            String url = "pop3://127.0.0.1:" + server.port("pop3") + "/";
            ExternalClient.Result list = ExternalClient.run(Duration.ofSeconds(30), "curl", "-sS", "--user",
                    "abe:password", url);
            assertEquals(0, list.exitCode(), list.output());
            assertTrue(list.output().startsWith("1 "), list.output());
            ExternalClient.Result retr = ExternalClient.run(Duration.ofSeconds(30), "curl", "-sS", "--ssl-reqd", "-k",
                    "--user", "abe:password", url + "1");
            assertEquals(0, retr.exitCode(), retr.output());
            assertEquals(stored, retr.output().replace("\r\n", "\n"));
        }
    }

    @Test
    void fetchmailRetrievesAndDeletes(@TempDir Path dir) throws Exception {
        try (TestServer server = TestServer.start(dir, POP3)) {
            server.sendTextbookMessage("fetchmail 1", "one");
            server.sendTextbookMessage("fetchmail 2", "two");
            server.awaitMessages("abe", 2, Duration.ofSeconds(5));
            Path out = dir.resolve("fetched.mbox");
            Path rc = dir.resolve("fetchmailrc");
            Files.writeString(rc, String.join("\n",
                    "set no syslog",
                    "poll 127.0.0.1 service " + server.port("pop3") + " protocol pop3 auth password",
                    "  user \"abe\" there with password \"password\" is \"root\" here",
                    "  sslproto ''",
                    "  fetchall",
                    "  mda \"/bin/sh -c 'cat >> " + out + "'\"",
                    ""));
            Files.setPosixFilePermissions(rc, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
            ExternalClient.Result result = ExternalClient.run(Duration.ofSeconds(60), "fetchmail", "--nodetach",
                    "-f", rc.toString(), "--pidfile", dir.resolve("fetchmail.pid").toString());
            assertEquals(0, result.exitCode(), result.output());
            String fetched = Files.readString(out, UTF_8);
            assertTrue(fetched.contains("Subject: fetchmail 1") && fetched.contains("Subject: fetchmail 2"), fetched);
            assertEquals(0, server.awaitMessages("abe", 0, Duration.ofSeconds(5)).size(),
                    "fetchmail deleted what it retrieved");
        }
    }

    @Test
    void mboxInTheMailSpoolIsReadBySnailAndServedOverPop3(@TempDir Path dir) throws Exception {
        try (TestServer server = TestServer.start(dir, with("home_mailbox =", "mail_spool_directory = spool"))) {
            server.sendTextbookMessage("mbox one", "From the start of a line\nhello");
            server.sendTextbookMessage("mbox two", "second");
            Path mbox = dir.resolve("spool").resolve("abe");
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (!Files.readString(mbox, UTF_8).contains("Subject: mbox two") && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            String text = Files.readString(mbox, UTF_8);
            assertTrue(text.startsWith("From kato@example1.jp  "), text);
            assertTrue(text.contains("\n>From the start of a line\n"), "mboxrd quoting: " + text);

            ExternalClient.Result snail = ExternalClient.run(Duration.ofSeconds(30), "s-nail", "-:/", "-N", "-R",
                    "-H", "-f", mbox.toString());
            assertEquals(0, snail.exitCode(), snail.output());
            assertTrue(snail.output().contains("mbox one") && snail.output().contains("mbox two"), snail.output());

            String url = "pop3://127.0.0.1:" + server.port("pop3") + "/1";
            ExternalClient.Result retr = ExternalClient.run(Duration.ofSeconds(30), "curl", "-sS", "--user",
                    "abe:password", url);
            assertEquals(0, retr.exitCode(), retr.output());
            String first = retr.output().replace("\r\n", "\n");
            assertTrue(first.startsWith("Return-Path: <kato@example1.jp>\n"), first);
            assertTrue(first.contains("Subject: mbox one\n\nFrom the start of a line\nhello\n"), "unquoted: " + first);
        }
    }
}
