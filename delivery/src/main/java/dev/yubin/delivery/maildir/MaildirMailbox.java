package dev.yubin.delivery.maildir;

import dev.yubin.core.message.MessageContent;
import dev.yubin.core.store.CopyResult;
import dev.yubin.core.store.FlagOperation;
import dev.yubin.core.store.Flags;
import dev.yubin.core.store.Mailbox;
import dev.yubin.core.store.MailboxDelta;
import dev.yubin.core.store.MailboxException;
import dev.yubin.core.store.MessageInfo;
import dev.yubin.core.store.StoreException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A session's view of one Maildir folder (see {@link Mailbox}). A read-write view claims the recent messages at
 * every {@link #refresh()} (those from the folder's first recent UID on, delivered, appended or copied since a
 * read-write session last looked; their files move from {@code new/} to {@code cur/}): they are {@code \Recent}
 * here and nowhere else. A read-only view claims nothing and shows them as recent too. Flags are applied to the flags on disk at the time of the STORE,
 * so two sessions adding different flags both win.
 *
 * <p>Not thread-safe: one session uses it. Calls that touch the folder take the folder's lock.
 */
final class MaildirMailbox implements Mailbox {
    private final MaildirFolder folder;
    private final boolean readOnly;
    private final MaildirMailboxes owner;
    private final TreeMap<Long, Entry> view = new TreeMap<>();
    private final List<Runnable> watches = new ArrayList<>();
    private long uidValidity;
    private long uidNext;
    private Set<String> keywords = Set.of();
    private boolean canCreateKeywords = true;
    /** The folder's {@link Stamp} taken just before the last sync. */
    private Optional<Stamp> lastSync = Optional.empty();

    private record Entry(MaildirFolder.FileRef file, MessageInfo info) {
    }

    private MaildirMailbox(MaildirFolder folder, boolean readOnly, MaildirMailboxes owner) {
        this.folder = folder;
        this.readOnly = readOnly;
        this.owner = owner;
    }

    static MaildirMailbox open(MaildirFolder folder, boolean readOnly, MaildirMailboxes owner) throws StoreException {
        MaildirMailbox mailbox = new MaildirMailbox(folder, readOnly, owner);
        mailbox.refresh();
        return mailbox;
    }

    @Override
    public String name() {
        return folder.name;
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
        for (Entry entry : view.values()) {
            out.add(entry.info());
        }
        return out;
    }

    @Override
    public Set<String> keywords() {
        return keywords;
    }

    @Override
    public boolean canCreateKeywords() {
        return canCreateKeywords;
    }

    @Override
    public MailboxDelta refresh() throws StoreException {
        // Dovecot's trick: nothing can have changed while new/, cur/ and the index files keep their mtimes, as
        // long as those are old enough that a change within the same clock tick cannot hide behind them
        Optional<Stamp> before = Stamp.read(folder.dir);
        if (before.isPresent() && before.equals(lastSync) && before.get().isSettled()) {
            return MailboxDelta.NONE;
        }
        MaildirFolder.State state;
        try (SharedFolders.Held held = folder.lock()) {
            state = folder.sync(!readOnly);
        }
        lastSync = before;
        return apply(state);
    }

    /**
     * The modification times (in nanoseconds) that every change of the folder touches. They count as settled once
     * older than the file system's timestamp granularity can hide a change behind: 2 s where times have whole
     * seconds, 100 ms where they have sub-second parts (Linux stamps files from a clock that ticks every 1-10 ms).
     */
    private record Stamp(long newDir, long curDir, long uidList, long keywords) {
        private static final long SETTLE_NANOS_COARSE = 2_000_000_000L;
        private static final long SETTLE_NANOS_FINE = 100_000_000L;
        private static final long SECOND = 1_000_000_000L;

        static Optional<Stamp> read(Path dir) {
            try {
                return Optional.of(new Stamp(mtime(dir.resolve(MaildirFolder.NEW)),
                        mtime(dir.resolve(MaildirFolder.CUR)), mtimeOrZero(dir.resolve(UidList.FILE)),
                        mtimeOrZero(dir.resolve(Keywords.FILE))));
            } catch (IOException e) {
                return Optional.empty(); // sync will report it
            }
        }

        boolean isSettled() {
            long newest = Math.max(Math.max(newDir, curDir), Math.max(uidList, keywords));
            boolean fine = newDir % SECOND != 0 || curDir % SECOND != 0;
            Instant clock = Instant.now();
            long now = clock.getEpochSecond() * SECOND + clock.getNano();
            return now - newest > (fine ? SETTLE_NANOS_FINE : SETTLE_NANOS_COARSE);
        }

