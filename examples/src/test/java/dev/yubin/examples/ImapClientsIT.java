package dev.yubin.examples;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.mail.Flags;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Store;
import jakarta.mail.event.MessageCountAdapter;
import jakarta.mail.event.MessageCountEvent;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.eclipse.angus.mail.imap.IMAPFolder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The textbooks' last step, reading over IMAP, with clients nobody here wrote: the telnet dialogue, Python's
 * imaplib (STARTTLS and IMAPS), curl, mbsync syncing both ways, Jakarta Mail (Angus) with IDLE, and s-nail.
 */
class ImapClientsIT {
    private static final String[] IMAP = {
        "imap_listen = 127.0.0.1:0",
        "imaps_listen = 127.0.0.1:0",
    };
    private static final String[] IMAP_PLAINTEXT = {
        "imap_listen = 127.0.0.1:0",
        "disable_plaintext_auth = no", // the textbook logs in over telnet
    };

    @Test
    void textbookTelnetDialogue(@TempDir Path dir) throws Exception {
        try (TestServer server = TestServer.start(dir, IMAP_PLAINTEXT)) {
            server.sendTextbookMessage("test", "hello postfix!");
            server.sendTextbookMessage("second", "hello dovecot!");
            server.awaitMessages("abe", 2, Duration.ofSeconds(5));
            try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.port("imap"))) {
                socket.setSoTimeout(20_000);
                InputStream in = socket.getInputStream();
                OutputStream out = socket.getOutputStream();
                assertTrue(TestServer.readLine(in).startsWith("* OK [CAPABILITY IMAP4rev1"));
                out.write("A01 login abe password\r\n".getBytes(UTF_8));
                assertTrue(TestServer.readLine(in).startsWith("A01 OK"));
                out.write("A02 list \"\" *\r\n".getBytes(UTF_8));
                assertEquals("* LIST (\\HasNoChildren) \".\" INBOX", TestServer.readLine(in));
                skipTo(in, "A02 OK");
                out.write("A03 select INBOX\r\n".getBytes(UTF_8));
                assertEquals("* 2 EXISTS", skipTo(in, "* 2 EXISTS"));
                skipTo(in, "A03 OK [READ-WRITE]");
                out.write("A04 search all\r\n".getBytes(UTF_8));
                assertEquals("* SEARCH 1 2", TestServer.readLine(in));
                assertTrue(TestServer.readLine(in).startsWith("A04 OK"));
                out.write("A05 fetch 2 RFC822\r\n".getBytes(UTF_8));
                assertTrue(TestServer.readLine(in).startsWith("* 2 FETCH (RFC822 {"));
                assertTrue(skipTo(in, "hello dovecot!").equals("hello dovecot!"));
                skipTo(in, "A05 OK");
                out.write("A06 logout\r\n".getBytes(UTF_8));
                assertTrue(TestServer.readLine(in).startsWith("* BYE"));
                assertTrue(TestServer.readLine(in).startsWith("A06 OK"));
            }
        }
    }

    private static String skipTo(InputStream in, String prefix) throws Exception {
        for (int i = 0; i < 100; i++) {
            String line = TestServer.readLine(in);
            if (line.startsWith(prefix)) {
                return line;
            }
        }
        throw new AssertionError("no line starting with " + prefix);
    }

    private static final String IMAPLIB = String.join("\n",
            "import imaplib, ssl, sys",
            "port, imaps = int(sys.argv[1]), int(sys.argv[2])",
            "ctx = ssl.create_default_context(); ctx.check_hostname = False; ctx.verify_mode = ssl.CERT_NONE",
            "m = imaplib.IMAP4('127.0.0.1', port)",
            "assert 'LOGINDISABLED' in m.capabilities, m.capabilities",
            "m.starttls(ssl_context=ctx)",
            "m.login('abe', 'password')",
            "typ, boxes = m.list(); assert typ == 'OK'",
            "names = [b.decode().split(' \".\" ')[-1] for b in boxes]",
            "assert names == ['INBOX', 'Drafts', 'Junk', 'Sent', 'Trash'], names",
            "typ, data = m.select('INBOX'); assert data == [b'3'], data",
            "typ, data = m.search(None, 'SUBJECT', 'imaplib 2'); assert data == [b'2'], data",
            "typ, data = m.fetch('1:3', '(UID FLAGS RFC822.SIZE ENVELOPE)'); assert len(data) == 3, data",
            "typ, data = m.fetch('2', '(BODY.PEEK[HEADER.FIELDS (SUBJECT)])')",
            "assert data[0][1] == b'Subject: imaplib 2\\r\\n\\r\\n', data",
            "typ, data = m.fetch('2', '(BODY[TEXT])'); assert data[0][1] == b'body 2\\r\\n', data",
            "typ, data = m.fetch('2', '(FLAGS)'); assert b'\\\\Seen' in data[0], data",
            "typ, data = m.store('1', '+FLAGS', '(\\\\Flagged)'); assert b'\\\\Flagged' in data[0], data",
            "typ, data = m.copy('1', 'Trash'); assert typ == 'OK', data",
            "typ, data = m.uid('MOVE', '3', 'Sent'); assert typ == 'OK', data",
            "typ, data = m.status('Trash', '(MESSAGES UIDNEXT)'); assert b'MESSAGES 1' in data[0], data",
            "typ, data = m.append('Drafts', '(\\\\Draft)', None, b'Subject: draft\\r\\n\\r\\nnot yet\\r\\n')",
            "assert typ == 'OK' and b'APPENDUID' in data[0], data",
            "m.store('1', '+FLAGS', '(\\\\Deleted)')",
            "typ, data = m.expunge(); assert data == [b'3', b'1'], data  # imaplib keeps the MOVE's EXPUNGE too",
            "typ, data = m.search(None, 'ALL'); assert data == [b'1'], data",
            "m.create('Lists.yubin'); m.rename('Lists.yubin', 'Lists.mail'); m.delete('Lists.mail')",
            "m.close(); m.logout()",
            "s = imaplib.IMAP4_SSL('127.0.0.1', imaps, ssl_context=ctx)",
            "s.login('abe', 'password'); typ, data = s.select('Drafts', readonly=True); assert data == [b'1'], data",
            "s.logout()",
            "print('OK')");

    @Test
    void pythonImaplibOverStartTlsAndImaps(@TempDir Path dir) throws Exception {
        try (TestServer server = TestServer.start(dir, IMAP)) {
            for (int i = 1; i <= 3; i++) {
                server.sendTextbookMessage("imaplib " + i, "body " + i);
            }
            server.awaitMessages("abe", 3, Duration.ofSeconds(5));
            Path script = dir.resolve("imap.py");
            Files.writeString(script, IMAPLIB);
            ExternalClient.Result result = ExternalClient.run(Duration.ofSeconds(60), "python3", script.toString(),
                    String.valueOf(server.port("imap")), String.valueOf(server.port("imaps")));
            assertEquals(0, result.exitCode(), result.output());
            assertTrue(result.output().contains("OK"), result.output());
        }
    }

    @Test
    void curlListsAndFetches(@TempDir Path dir) throws Exception {
        try (TestServer server = TestServer.start(dir, IMAP)) {
            server.sendTextbookMessage("curl", "fetched by curl");
            String stored = Files.readString(server.awaitMessages("abe", 1, Duration.ofSeconds(5)).get(0), UTF_8);
            String url = "imap://127.0.0.1:" + server.port("imap") + "/";
            ExternalClient.Result list = ExternalClient.run(Duration.ofSeconds(30), "curl", "-sS", "--ssl-reqd",
                    "-k", "--user", "abe:password", url);
            assertEquals(0, list.exitCode(), list.output());
            assertTrue(list.output().contains("\".\" INBOX"), list.output());
            ExternalClient.Result fetch = ExternalClient.run(Duration.ofSeconds(30), "curl", "-sS", "--ssl-reqd",
                    "-k", "--user", "abe:password", url + "INBOX;UID=1");
            assertEquals(0, fetch.exitCode(), fetch.output());
            assertEquals(stored, fetch.output().replace("\r\n", "\n"));
            ExternalClient.Result imaps = ExternalClient.run(Duration.ofSeconds(30), "curl", "-sS", "-k", "--user",
                    "abe:password", "imaps://127.0.0.1:" + server.port("imaps") + "/INBOX;UID=1");
            assertEquals(stored, imaps.output().replace("\r\n", "\n"));
        }
    }

    @Test
    void mbsyncSyncsBothWays(@TempDir Path dir) throws Exception {
        try (TestServer server = TestServer.start(dir, IMAP_PLAINTEXT)) {
            server.sendTextbookMessage("to the laptop", "down");
            server.awaitMessages("abe", 1, Duration.ofSeconds(5));
            Path local = Files.createDirectories(dir.resolve("laptop"));
            Path rc = dir.resolve("mbsyncrc");
            Files.writeString(rc, String.join("\n",
                    "IMAPAccount yubin",
                    "Host 127.0.0.1",
                    "Port " + server.port("imap"),
                    "User abe",
                    "Pass password",
                    "SSLType None", // isync 1.4 (Debian 12); 1.5 calls it TLSType and still takes this
                    "AuthMechs LOGIN",
                    "",
                    "IMAPStore remote",
                    "Account yubin",
                    "",
                    "MaildirStore laptop",
                    "Path " + local + "/",
                    "Inbox " + local.resolve("INBOX") + "/",
                    "",
                    "Channel inbox",
                    "Far :remote:INBOX",
                    "Near :laptop:INBOX",
                    "Create Both",
                    "Sync All",
                    "SyncState *",
                    ""));
            ExternalClient.Result first = ExternalClient.run(Duration.ofSeconds(60), "mbsync", "-c", rc.toString(),
                    "inbox");
            assertEquals(0, first.exitCode(), first.output());
            List<Path> down = files(local.resolve("INBOX/new"), local.resolve("INBOX/cur"));
            assertEquals(1, down.size(), first.output());
            assertTrue(Files.readString(down.get(0), UTF_8).contains("Subject: to the laptop"));

            // a message written on the laptop goes up, a flag set on the laptop too
            Files.writeString(local.resolve("INBOX/cur/1700000000.1.laptop:2,S"),
                    "From: abe@example1.jp\nSubject: to the server\n\nup\n");
            Path downloaded = down.get(0);
            Files.move(downloaded, local.resolve("INBOX/cur").resolve(baseName(downloaded) + ":2,F"));
            ExternalClient.Result second = ExternalClient.run(Duration.ofSeconds(60), "mbsync", "-c", rc.toString(),
                    "inbox");
            assertEquals(0, second.exitCode(), second.output());
            List<Path> onServer = files(server.maildir("abe").resolve("new"), server.maildir("abe").resolve("cur"));
            assertEquals(2, onServer.size(), onServer.toString());
            assertTrue(onServer.stream().anyMatch(p -> read(p).contains("Subject: to the server")
                    && p.getFileName().toString().endsWith(":2,S")), onServer.toString());
            assertTrue(onServer.stream().anyMatch(p -> read(p).contains("Subject: to the laptop")
                    && p.getFileName().toString().contains(":2,F")), onServer.toString());
        }
    }

    private static String baseName(Path file) {
        String name = file.getFileName().toString();
        int colon = name.indexOf(':');
        return colon < 0 ? name : name.substring(0, colon);
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, UTF_8);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static List<Path> files(Path... dirs) throws Exception {
        List<Path> out = new java.util.ArrayList<>();
        for (Path d : dirs) {
            if (Files.isDirectory(d)) {
                try (Stream<Path> s = Files.list(d)) {
                    s.filter(Files::isRegularFile).forEach(out::add);
                }
            }
        }
        return out;
    }

    @Test
    void jakartaMailFoldersFlagsAndIdle(@TempDir Path dir) throws Exception {
        try (TestServer server = TestServer.start(dir, IMAP)) {
            server.sendTextbookMessage("angus 1", "first");
            server.awaitMessages("abe", 1, Duration.ofSeconds(5));
            Properties props = new Properties();
            props.put("mail.imap.host", "127.0.0.1");
            props.put("mail.imap.port", String.valueOf(server.port("imap")));
            props.put("mail.imap.starttls.enable", "true");
            props.put("mail.imap.starttls.required", "true");
            props.put("mail.imap.ssl.trust", "*");
            props.put("mail.imap.ssl.checkserveridentity", "false");
            props.put("mail.imap.connectiontimeout", "10000");
            props.put("mail.imap.timeout", "20000");
            Store store = Session.getInstance(props).getStore("imap");
            store.connect("abe", "password");
            try {
                List<String> names = Stream.of(store.getDefaultFolder().list("*")).map(Folder::getFullName).toList();
                assertTrue(names.containsAll(List.of("INBOX", "Sent", "Drafts", "Trash", "Junk")), names.toString());
                IMAPFolder inbox = (IMAPFolder) store.getFolder("INBOX");
                inbox.open(Folder.READ_WRITE);
                assertEquals(1, inbox.getMessageCount());
                Message first = inbox.getMessage(1);
                assertEquals("angus 1", first.getSubject());
                assertEquals("first\r\n", first.getContent().toString());
                first.setFlag(Flags.Flag.FLAGGED, true);
                assertTrue(inbox.getMessage(1).isSet(Flags.Flag.FLAGGED));
                assertTrue(inbox.getUID(first) > 0);

                CountDownLatch arrived = new CountDownLatch(1);
                inbox.addMessageCountListener(new MessageCountAdapter() {
                    @Override
                    public void messagesAdded(MessageCountEvent e) {
                        arrived.countDown();
                    }
                });
                Thread idler = new Thread(() -> {
                    try {
                        while (arrived.getCount() > 0) {
                            inbox.idle(true);
                        }
                    } catch (jakarta.mail.MessagingException e) {
                        // the folder closed at the end of the test
                    }
                }, "idle");
                idler.start();
                Thread.sleep(300); // let IDLE begin; a delivery before it is reported at IDLE start anyway
                server.sendTextbookMessage("angus 2", "pushed");
                assertTrue(arrived.await(20, TimeUnit.SECONDS), "IDLE reported the new message");
                idler.join(20_000);
                assertEquals(2, inbox.getMessageCount());
                assertEquals("angus 2", inbox.getMessage(2).getSubject());
                inbox.close(false);
            } finally {
                store.close();
            }
        }
    }

    @Test
    void snailReadsOverImap(@TempDir Path dir) throws Exception {
        try (TestServer server = TestServer.start(dir, IMAP_PLAINTEXT)) {
            server.sendTextbookMessage("read by s-nail", "hello s-nail!");
            server.awaitMessages("abe", 1, Duration.ofSeconds(5));
            String url = "imap://abe@127.0.0.1:" + server.port("imap");
            ExternalClient.Result result = ExternalClient.run(Duration.ofSeconds(30), "s-nail", "-:/", "-N", "-R",
                    "-Y", "print 1\nquit", "-S", "v15-compat",
                    "-S", "password-abe@127.0.0.1:" + server.port("imap") + "=password", "-S", "imap-auth=login",
                    "-S", "imap-use-starttls", "-S", "tls-verify=ignore", // the certificate is self-signed
                    "-f", url + "/INBOX");
            assertTrue(result.output().contains("hello s-nail!"), result.output());
            assertTrue(result.output().contains("read by s-nail"), result.output());
        }
    }

    private static final String IMAPLIB_MBOX = String.join("\n",
            "import imaplib, sys",
            "m = imaplib.IMAP4('127.0.0.1', int(sys.argv[1]))",
            "m.login('abe', 'password')",
            "typ, boxes = m.list(); assert boxes == [b'(\\\\HasNoChildren) \"/\" INBOX'], boxes",
            "typ, data = m.create('Sent'); assert typ == 'NO' and b'[CANNOT]' in data[0], data",
            "typ, data = m.select('INBOX'); assert data == [b'3'], data",
            "typ, data = m.fetch('1:3', '(UID FLAGS)')",
            "assert data == [b'1 (UID 1 FLAGS (\\\\Seen \\\\Recent))', b'2 (UID 2 FLAGS (\\\\Recent))',"
                    + " b'3 (UID 3 FLAGS (\\\\Recent))'], data  # s-nail read the first",
            "typ, data = m.fetch('2', '(BODY.PEEK[TEXT])'); assert data[0][1] == b'From the start\\r\\n', data",
            "m.store('2', '+FLAGS', '(\\\\Deleted)')",
            "typ, data = m.expunge(); assert data == [b'2'], data",
            "typ, data = m.append('INBOX', '(\\\\Flagged)', None, b'Subject: appended\\r\\n\\r\\nby imaplib\\r\\n')",
            "assert typ == 'OK' and b'[APPENDUID ' in data[0] and data[0].endswith(b' 4] APPEND completed.'), data",
            "typ, data = m.uid('FETCH', '4', '(FLAGS BODY[HEADER.FIELDS (SUBJECT)])')",
            "assert b'\\\\Flagged' in data[0][0] and data[0][1] == b'Subject: appended\\r\\n\\r\\n', data",
            "m.logout()",
            "print('OK')");

    @Test
    void mboxInboxIsSharedByImapPop3AndSnail(@TempDir Path dir) throws Exception {
        String[] mbox = {"home_mailbox =", "mail_spool_directory = spool", IMAP_PLAINTEXT[0], IMAP_PLAINTEXT[1],
            "pop3_listen = 127.0.0.1:0"};
        try (TestServer server = TestServer.start(dir, mbox)) {
            server.sendTextbookMessage("mbox 1", "read by s-nail");
            server.sendTextbookMessage("mbox 2", "From the start");
            server.sendTextbookMessage("mbox 3", "kept");
            Path file = dir.resolve("spool").resolve("abe");
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (!Files.readString(file, UTF_8).contains("Subject: mbox 3") && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            // the textbook's mail(1) reads the first message and keeps it in the mbox with "Status: RO"
            ExternalClient.Result snail = ExternalClient.run(Duration.ofSeconds(30), "s-nail", "-:/", "-N", "-S",
                    "hold", "-Y", "print 1\nquit", "-f", file.toString());
            assertEquals(0, snail.exitCode(), snail.output());
            assertTrue(Files.readString(file, UTF_8).contains("Status: RO"), Files.readString(file, UTF_8));

            Path script = dir.resolve("mbox.py");
            Files.writeString(script, IMAPLIB_MBOX);
            ExternalClient.Result imap = ExternalClient.run(Duration.ofSeconds(60), "python3", script.toString(),
                    String.valueOf(server.port("imap")));
            assertEquals(0, imap.exitCode(), imap.output());

            ExternalClient.Result list = ExternalClient.run(Duration.ofSeconds(30), "curl", "-sS", "--user",
                    "abe:password", "pop3://127.0.0.1:" + server.port("pop3") + "/");
            assertEquals(3, list.output().lines().count(), "POP3 sees what IMAP left: " + list.output());
            String text = Files.readString(file, UTF_8);
            assertTrue(!text.contains("Subject: mbox 2") && text.contains("\nSubject: appended\n\nby imaplib\n"),
                    text);
        }
    }
}
