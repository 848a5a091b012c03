package dev.yubin.core.store;

/** The IMAP system flags that a store keeps (RFC 3501 §2.3.2); {@code \Recent} is per session, see
 * {@link MessageInfo#recent()}. */
public enum Flag {
    SEEN("\\Seen"),
    ANSWERED("\\Answered"),
    FLAGGED("\\Flagged"),
    DELETED("\\Deleted"),
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
