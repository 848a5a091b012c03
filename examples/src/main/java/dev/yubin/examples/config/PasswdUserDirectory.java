package dev.yubin.examples.config;

import dev.yubin.auth.passwd.PasswdEntry;
import dev.yubin.core.address.Domain;
import dev.yubin.core.address.MailAddress;
import dev.yubin.core.user.MailUser;
import dev.yubin.core.user.UserDirectory;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The local users of the example server: {@link PasswdFile} entries placed in the {@code mydestination} domains,
 * as Postfix's local users are.
 *
 * <ul>
 *   <li>A bare {@code abe} is local in every {@code mydestination} domain; {@code abe@example1.jp} only in
 *       {@code example1.jp}, whether or not it is a {@code mydestination} domain. Where both exist, the entry with
 *       the domain wins for its domain.</li>
 *   <li>Lookups ignore case in the local part and the domain.</li>
 *   <li>The mail location is {@code home/} + {@code home_mailbox} when the entry has a home; otherwise
 *       {@code mail_root/<user>/} + {@code home_mailbox} for a bare user and
 *       {@code mail_root/<domain>/<user>/} + {@code home_mailbox} for a user with a domain (the domain in its
 *       ASCII form, the user as written in the file). Locations end with {@code /} (a Maildir).</li>
 * </ul>
 *
 * <p>Immutable and thread-safe; lookups do not block.
 */
public final class PasswdUserDirectory implements UserDirectory {

    private final Set<Domain> localDomains;
    private final String homeMailbox;
    private final Path mailRoot;
    private final List<PasswdEntry> entries;
    private final Map<String, PasswdEntry> bare = new HashMap<>();
    private final Map<String, PasswdEntry> withDomain = new HashMap<>();
    private final List<ConfigProblem> problems;

    /**
     * @param entries the users; for a user listed twice the first entry counts
     * @param localDomains the {@code mydestination} domains
     * @param homeMailbox Postfix {@code home_mailbox}, relative and ending with {@code /} (Maildir)
     * @param mailRoot where the Maildirs of users without a home go
     */
    public PasswdUserDirectory(List<PasswdEntry> entries, List<Domain> localDomains, String homeMailbox,
            Path mailRoot) {
        this(entries, localDomains, homeMailbox, mailRoot, List.of());
    }

    private PasswdUserDirectory(List<PasswdEntry> entries, List<Domain> localDomains, String homeMailbox,
            Path mailRoot, List<ConfigProblem> problems) {
        Objects.requireNonNull(homeMailbox, "homeMailbox");
        Objects.requireNonNull(mailRoot, "mailRoot");
        try {
            Values.homeMailbox(homeMailbox);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("home_mailbox \"" + homeMailbox + "\": " + e.getMessage(), e);
        }
        this.entries = List.copyOf(entries);
        this.localDomains = Set.copyOf(localDomains);
        this.homeMailbox = homeMailbox;
        this.mailRoot = mailRoot.toAbsolutePath().normalize();
        this.problems = List.copyOf(problems);
        for (PasswdEntry entry : this.entries) {
            Map<String, PasswdEntry> map = entry.domain().isPresent() ? withDomain : bare;
            map.putIfAbsent(entry.lookupKey(), entry);
        }
    }

    /**
     * The directory {@code cf} describes: its {@code passwd_file}, {@code mydestination}, {@code home_mailbox}
     * and {@code mail_root}. Never throws for file content: a missing or bad passwd file, and {@code user@domain}
     * entries outside {@code mydestination}, end up in {@link #problems()} (errors skip the line; an unreadable
     * file gives no users). Throws {@link ConfigException} when {@code cf} itself has errors.
     */
    public static PasswdUserDirectory load(MainCf cf) {
        cf.requireValid();
        List<Domain> domains = cf.domains("mydestination");
        String homeMailbox = cf.string("home_mailbox");
        Path mailRoot = cf.path("mail_root").orElseThrow(() -> new ConfigException(ConfigProblem.error(
                cf.fileName(), cf.lineOf("mail_root").orElse(0), "mail_root must not be empty")));
        Optional<Path> file = cf.path("passwd_file");
        List<ConfigProblem> problems = new ArrayList<>();
        List<PasswdEntry> entries = List.of();
        if (file.isEmpty()) {
            problems.add(ConfigProblem.warning(cf.fileName(), cf.lineOf("passwd_file").orElse(0),
                    "passwd_file is empty: there are no local users"));
        } else {
            try {
                PasswdFile passwd = PasswdFile.read(file.get());
                problems.addAll(passwd.problems());
                entries = passwd.entries();
                Set<Domain> local = new LinkedHashSet<>(domains);
                for (PasswdEntry entry : entries) {
                    Optional<Domain> domain = entry.domain();
                    if (domain.isPresent() && !local.contains(domain.get())) {
                        problems.add(ConfigProblem.warning(passwd.fileName(), entry.line(), "domain "
                                + domain.get() + " of \"" + entry.user() + "\" is not in mydestination"));
                    }
                }
            } catch (IOException e) {
                problems.add(ConfigProblem.error(cf.fileName(), cf.lineOf("passwd_file").orElse(0),
                        "cannot read passwd_file " + file.get() + ": " + describe(e)));
            }
        }
        problems.sort(ConfigProblem.ORDER);
        return new PasswdUserDirectory(entries, domains, homeMailbox, mailRoot, problems);
    }

    private static String describe(IOException e) {
        String kind = e.getClass().getSimpleName();
        return kind.equals("NoSuchFileException") ? "no such file"
                : kind.equals("AccessDeniedException") ? "permission denied" : kind + ": " + e.getMessage();
    }

    /** Problems found by {@link #load(MainCf)}; empty for a directory built with the constructor. */
    public List<ConfigProblem> problems() {
        return problems;
    }

    /** The entries, in file order. */
    public List<PasswdEntry> entries() {
        return entries;
    }

    /** The passwd entry that receives mail for {@code address} (for password checks too). */
    public Optional<PasswdEntry> entry(MailAddress address) {
        String local = address.localPart().toLowerCase(Locale.ROOT);
        PasswdEntry entry = withDomain.get(key(local, Optional.of(address.domain())));
        if (entry == null && localDomains.contains(address.domain())) {
            entry = bare.get(key(local, Optional.empty()));
        }
        return Optional.ofNullable(entry);
    }

    @Override
    public Optional<MailUser> lookup(MailAddress address) {
        return entry(address).map(this::mailUser);
    }

    /** The user and mail location of {@code entry}. */
    public MailUser mailUser(PasswdEntry entry) {
        Path base;
        if (!entry.home().isEmpty()) {
            base = Path.of(entry.home());
        } else if (entry.domain().isPresent()) {
            base = mailRoot.resolve(entry.domain().get().ascii()).resolve(entry.localPart());
        } else {
            base = mailRoot.resolve(entry.localPart());
        }
        String location = base.resolve(homeMailbox).normalize().toString();
        return new MailUser(entry.user(), location.endsWith("/") ? location : location + "/");
    }

    private static String key(String local, Optional<Domain> domain) {
        return domain.map(d -> local + "@" + d.ascii()).orElse(local);
    }
}
