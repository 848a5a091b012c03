package dev.yubin.delivery.mbox;

import dev.yubin.core.store.Flag;
import dev.yubin.core.store.Flags;
import dev.yubin.core.store.StoreException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What IMAP needs of an mbox and the file does not hold: UIDVALIDITY, the next UID, the first recent UID, and each
 * message's UID and flags, keyed by its mbox UID (the one POP3's UIDL shows, which survives mail readers rewriting
 * {@code Status:} headers) and its size. Like Dovecot's index files, it lives beside the mail, not in it, so the
 * mbox is never rewritten for a flag change.
 *
 * <pre>
 * yubin-mbox-imap 1 &lt;uidvalidity&gt; &lt;nextuid&gt; &lt;firstrecentuid&gt;
 * &lt;uid&gt; &lt;size&gt; &lt;flags&gt; &lt;key&gt; [&lt;keyword&gt; …]
 * </pre>
 * {@code flags} are Maildir's letters ({@code D} draft, {@code F} flagged, {@code R} answered, {@code S} seen,
 * {@code T} deleted) or {@code -}. Lines ascend by UID. An unreadable file is replaced by a new index with a new
 * UIDVALIDITY (clients then drop their caches); a newer version is an error. Not thread-safe: used under the
 * index lock of {@link MboxMailboxes}.
 */
final class MboxImapIndex {
    private static final String MAGIC = "yubin-mbox-imap";
    private static final int VERSION = 1;
    private static final Logger LOG = LoggerFactory.getLogger(MboxImapIndex.class);
    private static final AtomicLong LAST_VALIDITY = new AtomicLong();
    private static final String LETTERS = "DFRST";
    private static final List<Flag> LETTER_FLAGS = List.of(Flag.DRAFT, Flag.FLAGGED, Flag.ANSWERED, Flag.SEEN,
            Flag.DELETED);

    /** One message: its IMAP UID and flags. */
    record Message(long uid, String key, long size, Flags flags) {
    }

    private final long uidValidity;
    private long nextUid;
    private long firstRecentUid;
    private final Map<String, Message> byKey;
    private boolean dirty;
    private boolean assigned;

    private MboxImapIndex(long uidValidity, long nextUid, long firstRecentUid, Map<String, Message> byKey,
            boolean dirty) {
        this.uidValidity = uidValidity;
        this.nextUid = nextUid;
        this.firstRecentUid = firstRecentUid;
        this.byKey = byKey;
        this.dirty = dirty;
    }

    static MboxImapIndex fresh() {
        long now = System.currentTimeMillis() / 1000;
        long validity = LAST_VALIDITY.accumulateAndGet(now, (last, t) -> Math.max(last + 1, t));
        return new MboxImapIndex(validity & 0xFFFF_FFFFL, 1, 1, new LinkedHashMap<>(), true);
    }

