package dev.yubin.pop3.server;

/** What the I/O shell does after writing a {@link Step}'s reply. */
public enum Next {
    /** Read the next command line (or SASL response). */
    READ_COMMAND,
    /** Start TLS (the reply was {@code +OK Begin TLS negotiation now.}), dropping anything buffered in plaintext. */
    START_TLS,
    /** Close the connection. */
    CLOSE
}
