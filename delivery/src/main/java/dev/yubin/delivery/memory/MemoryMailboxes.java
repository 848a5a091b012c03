package dev.yubin.delivery.memory;

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
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * A user's mailboxes in a {@link MemoryStore}, with the Maildir store's rules: delimiter {@code .}, parents that
 * exist only as a level of a child's name list as {@code \Noselect}, top-level {@code Sent Drafts Trash Junk}
 * carry their special-use attributes, subscriptions are names kept whether the mailboxes exist or not.
 *
 * <p>Thread-safe: it keeps no state of its own; every call takes the mail location's lock.
 */
final class MemoryMailboxes implements UserMailboxes {
    private static final Map<String, MailboxAttribute> SPECIAL_USE = Map.of("Sent", MailboxAttribute.SENT,
            "Drafts", MailboxAttribute.DRAFTS, "Trash", MailboxAttribute.TRASH, "Junk", MailboxAttribute.JUNK);
    private static final List<String> SPECIAL_USE_ORDER = List.of("Drafts", "Sent", "Trash", "Junk");

    private final MemoryStore store;
    private final String location;

    MemoryMailboxes(MemoryStore store, String location) {
        this.store = store;
        this.location = location;
        store.area(location);
    }

    /** Looked up at every call, so that this object outlives {@link MemoryStore#clear()}. */
    MailArea area() {
        return store.area(location);
    }

    MemoryStore store() {
        return store;
    }

    @Override
    public char delimiter() {
        return MailboxNames.DELIMITER;
    }

    @Override
    public List<MailboxInfo> list() {
        MailArea area = area();
        TreeMap<String, Boolean> names = new TreeMap<>(); // name -> selectable
        Set<String> subscribed;
        area.lock.lock();
        try {
            subscribed = Set.copyOf(area.subscriptions);
            for (String name : area.folders.keySet()) {
                names.put(name, true);
                for (int dot = name.indexOf(MailboxNames.DELIMITER); dot > 0;
                        dot = name.indexOf(MailboxNames.DELIMITER, dot + 1)) {
                    names.putIfAbsent(name.substring(0, dot), false);
                }
            }
        } finally {
            area.lock.unlock();
        }
        names.remove(MailboxNames.INBOX);
        List<MailboxInfo> out = new ArrayList<>(names.size() + 1);
        out.add(info(MailboxNames.INBOX, true, names, subscribed));
        for (Map.Entry<String, Boolean> entry : names.entrySet()) {
            out.add(info(entry.getKey(), entry.getValue(), names, subscribed));
        }
        return out;
    }

    private static MailboxInfo info(String name, boolean selectable, TreeMap<String, Boolean> all,
            Set<String> subscribed) {
        Set<MailboxAttribute> attributes = EnumSet.noneOf(MailboxAttribute.class);
        if (!selectable) {
            attributes.add(MailboxAttribute.NOSELECT);
        }
        String prefix = name + MailboxNames.DELIMITER;
        String next = all.ceilingKey(prefix);
        attributes.add(next != null && next.startsWith(prefix) ? MailboxAttribute.HAS_CHILDREN
                : MailboxAttribute.HAS_NO_CHILDREN);
        MailboxAttribute special = SPECIAL_USE.get(name);
        if (special != null && selectable) {
            attributes.add(special);
        }
        return new MailboxInfo(name, attributes, subscribed.contains(name));
    }

    @Override
    public void create(String name) throws StoreException {
        String given = name != null && name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
        String canonical = MailboxNames.canonical(given);
        MailArea area = area();
        area.lock.lock();
        try {
            if (area.folders.containsKey(canonical)) {
                throw exists(canonical);
            }
            area.folders.put(canonical, new MemoryFolder());
        } finally {
            area.lock.unlock();
        }
    }

    private static MailboxException exists(String canonical) {
        return new MailboxException(MailboxException.Reason.ALREADY_EXISTS, "mailbox " + canonical
                + " already exists");
    }

    @Override
    public void delete(String name) throws StoreException {
        String canonical = MailboxNames.canonical(name);
        if (MailboxNames.isInbox(canonical)) {
            throw new MailboxException(MailboxException.Reason.NOT_PERMITTED, "INBOX cannot be deleted");
        }
        MailArea area = area();
        MemoryFolder gone;
        area.lock.lock();
        try {
            gone = area.folders.remove(canonical);
            if (gone == null) {
                boolean parent = area.folders.keySet().stream().anyMatch(n -> MailboxNames.isBelow(n, canonical));
                throw parent ? new MailboxException(MailboxException.Reason.NOT_PERMITTED, "mailbox " + canonical
                        + " has children and holds no messages of its own")
                        : new MailboxException(MailboxException.Reason.NONEXISTENT, "mailbox " + canonical
                        + " does not exist");
            }
            gone.removed = true;
        } finally {
            area.lock.unlock();
        }
        gone.changed();
    }