    static MboxImapIndex load(Path file) throws StoreException, IOException {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return fresh();
        } catch (CharacterCodingException e) {
            return corrupt(file, "not UTF-8");
        }
        String[] header = lines.isEmpty() ? new String[0] : lines.get(0).split(" ");
        if (header.length != 5 || !MAGIC.equals(header[0])) {
            return corrupt(file, "no header");
        }
        if (number(header[1]) > VERSION) {
            throw new StoreException(file + " has version " + header[1] + ", newer than " + VERSION
                    + "; refusing to rewrite it", false, null);
        }
        long validity = number(header[2]);
        long next = number(header[3]);
        long firstRecent = number(header[4]);
        if (validity < 1 || validity > 0xFFFF_FFFFL || next < 1 || firstRecent < 1 || firstRecent > next) {
            return corrupt(file, "bad header");
        }
        Map<String, Message> byKey = new LinkedHashMap<>();
        long previous = 0;
        for (int i = 1; i < lines.size(); i++) {
            Message m = parse(lines.get(i));
            if (m == null || m.uid() <= previous || m.uid() >= next) {
                return corrupt(file, "bad line " + (i + 1));
            }
            previous = m.uid();
            byKey.put(m.key(), m);
        }
        return new MboxImapIndex(validity, next, firstRecent, byKey, false);
    }

    private static Message parse(String line) {
        String[] f = line.split(" ");
        if (f.length < 4) {
            return null;
        }
        long uid = number(f[0]);
        long size = number(f[1]);
        Set<Flag> system = EnumSet.noneOf(Flag.class);
        if (!f[2].equals("-")) {
            for (char c : f[2].toCharArray()) {
                int i = LETTERS.indexOf(c);
                if (i < 0) {
                    return null;
                }
                system.add(LETTER_FLAGS.get(i));
            }
        }
        List<String> keywords = Arrays.asList(f).subList(4, f.length);
        if (uid < 1 || size < 0 || f[3].isEmpty() || !keywords.stream().allMatch(Flags::isKeyword)) {
            return null;
        }
        return new Message(uid, f[3], size, new Flags(system, new TreeSet<>(keywords)));
    }

    private static MboxImapIndex corrupt(Path file, String why) {
        MboxImapIndex index = fresh();
        LOG.warn("{} is unreadable ({}); starting a new index with UIDVALIDITY {}", file, why, index.uidValidity);
        return index;
    }

    private static long number(String text) {
        if (text.isEmpty() || text.length() > 19 || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return -1;
        }
        return Long.parseLong(text);
    }

    /**
     * The flags a mail reader left in a message's {@code Status:} and {@code X-Status:} headers ({@code R} read,
     * {@code A} answered, {@code F} flagged, {@code T} draft, {@code D} deleted), as Dovecot's mbox reads them.
     */
    static Flags fromStatus(String letters) {
        Set<Flag> flags = EnumSet.noneOf(Flag.class);
        String[] map = {"RA", "FTD"};
        Flag[][] to = {{Flag.SEEN, Flag.ANSWERED}, {Flag.FLAGGED, Flag.DRAFT, Flag.DELETED}};
        for (int i = 0; i < map.length; i++) {
            for (int j = 0; j < map[i].length(); j++) {
                if (letters.indexOf(map[i].charAt(j)) >= 0) {
                    flags.add(to[i][j]);
                }
            }
        }
        return new Flags(flags, Set.of());
    }

    long uidValidity() {
        return uidValidity;
    }

    long nextUid() {
        return nextUid;
    }

    long firstRecentUid() {
        return firstRecentUid;
    }

    /** Every message from the first recent UID on is no longer recent: a read-write session has claimed them. */
    void claimRecent() {
        if (firstRecentUid != nextUid) {
            firstRecentUid = nextUid;
            dirty = true;
        }
    }

    /** The message with {@code key} and {@code size}, or null (a message of that key but another size is another). */
    Message find(String key, long size) {
        Message m = byKey.get(key);
        return m != null && m.size() == size ? m : null;
    }

    /** Gives the message {@code key} the next UID (forgetting an older message of that key). */
    Message assign(String key, long size, Flags flags) {
        Message m = new Message(nextUid++, key, size, flags);
        byKey.remove(key);
        byKey.put(key, m);
        dirty = true;
        assigned = true;
        return m;
    }

    void setFlags(Message m, Flags flags) {
        if (!m.flags().equals(flags)) {
            byKey.put(m.key(), new Message(m.uid(), m.key(), m.size(), flags));
            dirty = true;
        }
    }

    /**
     * Follows a rewrite of the mbox that removed the messages {@code gone} and so renamed the keys of messages equal
     * to them ({@code -2} becoming the plain key, and so on): each message keeps its UID and flags.
     */
    void rekey(Set<String> gone, Map<String, String> renamed) {
        Map<String, Message> next = new LinkedHashMap<>();
        for (Message m : byKey.values()) {
            if (gone.contains(m.key())) {
                continue;
            }
            String key = renamed.getOrDefault(m.key(), m.key());
            next.put(key, new Message(m.uid(), key, m.size(), m.flags()));
        }
        if (!next.equals(byKey)) {
            byKey.clear();
            byKey.putAll(next);
            dirty = true;
            assigned = true; // identities changed: as durable as new UIDs
        }
    }

    /** Forgets the messages whose keys are not in {@code present}; their UIDs are never reused. */
    void retainAll(Collection<String> present) {
        dirty |= byKey.keySet().retainAll(Set.copyOf(present));
    }

    /**
     * Writes the index if it changed: {@code .tmp}, rename, as {@link MboxStore} replaces files. New UIDs are
     * fsynced (with the directory), so that a crash cannot give a UID a client has seen to another message; a flag
     * change is not (a crash may bring an old flag back), as Dovecot's {@code mail_fsync = optimized}.
     */
    void saveIfChanged(Path file, boolean fsync) throws IOException {
        if (!dirty) {
            return;
        }
        StringBuilder out = new StringBuilder(64 + byKey.size() * 64);
        out.append(MAGIC).append(' ').append(VERSION).append(' ').append(uidValidity).append(' ').append(nextUid)
                .append(' ').append(firstRecentUid).append('\n');
        List<Message> messages = new ArrayList<>(byKey.values());
        messages.sort((a, b) -> Long.compare(a.uid(), b.uid()));
        for (Message m : messages) {
            out.append(m.uid()).append(' ').append(m.size()).append(' ').append(letters(m.flags())).append(' ')
                    .append(m.key());
            m.flags().keywords().forEach(k -> out.append(' ').append(k));
            out.append('\n');
        }
        boolean durable = fsync && assigned;
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        try (FileChannel channel = FileChannel.open(tmp, Set.of(StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE), MboxStore.fileAttributes())) {
            ByteBuffer buffer = ByteBuffer.wrap(out.toString().getBytes(StandardCharsets.UTF_8));
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            if (durable) {
                channel.force(true);
            }
        }
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        if (durable) {
            MboxStore.syncDirectory(file.getParent());
        }
        dirty = false;
        assigned = false;
    }

    private static String letters(Flags flags) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < LETTERS.length(); i++) {
            if (flags.contains(LETTER_FLAGS.get(i))) {
                out.append(LETTERS.charAt(i));
            }
        }
        return out.length() == 0 ? "-" : out.toString();
    }
}
