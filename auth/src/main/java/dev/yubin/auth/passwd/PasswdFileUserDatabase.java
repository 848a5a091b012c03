package dev.yubin.auth.passwd;

import dev.yubin.auth.Account;
import dev.yubin.auth.UserDatabase;
import dev.yubin.auth.password.PasswordSchemes;
import dev.yubin.auth.password.StoredPassword;
import dev.yubin.core.address.AddressException;
import dev.yubin.core.address.Domain;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The users of a Dovecot {@code passwd-file} ({@link PasswdFile}), for logins: Dovecot's
 * {@code passdb { driver = passwd-file }}. Every scheme of {@link dev.yubin.auth.password.PasswordSchemes} is
 * accepted, hashed ones included.
 *
 * <ul>
 *   <li><b>Lookups</b> ignore case in the local part and the domain. {@code abe@example1.jp} finds the entry
 *       {@code abe@example1.jp}; when there is none and {@code example1.jp} is one of the
 *       {@link Builder#localDomains local domains}, the bare entry {@code abe}. A bare {@code abe} finds only the
 *       bare entry. {@link Account#login()} is the user field as written in the file.</li>
 *   <li><b>Bad lines</b> (syntax, or a password that does not parse: unknown scheme, truncated hash) are skipped,
 *       logged once per load at WARN with their line numbers, and listed by {@link #problems()}. A user without a
 *       password cannot log in.</li>
 *   <li><b>Reloads:</b> each lookup compares the file's modification time, size and inode with those of the loaded
 *       version (one {@code stat}) and re-reads the file when they differ. When the new version cannot be read, the
 *       old users stay and a WARN is logged once for that version.</li>
 * </ul>
 *
 * <p>Thread-safe. {@link #find} may block on the file system (a reload), and the password checks of what it returns
 * are slow on purpose: call it off event loops.
 */
public final class PasswdFileUserDatabase implements UserDatabase {
    private static final Logger LOG = LoggerFactory.getLogger(PasswdFileUserDatabase.class);

    /** One loaded version of the file. */
    private record Snapshot(Object version, Map<String, Account> accounts, List<PasswdProblem> problems) {
    }

    /** What identifies a version of the file: inode, size and modification time. */
    private record Version(Object fileKey, long size, FileTime modified) {
    }

    private final Path file;
    private final String defaultScheme;
    private final Set<Domain> localDomains;
    private volatile Snapshot snapshot;
    private Object failedVersion;

    private PasswdFileUserDatabase(Builder builder, Snapshot first) {
        this.file = builder.file;
        this.defaultScheme = builder.defaultScheme;
        this.localDomains = Set.copyOf(builder.localDomains);
        this.snapshot = first;
    }

    /** A builder for the database of {@code file}. */
    public static Builder builder(Path file) {
        return new Builder(file);
    }

    @Override
    public Optional<Account> find(String login) {
        Objects.requireNonNull(login, "login");
        Map<String, Account> accounts = current().accounts();
        int at = login.lastIndexOf('@');
        String local = (at < 0 ? login : login.substring(0, at)).toLowerCase(Locale.ROOT);
        if (at < 0) {
            return Optional.ofNullable(accounts.get(local));
        }
        Domain domain;
        try {
            domain = Domain.parse(login.substring(at + 1));
        } catch (AddressException e) {
            return Optional.empty();
        }
        Account account = accounts.get(local + "@" + domain.ascii());
        if (account == null && localDomains.contains(domain)) {
            account = accounts.get(local);
        }
        return Optional.ofNullable(account);
    }

    /** The file this database reads. */
    public Path file() {
        return file;
    }

    /** The bad lines and duplicates of the loaded version, in line order. */
    public List<PasswdProblem> problems() {
        return snapshot.problems();
    }

    /** How many users can log in (entries with a good password) in the loaded version. */
    public int size() {
        return snapshot.accounts().size();
    }

    /**
     * Re-reads the file now if it changed since it was loaded; {@link #find} does this by itself.
     *
     * @return whether a new version was loaded
     */
    public boolean reloadIfChanged() {
        Version version;
        try {
            version = version(file);
        } catch (IOException e) {
            warnOnce("missing", "passwd file {} cannot be read: {}; keeping the {} users loaded before", e);
            return false;
        }
        if (version.equals(snapshot.version())) {
            return false;
        }
        synchronized (this) {
            if (version.equals(snapshot.version())) {
                return false;
            }
            try {
                snapshot = load(file, defaultScheme, version);
                failedVersion = null;
                LOG.info("passwd file {} reloaded: {} users", file, snapshot.accounts().size());
                return true;
            } catch (IOException | UncheckedIOException e) {
                warnOnce(version, "passwd file {} changed but cannot be read: {}; keeping the {} users loaded before",
                        e);
                return false;
            }
        }
    }

    private Snapshot current() {
        reloadIfChanged();
        return snapshot;
    }

    private synchronized void warnOnce(Object version, String message, Exception e) {
        if (!version.equals(failedVersion)) {
            failedVersion = version;
            LOG.warn(message, file, e.toString(), snapshot.accounts().size());
        }
    }

    private static Version version(Path file) throws IOException {
        BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
        return new Version(attributes.fileKey(), attributes.size(), attributes.lastModifiedTime());
    }

    /** Reads the file, taking its version before reading so that a write during the read triggers a reload. */
    private static Snapshot load(Path file, String defaultScheme, Version version) throws IOException {
        PasswdFile passwd = PasswdFile.read(file, defaultScheme);
        Map<String, Account> accounts = new HashMap<>();
        List<PasswdProblem> problems = new ArrayList<>(passwd.problems());
        for (PasswdEntry entry : passwd.entries()) {
            try {
                Optional<StoredPassword> password = entry.password();
                password.ifPresent(p -> accounts.put(entry.lookupKey(), new Account(entry.user(), p)));
            } catch (IllegalArgumentException e) {
                problems.add(new PasswdProblem(passwd.fileName(), entry.line(), true,
                        "password of \"" + entry.user() + "\": " + e.getMessage()));
            }
        }
        problems.sort((a, b) -> Integer.compare(a.line(), b.line()));
        for (PasswdProblem problem : problems) {
            LOG.warn("{}", problem);
        }
        return new Snapshot(version, Map.copyOf(accounts), problems);
    }

    /** Settings of a {@link PasswdFileUserDatabase}. Not thread-safe. */
    public static final class Builder {
        private final Path file;
        private String defaultScheme = PasswdFile.DEFAULT_SCHEME;
        private List<Domain> localDomains = List.of();

        private Builder(Path file) {
            this.file = Objects.requireNonNull(file, "file");
        }

        /** The scheme of passwords without a {@code {SCHEME}} prefix; default {@code CRYPT}, as in Dovecot. */
        public Builder defaultScheme(String scheme) {
            this.defaultScheme = Objects.requireNonNull(scheme, "scheme").toUpperCase(Locale.ROOT);
            return this;
        }

        /**
         * Domains in which a bare entry {@code abe} also answers to {@code abe@domain} (Postfix's
         * {@code mydestination}); none by default.
         */
        public Builder localDomains(List<Domain> domains) {
            this.localDomains = List.copyOf(domains);
            return this;
        }

        /**
         * Reads the file for the first time.
         *
         * @throws IOException when it cannot be read (bad lines are not an error: see {@link #problems()})
         * @throws IllegalArgumentException when the default scheme is not a password scheme
         */
        public PasswdFileUserDatabase open() throws IOException {
            if (!PasswordSchemes.SUPPORTED.contains(defaultScheme.replaceFirst("\\..*", ""))) {
                throw new IllegalArgumentException("defaultScheme: unknown password scheme " + defaultScheme);
            }
            Version version = version(file);
            return new PasswdFileUserDatabase(this, load(file, defaultScheme, version));
        }
    }
}
