package dev.yubin.delivery.mbox;

import dev.yubin.core.message.MessageContent;
import dev.yubin.core.store.AppendResult;
import dev.yubin.core.store.CopyResult;
import dev.yubin.core.store.Flag;
import dev.yubin.core.store.FlagOperation;
import dev.yubin.core.store.Flags;
import dev.yubin.core.store.Mailbox;
import dev.yubin.core.store.MailboxDelta;
import dev.yubin.core.store.MailboxException;
import dev.yubin.core.store.MessageInfo;
import dev.yubin.core.store.StoreException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

/**
 * A session's view of an mbox INBOX (see {@link Mailbox} and {@link MboxMailboxes}). A read-write view claims the
 * recent messages at every {@link #refresh()}. Flags are applied to the index as it is at the time of the STORE,
 * so two sessions adding different flags both win. Messages stream from the mbox file open at the last reading;
 * if another program rewrote it since, the message is found again by its mbox UID and size.
 *
 * <p>Not thread-safe: one session uses it.
 */
final class MboxMailbox implements Mailbox {
    private final MboxMailboxes owner;
    private final boolean readOnly;
    private final TreeMap<Long, Entry> view = new TreeMap<>();
    private final List<Runnable> watches = new ArrayList<>();
    /** Files replaced by a newer reading; closed at the next refresh, when no stream of the last command is left. */
    private final List<FileChannel> retired = new ArrayList<>();
    private FileChannel channel;
    private Object fileKey;
    private long uidValidity;
    private long uidNext;
    private Optional<Stamp> lastSync = Optional.empty();

    private record Entry(MboxEntry entry, MessageInfo info) {
    }

    private MboxMailbox(MboxMailboxes owner, boolean readOnly) {
        this.owner = owner;
        this.readOnly = readOnly;
    }

    static MboxMailbox open(MboxMailboxes owner, boolean readOnly) throws StoreException {
        MboxMailbox mailbox = new MboxMailbox(owner, readOnly);
        mailbox.refresh();
        return mailbox;
    }

    @Override
    public String name() {
        return MboxMailboxes.INBOX;
    }

    @Override
    public boolean isReadOnly() {
        return readOnly;
    }

    @Override
    public long uidValidity() {
        return uidValidity;
    }

    @Override
    public long uidNext() {
        return uidNext;
    }

    @Override
    public long highestUid() {
        return view.isEmpty() ? 0 : view.lastKey();
    }

    @Override
    public List<MessageInfo> messages() {
        List<MessageInfo> out = new ArrayList<>(view.size());
        view.values().forEach(e -> out.add(e.info()));
        return out;
    }

    @Override
    public Set<String> keywords() {
        Set<String> all = new TreeSet<>();
        view.values().forEach(e -> all.addAll(e.info().flags().keywords()));
        return all;
    }

    @Override
    public boolean canCreateKeywords() {
        return true;
    }

    @Override
    public MailboxDelta refresh() throws StoreException {
        closeRetired();
        Optional<Stamp> before = Stamp.read(owner.mbox(), owner.indexFile());
        if (before.isPresent() && before.equals(lastSync) && before.get().isSettled()) {
            return MailboxDelta.NONE;
        }
        MboxMailboxes.State state;
        try (MboxStore.IndexLock held = owner.lock()) {
            state = owner.sync(!readOnly, -1, null);
        }
        lastSync = before;
        adopt(state);
        uidValidity = state.index().uidValidity();
        uidNext = state.index().nextUid();
        Map<Long, MboxMailboxes.Listed> now = new LinkedHashMap<>();
        state.messages().forEach(l -> now.put(l.uid(), l));
        List<Long> expunged = new ArrayList<>();
        for (Long uid : new ArrayList<>(view.keySet())) {
            if (!now.containsKey(uid)) {
                expunged.add(uid);
                view.remove(uid);
            }
        }
        List<MessageInfo> added = new ArrayList<>();
        List<MessageInfo> changed = new ArrayList<>();
        for (MboxMailboxes.Listed l : now.values()) {
            Entry old = view.get(l.uid());
            if (old == null) {
                MessageInfo info = new MessageInfo(l.uid(), l.flags(), l.recent(), l.internalDate(),
                        l.entry().size(), l.entry().wireSize());
                view.put(l.uid(), new Entry(l.entry(), info));
                added.add(info);
            } else {
                MessageInfo info = old.info();
                if (!info.flags().equals(l.flags())) {
                    info = info.withFlags(l.flags());
                    changed.add(info);
                }
                view.put(l.uid(), new Entry(l.entry(), info));
            }
        }
        return new MailboxDelta(expunged, added, changed);
    }

