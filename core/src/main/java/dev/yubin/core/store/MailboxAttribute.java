package dev.yubin.core.store;

/** Attributes of a mailbox in LIST (RFC 3501 §7.2.2, RFC 3348 CHILDREN, RFC 6154 SPECIAL-USE). */
public enum MailboxAttribute {
    /** {@code \Noselect}: a name that cannot be selected, e.g. a parent level that holds no messages. */
    NOSELECT("\\Noselect"),
    /** {@code \HasChildren}: there are mailboxes below this one. */
    HAS_CHILDREN("\\HasChildren"),
    /** {@code \HasNoChildren}: there are no mailboxes below this one. */
    HAS_NO_CHILDREN("\\HasNoChildren"),
    /** {@code \Sent}: where sent messages are kept (special use). */
    SENT("\\Sent"),
    /** {@code \Drafts}: where drafts are kept (special use). */
    DRAFTS("\\Drafts"),
    /** {@code \Trash}: where deleted messages are moved (special use). */
    TRASH("\\Trash"),
    /** {@code \Junk}: where spam is kept (special use). */
    JUNK("\\Junk");

    private final String imapName;

    MailboxAttribute(String imapName) {
        this.imapName = imapName;
    }

    /** The name on the wire, e.g. {@code \HasChildren}. */
    public String imapName() {
        return imapName;
    }

    /**
     * Whether this is an RFC 6154 special-use attribute ({@code \Sent}, {@code \Drafts}, {@code \Trash},
     * {@code \Junk}).
     */
    public boolean isSpecialUse() {
        return ordinal() >= SENT.ordinal();
    }
}