        private static long mtime(Path path) throws IOException {
            return Files.getLastModifiedTime(path).to(java.util.concurrent.TimeUnit.NANOSECONDS);
        }

        /** Milliseconds are enough for the index files, which change with the directories; 0 when missing. */
        private static long mtimeOrZero(Path path) {
            return path.toFile().lastModified() * 1_000_000L; // no exception for a missing file on every refresh
        }
    }

    private MailboxDelta apply(MaildirFolder.State state) throws StoreException {
        uidValidity = state.uids().uidValidity();
        uidNext = state.uids().nextUid();
        keywords = Set.copyOf(state.keywords().all());
        canCreateKeywords = !state.keywords().isFull();
        List<Long> expunged = new ArrayList<>();
        for (Long uid : new ArrayList<>(view.keySet())) {
            if (!state.messages().containsKey(uid)) {
                expunged.add(uid);
                view.remove(uid);
            }
        }
        List<MessageInfo> added = new ArrayList<>();
        List<MessageInfo> changed = new ArrayList<>();
        for (MaildirFolder.Listed listed : state.messages().values()) {
            Flags flags = MaildirFolder.flags(listed.file().name(), state.keywords());
            Entry old = view.get(listed.uid());
            if (old != null) {
                MessageInfo info = old.info();
                if (!info.flags().equals(flags)) {
                    info = info.withFlags(flags);
                    changed.add(info);
                }
                view.put(listed.uid(), new Entry(listed.file(), info));
                continue;
            }
            Optional<MessageInfo> info = describe(listed, flags);
            if (info.isPresent()) {
                view.put(listed.uid(), new Entry(listed.file(), info.get()));
                added.add(info.get());
            }
        }
        return new MailboxDelta(expunged, added, changed);
    }

