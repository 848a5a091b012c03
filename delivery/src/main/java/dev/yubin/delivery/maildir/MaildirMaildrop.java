package dev.yubin.delivery.maildir;

import dev.yubin.core.store.Maildrop;
import dev.yubin.core.store.StoreException;
import dev.yubin.core.store.StoredMessage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * A Maildir's {@code new/} and {@code cur/} as a {@link Maildrop}. The UID is the file's base name (before
 * {@code ,S=} and {@code :2,}), which stays when a reader moves the file to {@code cur/} or changes its flags; names
 * that cannot be UIDs (too long, odd characters) get the SHA-1 of the base name. Sizes come from {@code S=} and
 * {@code W=} when the name has them, otherwise from the file (its length and its line feeds). Messages are listed in
 * name order, which for Maildir names is the order of arrival.
 */
final class MaildirMaildrop implements Maildrop {
    private static final String NEW = "new";
    private static final String CUR = "cur";

    private final Path maildir;
    private final boolean fsync;
    private final List<StoredMessage> messages;

    private MaildirMaildrop(Path maildir, boolean fsync, List<StoredMessage> messages) {
        this.maildir = maildir;
        this.fsync = fsync;
        this.messages = List.copyOf(messages);
    }

    static MaildirMaildrop open(Path maildir, boolean fsync) throws StoreException {
        List<Entry> entries = new ArrayList<>();
        for (String sub : List.of(NEW, CUR)) {
            Path dir = maildir.resolve(sub);
            if (!Files.isDirectory(dir)) {
                continue;
            }
            try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
                for (Path file : files) {
                    String fileName = file.getFileName().toString();
                    if (fileName.startsWith(".")) {
                        continue;
                    }
                    Optional<MaildirName> name = MaildirName.parse(fileName);
                    if (name.isPresent()) {
                        entries.add(new Entry(sub + "/" + fileName, name.get()));
                    }
                }
            } catch (IOException e) {
                throw new StoreException("cannot list " + dir + ": " + e.getMessage(), true, e);
            }
        }
        entries.sort(Comparator.comparing((Entry e) -> e.name().base(), MaildirName.ARRIVAL_ORDER));
        List<StoredMessage> messages = new ArrayList<>(entries.size());
        String previous = null;
        for (Entry entry : entries) {
            if (entry.name().base().equals(previous)) {
                continue; // the same message in new/ and cur/ during someone's move: list it once
            }
            previous = entry.name().base();
            Optional<StoredMessage> message = message(maildir, entry);
            message.ifPresent(messages::add);
        }
        return new MaildirMaildrop(maildir, fsync, messages);
    }

    private record Entry(String key, MaildirName name) {
    }

    private static Optional<StoredMessage> message(Path maildir, Entry entry) throws StoreException {
        long size;
        long wireSize;
        if (entry.name().size().isPresent() && entry.name().wireSize().isPresent()) {
            size = entry.name().size().getAsLong();
            wireSize = entry.name().wireSize().getAsLong();
        } else {
            Path file = maildir.resolve(entry.key());
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
                size = channel.size();
                wireSize = size + LineFeeds.count(channel, size);
            } catch (NoSuchFileException e) {
                return Optional.empty(); // removed while we listed
            } catch (IOException e) {
                throw new StoreException("cannot read " + file + ": " + e.getMessage(), true, e);
            }
        }
        return Optional.of(new StoredMessage(uid(entry.name().base()), size, wireSize, entry.key()));
    }

    static String uid(String base) {
        if (base.length() <= 70 && base.chars().allMatch(c -> c >= 0x21 && c <= 0x7e)) {
            return base;
        }
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1")
                    .digest(base.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public List<StoredMessage> messages() {
        return messages;
    }

    @Override
    public InputStream open(StoredMessage message) throws StoreException {
        Path file = locate(message);
        try {
            return Files.newInputStream(file);
        } catch (IOException e) {
            throw new StoreException("cannot open " + file + ": " + e.getMessage(), !(e instanceof NoSuchFileException),
                    e);
        }
    }

    @Override
    public void delete(Collection<StoredMessage> doomed) throws StoreException {
        boolean changedNew = false;
        boolean changedCur = false;
        for (StoredMessage message : doomed) {
            Path file = locate(message);
            try {
                if (Files.deleteIfExists(file)) {
                    boolean inNew = file.getParent().getFileName().toString().equals(NEW);
                    changedNew |= inNew;
                    changedCur |= !inNew;
                }
            } catch (IOException e) {
                throw new StoreException("cannot remove " + file + ": " + e.getMessage(), true, e);
            }
        }
        try {
            if (fsync && changedNew) {
                MaildirStore.syncDirectory(maildir.resolve(NEW));
            }
            if (fsync && changedCur) {
                MaildirStore.syncDirectory(maildir.resolve(CUR));
            }
        } catch (IOException e) {
            throw new StoreException("cannot sync " + maildir + ": " + e.getMessage(), true, e);
        }
    }

    /** The message's file now: where it was listed, or, if a reader moved it or changed its flags, found again. */
    private Path locate(StoredMessage message) throws StoreException {
        Path listed = maildir.resolve(message.storageKey());
        if (Files.exists(listed)) {
            return listed;
        }
        String base = MaildirName.parse(listed.getFileName().toString()).map(MaildirName::base).orElse("");
        for (String sub : List.of(CUR, NEW)) {
            try (DirectoryStream<Path> files = Files.newDirectoryStream(maildir.resolve(sub), base + "*")) {
                for (Path file : files) {
                    Optional<MaildirName> name = MaildirName.parse(file.getFileName().toString());
                    if (name.isPresent() && name.get().base().equals(base)) {
                        return file;
                    }
                }
            } catch (NoSuchFileException e) {
                // no such subdirectory
            } catch (IOException e) {
                throw new StoreException("cannot list " + maildir.resolve(sub) + ": " + e.getMessage(), true, e);
            }
        }
        return listed; // gone: open fails, delete ignores it
    }

    @Override
    public void close() {
        // nothing is held open between calls
    }
}
