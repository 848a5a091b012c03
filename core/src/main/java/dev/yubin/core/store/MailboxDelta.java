package dev.yubin.core.store;

import java.util.List;

/**
 * What {@link Mailbox#refresh()} found changed since the session's last view. Immutable.
 *
 * @param expunged UIDs no longer in the mailbox, ascending (EXPUNGE responses, highest sequence number first)
 * @param added new messages, ascending by UID (EXISTS)
 * @param flagsChanged messages whose flags others changed (FETCH FLAGS)
 */
public record MailboxDelta(List<Long> expunged, List<MessageInfo> added, List<MessageInfo> flagsChanged) {
    /** Nothing changed. */
    public static final MailboxDelta NONE = new MailboxDelta(List.of(), List.of(), List.of());

    /** Copies the lists. */
    public MailboxDelta {
        expunged = List.copyOf(expunged);
        added = List.copyOf(added);
        flagsChanged = List.copyOf(flagsChanged);
    }

    /** Whether nothing changed. */
    public boolean isEmpty() {
        return expunged.isEmpty() && added.isEmpty() && flagsChanged.isEmpty();
    }
}
