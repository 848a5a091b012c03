package dev.yubin.core.user;

import dev.yubin.core.address.AddressException;
import dev.yubin.core.address.Domain;
import dev.yubin.core.address.MailAddress;
import java.util.Optional;

/**
 * The SPI for "does this local user exist?" (Postfix {@code local_recipient_maps}): SMTP uses it at RCPT time,
 * the delivery agent to find the mailbox. Thread-safe; may block (a file or a database), so it is not called on
 * an event loop unless the assembling application declares it in-memory (the SMTP module's
 * {@code StandardSmtpHandler.Builder.lookupsInMemory}).
 */
public interface UserDirectory {

    /**
     * The user who receives mail for {@code address}, whose domain the caller already knows to be local.
     * Local parts are matched case-insensitively, as Postfix does for local users.
     */
    Optional<MailUser> lookup(MailAddress address);

    /**
     * The user behind a login name of POP3 or IMAP: {@code abe@example1.jp} as that address, a bare {@code abe} as
     * {@code abe@<defaultDomain>} (Postfix's {@code $myorigin}). A login that is no address finds nobody.
     */
    default Optional<MailUser> lookupLogin(String login, Domain defaultDomain) {
        MailAddress address;
        try {
            address = login.indexOf('@') >= 0 ? MailAddress.parse(login)
                    : MailAddress.parse(login + "@" + defaultDomain.ascii());
        } catch (AddressException e) {
            return Optional.empty();
        }
        return lookup(address);
    }
}
