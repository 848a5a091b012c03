package dev.yubin.delivery.maildir;

import dev.yubin.core.store.StoreException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A folder's persistent UIDs: the file {@code yubin-uidlist} in the folder's Maildir. Its own name, so that a
 * Dovecot pointed at the same Maildir does not misread it as a {@code dovecot-uidlist}.
 *
 * <pre>
 * yubin-uidlist 2 &lt;uidvalidity&gt; &lt;nextuid&gt; &lt;firstrecentuid&gt;
 * &lt;uid&gt; &lt;base name&gt;
 * …
 * </pre>
 *
 * <p>{@code firstrecentuid} is Dovecot's {@code first_recent_uid}: messages from that UID on are {@code \Recent}
 * to the next session that selects the folder read-write, which then moves it to {@code nextuid}. Version 1 had no
 * such field; there, what is still in {@code new/} counts as recent.
 *
 * <p>Lines are ascending by UID; the base name is the Maildir file name before {@code ,S=} and {@code :2,}, which
 * stays when flags change. Rewritten with {@link AtomicFiles} under the folder's lock. An unreadable file (not a
 * version this code wrote) is replaced by a new list with a new UIDVALIDITY, which tells clients to drop their
 * caches (RFC 3501 §2.3.1.1); a file of a newer version is an error rather than something to overwrite. Not
 * thread-safe; used under the folder's lock.
 */
final class UidList {
    static final String FILE = "yubin-uidlist";
    private static final String MAGIC = "yubin-uidlist";
    private static final int VERSION = 2;
    private static final Logger LOG = LoggerFactory.getLogger(UidList.class);
    private static final AtomicLong LAST_VALIDITY = new AtomicLong();

    private final long uidValidity;
    private long nextUid;
    /** The lowest UID no session has had as {@code \Recent}; 0 when unknown (a version 1 file). */
    private long firstRecentUid;
    private final Map<String, Long> uids;
    private boolean dirty;

    private UidList(long uidValidity, long nextUid, long firstRecentUid, Map<String, Long> uids, boolean dirty) {
        this.uidValidity = uidValidity;
        this.nextUid = nextUid;
        this.firstRecentUid = firstRecentUid;
        this.uids = uids;
        this.dirty = dirty;
    }

    /** A new, empty list with a UIDVALIDITY never handed out before by this process (seconds, then +1). */
    static UidList fresh() {
        long now = System.currentTimeMillis() / 1000;
        long validity = LAST_VALIDITY.accumulateAndGet(now, (last, t) -> Math.max(last + 1, t));
        return new UidList(validity & 0xFFFF_FFFFL, 1, 1, new LinkedHashMap<>(), true);
    }

    static UidList load(Path folder) throws StoreException, IOException {
        Path file = folder.resolve(FILE);
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return fresh();
        } catch (java.nio.charset.CharacterCodingException e) {
            return corrupt(file, "not UTF-8");
        }
        if (lines.isEmpty()) {
            return corrupt(file, "empty");
        }
        String[] header = lines.get(0).split(" ");
        if (header.length < 2 || !MAGIC.equals(header[0])) {
            return corrupt(file, "no header");
        }
        long version = number(header[1]);
        if (version > VERSION) {
            throw new StoreException(file + " has version " + header[1] + ", newer than " + VERSION
                    + "; refusing to rewrite it", false, null);
        }
        boolean v1 = version == 1 && header.length == 4;
        boolean v2 = version == 2 && header.length == 5;
        if (!v1 && !v2 || number(header[2]) < 1 || number(header[3]) < 1
                || v2 && (number(header[4]) < 1 || number(header[4]) > number(header[3]))) {
            return corrupt(file, "bad header");
        }
        Map<String, Long> uids = new LinkedHashMap<>();
        long next = number(header[3]);
        for (int i = 1; i < lines.size(); i++) {
            String line = lines.get(i);
            int space = line.indexOf(' ');
            long uid = space > 0 ? number(line.substring(0, space)) : -1;
            if (uid < 1 || uid >= next || space == line.length() - 1) {
                return corrupt(file, "bad line " + (i + 1));
            }
            uids.put(line.substring(space + 1), uid);
        }
        return new UidList(number(header[2]), next, v2 ? number(header[4]) : 0, uids, v1);
    }

    private static UidList corrupt(Path file, String why) {
        UidList list = fresh();
        LOG.warn("{} is unreadable ({}); starting a new UID list with UIDVALIDITY {}", file, why, list.uidValidity);
        return list;
    }

    private static long number(String text) {
        if (text.isEmpty() || text.length() > 10 || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return -1;
        }
        return Long.parseLong(text);
    }

    long uidValidity() {
        return uidValidity;
    }

    long nextUid() {
        return nextUid;
    }

    /** Whether the file had no first recent UID (version 1); {@link #firstRecentUid(long)} then sets it. */
    boolean firstRecentUnknown() {
        return firstRecentUid == 0;
    }

    /** Messages from this UID on are {@code \Recent} to the next read-write session. */
    long firstRecentUid() {
        return firstRecentUid;
    }

    /** Sets the first recent UID: to {@link #nextUid()} when a read-write session claims the recent messages. */
    void firstRecentUid(long uid) {
        if (uid != firstRecentUid) {
            firstRecentUid = uid;
            dirty = true;
        }
    }

    Long uid(String base) {
        return uids.get(base);
    }

    /** The UID of {@code base}, assigning the next one if it has none. */
    long assign(String base) {
        Long uid = uids.get(base);
        if (uid != null) {
            return uid;
        }
        long assigned = nextUid++;
        uids.put(base, assigned);
        dirty = true;
        return assigned;
    }

    /** The base names with a UID. */
    Set<String> bases() {
        return Set.copyOf(uids.keySet());
    }

    /** Forgets the base names not in {@code present} (expunged messages; their UIDs are never reused). */
    void retainAll(Set<String> present) {
        dirty |= uids.keySet().retainAll(present);
    }

    void saveIfChanged(Path folder, boolean fsync, FileAttribute<?>[] attributes) throws IOException {
        if (!dirty) {
            return;
        }
        StringBuilder out = new StringBuilder(64 + uids.size() * 60);
        out.append(MAGIC).append(' ').append(VERSION).append(' ').append(uidValidity).append(' ').append(nextUid)
                .append(' ').append(firstRecentUid == 0 ? nextUid : firstRecentUid).append('\n');
        uids.entrySet().stream().sorted(Map.Entry.comparingByValue())
                .forEach(e -> out.append(e.getValue()).append(' ').append(e.getKey()).append('\n'));
        AtomicFiles.replace(folder.resolve(FILE), out.toString().getBytes(StandardCharsets.UTF_8), fsync, attributes);
        dirty = false;
    }
}
