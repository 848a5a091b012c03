package dev.yubin.pop3.protocol;

/**
 * The response codes a POP3 server puts in brackets after {@code -ERR} (RFC 2449 §8, the {@code RESP-CODES}
 * capability), so that clients can tell a wrong password from a locked or broken mailbox without parsing prose.
 */
public enum Pop3ResponseCode {
    /** The credentials are wrong, or the mechanism may not be used here (RFC 3206 §4). */
    AUTH("AUTH"),
    /** The maildrop is locked by another session (RFC 2449 §8.1.1). */
    IN_USE("IN-USE"),
    /** The user logged in too recently (RFC 2449 §8.1.2). */
    LOGIN_DELAY("LOGIN-DELAY"),
    /** A temporary system problem: trying again later may work (RFC 3206 §4). */
    SYS_TEMP("SYS/TEMP"),
    /** A permanent system problem that needs an administrator (RFC 3206 §4). */
    SYS_PERM("SYS/PERM");

    private final String wire;

    Pop3ResponseCode(String wire) {
        this.wire = wire;
    }

    /** The code as written between the brackets: {@code SYS/TEMP}. */
    public String wire() {
        return wire;
    }

    @Override
    public String toString() {
        return wire;
    }
}
