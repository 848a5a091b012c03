package dev.yubin.pop3.protocol;

import dev.yubin.core.store.StoreException;

/**
 * The responses of the POP3 server, worded as Dovecot and RFC 1939's examples word them, so that scripts and
 * users who know those servers recognise them; and the one mapping from failures to {@code -ERR} codes,
 * {@link #forFailure(Throwable)}. The replies are immutable constants; the class is stateless and thread-safe.
 */
public final class Pop3Replies {
    /** {@code +OK}: NOOP, and the status line of TOP. */
    public static final Pop3Reply OK = Pop3Reply.ok("");
    /** {@code +OK Logged in.}: PASS, APOP or AUTH succeeded and the maildrop is open. */
    public static final Pop3Reply LOGGED_IN = Pop3Reply.ok("Logged in.");
    /** {@code +OK}: USER accepted; PASS must follow. */
    public static final Pop3Reply USER_OK = Pop3Reply.ok("");
    /** {@code +OK Begin TLS negotiation now.}: the answer to STLS. */
    public static final Pop3Reply BEGIN_TLS = Pop3Reply.ok("Begin TLS negotiation now.");
    /** {@code +OK Logging out.}: QUIT with nothing to delete (or before login). */
    public static final Pop3Reply LOGGING_OUT = Pop3Reply.ok("Logging out.");
    /** {@code +OK Logging out, messages deleted.}: QUIT removed the messages marked as deleted. */
    public static final Pop3Reply LOGGING_OUT_DELETED = Pop3Reply.ok("Logging out, messages deleted.");

    /** {@code -ERR Unknown command.} */
    public static final Pop3Reply UNKNOWN_COMMAND = Pop3Reply.err("Unknown command.");
    /** {@code -ERR Input line too long.} */
    public static final Pop3Reply LINE_TOO_LONG = Pop3Reply.err("Input line too long.");
    /** {@code -ERR Too many bad commands.}: sent before closing the connection. */
    public static final Pop3Reply TOO_MANY_BAD_COMMANDS = Pop3Reply.err("Too many bad commands.");
    /** {@code -ERR Unknown command or not logged in.}: a TRANSACTION command in the AUTHORIZATION state. */
    public static final Pop3Reply NOT_LOGGED_IN = Pop3Reply.err("Unknown command or not logged in.");
    /** {@code -ERR Already logged in.} */
    public static final Pop3Reply ALREADY_LOGGED_IN = Pop3Reply.err("Already logged in.");
    /** {@code -ERR No username given.}: PASS without a USER before it. */
    public static final Pop3Reply NO_USERNAME = Pop3Reply.err("No username given.");
    /** {@code -ERR [AUTH] Plaintext authentication disallowed …}: USER or a plaintext mechanism without TLS. */
    public static final Pop3Reply PLAINTEXT_DISALLOWED = Pop3Reply.err(Pop3ResponseCode.AUTH,
            "Plaintext authentication disallowed on non-secure (SSL/TLS) connections.");
    /** {@code -ERR [AUTH] Authentication failed.}: bad credentials, whether or not the user exists. */
    public static final Pop3Reply AUTH_FAILED = Pop3Reply.err(Pop3ResponseCode.AUTH, "Authentication failed.");
    /** {@code -ERR [SYS/TEMP] Temporary authentication failure.}: the user database failed. */
    public static final Pop3Reply AUTH_TEMPORARY_FAILURE = Pop3Reply.err(Pop3ResponseCode.SYS_TEMP,
            "Temporary authentication failure.");
    /** {@code -ERR Authentication aborted by client.}: the client answered a challenge with {@code *}. */
    public static final Pop3Reply AUTH_ABORTED = Pop3Reply.err("Authentication aborted by client.");
    /** {@code -ERR [AUTH] Invalid authentication data.}: a response that does not follow the mechanism. */
    public static final Pop3Reply AUTH_MALFORMED = Pop3Reply.err(Pop3ResponseCode.AUTH,
            "Invalid authentication data.");
    /** {@code -ERR Invalid base64 data in continued response.} */
    public static final Pop3Reply INVALID_BASE64 = Pop3Reply.err("Invalid base64 data in continued response.");
    /** {@code -ERR Unsupported authentication mechanism.} */
    public static final Pop3Reply UNSUPPORTED_MECHANISM = Pop3Reply.err("Unsupported authentication mechanism.");
    /** {@code -ERR Authentication is not enabled.} */
    public static final Pop3Reply AUTH_NOT_ENABLED = Pop3Reply.err("Authentication is not enabled.");
    /** {@code -ERR APOP is not enabled.} */
    public static final Pop3Reply APOP_NOT_ENABLED = Pop3Reply.err("APOP is not enabled.");
    /** {@code -ERR [AUTH] Too many invalid authentication attempts.} */
    public static final Pop3Reply TOO_MANY_AUTH_FAILURES = Pop3Reply.err(Pop3ResponseCode.AUTH,
            "Too many invalid authentication attempts.");
    /** {@code -ERR [IN-USE] Mailbox is locked by another POP3 session} (RFC 2449 §8.1.1). */
    public static final Pop3Reply IN_USE = Pop3Reply.err(Pop3ResponseCode.IN_USE,
            "Mailbox is locked by another POP3 session");
    /** {@code -ERR [SYS/PERM] No mailbox for this user.} */
    public static final Pop3Reply NO_MAILBOX = Pop3Reply.err(Pop3ResponseCode.SYS_PERM,
            "No mailbox for this user.");
    /** {@code -ERR TLS support isn't enabled.}: STLS on a listener without TLS. */
    public static final Pop3Reply TLS_NOT_AVAILABLE = Pop3Reply.err("TLS support isn't enabled.");
    /** {@code -ERR TLS is already active.} */
    public static final Pop3Reply TLS_ALREADY_ACTIVE = Pop3Reply.err("TLS is already active.");
    /** {@code -ERR Disconnected for inactivity.}: sent before closing an idle connection. */
    public static final Pop3Reply DISCONNECTED_FOR_INACTIVITY = Pop3Reply.err("Disconnected for inactivity.");
    /** {@code -ERR [SYS/TEMP] Server shutting down.}: sent before closing at shutdown. */
    public static final Pop3Reply SHUTTING_DOWN = Pop3Reply.err(Pop3ResponseCode.SYS_TEMP, "Server shutting down.");
    /**
     * {@code -ERR [SYS/TEMP] Service temporarily unavailable.}: sent before closing when the server is too busy to
     * run a command.
     */
    public static final Pop3Reply UNAVAILABLE = Pop3Reply.err(Pop3ResponseCode.SYS_TEMP,
            "Service temporarily unavailable.");
    /** {@code -ERR [SYS/TEMP] Internal error.}: a bug; the details go to the log. */
    public static final Pop3Reply INTERNAL_ERROR = Pop3Reply.err(Pop3ResponseCode.SYS_TEMP, "Internal error.");
    /**
     * {@code -ERR [SYS/TEMP] Some deleted messages were not removed …}: QUIT could not remove every message marked as
     * deleted.
     */
    public static final Pop3Reply DELETE_FAILED = Pop3Reply.err(Pop3ResponseCode.SYS_TEMP,
            "Some deleted messages were not removed; they are kept for the next session.");

