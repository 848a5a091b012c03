package dev.yubin.delivery.maildir;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import dev.yubin.core.message.ContentSpool;
import dev.yubin.core.message.MessageContent;
import dev.yubin.core.store.StoreException;
import dev.yubin.core.user.MailUser;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MaildirStoreTest {
    private static final String MESSAGE = "From: kato@example1.jp\nSubject: hi\n\nhello! postfix!\n";

    @TempDir
    Path root;

    private final MaildirStore store = MaildirStore.builder().hostname("mx.example1.jp").build();

    private MailUser abe() {
        return new MailUser("abe", root.resolve("abe/Maildir/").toString());
    }

    @Test
    void firstDeliveryCreatesLayoutAndWritesExactBytesIntoNew() throws Exception {
        store.deliver(abe(), MessageContent.ofBytes(MESSAGE.getBytes(UTF_8)));

        Path maildir = root.resolve("abe/Maildir");
        for (String sub : new String[] {"cur", "new", "tmp"}) {
            assertTrue(Files.isDirectory(maildir.resolve(sub)), sub);
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(
                    maildir.resolve(sub))));
        }
        List<Path> files = list(maildir.resolve("new"));
        assertEquals(1, files.size());
        assertEquals(MESSAGE, Files.readString(files.get(0)));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(files.get(0))));
        assertEquals(List.of(), list(maildir.resolve("tmp")));
        assertEquals(List.of(), list(maildir.resolve("cur")));
    }

    @Test
    void fileNameCarriesUniqueBaseSizeAndCrlfSize() throws Exception {
        byte[] bytes = MESSAGE.getBytes(UTF_8);
        Path file = store.deliverTo(root.resolve("m"), MessageContent.ofBytes(bytes));
        MaildirName name = MaildirName.parse(file.getFileName().toString()).orElseThrow();
        assertEquals(bytes.length, name.size().getAsLong());
        assertEquals(bytes.length + 4, name.wireSize().getAsLong());
        assertTrue(name.base().matches("\\d{10}\\.M\\d{1,6}P" + ProcessHandle.current().pid()
                + "Q\\d+\\.mx\\.example1\\.jp"), name.base());
        assertEquals(Files.size(file), name.size().getAsLong());
    }

    @Test
    void emptyMessageHasZeroSizes() throws Exception {
        Path file = store.deliverTo(root.resolve("m"), MessageContent.ofBytes(new byte[0]));
        assertTrue(file.getFileName().toString().endsWith(",S=0,W=0"), file.toString());
    }

    @Test
    void hostNameIsEscapedInFileNames() throws Exception {
        MaildirStore odd = MaildirStore.builder().hostname("a/b:c").build();
        Path file = odd.deliverTo(root.resolve("m"), MessageContent.ofBytes(new byte[] {'x'}));
        assertTrue(file.getFileName().toString().contains(".a\\057b\\072c,S=1,W=1"), file.toString());
    }

    @Test
    void concurrentDeliveriesIntoOneMaildirAreUniqueAndIntact() throws Exception {
        int threads = 16;
        int perThread = 200;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                futures.add(pool.submit(() -> {
                    for (int i = 0; i < perThread; i++) {
                        byte[] body = ("X-Id: " + thread + "-" + i + "\n\nline\n").getBytes(UTF_8);
                        store.deliver(abe(), MessageContent.ofBytes(body));
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        Path maildir = root.resolve("abe/Maildir");
        List<Path> files = list(maildir.resolve("new"));
        assertEquals(threads * perThread, files.size());
        Set<String> ids = new HashSet<>();
        Set<String> bases = new HashSet<>();
        for (Path file : files) {
            String text = Files.readString(file);
            String id = text.substring("X-Id: ".length(), text.indexOf('\n'));
            assertEquals("X-Id: " + id + "\n\nline\n", text);
            assertTrue(ids.add(id), "duplicate content " + id);
            MaildirName name = MaildirName.parse(file.getFileName().toString()).orElseThrow();
            assertTrue(bases.add(name.base()));
            assertEquals(text.length(), name.size().getAsLong());
            assertEquals(text.length() + 3, name.wireSize().getAsLong());
        }
        assertEquals(List.of(), list(maildir.resolve("tmp")));
    }

    @Test
    void failingContentLeavesNothingInTmpOrNew() throws Exception {
        MessageContent broken = new FailingContent(10_000);
        StoreException e = assertThrows(StoreException.class, () -> store.deliver(abe(), broken));
        assertTrue(e.isTemporary());
        assertTrue(e.getMessage().contains("disk on fire"), e.getMessage());
        Path maildir = root.resolve("abe/Maildir");
        assertEquals(List.of(), list(maildir.resolve("tmp")));
        assertEquals(List.of(), list(maildir.resolve("new")));

        store.deliver(abe(), MessageContent.ofBytes(MESSAGE.getBytes(UTF_8)));
        assertEquals(1, list(maildir.resolve("new")).size());
        assertEquals(List.of(), list(maildir.resolve("tmp")));
    }

    @Test
    void mailboxPathThatIsARegularFileIsAPermanentFailure() throws Exception {
        Path file = Files.writeString(root.resolve("Maildir"), "not a directory");
        StoreException e = assertThrows(StoreException.class,
                () -> store.deliver(new MailUser("abe", file.toString()), MessageContent.ofBytes(new byte[] {1})));
        assertFalse(e.isTemporary());
        assertTrue(e.getMessage().contains("Not a directory"), e.getMessage());
    }

    @Test
    void parentThatIsARegularFileIsAPermanentFailure() throws Exception {
        Files.writeString(root.resolve("home"), "x");
        StoreException e = assertThrows(StoreException.class, () -> store.deliver(
                new MailUser("abe", root.resolve("home/Maildir/").toString()), MessageContent.ofBytes(new byte[1])));
        assertFalse(e.isTemporary(), e.getMessage());
    }

    @Test
    void subdirectoryThatIsAFileIsAPermanentFailure() throws Exception {
        Path maildir = Files.createDirectories(root.resolve("m"));
        Files.writeString(maildir.resolve("new"), "x");
        StoreException e = assertThrows(StoreException.class,
                () -> store.deliverTo(maildir, MessageContent.ofBytes(new byte[1])));
        assertFalse(e.isTemporary(), e.getMessage());
        assertEquals(List.of(), list(maildir.resolve("tmp")));
    }

    @Test
    void unwritableMaildirIsATemporaryFailure() throws Exception {
        Path maildir = root.resolve("m");
        store.deliverTo(maildir, MessageContent.ofBytes(new byte[1]));
        Files.setPosixFilePermissions(maildir.resolve("tmp"), PosixFilePermissions.fromString("r-x------"));
        try {
            assumeFalse(Files.isWritable(maildir.resolve("tmp")), "running as root: permissions are not enforced");
            StoreException e = assertThrows(StoreException.class,
                    () -> store.deliverTo(maildir, MessageContent.ofBytes(new byte[1])));
            assertTrue(e.isTemporary());
            assertTrue(e.getMessage().contains("Permission denied"), e.getMessage());
        } finally {
            Files.setPosixFilePermissions(maildir.resolve("tmp"), PosixFilePermissions.fromString("rwx------"));
        }
    }

    @Test
    void recreatesLayoutWhenItIsRemovedAfterCaching() throws Exception {
        Path maildir = root.resolve("m");
        store.deliverTo(maildir, MessageContent.ofBytes(new byte[] {'a'}));
        deleteTree(maildir);
        store.deliverTo(maildir, MessageContent.ofBytes(new byte[] {'b'}));
        assertEquals("b", Files.readString(list(maildir.resolve("new")).get(0)));
        assertTrue(Files.isDirectory(maildir.resolve("cur")));

        // only new/ removed: the link step recreates it
        deleteTree(maildir.resolve("new"));
        store.deliverTo(maildir, MessageContent.ofBytes(new byte[] {'c'}));
        assertEquals("c", Files.readString(list(maildir.resolve("new")).get(0)));
        assertEquals(List.of(), list(maildir.resolve("tmp")));
    }

    @Test
    void relativeLocationsResolveAgainstMailRoot() throws Exception {
        MaildirStore rooted = MaildirStore.builder().hostname("h").mailRoot(root).build();
        rooted.deliver(new MailUser("abe", "example1.jp/abe/Maildir/"), MessageContent.ofBytes(new byte[] {'x'}));
        assertEquals(1, list(root.resolve("example1.jp/abe/Maildir/new")).size());
    }

    @Test
    void spooledFileContentIsCopiedWhole() throws Exception {
        Path spoolDir = Files.createDirectories(root.resolve("spool"));
        byte[] expected;
        MessageContent content;
        try (ContentSpool spool = new ContentSpool(spoolDir, ContentSpool.DEFAULT_MEMORY_THRESHOLD)) {
            StringBuilder text = new StringBuilder("Subject: big\n\n");
            for (int i = 0; text.length() < 300_000; i++) {
                text.append("line ").append(i).append(" of a large message\n");
            }
            expected = text.toString().getBytes(UTF_8);
            spool.write(expected, 0, expected.length);
            content = spool.finish();
        }
        assertTrue(list(spoolDir).size() == 1, "content must be file-backed for this test");
        try {
            Path file = store.deliverTo(root.resolve("m"), content);
            assertArrayEquals(expected, Files.readAllBytes(file));
            long lfs = new String(expected, UTF_8).chars().filter(c -> c == '\n').count();
            assertTrue(file.getFileName().toString().endsWith(",S=" + expected.length + ",W="
                    + (expected.length + lfs)), file.toString());
        } finally {
            content.close();
        }
    }

    @Test
    void withoutFsyncDeliveryStillWorks() throws Exception {
        MaildirStore fast = MaildirStore.builder().hostname("h").fsync(false).build();
        Path file = fast.deliverTo(root.resolve("m"), MessageContent.ofBytes(MESSAGE.getBytes(UTF_8)));
        assertEquals(MESSAGE, Files.readString(file));
    }

    @Test
    void kindIsMaildirAndDefaultHostnameIsSet() {
        assertEquals("maildir", store.kind());
        assertFalse(MaildirStore.create().hostname().isBlank());
    }

    private static List<Path> list(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted().collect(Collectors.toList());
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted((a, b) -> b.compareTo(a)).collect(Collectors.toList())) {
                Files.delete(p);
            }
        }
    }

    /** Content that writes some bytes and then fails, like a spool file on a dying disk. */
    private static final class FailingContent implements MessageContent {
        private final int before;

        FailingContent(int before) {
            this.before = before;
        }

        @Override
        public long size() {
            return before * 2L;
        }

        @Override
        public InputStream openStream() throws IOException {
            throw new IOException("disk on fire");
        }

        @Override
        public long transferTo(WritableByteChannel target) throws IOException {
            MessageContent.writeFully(target, ByteBuffer.wrap(new byte[before]));
            throw new IOException("disk on fire");
        }

        @Override
        public void close() {
        }
    }
}
