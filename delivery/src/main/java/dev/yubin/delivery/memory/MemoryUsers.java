package dev.yubin.delivery.memory;

import dev.yubin.auth.Account;
import dev.yubin.auth.UserDatabase;
import dev.yubin.auth.password.PasswordSchemes;
import dev.yubin.auth.password.StoredPassword;
import dev.yubin.core.address.AddressException;
import dev.yubin.core.address.Domain;
import dev.yubin.core.address.MailAddress;
import dev.yubin.core.user.MailUser;
import dev.yubin.core.user.UserDirectory;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A table of users kept in memory, for tests and embedding: the {@link UserDirectory} that delivery and SMTP's
 * {@code RCPT} check ask "does {@code abe@example1.jp} exist and where is the mail?", and the {@link UserDatabase}
 * that SMTP AUTH, POP3 and IMAP logins ask for the password. One table answers both, so a user added once can
 * receive mail and log in.
 *
 * <pre>
 * MemoryUsers users = new MemoryUsers(Domain.of("example1.jp"));
 * users.add("abe", "secret");                 // abe@example1.jp, password stored as {PLAIN}secret
 * users.add("kato@example2.jp", PasswordSchemes.parse("{SHA512-CRYPT}$6$..."));
 * </pre>
 *
 * <table>
 *   <caption>Names</caption>
 *   <tr><th>What</th><th>Rule</th></tr>
 *   <tr><td>a user</td><td>an address; a bare {@code abe} is {@code abe@<defaultDomain>}</td></tr>
 *   <tr><td>lookups</td><td>the local part ignores case, as Postfix does for local users; so do domains</td></tr>
 *   <tr><td>a login</td><td>{@code abe@example1.jp}, or a bare {@code abe} in the default domain;
 *       {@link Account#login()} and {@link MailUser#name()} are the address as added, so that a
 *       {@code lookupLogin} of the canonical login finds the same user</td></tr>
 *   <tr><td>{@link MailUser#mailLocation()}</td><td>{@code <domain>/<local part in lower case>/}: a key for
 *       {@link MemoryStore}, and a location relative to the mail root of a Maildir store</td></tr>
 * </table>
 *
 * <p>Thread-safe; users may be added and removed while servers run. Lookups do not block, so a server may call
 * them on its event loop.
 */
public final class MemoryUsers implements UserDirectory, UserDatabase {
    private final Domain defaultDomain;
    private final Map<String, Entry> users = new ConcurrentHashMap<>();

    private record Entry(MailUser user, Optional<StoredPassword> password) {
    }

    /** An empty table; bare names and logins are in {@code defaultDomain} (Postfix's {@code $myorigin}). */
    public MemoryUsers(Domain defaultDomain) {
        this.defaultDomain = Objects.requireNonNull(defaultDomain, "defaultDomain");
    }

    /** The domain of bare names and logins. */
    public Domain defaultDomain() {
        return defaultDomain;
    }

    /**
     * Adds a user who logs in with {@code password} (kept as {@code {PLAIN}}, so that CRAM-MD5, APOP and SCRAM work
     * too). Returns the user as delivery sees it.
     *
     * @throws IllegalArgumentException when {@code address} is no address, has a quoted local part or a {@code /},
     *     or is already a user
     */
    public MailUser add(String address, String password) {
        Objects.requireNonNull(password, "password");
        if (password.isEmpty()) {
            throw new IllegalArgumentException("empty password for " + address);
        }
        return add(address, Optional.of(PasswordSchemes.parse("{PLAIN}" + password)));
    }

    /** Adds a user with a stored (for example hashed) password; see {@link #add(String, String)}. */
    public MailUser add(String address, StoredPassword password) {
        return add(address, Optional.of(Objects.requireNonNull(password, "password")));
    }

    /** Adds a user who receives mail but cannot log in. */
    public MailUser add(String address) {
        return add(address, Optional.empty());
    }

    private MailUser add(String address, Optional<StoredPassword> password) {
        MailAddress parsed = parse(Objects.requireNonNull(address, "address"))
                .orElseThrow(() -> new IllegalArgumentException("not an address: " + address));
        if (parsed.isQuotedLocalPart() || parsed.localPart().indexOf('/') >= 0) {
            throw new IllegalArgumentException("no mail location can be made of " + address);
        }
        String key = key(parsed);
        MailUser user = new MailUser(parsed.localPart() + "@" + parsed.domain().ascii(),
                parsed.domain().ascii().toLowerCase(Locale.ROOT) + "/" + parsed.localPart().toLowerCase(Locale.ROOT)
                        + "/");
        if (users.putIfAbsent(key, new Entry(user, password)) != null) {
            throw new IllegalArgumentException("user " + address + " added twice");
        }
        return user;
    }

    /** Removes the user of {@code address}; their mail stays in the store. Returns whether there was one. */
    public boolean remove(String address) {
        return parse(address).map(a -> users.remove(key(a)) != null).orElse(false);
    }

    /** The users, in no particular order. */
    public List<MailUser> users() {
        List<MailUser> out = new ArrayList<>();
        users.values().forEach(entry -> out.add(entry.user()));
        return out;
    }

    @Override
    public Optional<MailUser> lookup(MailAddress address) {
        return Optional.ofNullable(users.get(key(address))).map(Entry::user);
    }

    /** The account behind {@code login}; empty for an unknown user and for one added without a password. */
    @Override
    public Optional<Account> find(String login) {
        return parse(Objects.requireNonNull(login, "login")).map(a -> users.get(key(a)))
                .flatMap(entry -> entry.password().map(p -> new Account(entry.user().name(), p)));
    }

    private Optional<MailAddress> parse(String text) {
        try {
            return Optional.of(text.indexOf('@') >= 0 ? MailAddress.parse(text)
                    : MailAddress.parse(text + "@" + defaultDomain.ascii()));
        } catch (AddressException e) {
            return Optional.empty();
        }
    }

    private static String key(MailAddress address) {
        return address.localPart().toLowerCase(Locale.ROOT) + "@" + address.domain().ascii().toLowerCase(Locale.ROOT);
    }
}
