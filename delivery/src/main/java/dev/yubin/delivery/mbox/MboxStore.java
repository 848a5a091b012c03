package dev.yubin.delivery.mbox;

import dev.yubin.core.message.MessageContent;
import dev.yubin.core.store.MailStore;
import dev.yubin.core.store.MailboxStore;
import dev.yubin.core.store.UserMailboxes;
import dev.yubin.core.store.Maildrop;
import dev.yubin.core.store.StoreException;
import dev.yubin.core.user.MailUser;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link MailStore} of mbox files in a spool directory, as Postfix's local(8) with {@code mail_spool_directory}
 * (e.g. {@code /var/mail}): user {@code abe}'s mailbox is {@code <spool>/abe}. {@link MailUser#mailLocation()}
 * is not used.
 *
 * <p><b>Delivery</b> appends {@code From <sender>  <asctime>} (the sender from the first header line
 * {@code Return-Path: <…>} that the local delivery agent prepends; {@code MAILER-DAEMON} when it is {@code <>} or
 * missing), the message with mboxrd quoting (a line matching {@code >*From } gets one more {@code >}), a line feed
 * if the last line lacks one, and a blank line. If the file did not end with a blank line, one is written first.
 * Under the locks (see {@link MailboxLock}: this JVM's lock, {@code <mbox>.lock}, fcntl) the data is fsynced
 * before {@link #deliver} returns; on any failure the file is truncated back to its length before the delivery,
 * so no partial message stays. Reading, {@link #openMaildrop} and {@code Maildrop.delete}, see the package's
 * {@code MboxScanner} for boundaries and UIDs. {@link #openMailboxes} is IMAP's view: INBOX only, with UIDs and
 * flags in an index file beside the mbox ({@code <spool>/.<name>.imap}).
 *
 * <table>
 *   <caption>File names</caption>
 *   <tr><th>{@link MailUser#name()}</th><th>Mailbox</th></tr>
 *   <tr><td>1 to 255 characters of {@code A-Z a-z 0-9 . _ - + = @ %}, e.g. {@code abe},
 *       {@code abe@example1.jp}</td><td>{@code <spool>/<name>} verbatim (case kept)</td></tr>
 *   <tr><td>starting with {@code .} or {@code -}, containing {@code ..} or {@code /}, ending in {@code .lock},
 *       any other character</td><td>refused: permanent {@link StoreException}</td></tr>
 * </table>
 * Leading dots are reserved for the temporary files of rewrites ({@code .<name>.<random>.tmp}), and
 * {@code .lock} names for dotlocks, so no mailbox can collide with either.
 *
 * <table>
 *   <caption>Failures</caption>
 *   <tr><th>Cause</th><th>{@link StoreException#isTemporary()}</th></tr>
 *   <tr><td>a lock not granted within {@link Builder#lockTimeout}, disk full, permission denied, I/O errors</td>
 *       <td>true</td></tr>
 *   <tr><td>a refused user name; the mailbox is a symbolic link, a directory or another non-regular file</td>
 *       <td>false</td></tr>
 * </table>
 *
 * <p>Thread-safe: deliveries to one mailbox are serialised (fairly), different mailboxes proceed in parallel.
 * Mailbox files are created with mode 0600; the spool directory is created if missing.
 */
public final class MboxStore implements MailStore, MailboxStore {
    private static final Logger LOG = LoggerFactory.getLogger(MboxStore.class);
    private static final FileAttribute<Set<PosixFilePermission>> FILE_MODE =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));
    private static final int MAX_FIRST_LINE = 4096;
    private static final byte[] NEWLINE = {'\n'};
    private static final byte[] NEWLINES = {'\n', '\n'};

    private final Path spool;
    private final boolean fsync;
    private final boolean dotlock;
    private final Duration lockTimeout;
    private final Duration staleLockAge;
    private final Clock clock;
    private final Map<Path, ReentrantLock> jvmLocks = new ConcurrentHashMap<>();
    private final Map<Path, List<Runnable>> watchers = new ConcurrentHashMap<>();

    private MboxStore(Builder builder) {
        this.spool = builder.spoolDirectory.toAbsolutePath();
        this.fsync = builder.fsync;
        this.dotlock = builder.dotlock;
        this.lockTimeout = builder.lockTimeout;
        this.staleLockAge = builder.staleLockAge;
        this.clock = builder.clock;
    }

    /** A builder with the defaults: {@code /var/mail}, fsync and dotlock on, a 20 s lock timeout. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public String kind() {
        return "mailbox";
    }

    /** The spool directory (absolute). */
    public Path spoolDirectory() {
        return spool;
    }

    /** The mbox file of {@code user}: {@code <spool>/<name>}; refuses names that are no safe file name. */
    public Path mailboxOf(MailUser user) throws StoreException {
        String name = user.name();
        if (!isSafeName(name)) {
            throw new StoreException("user name " + printable(name) + " cannot name a mailbox file", false, null);
        }
        return spool.resolve(name);
    }

    static boolean isSafeName(String name) {
        if (name.isEmpty() || name.length() > 255 || name.startsWith(".") || name.startsWith("-")
                || name.contains("..") || name.endsWith(".lock")) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || ".-_+=@%".indexOf(c) >= 0;
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    @Override
    public void deliver(MailUser user, MessageContent content) throws StoreException {
        Objects.requireNonNull(content, "content");
        appendMessage(mailboxOf(user), content, clock.instant(), false);
    }

    /**
     * Appends {@code content} to {@code mbox} as {@link #deliver} does, with {@code date} in its {@code From_} line
     * (IMAP APPEND's internal date), CRLF line ends stored as LF if {@code crlfToLf}; returns the offset of that
     * line.
     */
    long appendMessage(Path mbox, MessageContent content, Instant date, boolean crlfToLf) throws StoreException {
        ensureSpool();
        long fromStart;
        try (MailboxLock lock = MailboxLock.acquire(this, mbox, MailboxLock.Mode.APPEND)) {
            fromStart = append(mbox, lock, content, date, crlfToLf);
        }
        changed(mbox);
        return fromStart;
    }

    private long append(Path mbox, MailboxLock lock, MessageContent content, Instant date, boolean crlfToLf)
            throws StoreException {
        FileChannel channel = lock.channel();
        long original = -1;
        long fromStart = -1;
        boolean done = false;
        String stage = "write mailbox";
        try {
            original = channel.size();
            channel.position(original);
            OutputStream out = new BufferedOutputStream(Channels.newOutputStream(channel), 64 * 1024);
            byte[] separator = separatorNeeded(channel, original);
            out.write(separator);
            fromStart = original + separator.length;
            FromQuoting quoting = new FromQuoting(out);
            try (InputStream in = crlfToLf ? new CrlfToLf(content.openStream()) : content.openStream()) {
                byte[] first = new byte[MAX_FIRST_LINE];
                int length = readFirstLine(in, first);
                out.write(FromLine.format(FromLine.senderOf(first, length), date, clock.getZone()));
                quoting.write(first, 0, length);
                in.transferTo(quoting);
            }
            quoting.finish();
            if (quoting.endsInsideLine()) {
                out.write('\n');
            }
            out.write('\n');
            out.flush();
            if (fsync) {
                stage = "fsync mailbox";
                channel.force(true);
                if (lock.created()) {
                    syncDirectory(spool);
                }
            }
            done = true;
            return fromStart;
        } catch (IOException | UncheckedIOException e) {
            IOException cause = e instanceof UncheckedIOException ? ((UncheckedIOException) e).getCause()
                    : (IOException) e;
            throw new StoreException("cannot " + stage + " " + mbox + ": " + reason(cause), true, cause);
        } finally {
            if (!done && original >= 0) {
                truncate(mbox, channel, original);
            }
        }
    }

    /** Bytes that make the file end with a blank line before a new From_ line, unless it is empty. */
    private static byte[] separatorNeeded(FileChannel channel, long size) throws IOException {
        if (size == 0) {
            return new byte[0];
        }
        int n = (int) Math.min(3, size);
        ByteBuffer tail = ByteBuffer.allocate(n);
        while (tail.hasRemaining()) {
            if (channel.read(tail, size - n + tail.position()) < 0) {
                throw new IOException("mailbox shrank");
            }
        }
        byte[] t = tail.array();
        byte last = t[n - 1];
        if (last != '\n') {
            return new byte[] {'\n', '\n'};
        }
        boolean blank = (n >= 2 && t[n - 2] == '\n') || (n == 3 && t[0] == '\n' && t[1] == '\r') || size == 1;
        return blank ? new byte[0] : new byte[] {'\n'};
    }

    private static int readFirstLine(InputStream in, byte[] buffer) throws IOException {
        int length = 0;
        while (length < buffer.length) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            buffer[length++] = (byte) b;
            if (b == '\n') {
                break;
            }
        }
        return length;
    }

    private void truncate(Path mbox, FileChannel channel, long original) {
        try {
            channel.truncate(original);
            if (fsync) {
                channel.force(true);
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("cannot truncate {} back to {} octets after a failed delivery: {}", mbox, original,
                    e.toString());
        }
    }

    /**
     * The IMAP view of {@code user}'s mbox: INBOX only (an mbox is one mailbox; folders need the Maildir store),
     * with UIDs and flags kept beside it (see {@link MboxMailboxes}).
     */
    @Override
    public UserMailboxes openMailboxes(MailUser user) throws StoreException {
        return new MboxMailboxes(this, mailboxOf(user));
    }

    @Override
    public Maildrop openMaildrop(MailUser user) throws StoreException {
        Path mbox = mailboxOf(user);
        Reindexed index = Files.exists(mbox, LinkOption.NOFOLLOW_LINKS) ? reindex(mbox) : null;
        return index == null ? MboxMaildrop.empty(this, mbox)
                : new MboxMaildrop(this, mbox, index.fileKey(), index.channel(), index.entries());
    }

    /** An index of a mailbox and the open (unlocked) file it was built from. */
    record Reindexed(FileChannel channel, Object fileKey, List<MboxEntry> entries) {
    }

    /** Indexes {@code mbox} under the locks; null if it does not exist. The caller closes the channel locked. */
    Reindexed reindex(Path mbox) throws StoreException {
        try (MailboxLock lock = MailboxLock.acquire(this, mbox, MailboxLock.Mode.READ)) {
            FileChannel channel = lock.channel();
            if (channel == null) {
                return null;
            }
            try {
                List<MboxEntry> entries = MboxScanner.scan(channel, channel.size());
                Object fileKey = Files.readAttributes(mbox, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS)
                        .fileKey();
                return new Reindexed(lock.detach(), fileKey, entries);
            } catch (IOException e) {
                throw new StoreException("cannot read mailbox " + mbox + ": " + reason(e), true, e);
            }
        }
    }

    /**
     * Removes the messages whose UID and size are in {@code doomed} from {@code mbox}, re-reading it under the
     * locks (so messages delivered since any snapshot are kept): the kept byte ranges are copied to a temporary
     * file in the spool directory, fsynced, given the mailbox's mode (and owner, where permitted), renamed over
     * the mailbox, and the directory is fsynced. A crash before the rename leaves the old mailbox; after it, the
     * new one.
     *
     * @return how many messages were removed
     */
    int remove(Path mbox, Map<String, Long> doomed) throws StoreException {
        // the IMAP index first, as IMAP takes it: removing one of two equal messages renames the other's key
        try (IndexLock held = lockIndex(mbox)) {
            Set<String> gone = new HashSet<>();
            Map<String, String> renamed = new HashMap<>();
            int removed = rewrite(mbox, doomed, gone, renamed);
            if (removed > 0) {
                changed(mbox);
                Path index = MboxMailboxes.indexFileOf(mbox);
                if (Files.exists(index, LinkOption.NOFOLLOW_LINKS)) {
                    try {
                        MboxImapIndex loaded = MboxImapIndex.load(index);
                        loaded.rekey(gone, renamed);
                        loaded.saveIfChanged(index, fsync);
                    } catch (IOException e) {
                        throw new StoreException("cannot update " + index + ": " + reason(e), true, e);
                    }
                }
            }
            return removed;
        }
    }

    private int rewrite(Path mbox, Map<String, Long> doomed, Set<String> gone, Map<String, String> renamed)
            throws StoreException {
        try (MailboxLock lock = MailboxLock.acquire(this, mbox, MailboxLock.Mode.REWRITE)) {
            FileChannel channel = lock.channel();
            if (channel == null || doomed.isEmpty()) {
                return 0;
            }
            Path tmp = null;
            try {
                long size = channel.size();
                List<MboxEntry> entries = MboxScanner.scan(channel, size);
                Map<String, Integer> survivors = new HashMap<>();
                for (MboxEntry e : entries) {
                    if (Long.valueOf(e.size()).equals(doomed.get(e.uid()))) {
                        gone.add(e.uid());
                    } else {
                        String key = MboxScanner.suffixed(e.uidBase(), survivors.merge(e.uidBase(), 1, Integer::sum));
                        if (!key.equals(e.uid())) {
                            renamed.put(e.uid(), key);
                        }
                    }
                }
                int removed = gone.size();
                if (removed == 0) {
                    return 0;
                }
                tmp = spool.resolve("." + mbox.getFileName() + "." + UUID.randomUUID() + ".tmp");
                try (FileChannel out = FileChannel.open(tmp, Set.of(StandardOpenOption.CREATE_NEW,
                        StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS), fileAttributes())) {
                    copyKept(channel, size, entries, doomed, out, lock.dotLock());
                    if (fsync) {
                        out.force(true);
                    }
                }
                copyOwnership(mbox, tmp);
                Files.move(tmp, mbox, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                tmp = null;
                if (fsync) {
                    syncDirectory(spool);
                }
                return removed;
            } catch (IOException e) {
                throw new StoreException("cannot rewrite mailbox " + mbox + ": " + reason(e), true, e);
            } finally {
                if (tmp != null) {
                    try {
                        Files.deleteIfExists(tmp);
                    } catch (IOException e) {
                        LOG.warn("cannot remove {}: {}", tmp, reason(e));
                    }
                }
            }
        }
    }

    private static void copyKept(FileChannel in, long size, List<MboxEntry> entries, Map<String, Long> doomed,
            FileChannel out, DotLock dot) throws IOException {
        long prefixEnd = entries.isEmpty() ? size : entries.get(0).fromStart();
        transfer(in, 0, prefixEnd, out); // bytes before the first From_ line are no message: keep them
        MboxEntry previous = null;
        for (MboxEntry e : entries) {
            if (Long.valueOf(e.size()).equals(doomed.get(e.uid()))) {
                continue;
            }
            if (previous != null && !previous.endsWithBlankLine()) {
                // the next From_ line must follow a blank line; the reader drops it again, so no message changes
                MessageContent.writeFully(out, ByteBuffer.wrap(previous.appendNewline() ? NEWLINES : NEWLINE));
            }
            transfer(in, e.fromStart(), e.end(), out);
            previous = e;
            if (dot != null) {
                dot.touchIfDue();
            }
        }
    }

    private static void transfer(FileChannel in, long from, long to, FileChannel out) throws IOException {
        long position = from;
        while (position < to) {
            long n = in.transferTo(position, to - position, out);
            if (n <= 0) {
                throw new IOException("mailbox shrank while rewriting");
            }
            position += n;
        }
    }

    private static void copyOwnership(Path from, Path to) throws IOException {
        PosixFileAttributeView view = Files.getFileAttributeView(from, PosixFileAttributeView.class,
                LinkOption.NOFOLLOW_LINKS);
        if (view == null) {
            return;
        }
        PosixFileAttributes original = view.readAttributes();
        Files.setPosixFilePermissions(to, original.permissions());
        PosixFileAttributes copy = Files.readAttributes(to, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        try {
            if (!copy.owner().equals(original.owner())) {
                Files.setOwner(to, original.owner());
            }
            if (!copy.group().equals(original.group())) {
                Files.getFileAttributeView(to, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
                        .setGroup(original.group());
            }
        } catch (IOException e) {
            LOG.debug("cannot give {} the owner of {}: {}", to, from, reason(e));
        }
    }

    private void ensureSpool() throws StoreException {
        if (Files.isDirectory(spool)) {
            return;
        }
        try {
            Files.createDirectories(spool);
        } catch (FileAlreadyExistsException e) {
            throw new StoreException("spool directory " + spool + " is not a directory", false, e);
        } catch (IOException e) {
            throw new StoreException("cannot create spool directory " + spool + ": " + reason(e), true, e);
        }
    }

    /** Closes a channel on {@code mbox} while holding this JVM's lock for it, which keeps others' fcntl locks. */
    void closeLocked(Path mbox, FileChannel channel) {
        ReentrantLock lock = jvmLock(mbox);
        boolean locked = false;
        try {
            locked = lock.tryLock(lockTimeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            channel.close();
        } catch (IOException e) {
            LOG.debug("cannot close {}", mbox, e);
        } finally {
            if (locked) {
                lock.unlock();
            }
        }
    }

    /** This JVM's lock on the IMAP index of {@code mbox}, taken before the mailbox's own locks. */
    IndexLock lockIndex(Path mbox) throws StoreException {
        ReentrantLock lock = jvmLock(MboxMailboxes.indexFileOf(mbox));
        try {
            if (!lock.tryLock(lockTimeout.toNanos(), TimeUnit.NANOSECONDS)) {
                throw new StoreException("the IMAP index of " + mbox + " is busy", true, null);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("interrupted while waiting for the IMAP index lock", true, e);
        }
        return lock::unlock;
    }

    /** A held {@link #lockIndex}. */
    interface IndexLock extends AutoCloseable {
        @Override
        void close();
    }

    /** Calls {@code onChange} after every change of {@code mbox} made by this store; returns the cancellation. */
    Runnable watch(Path mbox, Runnable onChange) {
        List<Runnable> list = watchers.computeIfAbsent(mbox, p -> new CopyOnWriteArrayList<>());
        list.add(onChange);
        return () -> list.remove(onChange);
    }

    /** Tells the watchers of {@code mbox} that it changed (a delivery, a removal, new flags). */
    void changed(Path mbox) {
        List<Runnable> list = watchers.get(mbox);
        if (list == null) {
            return;
        }
        for (Runnable r : list) {
            try {
                r.run();
            } catch (RuntimeException e) {
                LOG.warn("mailbox watcher failed", e);
            }
        }
    }

    ReentrantLock jvmLock(Path mbox) {
        return jvmLocks.computeIfAbsent(mbox, p -> new ReentrantLock(true));
    }

    boolean fsync() {
        return fsync;
    }

    Clock clock() {
        return clock;
    }

    boolean dotlock() {
        return dotlock;
    }

    Duration lockTimeout() {
        return lockTimeout;
    }

    Duration staleLockAge() {
        return staleLockAge;
    }

    static FileAttribute<?>[] fileAttributes() {
        return new FileAttribute<?>[] {FILE_MODE};
    }

    static void syncDirectory(Path dir) throws IOException {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }

    static String reason(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "No such file or directory";
        }
        if (e instanceof AccessDeniedException) {
            return "Permission denied";
        }
        if (e instanceof NotDirectoryException) {
            return "Not a directory";
        }
        if (e instanceof java.nio.file.FileSystemException) {
            String r = ((java.nio.file.FileSystemException) e).getReason();
            if (r != null) {
                return r;
            }
        }
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }

    private static String printable(String name) {
        StringBuilder out = new StringBuilder("\"");
        name.codePoints().limit(64).forEach(c -> out.append(c < 0x20 || c == 0x7f ? '?' : (char) c));
        return out.append('"').toString();
    }

    /** Settings of a {@link MboxStore}. Not thread-safe. */
    public static final class Builder {
        private Path spoolDirectory = Path.of("/var/mail");
        private boolean fsync = true;
        private boolean dotlock = true;
        private Duration lockTimeout = Duration.ofSeconds(20);
        private Duration staleLockAge = Duration.ofSeconds(500);
        private Clock clock = Clock.systemDefaultZone();

        private Builder() {
        }

        /** Postfix {@code mail_spool_directory}: where the mbox files are; default {@code /var/mail}. */
        public Builder spoolDirectory(Path spoolDirectory) {
            this.spoolDirectory = Objects.requireNonNull(spoolDirectory, "spoolDirectory");
            return this;
        }

        /** Whether to fsync (default true). Turning it off gives up durability: only for tests and benchmarks. */
        public Builder fsync(boolean fsync) {
            this.fsync = fsync;
            return this;
        }

        /**
         * Whether to take the {@code <mbox>.lock} dotlock besides the fcntl lock (default true, as Debian's
         * Postfix {@code mailbox_delivery_lock = fcntl, dotlock}); it needs write access to the spool directory.
         */
        public Builder dotlock(boolean dotlock) {
            this.dotlock = dotlock;
            return this;
        }

        /**
         * How long to wait for the locks before failing temporarily (default 20 s, Postfix's
         * {@code deliver_lock_attempts} × {@code deliver_lock_delay}).
         */
        public Builder lockTimeout(Duration lockTimeout) {
            this.lockTimeout = positive(lockTimeout, "lockTimeout");
            return this;
        }

        /**
         * The age after which a dotlock counts as left by a dead process (default 500 s, Postfix's
         * {@code stale_lock_time}).
         */
        public Builder staleLockAge(Duration staleLockAge) {
            this.staleLockAge = positive(staleLockAge, "staleLockAge");
            return this;
        }

        /** The clock and zone of the {@code From_} line dates; default the system's. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** The store. */
        public MboxStore build() {
            return new MboxStore(this);
        }

        private static Duration positive(Duration d, String name) {
            Objects.requireNonNull(d, name);
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(name + " must be positive: " + d);
            }
            return d;
        }
    }
}
