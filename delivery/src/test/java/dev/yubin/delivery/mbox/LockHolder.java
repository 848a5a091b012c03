package dev.yubin.delivery.mbox;

import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A separate process holding an fcntl lock on a file, as another mail program would: prints {@code locked}, holds
 * the lock for the given milliseconds (or until its input closes), then exits.
 */
public final class LockHolder {
    private LockHolder() {
    }

    public static void main(String[] args) throws Exception {
        try (FileChannel channel = FileChannel.open(Path.of(args[0]), StandardOpenOption.READ,
                StandardOpenOption.WRITE); FileLock lock = channel.lock()) {
            System.out.println("locked");
            System.out.flush();
            long until = System.currentTimeMillis() + Long.parseLong(args[1]);
            while (System.currentTimeMillis() < until) {
                if (System.in.available() < 0) {
                    break;
                }
                Thread.sleep(10);
            }
        }
    }
}
