package dev.yubin.delivery.queue;

import dev.yubin.core.log.MailLog;
import dev.yubin.core.message.Envelope;
import dev.yubin.core.message.MessageContent;
import dev.yubin.core.message.QueueId;
import dev.yubin.core.store.StoreException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link QueueStore} on local disk in a Postfix-like {@code queue_directory}: one file per message, named by
 * its queue id, in {@code incoming/}, {@code active/} or {@code deferred/}. A file holds a versioned text header
 * with the envelope (its first line is {@code YUBIN-QUEUE 1}), the content as received, then the recipient status
 * records appended by updates, each with a checksum so that a torn last record is recognised and ignored.
 *
 * <table>
 *   <caption>Layout</caption>
 *   <tr><th>path</th><th>holds</th></tr>
 *   <tr><td>{@code incoming/}</td><td>messages being written; whatever is left there at start-up was never
 *       acknowledged and is discarded, with a log line</td></tr>
 *   <tr><td>{@code active/}, {@code deferred/}</td><td>queued messages, by {@link QueueState}</td></tr>
 *   <tr><td>{@code corrupt/}</td><td>files that failed to parse, moved aside with a WARN (as Postfix does)</td></tr>
 *   <tr><td>{@code lock}</td><td>held while the store is open: one process per queue directory</td></tr>
 * </table>
 *
 * <p>Durability: {@link #stage} writes the file in {@code incoming/} and fsyncs it; {@link StagedMessage#commit}
 * renames it into its state's directory and fsyncs that directory. {@code incoming/} itself is not synced:
 * nothing there survives a restart anyway. A move fsyncs both directories, so that a crash never leaves a message
 * in two states; a removal fsyncs its directory. Status updates append a record and fdatasync the file.
 *
 * <p>Thread-safe. Writes of different messages run in parallel, each fsync on its caller's thread (the file
 * system's journal commits concurrent fsyncs together); operations on one message are serialised by a lock
 * striped by queue id. Contents are streamed with {@link MessageContent#transferTo}, never held in memory.
 */
public final class FileQueueStore implements QueueStore {
    private static final Logger LOG = LoggerFactory.getLogger(FileQueueStore.class);

    private static final String INCOMING = "incoming";
    private static final String CORRUPT = "corrupt";
    private static final String LOCK = "lock";
    private static final Set<OpenOption> CREATE_OPTIONS = Set.of(StandardOpenOption.CREATE_NEW,
            StandardOpenOption.WRITE);
    private static final FileAttribute<Set<PosixFilePermission>> DIR_MODE =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));
    private static final FileAttribute<Set<PosixFilePermission>> FILE_MODE =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));

    private final Path directory;
    private final Path incoming;
    private final Path corrupt;
    private final Map<QueueState, Path> states = new EnumMap<>(QueueState.class);
    private final boolean fsync;
    private final FileAttribute<?>[] dirAttributes;
    private final FileAttribute<?>[] fileAttributes;
    private final Object[] stripes = new Object[64];
    private final FileChannel lockChannel;
    private volatile boolean closed;

    private FileQueueStore(Builder builder) throws StoreException {
        this.directory = builder.directory.toAbsolutePath().normalize();
        this.fsync = builder.fsync;
        this.incoming = directory.resolve(INCOMING);
        this.corrupt = directory.resolve(CORRUPT);
        for (QueueState state : QueueState.values()) {
            states.put(state, directory.resolve(state.name().toLowerCase(Locale.ROOT)));
        }
        for (int i = 0; i < stripes.length; i++) {
            stripes[i] = new Object();
        }
        boolean posix = directory.getFileSystem().supportedFileAttributeViews().contains("posix");
        this.dirAttributes = posix ? new FileAttribute<?>[] {DIR_MODE} : new FileAttribute<?>[0];
        this.fileAttributes = posix ? new FileAttribute<?>[] {FILE_MODE} : new FileAttribute<?>[0];
        createLayout();
        this.lockChannel = lock();
        try {
            discardIncoming();
            resolveDuplicates();
        } catch (StoreException e) {
            close();
            throw e;
        } catch (IOException | UncheckedIOException e) {
            close();
            throw failure("recover queue", directory, e);
        }
    }

    /** Opens (creating if needed) the queue in {@code queueDirectory}, with fsync on. */
    public static FileQueueStore open(Path queueDirectory) throws StoreException {
        return builder(queueDirectory).open();
    }

    /** A builder for the queue in {@code queueDirectory}, fsync on; {@link Builder#open()} opens it. */
    public static Builder builder(Path queueDirectory) {
        return new Builder(queueDirectory);
    }

    /** The queue directory, absolute. */
    public Path directory() {
        return directory;
    }

    @Override
    public StagedMessage stage(Envelope envelope, MessageContent content) throws StoreException {
        Objects.requireNonNull(envelope, "envelope");
        Objects.requireNonNull(content, "content");
        checkOpen();
        Path file = incoming.resolve(envelope.queueId().value());
        byte[] header = QueueFile.header(envelope, content.size());
        boolean created = false;
        String stage = "create queue file";
        try (FileChannel channel = FileChannel.open(file, CREATE_OPTIONS, fileAttributes)) {
            created = true;
            stage = "write queue file";
            MessageContent.writeFully(channel, ByteBuffer.wrap(header));
            long written = content.transferTo(channel);
            if (written != content.size()) {
                throw new IOException("content gave " + written + " bytes, its size is " + content.size());
            }
            if (fsync) {
                stage = "fsync queue file";
                channel.force(true);
            }
        } catch (IOException | UncheckedIOException e) {
            if (created) {
                deleteQuietly(file);
            }
            throw failure(stage, file, e);
        }
        return new Staged(envelope, content.size(), file);
    }

    @Override
    public List<QueueEntry> list() throws StoreException {
        checkOpen();
        Map<QueueId, QueueEntry> entries = new TreeMap<>();
        for (QueueState state : QueueState.values()) {
            for (Path file : files(states.get(state))) {
                Optional<QueueId> id = queueIdOf(file);
                if (id.isEmpty() || entries.containsKey(id.get())) {
                    continue; // seen twice while it moved during the listing
                }
                try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
                    entries.put(id.get(), entry(read(channel, id.get()), state));
                } catch (NoSuchFileException e) {
                    // moved or removed since the directory was listed; a snapshot may miss it
                } catch (QueueFile.CorruptException e) {
                    quarantine(id.get(), file, e);
                } catch (IOException e) {
                    throw failure("read queue file", file, e);
                }
            }
        }
        return List.copyOf(entries.values());
    }

    @Override
    public Optional<QueuedMessage> open(QueueId queueId) throws StoreException {
        checkOpen();
        synchronized (stripe(queueId)) {
            for (QueueState state : QueueState.values()) {
                Path file = states.get(state).resolve(queueId.value());
                FileChannel channel;
                try {
                    channel = FileChannel.open(file, StandardOpenOption.READ);
                } catch (NoSuchFileException e) {
                    continue;
                } catch (IOException e) {
                    throw failure("open queue file", file, e);
                }
                try {
                    QueueFile.Parsed parsed = read(channel, queueId);
                    return Optional.of(new QueuedMessage(entry(parsed, state),
                            new ChannelContent(channel, parsed.contentOffset(), parsed.size())));
                } catch (IOException e) {
                    closeQuietly(channel);
                    throw readFailure(queueId, file, e);
                }
            }
        }
        return Optional.empty();
    }

    @Override
    public void updateRecipients(QueueId queueId, Map<Integer, RecipientStatus> statuses) throws StoreException {
        checkOpen();
        if (statuses.isEmpty()) {
            return;
        }
        synchronized (stripe(queueId)) {
            Path file = locate(queueId);
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                QueueFile.Parsed parsed = read(channel, queueId);
                ByteArrayOutputStream records = new ByteArrayOutputStream();
                for (Map.Entry<Integer, RecipientStatus> e : new TreeMap<>(statuses).entrySet()) {
                    int index = e.getKey();
                    if (index < 0 || index >= parsed.statuses().size()) {
                        throw new IllegalArgumentException(queueId + " has no recipient " + index);
                    }
                    records.writeBytes(QueueFile.statusRecord(index, Objects.requireNonNull(e.getValue())));
                }
                if (channel.size() > parsed.end()) {
                    LOG.info("{}: dropping a torn status record of {} bytes", queueId, channel.size() - parsed.end());
                    channel.truncate(parsed.end());
                }
                ByteBuffer buffer = ByteBuffer.wrap(records.toByteArray());
                for (long position = parsed.end(); buffer.hasRemaining(); ) {
                    position += channel.write(buffer, position);
                }
                if (fsync) {
                    channel.force(false); // fdatasync: the data and the new file size
                }
            } catch (IOException e) {
                throw readFailure(queueId, file, e);
            }
        }
    }

    @Override
    public void move(QueueId queueId, QueueState state) throws StoreException {
        checkOpen();
        synchronized (stripe(queueId)) {
            Path from = locate(queueId);
            Path toDirectory = states.get(state);
            if (from.getParent().equals(toDirectory)) {
                return;
            }
            try {
                Files.move(from, toDirectory.resolve(queueId.value()), StandardCopyOption.ATOMIC_MOVE);
                if (fsync) {
                    syncDirectory(toDirectory);
                    syncDirectory(from.getParent());
                }
            } catch (IOException e) {
                throw failure("move queue file", from, e);
            }
        }
    }

    @Override
    public boolean remove(QueueId queueId) throws StoreException {
        checkOpen();
        synchronized (stripe(queueId)) {
            Optional<Path> file = find(queueId);
            if (file.isEmpty()) {
                return false;
            }
            try {
                Files.delete(file.get());
                if (fsync) {
                    syncDirectory(file.get().getParent());
                }
            } catch (NoSuchFileException e) {
                return false;
            } catch (IOException e) {
                throw failure("remove queue file", file.get(), e);
            }
        }
        MailLog.slf4j().qmgr().info("{}: removed", queueId);
        return true;
    }

    /** Releases the queue directory's lock. Messages being read stay readable. */
    @Override
    public void close() {
        closed = true;
        closeQuietly(lockChannel); // closing the channel releases its lock
    }

    private void createLayout() throws StoreException {
        Path current = directory;
        try {
            if (!Files.isDirectory(directory)) {
                Files.createDirectories(directory, dirAttributes);
            }
            List<Path> subdirectories = new ArrayList<>(states.values());
            subdirectories.add(incoming);
            subdirectories.add(corrupt);
            for (Path dir : subdirectories) {
                current = dir;
                try {
                    Files.createDirectory(dir, dirAttributes);
                } catch (FileAlreadyExistsException e) {
                    if (!Files.isDirectory(dir)) {
                        throw new NotDirectoryException(dir.toString());
                    }
                }
            }
            if (fsync) {
                current = directory;
                syncDirectory(directory);
                if (directory.getParent() != null) {
                    syncDirectory(directory.getParent());
                }
            }
        } catch (IOException e) {
            throw new StoreException("create queue directory " + current + ": " + reason(e),
                    !(e instanceof NotDirectoryException), e);
        }
    }

    private FileChannel lock() throws StoreException {
        Path file = directory.resolve(LOCK);
        FileChannel channel = null;
        try {
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock = channel.tryLock();
            if (lock == null) {
                throw new OverlappingFileLockException();
            }
            return channel;
        } catch (OverlappingFileLockException e) {
            closeQuietly(channel);
            throw new StoreException("queue directory " + directory + " is in use by another queue store", false,
                    null);
        } catch (IOException e) {
            closeQuietly(channel);
            throw failure("lock queue directory", file, e);
        }
    }

    /** Messages left in incoming/ were never acknowledged to a client: the client will send them again. */
    private void discardIncoming() throws IOException, StoreException {
        List<Path> leftovers = files(incoming);
        for (Path file : leftovers) {
            long size = Files.size(file);
            Files.delete(file);
            MailLog.slf4j().qmgr().info("{}: discarded from incoming, never acknowledged ({} bytes)",
                    file.getFileName(), size);
        }
        if (fsync && !leftovers.isEmpty()) {
            syncDirectory(incoming);
        }
    }

    /** A crash during a move may leave one file under two names; keep the active one. */
    private void resolveDuplicates() throws IOException, StoreException {
        Path active = states.get(QueueState.ACTIVE);
        Path deferred = states.get(QueueState.DEFERRED);
        boolean changed = false;
        for (Path file : files(deferred)) {
            if (Files.exists(active.resolve(file.getFileName()))) {
                Files.delete(file);
                changed = true;
                LOG.info("{}: found in active and deferred after a restart; kept in active", file.getFileName());
            }
        }
        if (changed && fsync) {
            syncDirectory(deferred);
        }
    }

    private List<Path> files(Path dir) throws StoreException {
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
            for (Path file : stream) {
                if (!file.getFileName().toString().startsWith(".")) {
                    files.add(file);
                }
            }
        } catch (IOException e) {
            throw failure("list queue directory", dir, e);
        }
        files.sort(null);
        return files;
    }

    private Optional<QueueId> queueIdOf(Path file) {
        try {
            return Optional.of(new QueueId(file.getFileName().toString()));
        } catch (IllegalArgumentException e) {
            LOG.warn("{} is not a queue file name; ignored", file);
            return Optional.empty();
        }
    }

    private static QueueFile.Parsed read(FileChannel channel, QueueId expected) throws IOException {
        QueueFile.Parsed parsed = QueueFile.read(channel);
        if (!parsed.envelope().queueId().equals(expected)) {
            throw new QueueFile.CorruptException("file of " + expected + " holds " + parsed.envelope().queueId());
        }
        return parsed;
    }

    private static QueueEntry entry(QueueFile.Parsed parsed, QueueState state) {
        return new QueueEntry(parsed.envelope(), state, parsed.size(), parsed.statuses());
    }

    private Optional<Path> find(QueueId queueId) {
        for (Path dir : states.values()) {
            Path file = dir.resolve(queueId.value());
            if (Files.exists(file)) {
                return Optional.of(file);
            }
        }
        return Optional.empty();
    }

    private Path locate(QueueId queueId) throws StoreException {
        return find(queueId).orElseThrow(() -> new StoreException(queueId + ": no such message in the queue",
                false, null));
    }

    private Object stripe(QueueId queueId) {
        return stripes[Math.floorMod(queueId.hashCode(), stripes.length)];
    }

    private StoreException readFailure(QueueId queueId, Path file, IOException e) {
        if (e instanceof QueueFile.CorruptException) {
            quarantine(queueId, file, e);
            return new StoreException(queueId + ": queue file is corrupt: " + e.getMessage(), false, e);
        }
        return failure("read queue file", file, e);
    }

    private void quarantine(QueueId queueId, Path file, IOException why) {
        synchronized (stripe(queueId)) {
            Path target = corrupt.resolve(file.getFileName());
            try {
                if (Files.exists(target)) {
                    target = corrupt.resolve(file.getFileName() + "." + System.currentTimeMillis());
                }
                Files.move(file, target, StandardCopyOption.ATOMIC_MOVE);
                LOG.warn("{}: queue file {} is corrupt ({}); moved to {}", queueId, file, why.getMessage(), target);
            } catch (NoSuchFileException e) {
                // gone already
            } catch (IOException e) {
                LOG.warn("{}: queue file {} is corrupt ({}) and cannot be moved aside: {}", queueId, file,
                        why.getMessage(), reason(e));
            }
        }
    }

    private void checkOpen() throws StoreException {
        if (closed) {
            throw new StoreException("queue store " + directory + " is closed", true, null);
        }
    }

    private static void syncDirectory(Path dir) throws IOException {
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

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // nothing was written through it
            }
        }
    }

    private static StoreException failure(String stage, Path path, Exception e) {
        IOException cause = e instanceof UncheckedIOException ? ((UncheckedIOException) e).getCause()
                : (IOException) e;
        return new StoreException(stage + " " + path + ": " + reason(cause), true, cause);
    }

    /** The strerror-like reason of an I/O error, without the file name. */
    private static String reason(IOException e) {
        if (e instanceof FileSystemException && ((FileSystemException) e).getReason() != null) {
            return ((FileSystemException) e).getReason();
        }
        if (e instanceof NoSuchFileException) {
            return "No such file or directory";
        }
        if (e instanceof FileAlreadyExistsException) {
            return "File exists";
        }
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }

    /** A message written to {@code incoming/}, waiting for its commit. */
    private final class Staged implements StagedMessage {
        private final Envelope envelope;
        private final long size;
        private final Path file;
        private boolean committed;
        private boolean closed;

        Staged(Envelope envelope, long size, Path file) {
            this.envelope = envelope;
            this.size = size;
            this.file = file;
        }

        @Override
        public QueueId queueId() {
            return envelope.queueId();
        }

        @Override
        public void commit(QueueState state) throws StoreException {
            if (committed || closed) {
                throw new IllegalStateException(queueId() + " is already " + (committed ? "committed" : "closed"));
            }
            checkOpen();
            QueueId id = queueId();
            Path directory = states.get(state);
            Path target = directory.resolve(id.value());
            synchronized (stripe(id)) {
                if (find(id).isPresent()) {
                    throw new StoreException(id + ": queue id is already queued", true, null);
                }
                try {
                    Files.move(file, target, StandardCopyOption.ATOMIC_MOVE);
                } catch (IOException e) {
                    throw failure("move queue file", file, e);
                }
            }
            if (fsync) {
                try {
                    syncDirectory(directory);
                } catch (IOException e) {
                    // not known to be durable: withdraw it, so that the client's retry is no duplicate
                    synchronized (stripe(id)) {
                        deleteQuietly(target);
                    }
                    closed = true;
                    throw failure("fsync queue directory", directory, e);
                }
            }
            committed = true; // the queue manager in front logs the message (RoutingSink's from= line)
        }

        @Override
        public void close() {
            if (!committed && !closed) {
                deleteQuietly(file);
            }
            closed = true;
        }
    }

    /** Settings of a {@link FileQueueStore}. Not thread-safe. */
    public static final class Builder {
        private final Path directory;
        private boolean fsync = true;

        private Builder(Path directory) {
            this.directory = Objects.requireNonNull(directory, "directory");
        }

        /**
         * Whether to fsync files and directories (default true). Turning it off gives up durability: only for
         * tests and benchmarks.
         */
        public Builder fsync(boolean fsync) {
            this.fsync = fsync;
            return this;
        }

        /**
         * Creates the layout if needed, locks the directory, discards what {@code incoming/} holds and returns the
         * store.
         *
         * @throws StoreException if the directory cannot be made or is in use by another store
         */
        public FileQueueStore open() throws StoreException {
            return new FileQueueStore(this);
        }
    }
}