    private Optional<MessageInfo> describe(MaildirFolder.Listed listed, Flags flags) throws StoreException {
        MaildirName name = listed.file().name();
        Path path = listed.file().path(folder.dir);
        try {
            Instant date = Files.getLastModifiedTime(path).toInstant();
            long size;
            long wireSize;
            if (name.size().isPresent() && name.wireSize().isPresent()) {
                size = name.size().getAsLong();
                wireSize = name.wireSize().getAsLong();
            } else {
                try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
                    size = channel.size();
                    wireSize = size + LineFeeds.count(channel, size);
                }
            }
            boolean recent = listed.recent();
            return Optional.of(new MessageInfo(listed.uid(), flags, recent, date, size, wireSize));
        } catch (NoSuchFileException e) {
            return Optional.empty(); // expunged or renamed just now: the next refresh sees it as it is then
        } catch (IOException e) {
            throw folder.failure("read", e);
        }
    }

    @Override
    public List<MessageInfo> setFlags(Collection<Long> uids, FlagOperation operation, Flags flags)
            throws StoreException {
        requireWritable();
        List<MessageInfo> result = new ArrayList<>();
        boolean renamed = false;
        try (SharedFolders.Held held = folder.lock()) {
            Keywords known = Keywords.load(folder.dir);
            for (Long uid : new TreeSet<>(uids)) {
                Entry entry = view.get(uid);
                if (entry == null) {
                    continue;
                }
                Optional<MaildirFolder.FileRef> current = folder.locate(entry.file());
                if (current.isEmpty()) {
                    continue; // expunged elsewhere; the next refresh reports it
                }
                MaildirName name = current.get().name();
                Flags now = MaildirFolder.flags(name, known).apply(operation, flags);
                String letters = MaildirFolder.letters(now, name.flags().orElse(""), known);
                known.saveIfChanged(folder.dir, folder.context.fsync(), folder.context.fileAttributes());
                MaildirFolder.FileRef target = new MaildirFolder.FileRef(MaildirFolder.CUR, name.withFlags(letters));
                if (!target.equals(current.get())) {
                    Files.move(current.get().path(folder.dir), target.path(folder.dir),
                            StandardCopyOption.ATOMIC_MOVE);
                    renamed = true;
                }
                MessageInfo info = entry.info().withFlags(now);
                view.put(uid, new Entry(target, info));
                result.add(info);
            }
            keywords = Set.copyOf(known.all());
            canCreateKeywords = !known.isFull();
            // no fsync of cur/ for a flag change (Dovecot's mail_fsync = optimized): a crash may bring an old flag
            // back, never lose a message, and the rename is atomic either way
        } catch (IOException e) {
            throw folder.failure("store flags in", e);
        } finally {
            if (renamed) {
                folder.shared.changed();
            }
        }
        return result;
    }

    @Override
    public List<Long> expunge() throws StoreException {
        return expungeWhere(null);
    }

    @Override
    public List<Long> expunge(Collection<Long> uids) throws StoreException {
        return expungeWhere(Set.copyOf(uids));
    }

    private List<Long> expungeWhere(Set<Long> among) throws StoreException {
        requireWritable();
        List<Long> expunged = new ArrayList<>();
        try (SharedFolders.Held held = folder.lock()) {
            // one listing of the folder rather than a lookup per message: the flags on disk decide, since another
            // session may have just set or removed \Deleted
            Map<String, MaildirFolder.FileRef> onDisk = folder.scan();
            for (Map.Entry<Long, Entry> entry : new ArrayList<>(view.entrySet())) {
                if (among != null && !among.contains(entry.getKey())) {
                    continue;
                }
                Optional<MaildirFolder.FileRef> current =
                        Optional.ofNullable(onDisk.get(entry.getValue().file().name().base()));
                if (current.isPresent() && current.get().name().hasFlag('T')
                        && Files.deleteIfExists(current.get().path(folder.dir))) {
                    expunged.add(entry.getKey());
                    view.remove(entry.getKey());
                }
            }
            // unlinks are not fsynced (Dovecot's mail_fsync = optimized): a crash right after EXPUNGE may bring a
            // deleted message back, but no fsync stands between a client and the answer to a deletion
        } catch (IOException e) {
            throw folder.failure("expunge", e);
        } finally {
            if (!expunged.isEmpty()) {
                folder.shared.changed();
            }
        }
        return expunged;
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

    private CopyResult copy(Collection<Long> uids, String targetName, boolean move) throws StoreException {
        MaildirFolder target = owner.existing(targetName);
        List<Long> sources = new ArrayList<>();
        List<MaildirFolder.Incoming> incoming = new ArrayList<>();
        List<Path> files = new ArrayList<>();
        try {
            for (Long uid : new TreeSet<>(uids)) {
                Entry entry = view.get(uid);
                if (entry == null) {
                    continue;
                }
                MaildirFolder.FileRef file = folder.locate(entry.file()).orElseThrow(() -> new MailboxException(
                        MailboxException.Reason.NONEXISTENT, "message " + uid + " has been expunged"));
                MessageInfo info = entry.info();
                sources.add(uid);
                files.add(file.path(folder.dir));
                incoming.add(new MaildirFolder.Incoming(file.path(folder.dir), info.size(), info.wireSize(),
                        MaildirFolder.flags(file.name(), Keywords.load(folder.dir))));
            }
        } catch (IOException e) {
            throw folder.failure("copy from", e);
        }
        MaildirFolder.Added added = target.add(incoming);
        if (move) {
            removeMoved(sources, files);
        }
        return new CopyResult(added.uidValidity(), sources, added.uids());
    }

    private void removeMoved(List<Long> sources, List<Path> files) throws StoreException {
        try (SharedFolders.Held held = folder.lock()) {
            for (int i = 0; i < sources.size(); i++) {
                Entry entry = view.remove(sources.get(i));
                if (!Files.deleteIfExists(files.get(i)) && entry != null) {
                    folder.locate(entry.file()).ifPresent(ref -> deleteQuietly(ref.path(folder.dir)));
                }
            }
            // the copies are fsynced by add(); removing the sources is not (see expungeWhere)
        } catch (IOException e) {
            throw folder.failure("move from", e);
        } finally {
            folder.shared.changed();
        }
    }

    private static void deleteQuietly(Path path) {
        try {
            Files.deleteIfExists(path);
        } catch (IOException ignored) {
            // it stays; the next expunge or refresh deals with it
        }
    }

    @Override
    public MessageContent content(long uid) throws StoreException {
        Entry entry = view.get(uid);
        if (entry == null) {
            throw new MailboxException(MailboxException.Reason.NONEXISTENT, "no message with UID " + uid);
        }
        try {
            MaildirFolder.FileRef file = folder.locate(entry.file()).orElseThrow(() -> new MailboxException(
                    MailboxException.Reason.NONEXISTENT, "message " + uid + " has been expunged"));
            return new MaildirMessageContent(folder, file, entry.info().size());
        } catch (IOException e) {
            throw folder.failure("read", e);
        }
    }

    @Override
    public Watch watch(Runnable onChange) {
        Runnable cancel = folder.shared.watch(onChange);
        watches.add(cancel);
        return cancel::run;
    }

    @Override
    public void close() {
        for (Runnable cancel : watches) {
            cancel.run();
        }
        watches.clear();
    }

    private void requireWritable() throws MailboxException {
        if (readOnly) {
            throw new MailboxException(MailboxException.Reason.NOT_PERMITTED,
                    "mailbox " + folder.name + " is open read-only");
        }
    }

}
