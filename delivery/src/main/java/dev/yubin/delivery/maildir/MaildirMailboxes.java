package dev.yubin.delivery.maildir;

import dev.yubin.core.message.MessageContent;
import dev.yubin.core.store.AppendResult;
import dev.yubin.core.store.Flags;
import dev.yubin.core.store.Mailbox;
import dev.yubin.core.store.MailboxAttribute;
import dev.yubin.core.store.MailboxException;
import dev.yubin.core.store.MailboxInfo;
import dev.yubin.core.store.MailboxStatus;
import dev.yubin.core.store.StoreException;
import dev.yubin.core.store.UserMailboxes;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * A user's Maildir++ mailboxes, as Dovecot lays them out: INBOX is the Maildir root, {@code a.b} is the folder
 * {@code <root>/.a.b/} with {@code cur/ new/ tmp/} and an empty {@code maildirfolder} file. Parents need no
 * directory: {@code a} lists as {@code \Noselect} while only {@code .a.b} exists. Subscriptions are the file
 * {@code <root>/subscriptions}, one name per line (Dovecot reads this format and its own {@code V 2} format,
 * which this class reads too). Top-level {@code Sent Drafts Trash Junk} carry their special-use attributes.
 *
 * <p>Thread-safe: it keeps no state of its own; folder changes take the folder's lock.
 */
final class MaildirMailboxes implements UserMailboxes {
    static final String SUBSCRIPTIONS = "subscriptions";
    static final String MAILDIRFOLDER = "maildirfolder";
    private static final Map<String, MailboxAttribute> SPECIAL_USE = Map.of("Sent", MailboxAttribute.SENT,
            "Drafts", MailboxAttribute.DRAFTS, "Trash", MailboxAttribute.TRASH, "Junk", MailboxAttribute.JUNK);
    private static final List<String> SPECIAL_USE_ORDER = List.of("Drafts", "Sent", "Trash", "Junk");

    private final Path root;
    private final MaildirContext context;

    MaildirMailboxes(Path root, MaildirContext context) throws StoreException {
        this.root = root;
        this.context = context;
        try {
            ensureLayout(root, false);
        } catch (IOException e) {
            throw new StoreException("create maildir " + root + ": " + MaildirStore.reason(e),
                    !(e instanceof NotDirectoryException), e);
        }
    }

    @Override
    public char delimiter() {
        return FolderNames.DELIMITER;
    }

    private Path directory(String canonical) {
        return FolderNames.isInbox(canonical) ? root : root.resolve(FolderNames.directoryName(canonical));
    }

    /** The folder of an existing mailbox; repairs a missing {@code cur/ new/ tmp/}. */
    MaildirFolder existing(String name) throws StoreException {
        String canonical = FolderNames.canonical(name);
        Path dir = directory(canonical);
        if (!Files.isDirectory(dir)) {
            throw new MailboxException(MailboxException.Reason.NONEXISTENT, "mailbox " + canonical
                    + " does not exist");
        }
        try {
            ensureLayout(dir, !FolderNames.isInbox(canonical));
        } catch (IOException e) {
            throw new StoreException("open mailbox " + canonical + ": " + MaildirStore.reason(e), true, e);
        }
        return new MaildirFolder(dir, canonical, context);
    }

    private void ensureLayout(Path dir, boolean folder) throws IOException {
        if (!Files.isDirectory(dir)) {
            try {
                Files.createDirectories(dir, context.dirAttributes());
            } catch (FileAlreadyExistsException e) {
                throw new NotDirectoryException(dir.toString());
            }
        }
        boolean made = false;
        for (String sub : List.of(MaildirFolder.CUR, MaildirFolder.NEW, MaildirFolder.TMP)) {
            try {
                Files.createDirectory(dir.resolve(sub), context.dirAttributes());
                made = true;
            } catch (FileAlreadyExistsException e) {
                if (!Files.isDirectory(dir.resolve(sub))) {
                    throw new NotDirectoryException(dir.resolve(sub).toString());
                }
            }
        }
        if (folder) {
            try {
                Files.createFile(dir.resolve(MAILDIRFOLDER), context.fileAttributes());
                made = true;
            } catch (FileAlreadyExistsException e) {
                // there already
            }
        }
        if (made && context.fsync()) {
            MaildirStore.syncDirectory(dir);
            MaildirStore.syncDirectory(dir.getParent());
        }
    }

