package dev.yubin.smtp.server;

/** What the I/O shell reads after a {@link Step}. */
public enum Next {
    /** The next command line. */
    READ_COMMAND,
    /** DATA text: dot-unstuffed, CRLF converted to LF, up to the {@code CRLF.CRLF} marker. */
    READ_DATA,
    /** Exactly {@link Step#bdatSize()} raw octets of a BDAT chunk (RFC 3030), CRLF converted to LF. */
    READ_BDAT,
    /**
     * Write the reply (220), then start TLS: input that arrived after the STARTTLS line is discarded, and the
     * session learns the outcome through {@link SmtpSession#onTlsEstablished}.
     */
    START_TLS,
    /** Write the reply, if any, then close the connection. */
    CLOSE
}
