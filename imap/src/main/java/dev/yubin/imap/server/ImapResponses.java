package dev.yubin.imap.server;

import dev.yubin.core.store.MailboxException;
import dev.yubin.core.store.StoreException;
import dev.yubin.imap.protocol.ResponseCode;
import dev.yubin.imap.protocol.StatusResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The one place where store failures become IMAP responses (RFC 5530 codes). */
final class ImapResponses {
    private static final Logger LOG = LoggerFactory.getLogger(ImapResponses.class);

    private ImapResponses() {
    }

    /**
     * The tagged NO for {@code failure} of {@code command}: {@link MailboxException} reasons map to
     * {@code [CANNOT]}, {@code [NONEXISTENT]} (or {@code [TRYCREATE]} when {@code tryCreate}, for APPEND, COPY and
     * MOVE), {@code [ALREADYEXISTS]}; a temporary failure to {@code [UNAVAILABLE]}; anything else is a bug, logged
     * once with its stack and answered {@code [SERVERBUG]}.
     */
    static StatusResponse forFailure(String tag, String command, Exception failure, boolean tryCreate) {
        if (failure instanceof MailboxException) {
            MailboxException e = (MailboxException) failure;
            switch (e.reason()) {
                case NONEXISTENT:
                    return StatusResponse.no(tag, tryCreate ? ResponseCode.TRYCREATE : ResponseCode.NONEXISTENT,
                            "Mailbox doesn't exist.");
                case ALREADY_EXISTS:
                    return StatusResponse.no(tag, ResponseCode.ALREADYEXISTS, "Mailbox already exists.");
                case INVALID_NAME:
                    return StatusResponse.no(tag, ResponseCode.CANNOT, "Invalid mailbox name.");
                default:
                    return StatusResponse.no(tag, ResponseCode.CANNOT, command + " is not permitted here.");
            }
        }
        if (failure instanceof StoreException && ((StoreException) failure).isTemporary()) {
            LOG.warn("{} failed temporarily: {}", command, failure.getMessage());
            return StatusResponse.no(tag, ResponseCode.UNAVAILABLE, "Temporary failure, try again later.");
        }
        LOG.warn("{} failed", command, failure);
        return StatusResponse.no(tag, ResponseCode.SERVERBUG, "Internal error occurred. Refer to server log.");
    }
}