    private Pop3Replies() {
    }

    /** {@code +OK Yubin ready.}, with the APOP timestamp {@code <pid.clock@host>} when one is given. */
    public static Pop3Reply greeting(String banner, String apopTimestamp) {
        return Pop3Reply.ok(apopTimestamp.isEmpty() ? banner : banner + " " + apopTimestamp);
    }

    /** {@code +OK 2 320}: messages and octets not marked as deleted (RFC 1939 §5 STAT). */
    public static Pop3Reply stat(int messages, long octets) {
        return Pop3Reply.ok(messages + " " + octets);
    }

    /** {@code +OK 2 messages:}, the status line of LIST, as Dovecot words it (the textbook's telnet dialogue). */
    public static String listing(int messages) {
        return messages + " messages:";
    }

    /** {@code +OK maildrop has 2 messages (320 octets)} (RFC 1939 §5 RSET). */
    public static Pop3Reply reset(int messages, long octets) {
        return Pop3Reply.ok("maildrop has " + messages + (messages == 1 ? " message (" : " messages (") + octets
                + " octets)");
    }

    /** {@code +OK 120 octets}, the status line of RETR. */
    public static Pop3Reply retrieving(long octets) {
        return Pop3Reply.ok(octets + " octets");
    }

    /** {@code +OK message 1 deleted}. */
    public static Pop3Reply deleted(int message) {
        return Pop3Reply.ok("message " + message + " deleted");
    }

    /** {@code -ERR message 2 already deleted}. */
    public static Pop3Reply alreadyDeleted(int message) {
        return Pop3Reply.err("message " + message + " already deleted");
    }

    /** {@code -ERR no such message, only 2 messages in maildrop}. */
    public static Pop3Reply noSuchMessage(int count) {
        return Pop3Reply.err("no such message, only " + count + (count == 1 ? " message" : " messages")
                + " in maildrop");
    }

    /** {@code -ERR message 3 is gone}: removed by someone else since the session began. */
    public static Pop3Reply messageGone(int message) {
        return Pop3Reply.err("message " + message + " is gone");
    }

    /** {@code -ERR <reason>} for a command with bad arguments. */
    public static Pop3Reply syntax(String reason) {
        return Pop3Reply.err(reason);
    }

    /** A continuation with base64 challenge data. */
    public static Pop3Reply challenge(String base64) {
        return Pop3Reply.continuation(base64);
    }

    /**
     * The response for a failure across an SPI (RFC 3206): a temporary {@link StoreException} gives
     * {@code -ERR [SYS/TEMP]}, a permanent one {@code -ERR [SYS/PERM]}, anything else (a bug) {@code -ERR [SYS/TEMP]
     * Internal error.}. The exception's message is not sent: it may name paths.
     */
    public static Pop3Reply forFailure(Throwable failure) {
        if (failure instanceof StoreException) {
            return ((StoreException) failure).isTemporary()
                    ? Pop3Reply.err(Pop3ResponseCode.SYS_TEMP, "Mailbox is temporarily unavailable.")
                    : Pop3Reply.err(Pop3ResponseCode.SYS_PERM, "Mailbox is unusable; contact the administrator.");
        }
        return INTERNAL_ERROR;
    }
}
