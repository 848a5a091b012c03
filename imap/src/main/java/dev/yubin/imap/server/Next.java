package dev.yubin.imap.server;

/** What the I/O shell does after writing a {@link Step}'s output. */
public enum Next {
    /** Read the next command. */
    READ_COMMAND,
    /** Start TLS (after {@code STARTTLS}), dropping anything the client pipelined in plaintext, then read. */
    START_TLS,
    /** Close the connection. */
    CLOSE
}
