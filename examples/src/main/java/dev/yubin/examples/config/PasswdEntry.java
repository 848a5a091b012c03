package dev.yubin.examples.config;

import dev.yubin.core.address.Domain;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * One line of a Dovecot {@code passwd-file}: {@code user[@domain]:{SCHEME}secret:uid:gid:gecos:home:shell:extra},
 * the fields mail delivery needs. Parsed by the auth module ({@link dev.yubin.auth.passwd.PasswdFile}), whose user
 * name rules this record applies; the password is kept as scheme and secret, unverified (the auth module's
 * {@link dev.yubin.auth.passwd.PasswdFileUserDatabase} checks it for logins). {@link #toString()} hides the secret.
 * Immutable.
 *
 * @param line the 1-based line in the file
 * @param user the user field as written: {@code abe} (local in every {@code mydestination} domain) or
 *     {@code abe@example1.jp} (only in that domain)
 * @param scheme the password scheme in upper case ({@code PLAIN}, {@code SHA512-CRYPT}…), empty when there is no
 *     password
 * @param secret the password or hash after the scheme prefix, empty when there is none
 * @param uid the uid field (number or name), may be empty
 * @param gid the gid field (number or name), may be empty
 * @param home the home directory, absolute, or empty
 * @param extraFields Dovecot's space-separated {@code key=value} extra fields, unparsed, may be empty
 */
public record PasswdEntry(int line, String user, String scheme, String secret, String uid, String gid, String home,
        String extraFields) {

    public PasswdEntry {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(scheme, "scheme");
        Objects.requireNonNull(secret, "secret");
        Objects.requireNonNull(uid, "uid");
        Objects.requireNonNull(gid, "gid");
        Objects.requireNonNull(home, "home");
        Objects.requireNonNull(extraFields, "extraFields");
        dev.yubin.auth.passwd.PasswdEntry.requireValidUser(user);
        if (!home.isEmpty() && !home.startsWith("/")) {
            throw new IllegalArgumentException("home must be an absolute path");
        }
    }

    /** The local part, as written. */
    public String localPart() {
        int at = user.lastIndexOf('@');
        return at < 0 ? user : user.substring(0, at);
    }

    /** The domain of a {@code user@domain} entry; empty for a bare user. */
    public Optional<Domain> domain() {
        int at = user.lastIndexOf('@');
        return at < 0 ? Optional.empty() : Optional.of(Domain.of(user.substring(at + 1)));
    }

    /** Whether the entry has a password (an empty field means the user cannot log in with one). */
    public boolean hasPassword() {
        return !scheme.isEmpty();
    }

    /** The entry as the auth module's parser read it. */
    static PasswdEntry of(dev.yubin.auth.passwd.PasswdEntry entry) {
        return new PasswdEntry(entry.line(), entry.user(), entry.scheme(), entry.secret(), entry.uid(), entry.gid(),
                entry.home(), entry.extraFields());
    }

    /** The key lookups use: the local part in lower case. */
    String lookupKey() {
        return localPart().toLowerCase(Locale.ROOT);
    }

    @Override
    public String toString() {
        return "PasswdEntry[line=" + line + ", user=" + user + ", scheme=" + scheme + ", secret=" + (secret.isEmpty()
                ? "" : "***") + ", uid=" + uid + ", gid=" + gid + ", home=" + home + ", extraFields=" + extraFields
                + "]";
    }
}
