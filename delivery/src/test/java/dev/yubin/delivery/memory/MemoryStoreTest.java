package dev.yubin.delivery.memory;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.yubin.core.message.MessageContent;
import dev.yubin.core.store.Flags;
import dev.yubin.core.store.Mailbox;
import dev.yubin.core.store.MailboxException;
import dev.yubin.core.store.Maildrop;
import dev.yubin.core.store.UserMailboxes;
import dev.yubin.core.user.MailUser;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class MemoryStoreTest {
    private static final MailUser ABE = new MailUser("abe@example1.jp", "example1.jp/abe/");
    private static final Instant NOW = Instant.parse("2024-03-01T09:30:00Z");

    private final MemoryStore store = MemoryStore.create(Clock.fixed(NOW, ZoneOffset.UTC));

    private void deliver(String text) throws Exception {
        store.deliver(ABE, MessageContent.ofBytes(text.getBytes(UTF_8)));
    }

    @Test
    void kindIsMemoryAndDeliveriesAreDatedByTheClock() throws Exception {
        assertEquals("memory", store.kind());
        deliver("one\n");
        try (Mailbox inbox = store.openMailboxes(ABE).open("INBOX", true)) {
            assertEquals(NOW, inbox.messages().get(0).internalDate());
        }
    }

    @Test
    void deliveryStoresTheBytesAsGivenLikeTheMaildirStore() throws Exception {
        deliver("crlf\r\nstays\r\n");
        try (Maildrop drop = store.openMaildrop(ABE)) {
            assertEquals(13, drop.messages().get(0).size(), "CRLF kept");
            assertEquals(15, drop.messages().get(0).wireSize());
        }
    }

    @Test
    void clearEmptiesEveryMailboxAndOpenSessionsFindThemGone() throws Exception {
        deliver("one\n");
        UserMailboxes boxes = store.openMailboxes(ABE);
        boxes.create("Work");
        boxes.subscribe("Work");
        long validity = boxes.status("INBOX").uidValidity();
        AtomicInteger heard = new AtomicInteger();
        try (Mailbox inbox = boxes.open("INBOX", false)) {
            inbox.watch(heard::incrementAndGet);
            store.clear();
            assertEquals(1, heard.get());
            assertEquals(MailboxException.Reason.NONEXISTENT,
                    assertThrows(MailboxException.class, inbox::refresh).reason());
        }
        assertEquals(List.of("INBOX"), boxes.list().stream().map(i -> i.name()).toList(), "the same object works on");
        assertEquals(Set.of(), boxes.subscriptions());
        assertEquals(0, boxes.status("INBOX").messages());
        assertNotEquals(validity, boxes.status("INBOX").uidValidity(), "a new INBOX: clients drop their caches");
        try (Maildrop drop = store.openMaildrop(ABE)) {
            assertEquals(List.of(), drop.messages());
        }
        deliver("after\n");
        assertEquals(1, boxes.status("INBOX").messages());
    }

    @Test
    void aMaildropOpenedBeforeClearFindsItsMessagesGone() throws Exception {
        deliver("one\n");
        try (Maildrop drop = store.openMaildrop(ABE)) {
            store.clear();
            assertThrows(dev.yubin.core.store.StoreException.class, () -> drop.open(drop.messages().get(0)));
            drop.delete(drop.messages());
        }
    }

    @Test
    void usersWithOneMailLocationShareTheirMailAndOthersDoNot() throws Exception {
        deliver("one\n");
        MailUser alias = new MailUser("abe", "example1.jp/abe/");
        MailUser kato = new MailUser("kato", "example1.jp/kato/");
        assertEquals(1, store.openMailboxes(alias).status("INBOX").messages());
        assertEquals(0, store.openMailboxes(kato).status("INBOX").messages());
        store.openMailboxes(kato).append("INBOX", MessageContent.ofBytes("k\n".getBytes(UTF_8)), Flags.NONE, NOW);
        assertEquals(1, store.openMailboxes(ABE).status("INBOX").messages());
    }
}
