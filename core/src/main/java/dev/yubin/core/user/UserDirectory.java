package dev.yubin.core.user;

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
}
