package dev.yubin.delivery.maildir;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.yubin.core.message.MessageContent;
import dev.yubin.core.store.Maildrop;
import dev.yubin.core.store.StoreException;
import dev.yubin.core.store.StoredMessage;
import dev.yubin.core.user.MailUser;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MaildirMaildropTest {
    @TempDir
    Path root;

    private final MailUser abe = new MailUser("abe", "abe/Maildir/");

    private MaildirStore store() {
        return MaildirStore.builder().hostname("mx.example1.jp").mailRoot(root).build();
    }

    private static byte[] read(Maildrop drop, StoredMessage message) throws Exception {
        try (InputStream in = drop.open(message)) {
            return in.readAllBytes();
        }
    }

    @Test
    void listsDeliveredMessagesInOrderWithCrlfSizesAndStableUids() throws Exception {
        MaildirStore store = store();
        store.deliver(abe, MessageContent.ofBytes("Subject: one\n\nfirst\n".getBytes(UTF_8)));
        store.deliver(abe, MessageContent.ofBytes("Subject: two\n\nsecond\nline\n".getBytes(UTF_8)));
        List<StoredMessage> first;
        try (Maildrop drop = store.openMaildrop(abe)) {
            first = drop.messages();
            assertEquals(2, first.size());
            assertEquals(20, first.get(0).size());
            assertEquals(23, first.get(0).wireSize()); // three LFs become CRLF
            assertArrayEquals("Subject: two\n\nsecond\nline\n".getBytes(UTF_8), read(drop, first.get(1)));
        }
        // a reader moved the first one to cur/ and flagged it: same UID, still readable
        Path maildir = root.resolve("abe/Maildir");
        Path inNew;
        try (Stream<Path> s = Files.list(maildir.resolve("new"))) {
            inNew = s.sorted().findFirst().orElseThrow();
        }
        Files.move(inNew, maildir.resolve("cur").resolve(inNew.getFileName() + ":2,S"));
        try (Maildrop drop = store.openMaildrop(abe)) {
            assertEquals(first.stream().map(StoredMessage::uid).toList(),
                    drop.messages().stream().map(StoredMessage::uid).toList());
            assertArrayEquals("Subject: one\n\nfirst\n".getBytes(UTF_8), read(drop, first.get(0)));
        }
    }

    @Test
    void foreignFilesWithoutSizesAreMeasuredAndOddNamesGetHashedUids() throws Exception {
        Path cur = Files.createDirectories(root.resolve("abe/Maildir/cur"));
        Files.createDirectories(root.resolve("abe/Maildir/new"));
        Files.writeString(cur.resolve("1700000000.12345.other-host:2,S"), "a\nb\n");
        String longBase = "x".repeat(80);
        Files.writeString(cur.resolve(longBase + ":2,"), "c\n");
        Files.writeString(cur.resolve(".hidden"), "not a message");
        try (Maildrop drop = store().openMaildrop(abe)) {
            List<StoredMessage> messages = drop.messages();
            assertEquals(2, messages.size());
            StoredMessage plain = messages.get(0);
            assertEquals("1700000000.12345.other-host", plain.uid());
            assertEquals(4, plain.size());
            assertEquals(6, plain.wireSize());
            assertEquals(40, messages.get(1).uid().length());
            assertFalse(messages.get(1).uid().contains("x"));
        }
    }

    @Test
    void aMessageRemovedBySomeoneElseFailsToOpen() throws Exception {
        MaildirStore store = store();
        store.deliver(abe, MessageContent.ofBytes("x\n".getBytes(UTF_8)));
        try (Maildrop drop = store.openMaildrop(abe)) {
            try (Stream<Path> s = Files.list(root.resolve("abe/Maildir/new"))) {
                for (Path p : s.toList()) {
                    Files.delete(p);
                }
            }
            StoreException e = assertThrows(StoreException.class, () -> drop.open(drop.messages().get(0)));
            assertFalse(e.isTemporary());
            drop.delete(drop.messages()); // nothing left to delete: fine
        }
    }
}
