package dev.yubin.core.store;

import dev.yubin.core.message.MessageContent;
import dev.yubin.core.user.MailUser;

/**
 * The per-user message store SPI: local delivery into a user's mailbox, and the inbox as a {@link Maildrop} for POP3
 * (a later issue adds folders and flags for IMAP).
 *
 * <p>Implementations are thread-safe: concurrent deliveries, also to one mailbox, must be safe. Every method may
 * block on disk I/O and is never called on an event loop.
 */
public interface MailStore {

    /** A short name of the format, for log lines such as {@code status=sent (delivered to maildir)}. */
    String kind();

    /**
     * Delivers {@code content} into the inbox of {@code user}. Returns only once the message is durable (data
     * and directory entry fsynced); a message is either delivered whole or not at all.
     */
    void deliver(MailUser user, MessageContent content) throws StoreException;

    /**
     * Opens the inbox of {@code user} for one POP3 session; an inbox that does not exist yet is empty. Callers that
     * must keep two sessions of one user apart (POP3's {@code [IN-USE]}) do so themselves.
     */
    Maildrop openMaildrop(MailUser user) throws StoreException;
}
