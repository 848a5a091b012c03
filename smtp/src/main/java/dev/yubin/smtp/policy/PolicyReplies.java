package dev.yubin.smtp.policy;

import dev.yubin.core.address.MailAddress;
import dev.yubin.core.address.ReversePath;
import dev.yubin.smtp.protocol.EnhancedStatus;
import dev.yubin.smtp.protocol.SmtpReplies;
import dev.yubin.smtp.protocol.SmtpReply;

/** The replies of the restrictions, worded as Postfix's smtpd_check.c words them. Stateless. */
final class PolicyReplies {
    /** 4.7.1: delivery not authorized, try again later. */
    private static final EnhancedStatus NOT_AUTHORIZED_TEMPORARY = new EnhancedStatus(4, 7, 1);

    private PolicyReplies() {
    }

    /** {@code 554 5.7.1 <address>: Relay access denied} ({@code reject_unauth_destination}). */
    static SmtpReply relayDenied(MailAddress to) {
        return SmtpReplies.relayDenied(to.toString());
    }

    /** {@code 450 4.7.1 <address>: Relay access denied} ({@code defer_unauth_destination}). */
    static SmtpReply relayDeferred(MailAddress to) {
        return SmtpReply.of(450, NOT_AUTHORIZED_TEMPORARY, "<" + SmtpReplies.printable(to.toString())
                + ">: Relay access denied");
    }

    /** {@code 554 5.7.1 <address>: Recipient address rejected: Access denied} ({@code reject}). */
    static SmtpReply recipientAccessDenied(MailAddress to) {
        return SmtpReply.of(554, EnhancedStatus.NOT_AUTHORIZED, "<" + SmtpReplies.printable(to.toString())
                + ">: Recipient address rejected: Access denied");
    }

    /** {@code 554 5.7.1 <address>: Sender address rejected: Access denied} ({@code reject}). */
    static SmtpReply senderAccessDenied(ReversePath from) {
        return SmtpReply.of(554, EnhancedStatus.NOT_AUTHORIZED, "<" + SmtpReplies.printable(from.toString())
                + ">: Sender address rejected: Access denied");
    }

    /** {@code 553 5.7.1 <address>: Sender address rejected: not owned by user <login>}. */
    static SmtpReply senderNotOwned(MailAddress from, String login) {
        return SmtpReply.of(553, EnhancedStatus.NOT_AUTHORIZED, "<" + SmtpReplies.printable(from.toString())
                + ">: Sender address rejected: not owned by user " + SmtpReplies.printable(login));
    }
}
