package dev.yubin.delivery.mbox;

import dev.yubin.core.store.Maildrop;
import dev.yubin.core.store.StoreException;
import dev.yubin.core.store.StoredMessage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An mbox file as a {@link Maildrop}: the index is built under the locks at opening, and the file stays open (read
 * only, unlocked) so that messages stream from it with positional reads. Before a message is streamed, its
 * {@code From_} line is checked at the indexed offset of the same file; if another program rewrote the mailbox,
 * the message is looked up again by UID and size, and fails as gone if it is not there.
 *
 * <p>Streams are not locked while they are read: deliveries append behind them, and this store's deletions
 * replace the file (the open file keeps the old content). Only a program that rewrites the mbox in place while a
 * message is streamed can make that stream fail (its size check). Not thread-safe: one session uses it.
 */
final class MboxMaildrop implements Maildrop {
    private final MboxStore store;
    private final Path mbox;
    private final List<StoredMessage> messages;
    private final Map<String, MboxEntry> byKey = new HashMap<>();
    private Object fileKey;
    private FileChannel channel;

    MboxMaildrop(MboxStore store, Path mbox, Object fileKey, FileChannel channel, List<MboxEntry> entries) {
        this.store = store;
        this.mbox = mbox;
        this.fileKey = fileKey;
        this.channel = channel;
        List<StoredMessage> list = new ArrayList<>(entries.size());
        for (MboxEntry e : entries) {
            list.add(new StoredMessage(e.uid(), e.size(), e.wireSize(), e.storageKey()));
            byKey.put(e.storageKey(), e);
        }
        this.messages = List.copyOf(list);
    }

    static MboxMaildrop empty(MboxStore store, Path mbox) {
        return new MboxMaildrop(store, mbox, null, null, List.of());
    }

    @Override
    public List<StoredMessage> messages() {
        return messages;
    }

    @Override
    public InputStream open(StoredMessage message) throws StoreException {
        MboxEntry entry = byKey.get(message.storageKey());
        if (entry == null || channel == null) {
            throw new StoreException("message " + message.uid() + " is no longer in " + mbox, false, null);
        }
        try {
            if (!stillThere(mbox, fileKey, channel, entry)) {
                entry = relocate(message);
            }
            return new MessageStream(channel, entry);
        } catch (IOException e) {
            throw new StoreException("cannot read mailbox " + mbox + ": " + MboxStore.reason(e), true, e);
        }
    }

    /**
     * Whether {@code mbox} still names the file {@code fileKey} open as {@code channel}, and {@code entry}'s From_
     * line is where it was indexed.
     */
    static boolean stillThere(Path mbox, Object fileKey, FileChannel channel, MboxEntry entry) throws IOException {
        try {
            Object current = Files.readAttributes(mbox, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS)
                    .fileKey();
            if (!Objects.equals(current, fileKey)) {
                return false;
            }
        } catch (NoSuchFileException e) {
            return false;
        }
        byte[] expected = (entry.fromLine() + "\n").getBytes(StandardCharsets.ISO_8859_1);
        long length = entry.contentStart() - entry.fromStart();
        if (length != expected.length && length != expected.length + 1) {
            return false; // an over-long From_ line or one with CRLF: compare what we kept
        }
        ByteBuffer found = ByteBuffer.allocate((int) length);
        while (found.hasRemaining()) {
            if (channel.read(found, entry.fromStart() + found.position()) < 0) {
                return false;
            }
        }
        String line = new String(found.array(), StandardCharsets.ISO_8859_1).replace("\r", "");
        return line.equals(entry.fromLine() + "\n");
    }

    /** Indexes the mailbox again and finds the message by UID and size; switches to that file. */
    private MboxEntry relocate(StoredMessage message) throws StoreException, IOException {
        MboxStore.Reindexed fresh = store.reindex(mbox);
        MboxEntry found = null;
        if (fresh != null) {
            for (MboxEntry e : fresh.entries()) {
                if (e.uid().equals(message.uid()) && e.size() == message.size()) {
                    found = e;
                }
            }
        }
        if (found == null) {
            if (fresh != null) {
                store.closeLocked(mbox, fresh.channel());
            }
            throw new StoreException("message " + message.uid() + " was removed from " + mbox
                    + " by another program", false, null);
        }
        store.closeLocked(mbox, channel);
        channel = fresh.channel();
        fileKey = fresh.fileKey();
        Map<String, MboxEntry> byUid = new LinkedHashMap<>();
        for (MboxEntry e : fresh.entries()) {
            byUid.put(e.uid(), e);
        }
        for (StoredMessage m : messages) {
            MboxEntry e = byUid.get(m.uid());
            if (e != null && e.size() == m.size()) {
                byKey.put(m.storageKey(), e);
            } else {
                byKey.remove(m.storageKey()); // gone: open fails, delete ignores it
            }
        }
        return found;
    }

    @Override
    public void delete(Collection<StoredMessage> doomed) throws StoreException {
        Map<String, Long> sizes = new HashMap<>();
        for (StoredMessage m : doomed) {
            if (byKey.containsKey(m.storageKey())) {
                sizes.put(m.uid(), m.size());
            }
        }
        if (!sizes.isEmpty()) {
            store.remove(mbox, sizes);
        }
    }

    @Override
    public void close() {
        if (channel != null) {
            store.closeLocked(mbox, channel);
            channel = null;
        }
    }
}
