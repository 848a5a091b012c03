package dev.yubin.imap.server;

/** What the I/O shell does after writing a {@link Step}'s output (and its stream, if any). */
public enum Next {
    /** Read the next command. */
    READ_COMMAND,
    /** Start TLS (after {@code STARTTLS}), dropping anything the client pipelined in plaintext, then read. */
    START_TLS,
    /**
     * An AUTHENTICATE continuation ({@code + challenge}) went out: hand the next line, raw, to
     * {@link ImapSession#onSaslResponse}, not to the command parser.
     */
    SASL_RESPONSE,
    /**
     * IDLE began ({@code + idling}): hand every line, raw, to {@link ImapSession#onIdleLine} until a step says
     * otherwise; meanwhile call {@link ImapSession#onIdleCheck} when the {@link ImapSession#watchSelected} callback
     * fires and every {@link ImapConfig#idleCheckInterval()}, and write what it returns.
     */
    IDLE,
    /** Close the connection. */
    CLOSE
}
