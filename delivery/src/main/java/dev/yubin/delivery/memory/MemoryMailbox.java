package dev.yubin.delivery.memory;

import dev.yubin.core.message.MessageContent;
import dev.yubin.core.store.CopyResult;
import dev.yubin.core.store.FlagOperation;
import dev.yubin.core.store.Flag;
import dev.yubin.core.store.Flags;
import dev.yubin.core.store.Mailbox;
import dev.yubin.core.store.MailboxDelta;
import dev.yubin.core.store.MailboxException;
import dev.yubin.core.store.MessageInfo;
import dev.yubin.core.store.StoreException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A session's view of one mailbox of a {@link MemoryStore} (see {@link Mailbox}). As in the Maildir store, a
 * read-write view claims the recent messages at every {@link #refresh()}: they are {@code \Recent} here and
 * nowhere else; a read-only view claims nothing and shows them as recent too. STORE applies to the flags the
 * message has at that moment, so two sessions adding different flags both win; EXPUNGE removes what is flagged
 * {@code \Deleted} at that moment, not what this view last saw.
 *
 * <p>Not thread-safe: one session uses it. Calls that touch the mailbox take the mail location's lock.
 */
final class MemoryMailbox implements Mailbox {
    private final MemoryMailboxes owner;
    private final MailArea area;
    private final MemoryFolder folder;
    private final String name;
    private final boolean readOnly;
    private final TreeMap<Long, MessageInfo> view = new TreeMap<>();
    private final List<Runnable> watches = new ArrayList<>();
    private long uidNext;
    private Set<String> keywords = Set.of();
    private boolean canCreateKeywords = true;

    private MemoryMailbox(MemoryMailboxes owner, MailArea area, MemoryFolder folder, String name,
            boolean readOnly) {
        this.owner = owner;
        this.area = area;
        this.folder = folder;
        this.name = name;
        this.readOnly = readOnly;
    }

    static MemoryMailbox open(MemoryMailboxes owner, MailArea area, MemoryFolder folder, String name,
            boolean readOnly) throws StoreException {
        MemoryMailbox mailbox = new MemoryMailbox(owner, area, folder, name, readOnly);
        mailbox.refresh();
        return mailbox;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public boolean isReadOnly() {
        return readOnly;
    }

    @Override
    public long uidValidity() {
        return folder.uidValidity;
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
        return List.copyOf(view.values());
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
        List<Long> expunged = new ArrayList<>();
        List<MessageInfo> added = new ArrayList<>();
        List<MessageInfo> changed = new ArrayList<>();
        area.lock.lock();
        try {
            requireExisting();
            for (Long uid : new ArrayList<>(view.keySet())) {
                if (!folder.messages.containsKey(uid)) {
                    expunged.add(uid);
                    view.remove(uid);
                }
            }
            for (MemoryMessage message : folder.messages.values()) {
                MessageInfo old = view.get(message.uid());
                if (old == null) {
                    MessageInfo info = new MessageInfo(message.uid(), message.flags(),
                            message.uid() >= folder.firstRecentUid, message.internalDate(), message.size(),
                            message.wireSize());
                    view.put(message.uid(), info);
                    added.add(info);
                } else if (!old.flags().equals(message.flags())) {
                    MessageInfo info = old.withFlags(message.flags());
                    view.put(message.uid(), info);
                    changed.add(info);
                }
            }
            if (!readOnly) {
                folder.firstRecentUid = folder.nextUid; // this session has them as \Recent; no other will
            }
            takeCounters();
        } finally {
            area.lock.unlock();
        }
        return expunged.isEmpty() && added.isEmpty() && changed.isEmpty() ? MailboxDelta.NONE
                : new MailboxDelta(expunged, added, changed);
    }

    /** Under the lock. */
    private void takeCounters() {
        uidNext = folder.nextUid;
        keywords = Set.copyOf(folder.keywords);
        canCreateKeywords = folder.canCreateKeywords();
    }

    @Override
    public List<MessageInfo> setFlags(Collection<Long> uids, FlagOperation operation, Flags flags)
            throws StoreException {
        requireWritable();
        List<MessageInfo> result = new ArrayList<>();
        boolean changedAny = false;
        area.lock.lock();
        try {
            requireExisting();
            for (Long uid : new TreeSet<>(uids)) {
                MessageInfo info = view.get(uid);
                MemoryMessage current = folder.messages.get(uid);
                if (info == null || current == null) {
                    continue; // not in this view, or expunged elsewhere: the next refresh reports it
                }
                Flags now = current.flags().apply(operation, flags);
                folder.define(now);
                if (!now.equals(current.flags())) {
                    folder.put(current.withFlags(now));
                    changedAny = true;
                }
                info = info.withFlags(now);
                view.put(uid, info);
                result.add(info);
            }
            keywords = Set.copyOf(folder.keywords);
            canCreateKeywords = folder.canCreateKeywords();
        } finally {
            area.lock.unlock();
            if (changedAny) {
                folder.changed();
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
        area.lock.lock();
        try {
            requireExisting();
            for (Long uid : new ArrayList<>(view.keySet())) {
                MemoryMessage current = folder.messages.get(uid);
                if ((among == null || among.contains(uid)) && current != null
                        && current.flags().contains(Flag.DELETED)) {
                    folder.remove(uid);
                    view.remove(uid);
                    expunged.add(uid);
                }
            }
        } finally {
            area.lock.unlock();
            if (!expunged.isEmpty()) {
                folder.changed();
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
        String canonical = MailboxNames.canonical(targetName);
        List<Long> sources = new ArrayList<>();
        List<Long> targets = new ArrayList<>();
        MemoryFolder target;
        area.lock.lock();
        try {
            target = area.existing(canonical);
            requireExisting();
            List<MemoryMessage> copies = new ArrayList<>();
            for (Long uid : new TreeSet<>(uids)) {
                if (!view.containsKey(uid)) {
                    continue;
                }
                MemoryMessage current = folder.messages.get(uid);
                if (current == null) {
                    throw new MailboxException(MailboxException.Reason.NONEXISTENT, "message " + uid
                            + " has been expunged");
                }
                sources.add(uid);
                copies.add(current);
            }
            Flags all = Flags.NONE;
            for (MemoryMessage message : copies) {
                all = all.plus(message.flags());
            }
            target.define(all);
            for (MemoryMessage message : copies) {
                MemoryMessage copy = message.copyAs(owner.store().nextId(), target.nextUid++, message.flags());
                target.put(copy);
                targets.add(copy.uid());
            }
            if (move) {
                for (Long uid : sources) {
                    folder.remove(uid);
                    view.remove(uid);
                }
            }
        } finally {
            area.lock.unlock();
        }
        if (!sources.isEmpty()) {
            target.changed();
            if (move && target != folder) {
                folder.changed();
            }
        }
        return new CopyResult(target.uidValidity, sources, targets);
    }

    @Override
    public MessageContent content(long uid) throws StoreException {
        if (!view.containsKey(uid)) {
            throw new MailboxException(MailboxException.Reason.NONEXISTENT, "no message with UID " + uid);
        }
        MemoryMessage current;
        area.lock.lock();
        try {
            current = folder.removed ? null : folder.messages.get(uid);
        } finally {
            area.lock.unlock();
        }
        if (current == null) {
            throw new MailboxException(MailboxException.Reason.NONEXISTENT, "message " + uid
                    + " has been expunged");
        }
        return MessageContent.ofBytes(current.content());
    }

    @Override
    public Watch watch(Runnable onChange) {
        Runnable cancel = folder.watch(onChange);
        watches.add(cancel);
        return cancel::run;
    }

    @Override
    public void close() {
        watches.forEach(Runnable::run);
        watches.clear();
    }

    /** Under the lock. */
    private void requireExisting() throws MailboxException {
        if (folder.removed) {
            throw new MailboxException(MailboxException.Reason.NONEXISTENT, "mailbox " + name + " does not exist");
        }
    }

    private void requireWritable() throws MailboxException {
        if (readOnly) {
            throw new MailboxException(MailboxException.Reason.NOT_PERMITTED,
                    "mailbox " + name + " is open read-only");
        }
    }
}
