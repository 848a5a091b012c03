package dev.yubin.delivery.maildir;

import dev.yubin.core.message.MessageContent;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A message file as {@link MessageContent}: each read finds the file again if a flag change renamed it. Closing
 * deletes nothing. Thread-safe.
 */
final class MaildirMessageContent implements MessageContent {
    private final MaildirFolder folder;
    private volatile MaildirFolder.FileRef file;
    private final long size;

    MaildirMessageContent(MaildirFolder folder, MaildirFolder.FileRef file, long size) {
        this.folder = folder;
        this.file = file;
        this.size = size;
    }

    @Override
    public long size() {
        return size;
    }

    private Path current() throws IOException {
        MaildirFolder.FileRef found = folder.locate(file)
                .orElseThrow(() -> new NoSuchFileException(file.path(folder.dir).toString(), null,
                        "message has been expunged"));
        file = found;
        return found.path(folder.dir);
    }

    @Override
    public InputStream openStream() throws IOException {
        try {
            return Files.newInputStream(current());
        } catch (NoSuchFileException e) {
            return Files.newInputStream(current()); // renamed between locate and open
        }
    }

    @Override
    public long transferTo(WritableByteChannel target) throws IOException {
        try (FileChannel in = FileChannel.open(current(), StandardOpenOption.READ)) {
            long position = 0;
            while (position < size) {
                long n = in.transferTo(position, size - position, target);
                if (n <= 0 && in.size() <= position) {
                    throw new IOException("message file shorter than expected: " + file.name());
                }
                position += n;
            }
            return position;
        }
    }

    @Override
    public void close() {
        // the message stays in the mailbox
    }
}
