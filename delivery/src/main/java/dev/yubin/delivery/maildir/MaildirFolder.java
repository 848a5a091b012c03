package dev.yubin.delivery.maildir;

import dev.yubin.core.store.Flag;
import dev.yubin.core.store.Flags;
import dev.yubin.core.store.MailboxException;
import dev.yubin.core.store.StoreException;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * One Maildir folder on disk and the steps done under its lock: list {@code new/} and {@code cur/}, claim
 * {@code new/} (move to {@code cur/}, the Maildir way of saying "seen by a client": {@code \Recent}), give UIDs to
 * files that have none, in the order of their base names (which is the order of arrival), and translate the info
 * letters to flags.
 *
 * <table>
 *   <caption>Info letters ({@code :2,})</caption>
 *   <tr><th>Letter</th><th>Flag</th></tr>
 *   <tr><td>{@code S R F T D}</td><td>{@code \Seen \Answered \Flagged \Deleted \Draft}</td></tr>
 *   <tr><td>{@code a}–{@code z}</td><td>keywords, through {@link Keywords}</td></tr>
 *   <tr><td>other capitals ({@code P}…)</td><td>kept as they are</td></tr>
 * </table>
 *
 * <p>Thread-safe as far as its lock goes: callers hold {@link #lock()} around {@link #sync}.
 */
final class MaildirFolder {
    static final String NEW = "new";
    static final String CUR = "cur";
    static final String TMP = "tmp";
    private static final String SYSTEM_LETTERS = "DFRST";

    final Path dir;
    final String name;
    final MaildirContext context;
    final SharedFolders.Folder shared;

    MaildirFolder(Path dir, String name, MaildirContext context) {
        this.dir = dir;
        this.name = name;
        this.context = context;
        this.shared = context.folders().get(dir);
    }

    /** A message file: the subdirectory ({@code new} or {@code cur}) and its name. */
    record FileRef(String sub, MaildirName name) {
        Path path(Path dir) {
            return dir.resolve(sub).resolve(name.fileName());
        }
    }

    /**
     * A message with its UID; {@code recent} when no read-write session had it as {@code \Recent} before this
     * sync (its UID is at least the folder's first recent UID).
     */
    record Listed(long uid, FileRef file, boolean recent) {
    }

    /** The folder after a sync. */
    record State(UidList uids, Keywords keywords, TreeMap<Long, Listed> messages) {
    }

    SharedFolders.Held lock() throws StoreException {
        try {
            return shared.lock();
        } catch (NoSuchFileException e) {
            throw new MailboxException(MailboxException.Reason.NONEXISTENT, "mailbox " + name + " does not exist");
        } catch (IOException e) {
            throw failure("lock", e);
        }
    }

    /** Under the lock: lists the files, claims {@code new/} if asked, assigns UIDs and saves the UID list. */
    State sync(boolean claim) throws StoreException {
        try {
            UidList uids = UidList.load(dir);
            Keywords keywords = Keywords.load(dir);
            Map<String, FileRef> files = scan();
            Set<String> claimed = new java.util.HashSet<>();
            if (claim) {
                for (Map.Entry<String, FileRef> entry : files.entrySet()) {
                    FileRef file = entry.getValue();
                    if (file.sub().equals(NEW)) {
                        Optional<FileRef> moved = claim(file);
                        if (moved.isPresent()) {
                            entry.setValue(moved.get());
                            claimed.add(entry.getKey());
                        }
                    }
                }
            }
            for (String base : uids.bases()) {
                if (!files.containsKey(base)) {
                    // readdir may miss a file that a foreign client renames meanwhile: look once more before
                    // forgetting a UID, since a forgotten UID would come back as a new message
                    locate(base).ifPresent(ref -> files.put(base, ref));
                }
            }
            uids.retainAll(files.keySet());
            // only files without a UID need the order of arrival; sorting every name on every sync was the cost
            List<String> unnumbered = new ArrayList<>();
            for (String base : files.keySet()) {
                if (uids.uid(base) == null) {
                    unnumbered.add(base);
                }
            }
            unnumbered.sort(MaildirName.ARRIVAL_ORDER);
            for (String base : unnumbered) {
                uids.assign(base);
            }
            if (uids.firstRecentUnknown()) {
                // a version 1 list: what was in new/ before this sync is recent, as that version had it
                long first = uids.nextUid();
                for (Map.Entry<String, FileRef> entry : files.entrySet()) {
                    if (claimed.contains(entry.getKey()) || NEW.equals(entry.getValue().sub())) {
                        first = Math.min(first, uids.uid(entry.getKey()));
                    }
                }
                uids.firstRecentUid(first);
            }
            long firstRecent = uids.firstRecentUid();
            TreeMap<Long, Listed> messages = new TreeMap<>();
            for (Map.Entry<String, FileRef> entry : files.entrySet()) {
                long uid = uids.uid(entry.getKey());
                messages.put(uid, new Listed(uid, entry.getValue(), uid >= firstRecent));
            }
            if (claim) {
                uids.firstRecentUid(uids.nextUid()); // this session has them as \Recent; no other will
            }
            uids.saveIfChanged(dir, context.fsync(), context.fileAttributes());
            // claims (new/ to cur/) are not fsynced: after a crash a message is in one or the other, never lost
            return new State(uids, keywords, messages);
        } catch (NoSuchFileException e) {
            throw new MailboxException(MailboxException.Reason.NONEXISTENT, "mailbox " + name + " does not exist");
        } catch (IOException e) {
            throw failure("sync", e);
        }
    }

    /** Moves a file from {@code new/} to {@code cur/} with an empty info part; empty if someone else did. */
    private Optional<FileRef> claim(FileRef file) throws IOException {
        FileRef target = new FileRef(CUR, file.name().withFlags(file.name().flags().orElse("")));
        try {
            Files.move(file.path(dir), target.path(dir), StandardCopyOption.ATOMIC_MOVE);
            return Optional.of(target);
        } catch (NoSuchFileException e) {
            return locate(file.name().base()); // claimed by another process meanwhile
        }
    }

    /**
     * The message files by base name; a file in both {@code new/} and {@code cur/} counts as in cur. Names seen at
     * the last listing are not parsed again (a flag change renames the file, so a name never changes meaning).
     * Under the folder's lock.
     */
    Map<String, FileRef> scan() throws IOException {
        Map<String, FileRef> files = new HashMap<>();
        for (String sub : List.of(NEW, CUR)) {
            Map<String, FileRef> previous = shared.listing(sub);
            Map<String, FileRef> seen = new HashMap<>(Math.max(16, previous.size() * 2));
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir.resolve(sub))) {
                for (Path entry : entries) {
                    String fileName = entry.getFileName().toString();
                    FileRef ref = previous.get(fileName);
                    if (ref == null) {
                        if (fileName.startsWith(".") || fileName.indexOf('\n') >= 0 || fileName.indexOf('\r') >= 0) {
                            continue;
                        }
                        Optional<MaildirName> parsed = MaildirName.parse(fileName);
                        if (parsed.isEmpty()) {
                            continue;
                        }
                        ref = new FileRef(sub, parsed.get());
                    }
                    seen.put(fileName, ref);
                    files.put(ref.name().base(), ref);
                }
            }
            shared.listing(sub, seen);
        }
        return files;
    }

    /** Where the message with {@code base} is now, looking in {@code cur/} then {@code new/}. */
    Optional<FileRef> locate(String base) throws IOException {
        for (String sub : List.of(CUR, NEW)) {
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir.resolve(sub), globEscape(base) + "*")) {
                for (Path entry : entries) {
                    Optional<MaildirName> parsed = MaildirName.parse(entry.getFileName().toString());
                    if (parsed.isPresent() && parsed.get().base().equals(base)) {
                        return Optional.of(new FileRef(sub, parsed.get()));
                    }
                }
            } catch (NoSuchFileException e) {
                // no such subdirectory
            }
        }
        return Optional.empty();
    }

    /** The file of {@code hint} if it is still there, else wherever its base name is now. */
    Optional<FileRef> locate(FileRef hint) throws IOException {
        if (Files.exists(hint.path(dir))) {
            return Optional.of(hint);
        }
        return locate(hint.name().base());
    }

    private static String globEscape(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if ("*?[]{}\\".indexOf(c) >= 0) {
                out.append('\\');
            }
            out.append(c);
        }
        return out.toString();
    }

    static Flags flags(MaildirName name, Keywords keywords) {
        String letters = name.flags().orElse("");
        Set<Flag> system = EnumSet.noneOf(Flag.class);
        Set<String> words = new TreeSet<>();
        for (int i = 0; i < letters.length(); i++) {
            char c = letters.charAt(i);
            switch (c) {
                case 'S': system.add(Flag.SEEN); break;
                case 'R': system.add(Flag.ANSWERED); break;
                case 'F': system.add(Flag.FLAGGED); break;
                case 'T': system.add(Flag.DELETED); break;
                case 'D': system.add(Flag.DRAFT); break;
                default:
                    String keyword = keywords.name(c);
                    if (keyword != null) {
                        words.add(keyword);
                    }
            }
        }
        return new Flags(system, words);
    }

    /**
     * The info letters for {@code flags}, keeping letters of {@code old} that are no IMAP flag (e.g. {@code P});
     * defines new keywords in {@code keywords} (the caller saves them).
     */
    static String letters(Flags flags, String old, Keywords keywords) throws MailboxException {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < old.length(); i++) {
            char c = old.charAt(i);
            if (c >= 'A' && c <= 'Z' && SYSTEM_LETTERS.indexOf(c) < 0) {
                out.append(c);
            } else if (c >= 'a' && c <= 'z' && keywords.name(c) == null) {
                out.append(c); // a letter whose keyword is unknown here: keep it
            }
        }
        if (flags.contains(Flag.DRAFT)) {
            out.append('D');
        }
        if (flags.contains(Flag.FLAGGED)) {
            out.append('F');
        }
        if (flags.contains(Flag.ANSWERED)) {
            out.append('R');
        }
        if (flags.contains(Flag.SEEN)) {
            out.append('S');
        }
        if (flags.contains(Flag.DELETED)) {
            out.append('T');
        }
        for (String keyword : flags.keywords()) {
            int letter = keywords.define(keyword);
            if (letter < 0) {
                throw new MailboxException(MailboxException.Reason.NOT_PERMITTED,
                        "no room for keyword " + keyword + ": a Maildir folder holds at most 26 keywords");
            }
            out.append((char) letter);
        }
        return out.toString();
    }

    /**
     * Places a message file that is already durable into {@code cur/} of this folder with {@code letters}, under a
     * new unique base name: a hard link (a copy where links are impossible). Returns the new file.
     */
    FileRef linkIn(Path source, long size, long wireSize, String letters) throws IOException {
        for (int attempt = 1; ; attempt++) {
            MaildirName target = MaildirName.of(context.names().next(), size, wireSize).withFlags(letters);
            FileRef ref = new FileRef(CUR, target);
            try {
                try {
                    Files.createLink(ref.path(dir), source);
                } catch (UnsupportedOperationException | java.nio.file.FileSystemException e) {
                    if (e instanceof FileAlreadyExistsException || e instanceof NoSuchFileException) {
                        throw e;
                    }
                    copyDurably(source, ref.path(dir));
                }
                return ref;
            } catch (FileAlreadyExistsException e) {
                if (attempt >= 8) {
                    throw e;
                }
            }
        }
    }

    private void copyDurably(Path source, Path target) throws IOException {
        Path tmp = dir.resolve(TMP).resolve(context.names().next());
        try {
            Files.copy(source, tmp, StandardCopyOption.COPY_ATTRIBUTES);
            if (context.fsync()) {
                try (var channel = java.nio.channels.FileChannel.open(tmp, java.nio.file.StandardOpenOption.WRITE)) {
                    channel.force(true);
                }
            }
            if (Files.exists(target)) {
                throw new FileAlreadyExistsException(target.toString());
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Maps base names of {@code files} to listed messages, for lookups after a sync. */
    static Map<String, Listed> byBase(State state) {
        Map<String, Listed> out = new HashMap<>();
        for (Listed listed : state.messages().values()) {
            out.put(listed.file().name().base(), listed);
        }
        return out;
    }

    List<Path> paths(List<FileRef> refs) {
        List<Path> out = new ArrayList<>(refs.size());
        for (FileRef ref : refs) {
            out.add(ref.path(dir));
        }
        return out;
    }

    /** A message to add: a durable file, its sizes and the flags to give it. */
    record Incoming(Path source, long size, long wireSize, Flags flags) {
    }

    /**
     * Adds messages (APPEND, COPY, MOVE) under this folder's lock: defines their keywords, links them into
     * {@code cur/}, fsyncs it and gives them the next UIDs, saved before returning. On failure none is added.
     */
    Added add(List<Incoming> incoming) throws StoreException {
        List<Path> created = new ArrayList<>();
        try (SharedFolders.Held held = lock()) {
            // the UID list and keywords only, not a listing: an APPEND costs the same in a folder of any size, and
            // files delivered meanwhile get their UIDs (after these) at the next sync
            State state = new State(UidList.load(dir), Keywords.load(dir), new TreeMap<>());
            List<String> letters = new ArrayList<>();
            for (Incoming message : incoming) {
                letters.add(letters(message.flags(), "", state.keywords()));
            }
            state.keywords().saveIfChanged(dir, context.fsync(), context.fileAttributes());
            List<FileRef> refs = new ArrayList<>();
            for (int i = 0; i < incoming.size(); i++) {
                Incoming message = incoming.get(i);
                FileRef ref = linkIn(message.source(), message.size(), message.wireSize(), letters.get(i));
                created.add(ref.path(dir));
                refs.add(ref);
            }
            if (context.fsync() && !refs.isEmpty()) {
                MaildirStore.syncDirectory(dir.resolve(CUR));
            }
            List<Long> uids = new ArrayList<>();
            for (FileRef ref : refs) {
                uids.add(state.uids().assign(ref.name().base()));
            }
            state.uids().saveIfChanged(dir, context.fsync(), context.fileAttributes());
            created.clear();
            return new Added(state.uids().uidValidity(), uids);
        } catch (NoSuchFileException e) {
            throw new MailboxException(MailboxException.Reason.NONEXISTENT,
                    "a message to add is gone, or mailbox " + name + " was deleted");
        } catch (IOException e) {
            throw failure("add to", e);
        } finally {
            for (Path path : created) {
                try {
                    Files.deleteIfExists(path);
                } catch (IOException ignored) {
                    // best effort: the message was not acknowledged
                }
            }
            shared.changed();
        }
    }

    /** The UIDs {@link #add} gave, in order, and the folder's UIDVALIDITY. */
    record Added(long uidValidity, List<Long> uids) {
    }

    StoreException failure(String stage, IOException e) {
        return new StoreException(stage + " mailbox " + name + " (" + dir + "): " + MaildirStore.reason(e), true, e);
    }
}