    /** Reads from the file of {@code state} from now on. */
    private void adopt(MboxMailboxes.State state) {
        if (state.channel() != channel) {
            if (channel != null) {
                retired.add(channel);
            }
            channel = state.channel();
            fileKey = state.fileKey();
        }
    }

    @Override
    public List<MessageInfo> setFlags(Collection<Long> uids, FlagOperation operation, Flags flags)
            throws StoreException {
        requireWritable();
        List<MessageInfo> result = new ArrayList<>();
        boolean changed = false;
        try (MboxStore.IndexLock held = owner.lock()) {
            MboxImapIndex index = loadIndex();
            for (Long uid : new TreeSet<>(uids)) {
                Entry entry = view.get(uid);
                MboxImapIndex.Message m = entry == null ? null
                        : index.find(entry.entry().uid(), entry.entry().size());
                if (m == null || m.uid() != uid) {
                    continue; // expunged elsewhere; the next refresh reports it
                }
                Flags updated = m.flags().apply(operation, flags);
                if (!updated.equals(m.flags())) {
                    index.setFlags(m, updated);
                    changed = true;
                }
                MessageInfo info = entry.info().withFlags(updated);
                view.put(uid, new Entry(entry.entry(), info));
                result.add(info);
            }
            if (changed) {
                owner.save(index);
            }
        } finally {
            if (changed) {
                owner.store().changed(owner.mbox());
            }
        }
        return result;
    }

    private MboxImapIndex loadIndex() throws StoreException {
        try {
            return MboxImapIndex.load(owner.indexFile());
        } catch (IOException e) {
            throw new StoreException("cannot read " + owner.indexFile() + ": " + MboxStore.reason(e), true, e);
        }
    }

    @Override
    public List<Long> expunge() throws StoreException {
        return expungeWhere(null, true);
    }

    @Override
    public List<Long> expunge(Collection<Long> uids) throws StoreException {
        return expungeWhere(Set.copyOf(uids), true);
    }

    /** Removes the messages of this view among {@code among} (all if null), only the {@code \Deleted} ones if so. */
    private List<Long> expungeWhere(Set<Long> among, boolean deletedOnly) throws StoreException {
        requireWritable();
        List<Long> removed;
        try (MboxStore.IndexLock held = owner.lock()) {
            // the flags in the index decide, since another session may have just set or removed \Deleted
            MboxMailboxes.State state = owner.sync(false, -1, null);
            state.release(owner.store(), owner.mbox());
            Map<Long, MboxMailboxes.Listed> doomed = new LinkedHashMap<>();
            for (MboxMailboxes.Listed l : state.messages()) {
                if (view.containsKey(l.uid()) && (among == null || among.contains(l.uid()))
                        && (!deletedOnly || l.flags().contains(Flag.DELETED))) {
                    doomed.put(l.uid(), l);
                }
            }
            removed = owner.remove(doomed);
        }
        removed.forEach(view::remove);
        return removed;
    }

    @Override
    public CopyResult copy(Collection<Long> uids, String target) throws StoreException {
        return copy(uids, target, false);
    }

    @Override
    public CopyResult move(Collection<Long> uids, String target) throws StoreException {
        requireWritable();
        return copy(uids, target, true);
    }

    private CopyResult copy(Collection<Long> uids, String target, boolean move) throws StoreException {
        owner.requireInbox(target);
        List<Long> sources = new ArrayList<>();
        List<Long> targets = new ArrayList<>();
        long validity = uidValidity;
        try (MboxStore.IndexLock held = owner.lock()) {
            for (Long uid : new TreeSet<>(uids)) {
                Entry entry = view.get(uid);
                if (entry == null) {
                    continue;
                }
                AppendResult copied;
                try (MessageContent content = content(uid)) {
                    copied = owner.appendLocked(content, entry.info().flags(), entry.info().internalDate(), false);
                }
                sources.add(uid);
                targets.add(copied.uid());
                validity = copied.uidValidity();
            }
        }
        if (move && !sources.isEmpty()) {
            expungeWhere(Set.copyOf(sources), false);
        }
        return new CopyResult(validity, sources, targets);
    }

