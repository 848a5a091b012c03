package dev.yubin.delivery.contract;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.yubin.core.message.MessageContent;
import dev.yubin.core.store.AppendResult;
import dev.yubin.core.store.CopyResult;
import dev.yubin.core.store.Flag;
import dev.yubin.core.store.FlagOperation;
import dev.yubin.core.store.Flags;
import dev.yubin.core.store.MailStore;
import dev.yubin.core.store.Mailbox;
import dev.yubin.core.store.MailboxAttribute;
import dev.yubin.core.store.MailboxDelta;
import dev.yubin.core.store.MailboxException;
import dev.yubin.core.store.MailboxInfo;
import dev.yubin.core.store.MailboxStatus;
import dev.yubin.core.store.MailboxStore;
import dev.yubin.core.store.Maildrop;
import dev.yubin.core.store.MessageInfo;
import dev.yubin.core.store.UserMailboxes;
import dev.yubin.core.user.MailUser;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every {@link MailboxStore} does through the IMAP SPI. A subclass per store supplies {@link #newStore(Path)}
 * and says through the hooks what the store cannot do by design; the tests then check the refusal instead.
 */
public abstract class MailboxStoreContract {
    protected static final String MESSAGE = "From: kato@example1.jp\nSubject: hi\n\nhello! imap!\n";
    protected static final Instant DATE = Instant.parse("2024-03-01T09:30:00Z");

    @TempDir
    protected Path dir;

    private MailStore store;

    /** A new, empty store (a {@link MailStore} and a {@link MailboxStore}) keeping its files under {@code dir}. */
    protected abstract MailStore newStore(Path dir) throws Exception;

    /** Whether the store has folders besides INBOX (an mbox store has not: it refuses them as NOT_PERMITTED). */
    protected boolean supportsFolders() {
        return true;
    }

    /** How many keywords a mailbox can define, 0 for no limit. */
    protected int keywordLimit() {
        return 0;
    }

    protected MailUser abe() {
        return new MailUser("abe", dir.resolve("abe/Maildir").toString());
    }

    @BeforeEach
    void createStore() throws Exception {
        store = newStore(dir);
    }

    protected UserMailboxes mailboxes() throws Exception {
        return ((MailboxStore) store).openMailboxes(abe());
    }

    protected void deliver(String text) throws Exception {
        store.deliver(abe(), MessageContent.ofBytes(text.getBytes(UTF_8)));
    }

    protected static AppendResult append(UserMailboxes boxes, String name, String text, Flags flags)
            throws Exception {
        return boxes.append(name, MessageContent.ofBytes(text.getBytes(UTF_8)), flags, DATE);
    }

    protected static String read(Mailbox mailbox, long uid) throws Exception {
        try (InputStream in = mailbox.content(uid).openStream()) {
            return new String(in.readAllBytes(), UTF_8);
        }
    }

    protected static List<Long> uids(Mailbox mailbox) {
        return mailbox.messages().stream().map(MessageInfo::uid).collect(Collectors.toList());
    }

    private static List<Long> uids(List<MessageInfo> messages) {
        return messages.stream().map(MessageInfo::uid).collect(Collectors.toList());
    }

    private static Map<String, Set<MailboxAttribute>> listing(UserMailboxes boxes) throws Exception {
        return boxes.list().stream().collect(Collectors.toMap(MailboxInfo::name, MailboxInfo::attributes));
    }

    private static List<String> names(UserMailboxes boxes) throws Exception {
        return boxes.list().stream().map(MailboxInfo::name).collect(Collectors.toList());
    }

    private static MailboxException.Reason refusal(Executable call) {
        MailboxException e = assertThrows(MailboxException.class, call);
        assertFalse(e.isTemporary());
        return e.reason();
    }

    // ---- mailboxes ----------------------------------------------------------------------------------------------

    @Test
    void inboxAlwaysExistsIsListedFirstAndIsCaseInsensitive() throws Exception {
        UserMailboxes boxes = mailboxes();
        List<MailboxInfo> list = boxes.list();
        assertEquals("INBOX", list.get(0).name());
        assertEquals(Set.of(MailboxAttribute.HAS_NO_CHILDREN), list.get(0).attributes());
        try (Mailbox inbox = boxes.open("inbox", false)) {
            assertEquals("INBOX", inbox.name());
            assertEquals(List.of(), inbox.messages());
            assertEquals(1, inbox.uidNext());
            assertEquals(0, inbox.highestUid());
            assertTrue(inbox.uidValidity() > 0);
        }
        assertEquals(MailboxException.Reason.ALREADY_EXISTS, refusal(() -> boxes.create("inbox")));
        assertEquals(MailboxException.Reason.NOT_PERMITTED, refusal(() -> boxes.delete("INBOX")));
        assertEquals(MailboxException.Reason.NONEXISTENT, refusal(() -> boxes.open("Nope", false)));
        assertEquals(MailboxException.Reason.NONEXISTENT, refusal(() -> boxes.status("Nope")));
        assertEquals(MailboxException.Reason.NONEXISTENT, refusal(() -> append(boxes, "Nope", MESSAGE, Flags.NONE)));
    }

    @Test
    void createBuildsAHierarchyWithNoselectParentsOrIsRefused() throws Exception {
        UserMailboxes boxes = mailboxes();
        char d = boxes.delimiter();
        if (!supportsFolders()) {
            assertEquals(MailboxException.Reason.NOT_PERMITTED, refusal(() -> boxes.create("Work")));
            assertEquals(List.of("INBOX"), names(boxes));
            return;
        }
        assertEquals('.', d);
        boxes.create("Lists.yubin.dev");
        boxes.create("Work");
        Map<String, Set<MailboxAttribute>> list = listing(boxes);
        assertEquals(Set.of(MailboxAttribute.NOSELECT, MailboxAttribute.HAS_CHILDREN), list.get("Lists"));
        assertEquals(Set.of(MailboxAttribute.NOSELECT, MailboxAttribute.HAS_CHILDREN), list.get("Lists.yubin"));
        assertEquals(Set.of(MailboxAttribute.HAS_NO_CHILDREN), list.get("Lists.yubin.dev"));
        assertEquals(List.of("INBOX", "Lists", "Lists.yubin", "Lists.yubin.dev", "Work"), names(boxes));
        assertEquals(MailboxException.Reason.ALREADY_EXISTS, refusal(() -> boxes.create("Work")));
        boxes.create("Archive.");
        assertTrue(listing(boxes).containsKey("Archive"), "a trailing delimiter is dropped");
        boxes.create("受信.日本語");
        assertTrue(listing(boxes).containsKey("受信.日本語"));
        assertEquals(MailboxException.Reason.NONEXISTENT, refusal(() -> boxes.open("Lists", false)));
    }

    @Test
    void deleteRemovesMessagesAndKeepsChildrenAsNoselectParentOrIsRefused() throws Exception {
        UserMailboxes boxes = mailboxes();
        if (!supportsFolders()) {
            assertEquals(MailboxException.Reason.NONEXISTENT, refusal(() -> boxes.delete("a")));
            return;
        }
        boxes.create("a");
        boxes.create("a.b");
        append(boxes, "a", MESSAGE, Flags.NONE);
        boxes.delete("a");
        assertEquals(Set.of(MailboxAttribute.NOSELECT, MailboxAttribute.HAS_CHILDREN), listing(boxes).get("a"));
        assertEquals(MailboxException.Reason.NOT_PERMITTED, refusal(() -> boxes.delete("a")));
        assertEquals(MailboxException.Reason.NONEXISTENT, refusal(() -> boxes.delete("zzz")));
        boxes.delete("a.b");
        assertEquals(List.of("INBOX"), names(boxes));
        boxes.create("a");
        try (Mailbox recreated = boxes.open("a", false)) {
            assertEquals(List.of(), recreated.messages());
        }
    }

    @Test
    void aDeletedMailboxIsGoneForTheSessionsThatHadItOpen() throws Exception {
        UserMailboxes boxes = mailboxes();
        if (!supportsFolders()) {
            deliver(MESSAGE);
            try (Mailbox open = boxes.open("INBOX", false)) {
                assertEquals(MailboxException.Reason.NOT_PERMITTED, refusal(() -> boxes.delete("INBOX")));
                assertEquals(1, open.messages().size());
                assertEquals(MailboxDelta.NONE, open.refresh());
            }
            return;
        }
        boxes.create("a");
        append(boxes, "a", MESSAGE, Flags.NONE);
        try (Mailbox open = boxes.open("a", false)) {
            boxes.delete("a");
            assertEquals(MailboxException.Reason.NONEXISTENT, refusal(open::refresh));
        }
    }

    @Test
    void renameMovesTheMailboxAndItsChildrenKeepingUidsOrIsRefused() throws Exception {
        UserMailboxes boxes = mailboxes();
        if (!supportsFolders()) {
            assertEquals(MailboxException.Reason.NOT_PERMITTED, refusal(() -> boxes.rename("INBOX", "Old")));
            assertEquals(MailboxException.Reason.NONEXISTENT, refusal(() -> boxes.rename("old", "new")));
            return;
        }
        boxes.create("old");
        boxes.create("old.sub");
        append(boxes, "old", MESSAGE, Flags.of(Flag.SEEN));
        long validity = boxes.status("old").uidValidity();
        boxes.rename("old", "new.place");
        Map<String, Set<MailboxAttribute>> list = listing(boxes);
        assertFalse(list.containsKey("old"));
        assertFalse(list.containsKey("old.sub"));
        assertTrue(list.containsKey("new.place.sub"));
        MailboxStatus status = boxes.status("new.place");
        assertEquals(1, status.messages());
        assertEquals(validity, status.uidValidity());
        boxes.create("taken");
        assertEquals(MailboxException.Reason.ALREADY_EXISTS, refusal(() -> boxes.rename("taken", "new.place")));
        assertEquals(MailboxException.Reason.NONEXISTENT, refusal(() -> boxes.rename("nothing", "else")));
        assertEquals(MailboxException.Reason.NOT_PERMITTED, refusal(() -> boxes.rename("taken", "taken.child")));
    }

    @Test
    void renamingInboxMovesItsMessagesAndLeavesInboxEmpty() throws Exception {
        deliver(MESSAGE);
        deliver(MESSAGE.replace("hi", "second"));
        UserMailboxes boxes = mailboxes();
        if (!supportsFolders()) {
            assertEquals(MailboxException.Reason.NOT_PERMITTED, refusal(() -> boxes.rename("inbox", "Old-Inbox")));
            assertEquals(2, boxes.status("INBOX").messages(), "INBOX keeps its messages");
            return;
        }
        boxes.create("INBOX.child");
        try (Mailbox inbox = boxes.open("INBOX", false)) {
            inbox.setFlags(List.of(1L), FlagOperation.ADD, new Flags(Set.of(Flag.SEEN), Set.of("$Work")));
        }
        boxes.rename("inbox", "Old-Inbox");
        try (Mailbox inbox = boxes.open("INBOX", false); Mailbox old = boxes.open("Old-Inbox", false)) {
            assertEquals(List.of(), inbox.messages());
            assertEquals(2, old.messages().size());
            MessageInfo first = old.messages().get(0);
            assertEquals(new Flags(Set.of(Flag.SEEN), Set.of("$Work")), first.flags());
            assertTrue(read(old, first.uid()).contains("Subject: hi"));
        }
        assertTrue(listing(boxes).containsKey("INBOX.child"));
        assertEquals(Set.of(MailboxAttribute.HAS_CHILDREN), listing(boxes).get("INBOX"));
    }

    @Test
    void subscriptionsAreNamesWhetherTheMailboxesExistOrNot() throws Exception {
        UserMailboxes boxes = mailboxes();
        if (!supportsFolders()) {
            assertEquals(Set.of("INBOX"), boxes.subscriptions());
            assertEquals(MailboxException.Reason.NOT_PERMITTED, refusal(() -> boxes.subscribe("Work")));
            boxes.subscribe("inbox");
            boxes.unsubscribe("never");
            assertTrue(boxes.list().get(0).subscribed());
            return;
        }
        boxes.subscribe("Work");
        boxes.subscribe("inbox");
        boxes.subscribe("Not.there");
        boxes.unsubscribe("Work");
        boxes.unsubscribe("never");
        assertEquals(Set.of("INBOX", "Not.there"), boxes.subscriptions());
        assertTrue(boxes.list().get(0).subscribed());
        assertFalse(listing(boxes).containsKey("Not.there"));
        assertEquals(MailboxException.Reason.INVALID_NAME, refusal(() -> boxes.subscribe("../x")));
    }

    @Test
    void ensureSpecialUseCreatesAndSubscribesTheFourMailboxesOnce() throws Exception {
        UserMailboxes boxes = mailboxes();
        boxes.ensureSpecialUse();
        if (!supportsFolders()) {
            assertEquals(List.of("INBOX"), names(boxes), "nothing to create");
            return;
        }
        boxes.unsubscribe("Junk");
        boxes.ensureSpecialUse();
        Map<String, Set<MailboxAttribute>> list = listing(boxes);
        assertTrue(list.get("Sent").contains(MailboxAttribute.SENT));
        assertTrue(list.get("Drafts").contains(MailboxAttribute.DRAFTS));
        assertTrue(list.get("Trash").contains(MailboxAttribute.TRASH));
        assertTrue(list.get("Junk").contains(MailboxAttribute.JUNK));
        assertEquals(Set.of("Drafts", "Sent", "Trash"), boxes.subscriptions(), "existing mailboxes are left alone");
    }

    @Test
    void namesThatCouldEscapeTheMailRootAreRefused() throws Exception {
        UserMailboxes boxes = mailboxes();
        for (String bad : List.of("..", "../etc", "a/../../b", "/etc/passwd", ".hidden", "a..b", "",
                "nul\0byte", "tab\tname", "bell\u0007", "back\\slash", "x".repeat(300), "\ud800")) {
            if (supportsFolders()) {
                assertEquals(MailboxException.Reason.INVALID_NAME, refusal(() -> boxes.create(bad)), bad);
                assertEquals(MailboxException.Reason.INVALID_NAME, refusal(() -> boxes.open(bad, false)), bad);
                assertEquals(MailboxException.Reason.INVALID_NAME, refusal(() -> boxes.rename("INBOX", bad)), bad);
            } else {
                refusal(() -> boxes.create(bad));
                assertEquals(MailboxException.Reason.NONEXISTENT, refusal(() -> boxes.open(bad, false)), bad);
                refusal(() -> boxes.rename("INBOX", bad));
                assertEquals(MailboxException.Reason.NONEXISTENT,
                        refusal(() -> append(boxes, bad, MESSAGE, Flags.NONE)), bad);
            }
        }
        assertEquals(List.of("INBOX"), names(boxes));
    }

    // ---- append, status, \Recent --------------------------------------------------------------------------------

    @Test
    void appendStoresCrlfAsLfLikeDeliveredMailSoSizesAgree() throws Exception {
        UserMailboxes boxes = mailboxes();
        String wire = "Subject: crlf\r\n\r\nline one\r\nbare\rcr\r\n";
        append(boxes, "INBOX", wire, Flags.NONE);
        try (Mailbox inbox = boxes.open("INBOX", false)) {
            MessageInfo info = inbox.messages().get(0);
            assertEquals("Subject: crlf\n\nline one\nbare\rcr\n", read(inbox, 1));
            assertEquals(wire.length() - 4, info.size());
            assertEquals(wire.length(), info.wireSize());
        }
    }

    @Test
    void appendGivesAppendUidWithFlagsAndInternalDate() throws Exception {
        UserMailboxes boxes = mailboxes();
        String name = supportsFolders() ? "Sent" : "INBOX";
        if (supportsFolders()) {
            boxes.create(name);
        }
        AppendResult first = append(boxes, name, MESSAGE, new Flags(Set.of(Flag.SEEN, Flag.ANSWERED),
                Set.of("$Label1", "Junk")));
        AppendResult second = append(boxes, name, "x\n", Flags.NONE);
        assertEquals(1, first.uid());
        assertEquals(2, second.uid());
        assertEquals(first.uidValidity(), second.uidValidity());
        try (Mailbox mailbox = boxes.open(name, false)) {
            assertEquals(first.uidValidity(), mailbox.uidValidity());
            MessageInfo info = mailbox.messages().get(0);
            assertEquals(new Flags(Set.of(Flag.SEEN, Flag.ANSWERED), Set.of("$Label1", "Junk")), info.flags());
            assertEquals(DATE, info.internalDate());
            assertEquals(MESSAGE.length(), info.size());
            assertEquals(MESSAGE.length() + 4, info.wireSize());
            assertTrue(info.recent(), "appended, and no read-write session looked since (RFC 3501 §6.3.11)");
            assertEquals(MESSAGE, read(mailbox, 1));
            assertEquals(MESSAGE.length(), mailbox.content(1).size());
            assertEquals(3, mailbox.uidNext());
            assertEquals(2, mailbox.highestUid());
            assertEquals(Set.of("$Label1", "Junk"), mailbox.keywords());
        }
    }

    @Test
    void messagesDeliveredWhileAMailboxIsOpenGetTheNextUidsAndShowInTheDelta() throws Exception {
        deliver("one\n");
        try (Mailbox inbox = mailboxes().open("INBOX", false)) {
            assertEquals(List.of(1L), uids(inbox));
            assertTrue(inbox.messages().get(0).recent());
            assertEquals(MailboxDelta.NONE, inbox.refresh());
            deliver("two\n");
            deliver("three\n");
            MailboxDelta delta = inbox.refresh();
            assertEquals(List.of(2L, 3L), uids(delta.added()));
            assertTrue(delta.added().get(0).recent());
            assertEquals(List.of(), delta.expunged());
            assertEquals(4, inbox.uidNext());
            assertEquals("three\n", read(inbox, 3));
        }
    }

    @Test
    void recentBelongsToTheFirstReadWriteSession() throws Exception {
        deliver("one\n");
        UserMailboxes boxes = mailboxes();
        assertEquals(1, boxes.status("INBOX").recent());
        try (Mailbox examine = boxes.open("INBOX", true)) {
            assertTrue(examine.messages().get(0).recent(), "EXAMINE shows it, but does not claim it");
        }
        try (Mailbox first = boxes.open("INBOX", false); Mailbox second = boxes.open("INBOX", false)) {
            assertTrue(first.messages().get(0).recent());
            assertFalse(second.messages().get(0).recent());
            assertEquals(0, boxes.status("INBOX").recent());
            deliver("two\n");
            MailboxDelta delta = second.refresh();
            assertTrue(delta.added().get(0).recent(), "the first to refresh claims it");
            assertFalse(first.refresh().added().get(0).recent());
        }
    }

    @Test
    void recentMessagesAreShownReadOnlyAndClaimedByTheFirstReadWriteSession() throws Exception {
        deliver("one\n");
        UserMailboxes boxes = mailboxes();
        append(boxes, "INBOX", "two\n", Flags.NONE);
        try (Mailbox examined = boxes.open("INBOX", true)) {
            assertEquals(List.of(true, true), examined.messages().stream().map(MessageInfo::recent).toList());
        }
        assertEquals(2, boxes.status("INBOX").recent());
        try (Mailbox selected = boxes.open("INBOX", false)) {
            assertEquals(List.of(true, true), selected.messages().stream().map(MessageInfo::recent).toList());
            try (Mailbox second = mailboxes().open("INBOX", false)) {
                assertEquals(List.of(false, false), second.messages().stream().map(MessageInfo::recent).toList());
            }
        }
        assertEquals(0, boxes.status("INBOX").recent());
        deliver("three\n");
        assertEquals(1, boxes.status("INBOX").recent());
    }

    @Test
    void statusCountsWithoutClaiming() throws Exception {
        deliver("one\n");
        deliver("two\n");
        UserMailboxes boxes = mailboxes();
        try (Mailbox inbox = boxes.open("INBOX", false)) {
            inbox.setFlags(List.of(1L), FlagOperation.ADD, Flags.of(Flag.SEEN));
        }
        deliver("three\n");
        MailboxStatus status = boxes.status("inbox");
        assertEquals(3, status.messages());
        assertEquals(1, status.recent());
        assertEquals(2, status.unseen());
        assertEquals(4, status.uidNext());
        assertEquals(1, boxes.status("INBOX").recent(), "STATUS claimed nothing");
    }

    // ---- flags, expunge -----------------------------------------------------------------------------------------

    @Test
    void flagsAndKeywordsAreStoredAndSeenByLaterSessions() throws Exception {
        deliver("one\n");
        deliver("two\n");
        UserMailboxes boxes = mailboxes();
        try (Mailbox inbox = boxes.open("INBOX", false)) {
            List<MessageInfo> changed = inbox.setFlags(List.of(1L, 2L, 99L), FlagOperation.ADD,
                    new Flags(Set.of(Flag.FLAGGED, Flag.SEEN), Set.of("$Forwarded")));
            assertEquals(2, changed.size());
            inbox.setFlags(List.of(2L), FlagOperation.REMOVE, Flags.of(Flag.SEEN));
            inbox.setFlags(List.of(1L), FlagOperation.REPLACE, new Flags(Set.of(Flag.DRAFT), Set.of("todo")));
            assertEquals(new Flags(Set.of(Flag.DRAFT), Set.of("todo")), inbox.messages().get(0).flags());
            assertEquals("one\n", read(inbox, 1), "content is found after the change");
            assertEquals(MailboxDelta.NONE, inbox.refresh(), "its own changes are no news to the session");
        }
        try (Mailbox again = mailboxes().open("INBOX", true)) {
            assertEquals(new Flags(Set.of(Flag.DRAFT), Set.of("todo")), again.messages().get(0).flags());
            assertEquals(new Flags(Set.of(Flag.FLAGGED), Set.of("$Forwarded")), again.messages().get(1).flags());
            assertTrue(again.keywords().containsAll(Set.of("$Forwarded", "todo")), again.keywords().toString());
            assertEquals(MailboxException.Reason.NOT_PERMITTED, refusal(
                    () -> again.setFlags(List.of(1L), FlagOperation.ADD, Flags.of(Flag.SEEN))));
            assertEquals(MailboxException.Reason.NOT_PERMITTED, refusal(again::expunge));
            assertEquals(MailboxException.Reason.NOT_PERMITTED, refusal(() -> again.move(List.of(1L), "INBOX")));
        }
    }

    @Test
    void keywordsAreLimitedOnlyWhereTheStoreHasALimit() throws Exception {
        deliver("one\n");
        int limit = keywordLimit();
        int tries = limit == 0 ? 40 : limit;
        try (Mailbox inbox = mailboxes().open("INBOX", false)) {
            for (int i = 0; i < tries; i++) {
                inbox.setFlags(List.of(1L), FlagOperation.ADD, new Flags(Set.of(), Set.of("k" + i)));
            }
            assertEquals(tries, inbox.messages().get(0).flags().keywords().size());
            if (limit == 0) {
                assertTrue(inbox.canCreateKeywords());
                return;
            }
            assertFalse(inbox.canCreateKeywords());
            assertEquals(MailboxException.Reason.NOT_PERMITTED, refusal(() -> inbox.setFlags(List.of(1L),
                    FlagOperation.ADD, new Flags(Set.of(), Set.of("k" + limit)))));
            assertEquals(limit, inbox.messages().get(0).flags().keywords().size());
        }
    }

    @Test
    void anotherSessionsFlagChangesAndExpungesShowInTheDelta() throws Exception {
        deliver("one\n");
        deliver("two\n");
        deliver("three\n");
        UserMailboxes boxes = mailboxes();
        try (Mailbox a = boxes.open("INBOX", false); Mailbox b = boxes.open("INBOX", false)) {
            b.setFlags(List.of(1L, 2L), FlagOperation.ADD, Flags.of(Flag.DELETED));
            b.setFlags(List.of(3L), FlagOperation.ADD, Flags.of(Flag.SEEN));
            assertEquals(List.of(1L), b.expunge(List.of(1L, 3L)));
            MailboxDelta delta = a.refresh();
            assertEquals(List.of(1L), delta.expunged());
            assertEquals(List.of(2L, 3L), uids(delta.flagsChanged()));
            assertTrue(delta.flagsChanged().get(0).flags().contains(Flag.DELETED));
            assertEquals(List.of(2L), a.expunge());
            assertEquals(List.of(2L), b.refresh().expunged());
            assertEquals(List.of(3L), uids(a));
            assertEquals(List.of(3L), uids(b));
            assertEquals(MailboxException.Reason.NONEXISTENT, refusal(() -> a.content(1)));
        }
    }

    @Test
    void expungeUsesTheStoredFlagsNotAStaleView() throws Exception {
        deliver("one\n");
        UserMailboxes boxes = mailboxes();
        try (Mailbox a = boxes.open("INBOX", false); Mailbox b = boxes.open("INBOX", false)) {
            a.setFlags(List.of(1L), FlagOperation.ADD, Flags.of(Flag.DELETED));
            b.refresh();
            a.setFlags(List.of(1L), FlagOperation.REMOVE, Flags.of(Flag.DELETED));
            assertEquals(List.of(), b.expunge());
            assertEquals(List.of(1L), uids(b));
        }
    }

    @Test
    void aMessageExpungedElsewhereStaysInTheViewUntilRefreshButCannotBeRead() throws Exception {
        deliver("one\n");
        deliver("two\n");
        UserMailboxes boxes = mailboxes();
        try (Mailbox a = boxes.open("INBOX", false); Mailbox b = boxes.open("INBOX", false)) {
            b.setFlags(List.of(1L), FlagOperation.ADD, Flags.of(Flag.DELETED));
            b.expunge();
            assertEquals(List.of(1L, 2L), uids(a), "a view changes only through refresh()");
            assertEquals(MailboxException.Reason.NONEXISTENT, refusal(() -> a.content(1)));
            assertEquals(List.of(), a.setFlags(List.of(1L), FlagOperation.ADD, Flags.of(Flag.SEEN)));
            assertEquals("two\n", read(a, 2));
            assertEquals(List.of(1L), a.refresh().expunged());
            assertEquals(MailboxException.Reason.NONEXISTENT, refusal(() -> a.content(77)));
        }
    }

    // ---- copy, move ---------------------------------------------------------------------------------------------

    @Test
    void copyAndMoveReturnUidMappingsAndKeepFlagsAndDates() throws Exception {
        if (!supportsFolders()) {
            copyAndMoveWithinInbox();
            return;
        }
        UserMailboxes boxes = mailboxes();
        boxes.create("Archive");
        boxes.create("Trash");
        append(boxes, "Archive", "old\n", Flags.NONE); // Archive's uid 1 is taken
        deliver("one\n");
        deliver("two\n");
        deliver("three\n");
        Instant delivered;
        try (Mailbox inbox = boxes.open("INBOX", false)) {
            delivered = inbox.messages().get(1).internalDate();
            inbox.setFlags(List.of(2L), FlagOperation.ADD, new Flags(Set.of(Flag.SEEN), Set.of("$Important")));
            CopyResult copied = inbox.copy(List.of(3L, 2L, 77L), "Archive");
            assertEquals(List.of(2L, 3L), copied.sourceUids());
            assertEquals(List.of(2L, 3L), copied.targetUids());
            assertEquals(boxes.status("Archive").uidValidity(), copied.uidValidity());
            assertEquals(List.of(1L, 2L, 3L), uids(inbox), "copy keeps the sources");

            CopyResult moved = inbox.move(List.of(1L, 2L), "Trash");
            assertEquals(List.of(1L, 2L), moved.sourceUids());
            assertEquals(List.of(1L, 2L), moved.targetUids());
            assertEquals(List.of(3L), uids(inbox));
            assertEquals(MailboxDelta.NONE, inbox.refresh());
            assertEquals(MailboxException.Reason.NONEXISTENT, refusal(() -> inbox.copy(List.of(3L), "Nowhere")));
        }
        try (Mailbox archive = boxes.open("Archive", false); Mailbox trash = boxes.open("Trash", false)) {
            MessageInfo two = archive.messages().get(1);
            assertEquals(new Flags(Set.of(Flag.SEEN), Set.of("$Important")), two.flags());
            assertEquals(delivered, two.internalDate());
            assertEquals("two\n", read(archive, 2));
            assertEquals("one\n", read(trash, 1));
            assertEquals(new Flags(Set.of(Flag.SEEN), Set.of("$Important")), trash.messages().get(1).flags());
            assertTrue(two.recent(), "a copy is new in its mailbox (RFC 3501 §6.4.7)");
        }
    }

    private void copyAndMoveWithinInbox() throws Exception {
        deliver("one\n");
        deliver("two\n");
        try (Mailbox inbox = mailboxes().open("INBOX", false)) {
            Instant delivered = inbox.messages().get(1).internalDate();
            inbox.setFlags(List.of(1L), FlagOperation.ADD, Flags.of(Flag.SEEN));
            CopyResult copied = inbox.copy(List.of(1L, 77L), "inbox");
            assertEquals(new CopyResult(inbox.uidValidity(), List.of(1L), List.of(3L)), copied);
            assertEquals(MailboxException.Reason.NONEXISTENT, refusal(() -> inbox.copy(List.of(1L), "Trash")));
            CopyResult moved = inbox.move(List.of(2L), "INBOX");
            assertEquals(List.of(4L), moved.targetUids());
            assertEquals(List.of(1L), uids(inbox));
            MailboxDelta delta = inbox.refresh();
            assertEquals(List.of(3L, 4L), uids(delta.added()));
            assertEquals(Flags.of(Flag.SEEN), delta.added().get(0).flags());
            assertEquals(delivered, delta.added().get(1).internalDate());
            assertEquals("two\n", read(inbox, 4));
        }
    }

    @Test
    void copyIntoTheSameMailboxGivesNewUids() throws Exception {
        deliver("one\n");
        try (Mailbox inbox = mailboxes().open("INBOX", false)) {
            CopyResult result = inbox.copy(List.of(1L), "INBOX");
            assertEquals(List.of(2L), result.targetUids());
            assertEquals(List.of(2L), uids(inbox.refresh().added()));
            assertEquals("one\n", read(inbox, 2));
        }
    }

    // ---- watchers, concurrency, POP3 ----------------------------------------------------------------------------

    @Test
    void watchersHearAboutDeliveriesAndOtherSessionsChanges() throws Exception {
        deliver("one\n");
        UserMailboxes boxes = mailboxes();
        AtomicInteger calls = new AtomicInteger();
        try (Mailbox a = boxes.open("INBOX", false); Mailbox b = boxes.open("INBOX", false)) {
            Mailbox.Watch watch = a.watch(calls::incrementAndGet);
            deliver("two\n");
            assertEquals(1, calls.get());
            b.refresh();
            b.setFlags(List.of(1L), FlagOperation.ADD, Flags.of(Flag.SEEN));
            assertEquals(2, calls.get());
            append(boxes, "INBOX", "three\n", Flags.NONE);
            assertEquals(3, calls.get());
            watch.close();
            deliver("four\n");
            assertEquals(3, calls.get());
        }
    }

    @Test
    void concurrentSessionsAppendingAndDeliveringGetDistinctUidsInOrder() throws Exception {
        UserMailboxes boxes = mailboxes();
        int threads = 6;
        int each = 15;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<List<Long>>> futures = new ArrayList<>();
        try (Mailbox watcher = boxes.open("INBOX", false)) {
            for (int t = 0; t < threads; t++) {
                int id = t;
                futures.add(pool.submit(() -> {
                    start.await();
                    List<Long> got = new ArrayList<>();
                    try (Mailbox session = mailboxes().open("INBOX", false)) {
                        for (int i = 0; i < each; i++) {
                            if (id % 2 == 0) {
                                got.add(append(boxes, "INBOX", "t" + id + " m" + i + "\n", Flags.NONE).uid());
                            } else {
                                deliver("t" + id + " m" + i + "\n");
                            }
                            session.refresh();
                            if (!session.messages().isEmpty()) {
                                session.setFlags(List.of(session.highestUid()), FlagOperation.ADD,
                                        Flags.of(Flag.SEEN));
                            }
                        }
                    }
                    return got;
                }));
            }
            start.countDown();
            List<Long> appended = new ArrayList<>();
            for (Future<List<Long>> future : futures) {
                appended.addAll(future.get());
            }
            pool.shutdown();
            MailboxDelta delta = watcher.refresh();
            List<Long> all = uids(watcher);
            assertEquals(threads * each, all.size());
            assertEquals(threads * each, new HashSet<>(all).size());
            assertEquals(threads * each, delta.added().size());
            assertTrue(all.containsAll(appended));
            assertEquals(threads * each + 1, watcher.uidNext());
        }
        try (Mailbox reopened = mailboxes().open("INBOX", false)) {
            assertEquals(threads * each, reopened.messages().size());
            assertEquals((long) threads * each, reopened.highestUid());
        }
    }

    @Test
    void pop3MaildropAndImapSeeOneInbox() throws Exception {
        deliver("one\n");
        deliver("two\n");
        try (Mailbox inbox = mailboxes().open("INBOX", false)) {
            inbox.setFlags(List.of(1L), FlagOperation.ADD, Flags.of(Flag.SEEN));
        }
        append(mailboxes(), "INBOX", "three\r\n", Flags.NONE);
        try (Maildrop drop = store.openMaildrop(abe())) {
            assertEquals(3, drop.messages().size());
            try (InputStream in = drop.open(drop.messages().get(0))) {
                assertEquals("one\n", new String(in.readAllBytes(), UTF_8));
            }
            try (InputStream in = drop.open(drop.messages().get(2))) {
                assertEquals("three\n", new String(in.readAllBytes(), UTF_8));
            }
            drop.delete(List.of(drop.messages().get(1)));
        }
        try (Mailbox inbox = mailboxes().open("INBOX", false)) {
            assertEquals(List.of(1L, 3L), uids(inbox));
            assertTrue(inbox.messages().get(0).flags().contains(Flag.SEEN));
        }
    }
}
