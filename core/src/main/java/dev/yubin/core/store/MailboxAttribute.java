package dev.yubin.core.store;

/** Attributes of a mailbox in LIST (RFC 3501 §7.2.2, RFC 3348 CHILDREN, RFC 6154 SPECIAL-USE). */
public enum MailboxAttribute {
    NOSELECT("\\Noselect"),
    HAS_CHILDREN("\\HasChildren"),
    HAS_NO_CHILDREN("\\HasNoChildren"),
    SENT("\\Sent"),
    DRAFTS("\\Drafts"),
    TRASH("\\Trash"),
    JUNK("\\Junk");

    private final String imapName;

    MailboxAttribute(String imapName) {
        this.imapName = imapName;
    }

    public String imapName() {
        return imapName;
    }

    public boolean isSpecialUse() {
        return ordinal() >= SENT.ordinal();
    }
}