    @Override
    public MessageContent content(long uid) throws StoreException {
        Entry entry = view.get(uid);
        if (entry == null) {
            throw new MailboxException(MailboxException.Reason.NONEXISTENT, "no message with UID " + uid);
        }
        try {
            if (channel == null || !MboxMaildrop.stillThere(owner.mbox(), fileKey, channel, entry.entry())) {
                entry = relocate(uid);
            }
        } catch (IOException e) {
            throw new StoreException("cannot read " + owner.mbox() + ": " + MboxStore.reason(e), true, e);
        }
        return new Content(channel, entry.entry());
    }

    /** Reads the mbox again (another program rewrote it) and finds the message there by its mbox UID and size. */
    private Entry relocate(long uid) throws StoreException {
        MboxMailboxes.State state;
        try (MboxStore.IndexLock held = owner.lock()) {
            state = owner.sync(false, -1, null);
        }
        adopt(state);
        Map<Long, MboxEntry> found = new LinkedHashMap<>();
        state.messages().forEach(l -> found.put(l.uid(), l.entry()));
        for (Map.Entry<Long, Entry> e : view.entrySet()) {
            MboxEntry moved = found.get(e.getKey());
            if (moved != null) {
                e.setValue(new Entry(moved, e.getValue().info()));
            }
        }
        if (!found.containsKey(uid)) {
            throw new MailboxException(MailboxException.Reason.NONEXISTENT, "message " + uid
                    + " has been removed from the mailbox");
        }
        return view.get(uid);
    }

    @Override
    public Watch watch(Runnable onChange) {
        Runnable cancel = owner.store().watch(owner.mbox(), onChange);
        watches.add(cancel);
        return cancel::run;
    }

    @Override
    public void close() {
        watches.forEach(Runnable::run);
        watches.clear();
        closeRetired();
        if (channel != null) {
            owner.store().closeLocked(owner.mbox(), channel);
            channel = null;
        }
    }

    private void closeRetired() {
        retired.forEach(c -> owner.store().closeLocked(owner.mbox(), c));
        retired.clear();
    }

    private void requireWritable() throws MailboxException {
        if (readOnly) {
            throw new MailboxException(MailboxException.Reason.NOT_PERMITTED, "INBOX is open read-only");
        }
    }

    /** A message of the mbox, unquoted as it streams; closing it leaves the file open for the view. */
    private static final class Content implements MessageContent {
        private final FileChannel channel;
        private final MboxEntry entry;

        Content(FileChannel channel, MboxEntry entry) {
            this.channel = Objects.requireNonNull(channel, "channel");
            this.entry = entry;
        }

        @Override
        public long size() {
            return entry.size();
        }

        @Override
        public InputStream openStream() {
            return new MessageStream(channel, entry);
        }

        @Override
        public long transferTo(WritableByteChannel target) throws IOException {
            byte[] chunk = new byte[64 * 1024];
            long total = 0;
            try (InputStream in = openStream()) {
                for (int n; (n = in.read(chunk)) > 0; ) {
                    MessageContent.writeFully(target, ByteBuffer.wrap(chunk, 0, n));
                    total += n;
                }
            }
            return total;
        }

        @Override
        public void close() {
            // the message stays in the mailbox, the file stays open for the view
        }
    }

    /**
     * What every change of the mbox or its index touches: the files' identities, the mbox's size and both
     * modification times. Settled once older than a change within one clock tick could hide behind (see the
     * Maildir store's stamp): 100 ms with sub-second times, 2 s with whole seconds.
     */
    private record Stamp(Object mboxKey, long mboxSize, long mboxTime, Object indexKey, long indexTime) {
        private static final long SECOND = 1_000_000_000L;

        static Optional<Stamp> read(Path mbox, Path index) {
            try {
                BasicFileAttributes m = attributes(mbox);
                BasicFileAttributes i = attributes(index);
                return Optional.of(new Stamp(m == null ? null : m.fileKey(), m == null ? -1 : m.size(),
                        m == null ? 0 : nanos(m), i == null ? null : i.fileKey(), i == null ? 0 : nanos(i)));
            } catch (IOException e) {
                return Optional.empty(); // the sync reports it
            }
        }

        private static BasicFileAttributes attributes(Path path) throws IOException {
            try {
                return Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            } catch (NoSuchFileException e) {
                return null;
            }
        }

        private static long nanos(BasicFileAttributes a) {
            return a.lastModifiedTime().to(TimeUnit.NANOSECONDS);
        }

        boolean isSettled() {
            long newest = Math.max(mboxTime, indexTime);
            boolean fine = newest % SECOND != 0;
            Instant clock = Instant.now();
            long now = clock.getEpochSecond() * SECOND + clock.getNano();
            return now - newest > (fine ? SECOND / 10 : 2 * SECOND);
        }
    }
}