    @Override
    public void rename(String from, String to) throws StoreException {
        String source = MailboxNames.canonical(from);
        String target = MailboxNames.canonical(to);
        MailArea area = area();
        List<MemoryFolder> moved = new ArrayList<>();
        area.lock.lock();
        try {
            if (MailboxNames.isInbox(target) || area.folders.containsKey(target)) {
                throw exists(target);
            }
            if (MailboxNames.isInbox(source)) {
                renameInbox(area, target);
                moved.add(area.inbox());
                return;
            }
            if (MailboxNames.isBelow(target, source)) {
                throw new MailboxException(MailboxException.Reason.NOT_PERMITTED, "cannot rename " + source
                        + " into its own child " + target);
            }
            if (!area.folders.containsKey(source)) {
                throw new MailboxException(MailboxException.Reason.NONEXISTENT, "mailbox " + source
                        + " does not exist");
            }
            Map<String, String> renames = new TreeMap<>();
            for (String name : area.folders.keySet()) {
                if (name.equals(source) || MailboxNames.isBelow(name, source)) {
                    String renamed = MailboxNames.canonical(target + name.substring(source.length()));
                    if (area.folders.containsKey(renamed)) {
                        throw exists(renamed);
                    }
                    renames.put(name, renamed);
                }
            }
            Map<String, MemoryFolder> taken = new TreeMap<>();
            renames.keySet().forEach(name -> taken.put(name, area.folders.remove(name)));
            renames.forEach((name, renamed) -> area.folders.put(renamed, taken.get(name)));
            moved.addAll(taken.values());
        } finally {
            area.lock.unlock();
            moved.forEach(MemoryFolder::changed);
        }
    }

    /** RFC 3501 §6.3.5: INBOX's messages move to a new mailbox, new in it; INBOX stays, empty, with its UIDs. */
    private void renameInbox(MailArea area, String target) {
        MemoryFolder inbox = area.inbox();
        MemoryFolder destination = new MemoryFolder();
        destination.keywords.addAll(inbox.keywords);
        for (MemoryMessage message : inbox.messages.values()) {
            destination.put(message.copyAs(message.id(), destination.nextUid++, message.flags()));
        }
        inbox.messages.clear();
        inbox.uidsById.clear();
        area.folders.put(target, destination);
    }

    @Override
    public void subscribe(String name) throws StoreException {
        String canonical = MailboxNames.canonical(name);
        MailArea area = area();
        area.lock.lock();
        try {
            area.subscriptions.add(canonical);
        } finally {
            area.lock.unlock();
        }
    }

    @Override
    public void unsubscribe(String name) throws StoreException {
        String canonical = MailboxNames.canonical(name);
        MailArea area = area();
        area.lock.lock();
        try {
            area.subscriptions.remove(canonical);
        } finally {
            area.lock.unlock();
        }
    }

    @Override
    public Set<String> subscriptions() {
        MailArea area = area();
        area.lock.lock();
        try {
            return Collections.unmodifiableSet(new LinkedHashSet<>(area.subscriptions));
        } finally {
            area.lock.unlock();
        }
    }

    @Override
    public void ensureSpecialUse() throws StoreException {
        MailArea area = area();
        area.lock.lock();
        try {
            for (String name : SPECIAL_USE_ORDER) {
                if (area.folders.putIfAbsent(name, new MemoryFolder()) == null) {
                    area.subscriptions.add(name);
                }
            }
        } finally {
            area.lock.unlock();
        }
    }

    @Override
    public MailboxStatus status(String name) throws StoreException {
        String canonical = MailboxNames.canonical(name);
        MailArea area = area();
        area.lock.lock();
        try {
            MemoryFolder folder = area.existing(canonical);
            long recent = folder.messages.tailMap(folder.firstRecentUid).size();
            long unseen = folder.messages.values().stream().filter(m -> !m.flags().contains(Flag.SEEN)).count();
            return new MailboxStatus(folder.messages.size(), recent, unseen, folder.nextUid, folder.uidValidity);
        } finally {
            area.lock.unlock();
        }
    }

    @Override
    public Mailbox open(String name, boolean readOnly) throws StoreException {
        String canonical = MailboxNames.canonical(name);
        MailArea area = area();
        MemoryFolder folder;
        area.lock.lock();
        try {
            folder = area.existing(canonical);
        } finally {
            area.lock.unlock();
        }
        return MemoryMailbox.open(this, area, folder, canonical, readOnly);
    }

    @Override
    public AppendResult append(String name, MessageContent content, Flags flags, Instant internalDate)
            throws StoreException {
        Objects.requireNonNull(content, "content");
        Objects.requireNonNull(flags, "flags");
        Objects.requireNonNull(internalDate, "internalDate");
        String canonical = MailboxNames.canonical(name);
        MailArea area = area();
        area.lock.lock();
        try {
            area.existing(canonical); // before reading the content, as the Maildir store checks first
        } finally {
            area.lock.unlock();
        }
        byte[] bytes;
        try (InputStream in = content.openStream()) {
            bytes = crlfToLf(in);
        } catch (IOException e) {
            throw new StoreException("append to mailbox " + canonical + ": " + e.getMessage(), true, e);
        }
        MemoryFolder folder;
        MemoryMessage added;
        area.lock.lock();
        try {
            folder = area.existing(canonical);
            folder.define(flags);
            added = folder.add(store.nextId(), bytes, MemoryMessage.wireSize(bytes), internalDate, flags);
        } finally {
            area.lock.unlock();
        }
        folder.changed();
        return new AppendResult(folder.uidValidity, added.uid());
    }

    /** The stream's bytes with CRLF as LF (IMAP APPEND sends CRLF; stored mail has LF); a lone CR stays. */
    static byte[] crlfToLf(InputStream in) throws IOException {
        byte[] wire = in.readAllBytes();
        ByteArrayOutputStream out = new ByteArrayOutputStream(wire.length);
        for (int i = 0; i < wire.length; i++) {
            if (wire[i] != '\r' || i + 1 >= wire.length || wire[i + 1] != '\n') {
                out.write(wire[i]);
            }
        }
        return out.toByteArray();
    }
}
