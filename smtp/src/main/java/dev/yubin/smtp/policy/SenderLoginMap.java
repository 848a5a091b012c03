package dev.yubin.smtp.policy;

import dev.yubin.core.address.AddressException;
import dev.yubin.core.address.MailAddress;
import java.util.Locale;
import java.util.Objects;

/**
 * Which MAIL FROM addresses a SASL login may use (the role of Postfix's {@code smtpd_sender_login_maps}), for
 * {@link SenderRestriction#REJECT_SENDER_LOGIN_MISMATCH}. Implementations must be thread-safe and should answer
 * from memory.
 */
@FunctionalInterface
public interface SenderLoginMap {

    /** Whether the client logged in as {@code login} may send as {@code sender}. */
    boolean owns(String login, MailAddress sender);

    /**
     * Yubin's users: a bare login {@code abe} owns {@code abe@} every domain in {@code domains}; a login
     * {@code abe@example1.jp} owns exactly that address. Local parts compare case-insensitively, as the user
     * directories look them up; domains as {@link dev.yubin.core.address.Domain#equals} does (IDN-aware).
     */
    static SenderLoginMap localUsers(LocalDomains domains) {
        Objects.requireNonNull(domains, "domains");
        return (login, sender) -> {
            if (login.indexOf('@') < 0) {
                return sameLocalPart(login, sender) && domains.isLocal(sender);
            }
            try {
                MailAddress owned = MailAddress.parse(login);
                return sameLocalPart(owned.localPart(), sender) && owned.domain().equals(sender.domain());
            } catch (AddressException e) {
                return false;
            }
        };
    }

    private static boolean sameLocalPart(String login, MailAddress sender) {
        return login.toLowerCase(Locale.ROOT).equals(sender.localPart().toLowerCase(Locale.ROOT));
    }
}
