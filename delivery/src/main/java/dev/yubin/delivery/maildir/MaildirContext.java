package dev.yubin.delivery.maildir;

import java.nio.file.attribute.FileAttribute;

/** The settings of a {@link MaildirStore} that its mailboxes share. Immutable. */
record MaildirContext(UniqueNames names, boolean fsync, FileAttribute<?>[] dirAttributes,
        FileAttribute<?>[] fileAttributes, SharedFolders folders) {
}
