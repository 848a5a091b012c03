package dev.yubin.delivery.mbox;

import dev.yubin.core.message.MessageContent;
import dev.yubin.core.store.AppendResult;
import dev.yubin.core.store.Flag;
import dev.yubin.core.store.Flags;
import dev.yubin.core.store.Mailbox;
import dev.yubin.core.store.MailboxAttribute;
import dev.yubin.core.store.MailboxException;
import dev.yubin.core.store.MailboxInfo;
import dev.yubin.core.store.MailboxStatus;
import dev.yubin.core.store.StoreException;
import dev.yubin.core.store.UserMailboxes;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * The IMAP view of one user's mbox: a single mailbox, INBOX, read-write. Folders need the Maildir store (an mbox
 * file is one mailbox), so CREATE, RENAME and DELETE are refused with {@link MailboxException.Reason#NOT_PERMITTED}
 * ({@code NO [CANNOT]}) and there are no special-use folders.
 *
 * <table>
 *   <caption>Where IMAP's state lives</caption>
 *   <tr><th>What</th><th>Where</th></tr>
 *   <tr><td>messages, INTERNALDATE (the {@code From_} line's date)</td><td>the mbox, unchanged by IMAP except by
 *       APPEND/COPY (appended as a delivery is) and EXPUNGE (rewritten as POP3's deletions are)</td></tr>
 *   <tr><td>UIDVALIDITY, UIDs, flags, keywords, {@code \Recent}</td><td>{@link MboxImapIndex}, the file
 *       {@code <spool>/.<user>.imap}; a message first seen takes its flags from its {@code Status:} and
 *       {@code X-Status:} headers, as written by mail(1), mutt and Dovecot</td></tr>
 * </table>
 *
 * <p>Each change of the mbox is found by reading it whole under its lock (as POP3 does at login). The index is
 * updated under this JVM's lock for its path; two processes serving IMAP from one spool could lose each other's
 * flag changes, so one Yubin per spool serves IMAP, as one Dovecot owns its index files. Thread-safe.
 */
final class MboxMailboxes implements UserMailboxes {
    static final String INBOX = "INBOX";

    private final MboxStore store;
    private final Path mbox;
    private final Path indexFile;

    MboxMailboxes(MboxStore store, Path mbox) {
        this.store = store;
        this.mbox = mbox;
        this.indexFile = indexFileOf(mbox);
    }

    /** {@code <spool>/.<user>.imap}: no user's mbox, since mailbox names never start with a dot. */
    static Path indexFileOf(Path mbox) {
        return mbox.resolveSibling("." + mbox.getFileName() + ".imap");
    }

    static boolean isInbox(String name) {
        return name.toUpperCase(Locale.ROOT).equals(INBOX);
    }

    @Override
    public char delimiter() {
        return '/';
    }

    @Override
    public List<MailboxInfo> list() {
        return List.of(new MailboxInfo(INBOX, Set.of(MailboxAttribute.HAS_NO_CHILDREN), true));
    }

    @Override
    public void create(String name) throws StoreException {
        if (isInbox(name)) {
            throw new MailboxException(MailboxException.Reason.ALREADY_EXISTS, "INBOX exists");
        }
        throw onlyInbox();
    }

    @Override
    public void delete(String name) throws StoreException {
        if (isInbox(name)) {
            throw new MailboxException(MailboxException.Reason.NOT_PERMITTED, "INBOX cannot be deleted");
        }
        throw missing(name);
    }

    @Override
    public void rename(String from, String to) throws StoreException {
        if (!isInbox(from)) {
            throw missing(from);
        }
        throw onlyInbox();
    }

    @Override
    public void subscribe(String name) throws StoreException {
        if (!isInbox(name)) {
            throw onlyInbox();
        }
    }

    @Override
    public void unsubscribe(String name) throws StoreException {
        if (isInbox(name)) {
            throw new MailboxException(MailboxException.Reason.NOT_PERMITTED, "INBOX stays subscribed");
        }
    }

    @Override
    public Set<String> subscriptions() {
        return Set.of(INBOX);
    }

    /** Nothing to do: an mbox store has no folders. */
    @Override
    public void ensureSpecialUse() {
    }

    @Override
    public MailboxStatus status(String name) throws StoreException {
        requireInbox(name);
        try (MboxStore.IndexLock held = lock()) {
            State state = sync(false, -1, null);
            state.release(store, mbox);
            long recent = state.messages().stream().filter(Listed::recent).count();
            long unseen = state.messages().stream().filter(l -> !l.flags().contains(Flag.SEEN)).count();
            return new MailboxStatus(state.messages().size(), recent, unseen, state.index().nextUid(),
                    state.index().uidValidity());
        }
    }

    @Override
    public Mailbox open(String name, boolean readOnly) throws StoreException {
        requireInbox(name);
        return MboxMailbox.open(this, readOnly);
    }

    @Override
    public AppendResult append(String name, MessageContent content, Flags flags, Instant internalDate)
            throws StoreException {
        requireInbox(name);
        Objects.requireNonNull(content, "content");
        try (MboxStore.IndexLock held = lock()) {
            return appendLocked(content, flags, internalDate, true);
        }
    }

    /**
     * APPEND with {@link #lock()} held: the message goes to the end of the mbox (CRLF stored as LF if
     * {@code fromWire}), its flags to the index.
     */
    AppendResult appendLocked(MessageContent content, Flags flags, Instant date, boolean fromWire)
            throws StoreException {
        long offset = store.appendMessage(mbox, content, date, fromWire);
        State state = sync(false, offset, flags);
        state.release(store, mbox);
        Listed added = state.messages().stream().filter(l -> l.entry().fromStart() == offset).findFirst()
                .orElseThrow(() -> new StoreException("the appended message is not in " + mbox, true, null));
        return new AppendResult(state.index().uidValidity(), added.uid());
    }

    // ---- shared with MboxMailbox ------------------------------------------------------------------------------

    MboxStore store() {
        return store;
    }

    Path mbox() {
        return mbox;
    }

    Path indexFile() {
        return indexFile;
    }

    /** A message of the mbox as IMAP sees it. */
    record Listed(long uid, MboxEntry entry, Flags flags, boolean recent, Instant internalDate) {
    }

    /**
     * The mbox read and matched with its index: the messages ascending by UID, the index (to change and save
     * under the same lock), and the open file the entries point into (null when there is no mbox), which the
     * caller keeps or {@link #release}s.
     */
    record State(List<Listed> messages, MboxImapIndex index, FileChannel channel, Object fileKey) {
        void release(MboxStore store, Path mbox) {
            if (channel != null) {
                store.closeLocked(mbox, channel);
            }
        }
    }

    /** The index lock of this mbox, held while the index is read, matched and written. */
    MboxStore.IndexLock lock() throws StoreException {
        return store.lockIndex(mbox);
    }

    /**
     * Reads the mbox (under its lock) and the index (under {@link #lock()}, which the caller holds), gives new
     * messages UIDs in file order, forgets removed ones and saves the index if that changed it. The message at
     * {@code presetOffset} takes {@code presetFlags} if it is new (APPEND's flags); others take their Status
     * headers'. With {@code claimRecent}, the recent messages are this caller's alone.
     */
    State sync(boolean claimRecent, long presetOffset, Flags presetFlags) throws StoreException {
        MboxStore.Reindexed read = store.reindex(mbox);
        try {
            MboxImapIndex index = MboxImapIndex.load(indexFile);
            List<MboxEntry> entries = read == null ? List.of() : read.entries();
            Instant fallbackDate = read == null ? Instant.EPOCH
                    : Files.getLastModifiedTime(mbox, LinkOption.NOFOLLOW_LINKS).toInstant();
            List<Listed> messages = new ArrayList<>(entries.size());
            List<String> keys = new ArrayList<>(entries.size());
            for (MboxEntry e : entries) {
                MboxImapIndex.Message m = index.find(e.uid(), e.size());
                if (m == null) {
                    Flags flags = e.fromStart() == presetOffset && presetFlags != null ? presetFlags
                            : MboxImapIndex.fromStatus(e.status());
                    m = index.assign(e.uid(), e.size(), flags);
                }
                keys.add(e.uid());
                Instant date = FromLine.dateOf(e.fromLine(), store.clock().getZone()).orElse(fallbackDate);
                messages.add(new Listed(m.uid(), e, m.flags(), m.uid() >= index.firstRecentUid(), date));
            }
            index.retainAll(keys);
            messages.sort(Comparator.comparingLong(Listed::uid));
            if (claimRecent) {
                index.claimRecent();
            }
            index.saveIfChanged(indexFile, store.fsync());
            return new State(messages, index, read == null ? null : read.channel(),
                    read == null ? null : read.fileKey());
        } catch (IOException e) {
            if (read != null) {
                store.closeLocked(mbox, read.channel());
            }
            throw new StoreException("cannot index " + mbox + " for IMAP: " + MboxStore.reason(e), true, e);
        } catch (StoreException | RuntimeException e) {
            if (read != null) {
                store.closeLocked(mbox, read.channel());
            }
            throw e;
        }
    }

    /** Saves a changed index (flags); the caller holds {@link #lock()}. */
    void save(MboxImapIndex index) throws StoreException {
        try {
            index.saveIfChanged(indexFile, store.fsync());
        } catch (IOException e) {
            throw new StoreException("cannot write " + indexFile + ": " + MboxStore.reason(e), true, e);
        }
    }

    /** Removes {@code doomed} (UID → listed message) from the mbox; returns the UIDs removed. */
    List<Long> remove(Map<Long, Listed> doomed) throws StoreException {
        if (doomed.isEmpty()) {
            return List.of();
        }
        Map<String, Long> sizes = new HashMap<>();
        doomed.values().forEach(l -> sizes.put(l.entry().uid(), l.entry().size()));
        store.remove(mbox, sizes);
        State after = sync(false, -1, null);
        after.release(store, mbox);
        List<Long> removed = new ArrayList<>();
        Set<Long> left = new HashSet<>();
        after.messages().forEach(l -> left.add(l.uid()));
        for (Long uid : new TreeSet<>(doomed.keySet())) {
            if (!left.contains(uid)) {
                removed.add(uid);
            }
        }
        return removed;
    }

    void requireInbox(String name) throws MailboxException {
        if (!isInbox(name)) {
            throw missing(name);
        }
    }

    private static MailboxException missing(String name) {
        return new MailboxException(MailboxException.Reason.NONEXISTENT, "no mailbox " + name
                + " (an mbox store has INBOX only)");
    }

    private static MailboxException onlyInbox() {
        return new MailboxException(MailboxException.Reason.NOT_PERMITTED,
                "this server keeps mail in mbox, which has INBOX only; folders need Maildir");
    }
}
