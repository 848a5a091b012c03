package dev.yubin.examples.config;

import dev.yubin.core.address.AddressException;
import dev.yubin.core.address.Domain;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * One line of a Dovecot {@code passwd-file}: {@code user[@domain]:{SCHEME}secret:uid:gid:gecos:home:shell:extra}.
 * The password is kept as scheme and secret, unverified, so that the auth module can check hashed schemes; only
 * {@code PLAIN} is verifiable before it exists. {@link #toString()} hides the secret. Immutable.
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
        String problem = userProblem(user);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
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

    /** Why {@code user} is not a usable user field, or null. The local part becomes a directory name. */
    static String userProblem(String user) {
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

    private static String printable(char c) {
        return c < 0x20 || c == 0x7f ? String.format("\\x%02x", (int) c) : String.valueOf(c);
    }
}
