package dev.yubin.core.store;

/** How STORE changes flags (RFC 3501 §6.4.6): {@code +FLAGS}, {@code -FLAGS} or {@code FLAGS}. */
public enum FlagOperation {
    /** {@code +FLAGS}: add the given flags. */
    ADD,
    /** {@code -FLAGS}: remove the given flags. */
    REMOVE,
    /** {@code FLAGS}: replace the flags with the given ones. */
    REPLACE
}
