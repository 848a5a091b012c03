package dev.yubin.core.store;

/** The IMAP system flags that a store keeps (RFC 3501 §2.3.2); {@code \Recent} is per session, see
 * {@link MessageInfo#recent()}. */
public enum Flag {
    /** {@code \Seen}: the message has been read. */
    SEEN("\\Seen"),
    /** {@code \Answered}: the message has been answered. */
    ANSWERED("\\Answered"),
    /** {@code \Flagged}: the message is marked for attention. */
    FLAGGED("\\Flagged"),
    /** {@code \Deleted}: the message is to be removed by the next expunge. */
    DELETED("\\Deleted"),
    /** {@code \Draft}: the message is an unfinished draft. */
    DRAFT("\\Draft");

    private final String imapName;

    Flag(String imapName) {
        this.imapName = imapName;
    }

    /** The name on the wire, e.g. {@code \Seen}. */
    public String imapName() {
        return imapName;
    }
}