    @Override
    public List<MailboxInfo> list() throws StoreException {
        Set<String> subscribed = subscriptions();
        TreeMap<String, Boolean> names = new TreeMap<>(); // name -> selectable
        for (String name : folderNames()) {
            names.put(name, true);
            for (int dot = name.indexOf('.'); dot > 0; dot = name.indexOf('.', dot + 1)) {
                names.putIfAbsent(name.substring(0, dot), false);
            }
        }
        names.remove(FolderNames.INBOX);
        List<MailboxInfo> out = new ArrayList<>(names.size() + 1);
        out.add(info(FolderNames.INBOX, true, names, subscribed));
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
        String prefix = name + FolderNames.DELIMITER;
        String next = all.ceilingKey(prefix);
        attributes.add(next != null && next.startsWith(prefix) ? MailboxAttribute.HAS_CHILDREN
                : MailboxAttribute.HAS_NO_CHILDREN);
        MailboxAttribute special = SPECIAL_USE.get(name);
        if (special != null && selectable) {
            attributes.add(special);
        }
        return new MailboxInfo(name, attributes, subscribed.contains(name));
    }

    /** The names of the folder directories (canonical; children of INBOX included). */
    private List<String> folderNames() throws StoreException {
        List<String> out = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(root, ".*")) {
            for (Path entry : entries) {
                var name = FolderNames.fromDirectoryName(entry.getFileName().toString());
                if (name.isPresent() && Files.isDirectory(entry)) {
                    out.add(FolderNames.canonical(name.get()));
                }
            }
        } catch (IOException e) {
            throw new StoreException("list " + root + ": " + MaildirStore.reason(e), true, e);
        }
        return out;
    }

    @Override
    public void create(String name) throws StoreException {
        String given = name != null && name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
        String canonical = FolderNames.canonical(given);
        Path dir = directory(canonical);
        if (FolderNames.isInbox(canonical)) {
            throw exists(canonical);
        }
        try {
            Files.createDirectory(dir, context.dirAttributes());
        } catch (FileAlreadyExistsException e) {
            throw exists(canonical);
        } catch (IOException e) {
            throw new StoreException("create mailbox " + canonical + ": " + MaildirStore.reason(e), true, e);
        }
        try {
            ensureLayout(dir, true);
        } catch (IOException e) {
            throw new StoreException("create mailbox " + canonical + ": " + MaildirStore.reason(e), true, e);
        }
    }

    private static MailboxException exists(String canonical) {
        return new MailboxException(MailboxException.Reason.ALREADY_EXISTS, "mailbox " + canonical
                + " already exists");
    }

    @Override
    public void delete(String name) throws StoreException {
        String canonical = FolderNames.canonical(name);
        if (FolderNames.isInbox(canonical)) {
            throw new MailboxException(MailboxException.Reason.NOT_PERMITTED, "INBOX cannot be deleted");
        }
        Path dir = directory(canonical);
        if (!Files.isDirectory(dir)) {
            boolean parent = folderNames().stream().anyMatch(n -> n.startsWith(canonical + "."));
            throw parent ? new MailboxException(MailboxException.Reason.NOT_PERMITTED, "mailbox " + canonical
                    + " has children and holds no messages of its own")
                    : new MailboxException(MailboxException.Reason.NONEXISTENT, "mailbox " + canonical
                    + " does not exist");
        }
        // rename first, so that the mailbox disappears at once and a crash leaves nothing half-deleted in the list
        Path trash = root.resolve(MaildirFolder.TMP).resolve(".deleted." + context.names().next());
        try {
            Files.move(dir, trash, StandardCopyOption.ATOMIC_MOVE);
            if (context.fsync()) {
                MaildirStore.syncDirectory(root);
            }
        } catch (NoSuchFileException e) {
            throw new MailboxException(MailboxException.Reason.NONEXISTENT, "mailbox " + canonical
                    + " does not exist");
        } catch (IOException e) {
            throw new StoreException("delete mailbox " + canonical + ": " + MaildirStore.reason(e), true, e);
        }
        context.folders().changed(dir);
        try (Stream<Path> tree = Files.walk(trash)) {
            for (Path path : (Iterable<Path>) tree.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            // the mailbox is gone from the list already; the leftovers sit in tmp/ for a cleaner
        }
    }

    @Override
    public void rename(String from, String to) throws StoreException {
        String source = FolderNames.canonical(from);
        String target = FolderNames.canonical(to);
        if (FolderNames.isInbox(target) || Files.exists(directory(target))) {
            throw exists(target);
        }
        if (FolderNames.isInbox(source)) {
            renameInbox(target);
            return;
        }
        if (target.startsWith(source + ".")) {
            throw new MailboxException(MailboxException.Reason.NOT_PERMITTED, "cannot rename " + source
                    + " into its own child " + target);
        }
        if (!Files.isDirectory(directory(source))) {
            throw new MailboxException(MailboxException.Reason.NONEXISTENT, "mailbox " + source
                    + " does not exist");
        }
        List<String> moving = new ArrayList<>();
        for (String name : folderNames()) {
            if (name.equals(source) || name.startsWith(source + ".")) {
                String renamed = target + name.substring(source.length());
                FolderNames.canonical(renamed); // the new name must be valid (and short enough) too
                if (Files.exists(directory(renamed))) {
                    throw exists(renamed);
                }
                moving.add(name);
            }
        }
        try {
            for (String name : moving) {
                String renamed = target + name.substring(source.length());
                Files.move(directory(name), directory(renamed), StandardCopyOption.ATOMIC_MOVE);
                context.folders().changed(directory(name));
            }
            if (context.fsync()) {
                MaildirStore.syncDirectory(root);
            }
        } catch (IOException e) {
            throw new StoreException("rename mailbox " + source + ": " + MaildirStore.reason(e), true, e);
        }
    }

    /** RFC 3501 §6.3.5: INBOX's messages move to a new mailbox; INBOX stays, empty, and keeps its children. */
    private void renameInbox(String target) throws StoreException {
        create(target);
        MaildirFolder inbox = existing(FolderNames.INBOX);
        MaildirFolder destination = existing(target);
        try (SharedFolders.Held held = inbox.lock(); SharedFolders.Held other = destination.lock()) {
            for (MaildirFolder.FileRef file : inbox.scan().values()) {
                Files.move(file.path(inbox.dir), file.path(destination.dir), StandardCopyOption.ATOMIC_MOVE);
            }
            if (context.fsync()) {
                for (String sub : List.of(MaildirFolder.NEW, MaildirFolder.CUR)) {
                    MaildirStore.syncDirectory(destination.dir.resolve(sub));
                    MaildirStore.syncDirectory(inbox.dir.resolve(sub));
                }
            }
            // the new mailbox gives UIDs in arrival order; its keyword letters must mean what they meant in INBOX
            Path keywords = inbox.dir.resolve(Keywords.FILE);
            if (Files.exists(keywords)) {
                AtomicFiles.replace(destination.dir.resolve(Keywords.FILE), Files.readAllBytes(keywords),
                        context.fsync(), context.fileAttributes());
            }
            destination.sync(false);
            inbox.sync(false);
        } catch (IOException e) {
            throw new StoreException("rename INBOX to " + target + ": " + MaildirStore.reason(e), true, e);
        } finally {
            inbox.shared.changed();
        }
    }

    @Override
    public void subscribe(String name) throws StoreException {
        String canonical = FolderNames.canonical(name);
        changeSubscriptions(names -> names.add(canonical));
    }

    @Override
    public void unsubscribe(String name) throws StoreException {
        String canonical = FolderNames.canonical(name);
        changeSubscriptions(names -> names.remove(canonical));
    }

    private interface Change {
        boolean apply(Set<String> names);
    }

    private void changeSubscriptions(Change change) throws StoreException {
        MaildirFolder inbox = existing(FolderNames.INBOX);
        try (SharedFolders.Held held = inbox.lock()) {
            Set<String> names = readSubscriptions();
            if (change.apply(names)) {
                StringBuilder out = new StringBuilder();
                for (String name : names) {
                    out.append(name).append('\n');
                }
                AtomicFiles.replace(root.resolve(SUBSCRIPTIONS), out.toString().getBytes(StandardCharsets.UTF_8),
                        context.fsync(), context.fileAttributes());
            }
        } catch (IOException e) {
            throw new StoreException("write " + root.resolve(SUBSCRIPTIONS) + ": " + MaildirStore.reason(e), true,
                    e);
        }
    }

    @Override
    public Set<String> subscriptions() throws StoreException {
        try {
            return readSubscriptions();
        } catch (IOException e) {
            throw new StoreException("read " + root.resolve(SUBSCRIPTIONS) + ": " + MaildirStore.reason(e), true,
                    e);
        }
    }

    private Set<String> readSubscriptions() throws IOException {
        List<String> lines;
        try {
            lines = Files.readAllLines(root.resolve(SUBSCRIPTIONS), StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return new LinkedHashSet<>();
        }
        boolean version2 = !lines.isEmpty() && lines.get(0).startsWith("V\t");
        Set<String> names = new LinkedHashSet<>();
        for (String line : version2 ? lines.subList(1, lines.size()) : lines) {
            String name = version2 ? line.replace('\t', FolderNames.DELIMITER) : line;
            if (!name.isEmpty()) {
                try {
                    names.add(FolderNames.canonical(name));
                } catch (MailboxException e) {
                    // not a name we could serve: leave it out
                }
            }
        }
        return names;
    }

    @Override
    public void ensureSpecialUse() throws StoreException {
        for (String name : SPECIAL_USE_ORDER) {
            if (!Files.isDirectory(directory(name))) {
                try {
                    create(name);
                } catch (MailboxException e) {
                    if (e.reason() != MailboxException.Reason.ALREADY_EXISTS) {
                        throw e;
                    }
                }
                subscribe(name);
            }
        }
    }

    @Override
    public MailboxStatus status(String name) throws StoreException {
        MaildirFolder folder = existing(name);
        MaildirFolder.State state;
        try (SharedFolders.Held held = folder.lock()) {
            state = folder.sync(false);
        }
        long recent = 0;
        long unseen = 0;
        for (MaildirFolder.Listed listed : state.messages().values()) {
            if (listed.recent()) {
                recent++;
            }
            if (!listed.file().name().hasFlag('S')) {
                unseen++;
            }
        }
        return new MailboxStatus(state.messages().size(), recent, unseen, state.uids().nextUid(),
                state.uids().uidValidity());
    }

    @Override
    public Mailbox open(String name, boolean readOnly) throws StoreException {
        return MaildirMailbox.open(existing(name), readOnly, this);
    }

    @Override
    public AppendResult append(String name, MessageContent content, Flags flags, Instant internalDate)
            throws StoreException {
        Objects.requireNonNull(content, "content");
        Objects.requireNonNull(flags, "flags");
        Objects.requireNonNull(internalDate, "internalDate");
        MaildirFolder folder = existing(name);
        Path tmp = folder.dir.resolve(MaildirFolder.TMP).resolve(context.names().next());
        try {
            long size;
            long wireSize;
            try (FileChannel channel = FileChannel.open(tmp, Set.of(StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE, StandardOpenOption.READ), context.fileAttributes())) {
                try (InputStream in = content.openStream()) {
                    size = LineEnds.copyAsLf(in, channel);
                }
                wireSize = size + LineFeeds.count(channel, size);
                if (context.fsync()) {
                    channel.force(true);
                }
            }
            Files.setLastModifiedTime(tmp, FileTime.from(internalDate));
            MaildirFolder.Added added = folder.add(List.of(new MaildirFolder.Incoming(tmp, size, wireSize, flags)));
            return new AppendResult(added.uidValidity(), added.uids().get(0));
        } catch (IOException e) {
            throw folder.failure("append to", e);
        } finally {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // a leftover in tmp/ is harmless
            }
        }
    }

}
