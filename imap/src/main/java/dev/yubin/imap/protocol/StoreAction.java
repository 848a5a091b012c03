package dev.yubin.imap.protocol;

import java.util.List;

/**
 * The {@code store-att-flags} of STORE (RFC 3501 §6.4.6): replace, add or remove flags, optionally
 * {@code .SILENT}. Immutable.
 *
 * @param mode   {@code FLAGS}, {@code +FLAGS} or {@code -FLAGS}
 * @param silent whether the server omits the untagged FETCH of the new flags
 * @param flags  system flags ({@code \Seen}) and keywords as the client wrote them
 */
public record StoreAction(Mode mode, boolean silent, List<String> flags) {
    /** Checks {@code mode} and copies the flags. */
    public StoreAction {
        java.util.Objects.requireNonNull(mode, "mode");
        flags = List.copyOf(flags);
    }

    /** How the flags combine with the message's current ones. */
    public enum Mode {
        /** {@code FLAGS}: the given flags replace the current ones. */
        REPLACE,
        /** {@code +FLAGS}: the given flags are added. */
        ADD,
        /** {@code -FLAGS}: the given flags are removed. */
        REMOVE
    }
}
