package dev.yubin.delivery.maildir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;

/**
 * Replaces a small file atomically: write {@code <name>.tmp}, fsync it, rename it over {@code <name>}, fsync the
 * directory. A crash leaves either the old or the new file (and maybe a stale {@code .tmp}, overwritten next time).
 * Callers hold the lock that guards the file, since the temp name is fixed.
 */
final class AtomicFiles {
    private AtomicFiles() {
    }

    static void replace(Path file, byte[] bytes, boolean fsync, FileAttribute<?>[] attributes) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        try (FileChannel channel = FileChannel.open(tmp, java.util.Set.of(StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE), attributes)) {
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            if (fsync) {
                channel.force(true);
            }
        }
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        if (fsync) {
            MaildirStore.syncDirectory(file.getParent());
        }
    }
}
