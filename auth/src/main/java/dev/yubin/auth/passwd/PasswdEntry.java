package dev.yubin.auth.passwd;

import dev.yubin.auth.password.PasswordSchemes;
import dev.yubin.auth.password.StoredPassword;
import dev.yubin.core.address.AddressException;
import dev.yubin.core.address.Domain;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * One line of a Dovecot {@code passwd-file}: {@code user[@domain]:{SCHEME}secret:uid:gid:gecos:home:shell:extra}.
 * The password is kept as scheme and secret, not yet parsed: {@link #password()} parses it. {@link #toString()} hides
 * the secret. Immutable.
 *
 * @param line the 1-based line in the file (0 for an entry made in code)
 * @param user the user field as written: {@code abe} or {@code abe@example1.jp}
 * @param scheme the password scheme in upper case ({@code PLAIN}, {@code SHA512-CRYPT}, {@code PLAIN.B64}…), empty
 *     when there is no password
 * @param secret the password or hash after the scheme prefix, empty when there is none
 * @param uid the uid field (number or name), may be empty
 * @param gid the gid field (number or name), may be empty
 * @param gecos the gecos field, may be empty
 * @param home the home directory, absolute, or empty
 * @param shell the shell field, may be empty
 * @param extraFields Dovecot's space-separated {@code key=value} extra fields, unparsed, may be empty
 */
public record PasswdEntry(int line, String user, String scheme, String secret, String uid, String gid, String gecos,
        String home, String shell, String extraFields) {

    /**
     * Checks the fields: none {@code null}, {@code line} not negative, a valid user, uid and gid, and an absolute or
     * empty home.
     *
     * @throws IllegalArgumentException naming the bad field, never with the secret
     */
    public PasswdEntry {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(scheme, "scheme");
        Objects.requireNonNull(secret, "secret");
        Objects.requireNonNull(uid, "uid");
        Objects.requireNonNull(gid, "gid");
        Objects.requireNonNull(gecos, "gecos");
        Objects.requireNonNull(home, "home");
        Objects.requireNonNull(shell, "shell");
        Objects.requireNonNull(extraFields, "extraFields");
        if (line < 0) {
            throw new IllegalArgumentException("line must not be negative");
        }
        requireValidUser(user);
        requireValidId(uid, "uid");
        requireValidId(gid, "gid");
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

    /**
     * The password, parsed by {@link PasswordSchemes#parse}; empty when the entry has none.
     *
     * @throws IllegalArgumentException when the scheme is unknown or the secret is malformed for it (the message
     *     never contains the secret)
     */
    public Optional<StoredPassword> password() {
        return hasPassword() ? Optional.of(PasswordSchemes.parse("{" + scheme + "}" + secret)) : Optional.empty();
    }

    /**
     * The key lookups use: the local part in lower case, then {@code @} and the domain in lower-case ASCII for an
     * entry with a domain.
     */
    public String lookupKey() {
        String local = localPart().toLowerCase(Locale.ROOT);
        return domain().map(d -> local + "@" + d.ascii()).orElse(local);
    }

    @Override
    public String toString() {
        return "PasswdEntry[line=" + line + ", user=" + user + ", scheme=" + scheme + ", secret="
                + (secret.isEmpty() ? "" : "***") + ", uid=" + uid + ", gid=" + gid + ", gecos=" + gecos + ", home="
                + home + ", shell=" + shell + ", extraFields=" + extraFields + "]";
    }

    /**
     * Checks a user field: a local part that can be a directory name (letters, digits, {@code !#$%&'*+-=?^_`{|}~}
     * and dots between words; any non-ASCII letter) and an optional {@code @domain} that is a domain name, not an
     * address literal.
     *
     * @throws IllegalArgumentException naming what is wrong
     */
    public static void requireValidUser(String user) {
        String problem = userProblem(user);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
    }

    /** Why {@code user} is not a usable user field, or null. */
    private static String userProblem(String user) {
        if (user.isEmpty()) {
            return "empty user name";
        }
        int at = user.lastIndexOf('@');
        String local = at < 0 ? user : user.substring(0, at);
        if (local.isEmpty()) {
            return "empty local part in \"" + user + "\"";
        }
        for (int i = 0; i < local.length(); i++) {
            char c = local.charAt(i);
            if (c < 0x80 && !(Character.isLetterOrDigit(c) || "!#$%&'*+-=?^_`{|}~.".indexOf(c) >= 0)) {
                return "character '" + printable(c) + "' not allowed in user name \"" + user + "\"";
            }
            if (c >= 0x80 && (Character.isISOControl(c) || Character.isWhitespace(c))) {
                return "character U+" + String.format("%04X", (int) c) + " not allowed in user name";
            }
        }
        if (local.startsWith(".") || local.endsWith(".") || local.contains("..")) {
            return "dots must separate words in user name \"" + user + "\"";
        }
        if (at >= 0) {
            String domain = user.substring(at + 1);
            try {
                if (Domain.parse(domain).isAddressLiteral()) {
                    return "address literals are not supported as domains: \"" + domain + "\"";
                }
            } catch (AddressException e) {
                String reason = e.reason();
                return "bad domain \"" + domain + "\": " + reason.substring(0, 1).toLowerCase(Locale.ROOT)
                        + reason.substring(1);
            }
        }
        return null;
    }

    static void requireValidId(String id, String what) {
        if (!id.isEmpty() && !id.matches("[0-9]+|[A-Za-z_][A-Za-z0-9_.-]*")) {
            throw new IllegalArgumentException("bad " + what + " \"" + id + "\" (a number or a system name)");
        }
    }

    private static String printable(char c) {
        return c < 0x20 || c == 0x7f ? String.format("\\x%02x", (int) c) : String.valueOf(c);
    }
}
