package dev.yubin.core.user;

import java.util.Objects;

/**
 * A local user who can receive mail. Immutable and thread-safe.
 *
 * @param name the login name, e.g. {@code abe} or {@code abe@example1.jp}
 * @param mailLocation where the user's mail lives, interpreted by the {@link dev.yubin.core.store.MailStore}
 *     (for Maildir: the directory that holds {@code cur/ new/ tmp/}, e.g. {@code /home/abe/Maildir/})
 */
public record MailUser(String name, String mailLocation) {
    /** Checks that neither component is {@code null} and the name is not empty. */
    public MailUser {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(mailLocation, "mailLocation");
        if (name.isEmpty()) {
            throw new IllegalArgumentException("user name is empty");
        }
    }
}
