package dev.yubin.delivery.local;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.yubin.core.address.AddressException;
import dev.yubin.core.address.MailAddress;
import dev.yubin.core.address.ReversePath;
import dev.yubin.core.message.ContentSpool;
import dev.yubin.core.message.DeliveryException;
import dev.yubin.core.message.Envelope;
import dev.yubin.core.message.MessageContent;
import dev.yubin.core.message.QueueId;
import dev.yubin.core.message.Receipt;
import dev.yubin.core.message.Recipient;
import dev.yubin.core.net.ConnectionInfo;
import dev.yubin.core.store.MailStore;
import dev.yubin.core.store.StoreException;
import dev.yubin.core.user.MailUser;
import dev.yubin.core.user.UserDirectory;
import dev.yubin.delivery.maildir.MaildirStore;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalDeliveryAgentTest {
    private static final ZoneId TOKYO = ZoneId.of("Asia/Tokyo");
    private static final String DOMAIN = "nss00t000.teikyo";
    private static final String BODY = "Message-Id: <20200723100340.312D0207111@svr01.nss00t000.teikyo>\n"
            + "Date: Thu, 23 Jul 2020 19:03:23 +0900 (JST)\n"
            + "From: kato@nss00t000.teikyo\n"
            + "\n"
            + "hello postfix!\n";

    @TempDir
    Path root;

    private final MaildirStore maildirs = MaildirStore.builder().hostname("svr01").build();

    /** Users abe, sato and bob in {@code DOMAIN}, with Maildirs under the temp dir. */
    private final UserDirectory users = address -> {
        String name = address.localPart().toLowerCase(Locale.ROOT);
        if (!Set.of("abe", "sato", "bob").contains(name)) {
            return Optional.empty();
        }
        return Optional.of(new MailUser(name, root.resolve(name).resolve("Maildir/").toString()));
    };

    private LocalDeliveryAgent agent(MailStore store) {
        return new LocalDeliveryAgent(users, store, "svr01." + DOMAIN, TOKYO);
    }

    @Test
    void textbookMessageLandsInMaildirWithPostfixTraceHeaders() throws Exception {
        Envelope envelope = envelope("<kato@" + DOMAIN + ">", "abe@" + DOMAIN);

        Receipt receipt = agent(maildirs).accept(envelope, MessageContent.ofBytes(BODY.getBytes(UTF_8)));

        assertEquals(envelope.queueId(), receipt.queueId());
        assertEquals("Ok: queued as 312D0207111", receipt.text());
        List<Path> files = newFiles("abe");
        assertEquals(1, files.size());
        // figure 27 of the textbook, with Yubin instead of Postfix
        assertEquals("Return-Path: <kato@nss00t000.teikyo>\n"
                + "X-Original-To: abe@nss00t000.teikyo\n"
                + "Delivered-To: abe@nss00t000.teikyo\n"
                + "Received: from svr01.nss00t000.teikyo (svr01 [10.0.2.100])\n"
                + "\tby svr01.nss00t000.teikyo (Yubin) with SMTP id 312D0207111\n"
                + "\tfor <abe@nss00t000.teikyo>; Thu, 23 Jul 2020 19:03:23 +0900 (JST)\n"
                + BODY, Files.readString(files.get(0)));
    }

    @Test
    void textTypedIntoTelnetGetsPostfixsMissingHeadersAndTheEmptyLine() throws Exception {
        agent(maildirs).accept(envelope("<kato@" + DOMAIN + ">", "abe@" + DOMAIN),
                MessageContent.ofBytes("hello postfix!\n".getBytes(UTF_8)));
        // figure 27: Postfix added Message-Id, Date and From for a client on its own address
        assertEquals("Return-Path: <kato@nss00t000.teikyo>\n"
                + "X-Original-To: abe@nss00t000.teikyo\n"
                + "Delivered-To: abe@nss00t000.teikyo\n"
                + "Received: from svr01.nss00t000.teikyo (svr01 [10.0.2.100])\n"
                + "\tby svr01.nss00t000.teikyo (Yubin) with SMTP id 312D0207111\n"
                + "\tfor <abe@nss00t000.teikyo>; Thu, 23 Jul 2020 19:03:23 +0900 (JST)\n"
                + "Message-Id: <20200723100323.312D0207111@svr01.nss00t000.teikyo>\n"
                + "Date: Thu, 23 Jul 2020 19:03:23 +0900 (JST)\n"
                + "From: kato@nss00t000.teikyo\n"
                + "\n"
                + "hello postfix!\n", Files.readString(newFiles("abe").get(0)));
    }

    @Test
    void remoteClientsMessageKeepsItsHeaderAsSentButGetsTheEmptyLine() throws Exception {
        Envelope local = envelope("<kato@example2.jp>", "abe@" + DOMAIN);
        ConnectionInfo remote = new ConnectionInfo("s2", new InetSocketAddress(InetAddress.getByName("192.0.2.7"), 40000),
                new InetSocketAddress(InetAddress.getByName("10.0.2.100"), 25), Optional.empty(), Optional.empty(),
                Optional.empty());
        Envelope envelope = new Envelope(local.queueId(), local.reversePath(), local.recipients(), Map.of(),
                "mx.example2.jp", "ESMTP", remote, local.receivedAt());
        agent(maildirs).accept(envelope, MessageContent.ofBytes("Subject: hi\n\nbody\n".getBytes(UTF_8)));
        agent(maildirs).accept(envelope, MessageContent.ofBytes("typed\n".getBytes(UTF_8)));
        List<Path> files = newFiles("abe");
        String first = Files.readString(files.get(0));
        String second = Files.readString(files.get(1));
        String withHeaders = first.contains("Subject: hi") ? first : second;
        String typed = first.contains("Subject: hi") ? second : first;
        assertTrue(withHeaders.endsWith("(JST)\nSubject: hi\n\nbody\n"), withHeaders);
        assertTrue(typed.endsWith("(JST)\n\ntyped\n"), typed);
    }

    @Test
    void missingHeaderPolicyCanBeAlwaysOrNever() throws Exception {
        LocalDeliveryAgent never = agent(maildirs).withMissingHeaders(MissingHeaders.NEVER);
        never.accept(envelope("<>", "abe@" + DOMAIN), MessageContent.ofBytes("Subject: x\n\ny\n".getBytes(UTF_8)));
        assertTrue(Files.readString(newFiles("abe").get(0)).endsWith("(JST)\nSubject: x\n\ny\n"));
        LocalDeliveryAgent always = agent(maildirs).withMissingHeaders(MissingHeaders.ALWAYS);
        always.accept(envelope("<>", "sato@" + DOMAIN), MessageContent.ofBytes("Subject: x\n\ny\n".getBytes(UTF_8)));
        assertTrue(Files.readString(newFiles("sato").get(0)).endsWith("(JST)\n"
                + "Message-Id: <20200723100323.312D0207111@svr01.nss00t000.teikyo>\n"
                + "Date: Thu, 23 Jul 2020 19:03:23 +0900 (JST)\n"
                + "From: MAILER-DAEMON@svr01.nss00t000.teikyo\n"
                + "Subject: x\n\ny\n"));
    }

    @Test
    void nullSenderGivesEmptyReturnPath() throws Exception {
        agent(maildirs).accept(envelope("<>", "abe@" + DOMAIN), MessageContent.ofBytes(BODY.getBytes(UTF_8)));
        assertTrue(Files.readString(newFiles("abe").get(0)).startsWith("Return-Path: <>\nX-Original-To: abe@"));
    }

    @Test
    void eachRecipientGetsItsOwnCopyWithItsOwnHeaders() throws Exception {
        Envelope envelope = envelope("<kato@" + DOMAIN + ">", "abe@" + DOMAIN, "Sato@" + DOMAIN);
        Receipt receipt = agent(maildirs).accept(envelope, MessageContent.ofBytes(BODY.getBytes(UTF_8)));
        assertEquals("Ok: queued as 312D0207111", receipt.text());

        String abe = Files.readString(newFiles("abe").get(0));
        String sato = Files.readString(newFiles("sato").get(0));
        assertTrue(abe.contains("X-Original-To: abe@nss00t000.teikyo\nDelivered-To: abe@nss00t000.teikyo\n"), abe);
        assertTrue(abe.contains("\tfor <abe@nss00t000.teikyo>; "), abe);
        assertTrue(sato.contains("X-Original-To: Sato@nss00t000.teikyo\nDelivered-To: Sato@nss00t000.teikyo\n"),
                sato);
        assertTrue(sato.contains("\tfor <Sato@nss00t000.teikyo>; "), sato);
        assertTrue(abe.endsWith(BODY) && sato.endsWith(BODY));
    }

    @Test
    void identicalRecipientsAreDeliveredOnce() throws Exception {
        agent(maildirs).accept(envelope("<>", "abe@" + DOMAIN, "abe@" + DOMAIN), MessageContent.ofBytes(new byte[1]));
        assertEquals(1, newFiles("abe").size());
    }

    @Test
    void unknownUserIsAPermanentFailure() throws Exception {
        DeliveryException e = assertThrows(DeliveryException.class, () -> agent(maildirs)
                .accept(envelope("<>", "nosuch@" + DOMAIN), MessageContent.ofBytes(new byte[1])));
        assertFalse(e.isTemporary());
        assertEquals("5.1.1", e.enhancedStatus());
        assertEquals("Local delivery failed: <nosuch@nss00t000.teikyo>: user unknown", e.getMessage());
    }

    @Test
    void unknownUserBesideADeliveredOneIsPermanentAndSaysWhatWasDelivered() throws Exception {
        DeliveryException e = assertThrows(DeliveryException.class, () -> agent(maildirs).accept(
                envelope("<>", "abe@" + DOMAIN, "nosuch@" + DOMAIN), MessageContent.ofBytes(new byte[] {'x'})));
        assertFalse(e.isTemporary());
        assertEquals("5.1.1", e.enhancedStatus());
        assertTrue(e.getMessage().endsWith("; already delivered to <abe@nss00t000.teikyo>"), e.getMessage());
        assertEquals(1, newFiles("abe").size());
    }

    @Test
    void temporaryStoreFailureMakesTheWholeMessageTemporary() throws Exception {
        MailStore failingForBob = new FailingFor("bob", true);
        DeliveryException e = assertThrows(DeliveryException.class, () -> agent(failingForBob).accept(
                envelope("<>", "abe@" + DOMAIN, "bob@" + DOMAIN, "nosuch@" + DOMAIN),
                MessageContent.ofBytes(new byte[] {'x'})));
        assertTrue(e.isTemporary());
        assertEquals("4.2.0", e.enhancedStatus());
        assertEquals("Temporary local delivery failure for <bob@nss00t000.teikyo>; "
                + "already delivered to <abe@nss00t000.teikyo>", e.getMessage());
        assertTrue(e.getCause() instanceof StoreException);
        assertEquals(1, newFiles("abe").size());
    }

    @Test
    void permanentStoreFailureIsMailboxUnavailable() {
        DeliveryException e = assertThrows(DeliveryException.class, () -> agent(new FailingFor("bob", false))
                .accept(envelope("<>", "bob@" + DOMAIN), MessageContent.ofBytes(new byte[] {'x'})));
        assertFalse(e.isTemporary());
        assertEquals("5.2.0", e.enhancedStatus());
        assertEquals("Local delivery failed: <bob@nss00t000.teikyo>: mailbox unavailable", e.getMessage());
    }

    @Test
    void regularFileAsMailboxBouncesThroughTheRealStore() throws Exception {
        Files.createDirectories(root.resolve("bob"));
        Files.writeString(root.resolve("bob/Maildir"), "oops");
        DeliveryException e = assertThrows(DeliveryException.class, () -> agent(maildirs)
                .accept(envelope("<>", "bob@" + DOMAIN), MessageContent.ofBytes(new byte[] {'x'})));
        assertFalse(e.isTemporary());
        assertEquals("5.2.0", e.enhancedStatus());
    }

    @Test
    void failingUserLookupIsTemporary() {
        UserDirectory broken = address -> {
            throw new IllegalStateException("database down");
        };
        LocalDeliveryAgent agent = new LocalDeliveryAgent(broken, maildirs, "svr01", TOKYO);
        DeliveryException e = assertThrows(DeliveryException.class,
                () -> agent.accept(envelope("<>", "abe@" + DOMAIN), MessageContent.ofBytes(new byte[] {'x'})));
        assertTrue(e.isTemporary());
        assertEquals("4.3.0", e.enhancedStatus());
    }

    @Test
    void spooledContentOverTheMemoryThresholdIsDeliveredWhole() throws Exception {
        Path spoolDir = Files.createDirectories(root.resolve("spool"));
        StringBuilder text = new StringBuilder("Subject: big\n\n");
        for (int i = 0; text.length() < 200_000; i++) {
            text.append("line ").append(i).append('\n');
        }
        byte[] body = text.toString().getBytes(UTF_8);
        MessageContent content;
        try (ContentSpool spool = new ContentSpool(spoolDir, ContentSpool.DEFAULT_MEMORY_THRESHOLD)) {
            spool.write(body, 0, body.length);
            content = spool.finish();
        }
        try {
            agent(maildirs).accept(envelope("<kato@" + DOMAIN + ">", "abe@" + DOMAIN), content);
        } finally {
            content.close();
        }
        Path file = newFiles("abe").get(0);
        byte[] stored = Files.readAllBytes(file);
        String headers = new String(stored, 0, stored.length - body.length, UTF_8);
        assertTrue(headers.startsWith("Return-Path: <kato@nss00t000.teikyo>\n"), headers);
        // a local client's message without Message-Id, Date and From gets them, as from Postfix
        assertTrue(headers.endsWith("(JST)\nFrom: kato@nss00t000.teikyo\n"), headers);
        byte[] tail = java.util.Arrays.copyOfRange(stored, stored.length - body.length, stored.length);
        assertArrayEquals(body, tail);
        long lfs = new String(stored, UTF_8).chars().filter(c -> c == '\n').count();
        assertTrue(file.getFileName().toString().endsWith(",S=" + stored.length + ",W=" + (stored.length + lfs)));
    }

    @Test
    void logsOneLinePerRecipientInPostfixFormat() throws Exception {
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, UTF_8));
        try {
            assertThrows(DeliveryException.class, () -> agent(maildirs).accept(
                    envelope("<>", "abe@" + DOMAIN, "nosuch@" + DOMAIN), MessageContent.ofBytes(new byte[] {'x'})));
        } finally {
            System.setErr(original);
        }
        List<String> lines = captured.toString(UTF_8).lines().filter(l -> l.contains("yubin.local"))
                .collect(Collectors.toList());
        assertEquals(2, lines.size(), captured.toString(UTF_8));
        String all = captured.toString(UTF_8);
        assertTrue(all.contains("yubin.cleanup - 312D0207111: message-id=<20200723100323.312D0207111@svr01."
                + "nss00t000.teikyo>"), all);
        assertTrue(all.contains("yubin.qmgr - 312D0207111: from=<>, size="), all);
        assertTrue(!all.contains("removed"), "a bounced message is not queued, so not removed: " + all);
        assertTrue(lines.get(0).matches(".*yubin\\.local - 312D0207111: to=<abe@nss00t000\\.teikyo>, relay=local, "
                + "delay=\\d+\\.\\d\\d, dsn=2\\.0\\.0, status=sent \\(delivered to maildir\\)"), lines.get(0));
        assertTrue(lines.get(1).endsWith("312D0207111: to=<nosuch@nss00t000.teikyo>, relay=local, delay="
                + lines.get(1).replaceAll(".*delay=([0-9.]+),.*", "$1")
                + ", dsn=5.1.1, status=bounced (unknown user: \"nosuch\")"), lines.get(1));
    }

    private Envelope envelope(String sender, String... recipients) throws IOException, AddressException {
        List<Recipient> list = new ArrayList<>();
        for (String r : recipients) {
            list.add(Recipient.of(MailAddress.parse(r)));
        }
        ConnectionInfo client = new ConnectionInfo("s1",
                new InetSocketAddress(InetAddress.getByName("10.0.2.100"), 40000),
                new InetSocketAddress(InetAddress.getByName("10.0.2.100"), 25),
                Optional.of("svr01"), Optional.empty(), Optional.empty());
        return new Envelope(new QueueId("312D0207111"), ReversePath.parse(sender), list, Map.of(),
                "svr01." + DOMAIN, "SMTP", client, Instant.parse("2020-07-23T10:03:23Z"));
    }

    private List<Path> newFiles(String user) throws IOException {
        try (Stream<Path> s = Files.list(root.resolve(user).resolve("Maildir/new"))) {
            return s.sorted().collect(Collectors.toList());
        }
    }

    /** The real Maildir store, except that deliveries to one user fail. */
    private final class FailingFor implements MailStore {
        private final String user;
        private final boolean temporary;

        FailingFor(String user, boolean temporary) {
            this.user = user;
            this.temporary = temporary;
        }

        @Override
        public String kind() {
            return "maildir";
        }

        @Override
        public void deliver(MailUser target, MessageContent content) throws StoreException {
            if (target.name().equals(user)) {
                try (InputStream in = content.openStream()) {
                    in.readAllBytes(); // the copy with its headers is readable
                } catch (IOException e) {
                    throw new StoreException("unexpected", true, e);
                }
                throw new StoreException("write maildir file: No space left on device", temporary, null);
            }
            maildirs.deliver(target, content);
        }

        @Override
        public dev.yubin.core.store.Maildrop openMaildrop(MailUser target) throws StoreException {
            return maildirs.openMaildrop(target);
        }
    }
}
