package dev.yubin.delivery.maildir;

import dev.yubin.core.message.MessageContent;
import dev.yubin.core.store.MailStore;
import dev.yubin.core.store.MailboxStore;
import dev.yubin.core.store.Maildrop;
import dev.yubin.core.store.StoreException;
import dev.yubin.core.store.UserMailboxes;
import dev.yubin.core.user.MailUser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link MailStore} that delivers into Maildirs (the layout of Postfix {@code home_mailbox = Maildir/} and
 * Dovecot): a user's {@link MailUser#mailLocation()} is the directory that holds {@code cur/ new/ tmp/}.
 *
 * <p>Delivery follows the Maildir spec: create {@code tmp/<unique>} (never an existing file), copy the content
 * ({@link MessageContent#transferTo}, so a spooled file is copied in the kernel), fsync it, hard-link it to
 * {@code new/<unique>,S=<size>,W=<crlf size>} (a link never replaces an existing name), fsync {@code new/} and
 * unlink the tmp name. Concurrent deliveries into one Maildir share the fsync of {@code new/} (a group commit: a
 * delivery returns once an fsync that started after its link has finished). On any failure the tmp file is removed. Missing {@code cur/ new/ tmp/} (and parents) are
 * created on first delivery with mode 0700, files with 0600; once seen, a Maildir's layout is cached and is
 * created again only if it disappears.
 *
 * <table>
 *   <caption>Failures</caption>
 *   <tr><th>Cause</th><th>{@link StoreException#isTemporary()}</th></tr>
 *   <tr><td>disk full, permission denied, any other I/O error</td><td>true</td></tr>
 *   <tr><td>the mailbox path or one of its parents is not a directory; bad or empty mail location</td>
 *       <td>false</td></tr>
 * </table>
 *
 * <p>Thread-safe: any number of threads may deliver at once, also into one Maildir; their fsyncs run in
 * parallel. Relative mail locations are resolved against {@link Builder#mailRoot(Path)}.
 */
public final class MaildirStore implements MailStore, MailboxStore {
    private static final Logger LOG = LoggerFactory.getLogger(MaildirStore.class);

    private static final String TMP = "tmp";
    private static final String NEW = "new";
    private static final String CUR = "cur";
    private static final int MAX_ATTEMPTS = 8;
    private static final Set<OpenOption> CREATE_OPTIONS =
            Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, StandardOpenOption.READ);
    private static final FileAttribute<Set<PosixFilePermission>> DIR_MODE =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));
    private static final FileAttribute<Set<PosixFilePermission>> FILE_MODE =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));
    private static final FileAttribute<?>[] NO_ATTRIBUTES = new FileAttribute<?>[0];

    private final String hostname;
    private final UniqueNames names;
    private final Path mailRoot;
    private final boolean fsync;
    private final FileAttribute<?>[] dirAttributes;
    private final FileAttribute<?>[] fileAttributes;
    private final Set<Path> ready = ConcurrentHashMap.newKeySet();
    /** One group commit per {@code new/} directory: concurrent deliveries share its fsync. */
    private final Map<Path, GroupSync> newDirectorySyncs = new ConcurrentHashMap<>();
    private volatile boolean linkUnsupported;
    /** Per-folder locks and IDLE watchers of the {@link UserMailboxes} this store hands out. */
    private final SharedFolders folders = new SharedFolders();

    private MaildirStore(Builder builder) {
        this.hostname = builder.hostname != null ? builder.hostname : localHostname();
        this.names = new UniqueNames(hostname);
        this.mailRoot = builder.mailRoot.toAbsolutePath();
        this.fsync = builder.fsync;
        boolean posix = mailRoot.getFileSystem().supportedFileAttributeViews().contains("posix");
        this.dirAttributes = posix ? new FileAttribute<?>[] {DIR_MODE} : NO_ATTRIBUTES;
        this.fileAttributes = posix ? new FileAttribute<?>[] {FILE_MODE} : NO_ATTRIBUTES;
    }

    /** A store with the defaults: this machine's host name, fsync on, relative locations against the cwd. */
    public static MaildirStore create() {
        return builder().build();
    }

    /** A builder with the defaults of {@link #create()}. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public String kind() {
        return "maildir";
    }

    /** The host name in the unique file names, before escaping. */
    public String hostname() {
        return hostname;
    }

    @Override
    public void deliver(MailUser user, MessageContent content) throws StoreException {
        Path maildir = maildirOf(user);
        deliverTo(maildir, content);
        folders.changed(maildir);
    }

    @Override
    public Maildrop openMaildrop(MailUser user) throws StoreException {
        return MaildirMaildrop.open(maildirOf(user), fsync);
    }

    /**
     * The user's Maildir++ folders for IMAP (see {@link MaildirMailboxes}): INBOX is the mail location, folders are
     * its {@code .name} subdirectories. Sessions of one store share per-folder locks and change notifications;
     * {@link #deliver} notifies the watchers of the INBOX.
     */
    @Override
    public UserMailboxes openMailboxes(MailUser user) throws StoreException {
        return new MaildirMailboxes(maildirOf(user),
                new MaildirContext(names, fsync, dirAttributes, fileAttributes, folders));
    }

    /** Delivers into the Maildir {@code maildir}; returns the file created in {@code new/}. */
    Path deliverTo(Path maildir, MessageContent content) throws StoreException {
        Objects.requireNonNull(content, "content");
        String stage = "create maildir";
        Path path = maildir;
        Path tmp = null;
        Path delivered = null;
        try {
            ensureLayout(maildir);
            stage = "create maildir file";
            String base = names.next();
            path = tmp = maildir.resolve(TMP).resolve(base);
            FileChannel channel = openNew(maildir, tmp);
            MaildirName name;
            stage = "write maildir file";
            try (channel) {
                long size = content.transferTo(channel);
                long lineFeeds = LineFeeds.count(channel, size);
                if (fsync) {
                    stage = "fsync maildir file";
                    channel.force(true);
                }
                name = MaildirName.of(base, size, size + lineFeeds);
            }
            stage = "link maildir file";
            path = maildir.resolve(NEW);
            delivered = publish(maildir, tmp, name);
            if (fsync) {
                stage = "fsync maildir directory";
                newDirectorySyncs.computeIfAbsent(path, dir -> new GroupSync(() -> syncDirectory(dir))).sync();
            }
            return delivered;
        } catch (IOException | UncheckedIOException e) {
            if (delivered != null) {
                // new/ could not be made durable: withdraw the message, so that the sender's retry is no duplicate
                deleteQuietly(delivered);
            }
            IOException cause = e instanceof UncheckedIOException ? ((UncheckedIOException) e).getCause()
                    : (IOException) e;
            throw failure(stage, path, cause);
        } finally {
            if (tmp != null) {
                deleteQuietly(tmp);
            }
        }
    }

    private FileChannel openNew(Path maildir, Path tmp) throws IOException {
        for (int attempt = 1; ; attempt++) {
            try {
                return FileChannel.open(tmp, CREATE_OPTIONS, fileAttributes);
            } catch (NoSuchFileException e) {
                // tmp/ vanished since we cached the layout (someone removed the Maildir): make it again
                if (attempt >= 2) {
                    throw e;
                }
                ready.remove(maildir);
                ensureLayout(maildir);
            }
        }
    }

    /** Links {@code tmp} into {@code new/}, choosing another unique name if the name is taken. */
    private Path publish(Path maildir, Path tmp, MaildirName name) throws IOException {
        Path newDir = maildir.resolve(NEW);
        MaildirName current = name;
        for (int attempt = 1; ; attempt++) {
            Path target = newDir.resolve(current.fileName());
            try {
                if (linkUnsupported) {
                    moveNoReplace(tmp, target);
                } else {
                    Files.createLink(target, tmp);
                }
                return target;
            } catch (FileAlreadyExistsException e) {
                if (attempt >= MAX_ATTEMPTS) {
                    throw e;
                }
                current = MaildirName.of(names.next(), name.size().getAsLong(), name.wireSize().getAsLong());
            } catch (NoSuchFileException e) {
                if (attempt >= 2) {
                    throw e;
                }
                ready.remove(maildir);
                ensureLayout(maildir);
            } catch (UnsupportedOperationException e) {
                noLinks(e.toString());
            } catch (FileSystemException e) {
                String reason = String.valueOf(e.getReason());
                if (linkUnsupported || !(reason.contains("not permitted") || reason.contains("not supported"))) {
                    throw e;
                }
                noLinks(reason);
            }
        }
    }

    private void noLinks(String reason) {
        if (!linkUnsupported) {
            LOG.warn("hard links unavailable under {} ({}); falling back to rename without replace", mailRoot,
                    reason);
        }
        linkUnsupported = true;
    }

    private static void moveNoReplace(Path tmp, Path target) throws IOException {
        // Not atomic against a concurrent creator of the same name, but names are unique per process and host.
        if (Files.exists(target)) {
            throw new FileAlreadyExistsException(target.toString());
        }
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Creates {@code maildir} with {@code cur/ new/ tmp/} if missing; cheap once the layout has been seen. */
    private void ensureLayout(Path maildir) throws IOException {
        if (ready.contains(maildir)) {
            return;
        }
        if (!Files.isDirectory(maildir)) {
            try {
                Files.createDirectories(maildir, dirAttributes);
            } catch (FileAlreadyExistsException e) {
                throw new NotDirectoryException(maildir.toString());
            }
        }
        for (String sub : new String[] {TMP, NEW, CUR}) {
            Path dir = maildir.resolve(sub);
            try {
                Files.createDirectory(dir, dirAttributes);
            } catch (FileAlreadyExistsException e) {
                if (!Files.isDirectory(dir)) {
                    throw new NotDirectoryException(dir.toString());
                }
            }
        }
        if (fsync) {
            // Make the layout's directory entries durable before the first delivery into it is acknowledged,
            // whoever created them: another thread may have made them a moment ago and not have synced them yet.
            // Once per Maildir and process: the Maildir and its parents, up to the mail root's parent.
            Path stop = maildir.startsWith(mailRoot) ? mailRoot.getParent() : null;
            for (Path dir = maildir; dir != null && !dir.equals(stop); dir = dir.getParent()) {
                syncDirectory(dir);
            }
        }
        ready.add(maildir);
    }

    private Path maildirOf(MailUser user) throws StoreException {
        String location = user.mailLocation();
        if (location.isBlank()) {
            throw new StoreException("user " + user.name() + " has no mail location", false, null);
        }
        try {
            return mailRoot.resolve(location).normalize();
        } catch (InvalidPathException e) {
            throw new StoreException("bad mail location for user " + user.name() + ": " + e.getReason(), false, e);
        }
    }

    static void syncDirectory(Path dir) throws IOException {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.warn("cannot remove {}: {}", file, reason(e));
        }
    }

    private static StoreException failure(String stage, Path path, IOException e) {
        boolean permanent = isNotDirectory(e);
        return new StoreException(stage + " " + path + ": " + reason(e), !permanent, e);
    }

    private static boolean isNotDirectory(IOException e) {
        return e instanceof NotDirectoryException
                || e instanceof FileSystemException && "Not a directory".equals(((FileSystemException) e).getReason());
    }

    /** The strerror-like reason of an I/O error, without the file name. */
    static String reason(IOException e) {
        if (e instanceof NotDirectoryException) {
            return "Not a directory";
        }
        if (e instanceof FileSystemException && ((FileSystemException) e).getReason() != null) {
            return ((FileSystemException) e).getReason();
        }
        if (e instanceof NoSuchFileException) {
            return "No such file or directory";
        }
        if (e instanceof AccessDeniedException) {
            return "Permission denied";
        }
        if (e instanceof FileAlreadyExistsException) {
            return "File exists";
        }
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }

    static String localHostname() {
        try {
            String name = Files.readString(Path.of("/proc/sys/kernel/hostname")).trim();
            if (!name.isEmpty()) {
                return name;
            }
        } catch (IOException | RuntimeException ignored) {
            // not Linux: try the next source
        }
        String env = System.getenv("HOSTNAME");
        if (env != null && !env.isBlank()) {
            return env.trim();
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "localhost";
        }
    }

    /** Settings of a {@link MaildirStore}. Not thread-safe. */
    public static final class Builder {
        private String hostname;
        private Path mailRoot = Path.of("");
        private boolean fsync = true;

        private Builder() {
        }

        /** The host name in unique file names; default: this machine's name ({@code gethostname}). */
        public Builder hostname(String hostname) {
            Objects.requireNonNull(hostname, "hostname");
            if (hostname.isBlank()) {
                throw new IllegalArgumentException("hostname is blank");
            }
            this.hostname = hostname;
            return this;
        }

        /** The directory relative mail locations are resolved against; default: the working directory. */
        public Builder mailRoot(Path mailRoot) {
            this.mailRoot = Objects.requireNonNull(mailRoot, "mailRoot");
            return this;
        }

        /**
         * Whether to fsync files and directories (default true). Turning it off gives up durability: only for
         * tests and benchmarks.
         */
        public Builder fsync(boolean fsync) {
            this.fsync = fsync;
            return this;
        }

        /** The store; the host name is looked up now if none was given. */
        public MaildirStore build() {
            return new MaildirStore(this);
        }
    }
}
