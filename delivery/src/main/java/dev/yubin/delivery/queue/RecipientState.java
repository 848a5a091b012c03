package dev.yubin.delivery.queue;

import java.util.Locale;

/** The delivery state of one recipient of a queued message, as Postfix logs it in {@code status=}. */
public enum RecipientState {
    /** Not tried yet. */
    PENDING,
    /** Tried and failed temporarily; to be tried again. */
    DEFERRED,
    /** Delivered: done. */
    SENT,
    /** Failed permanently: done, a bounce is due to the sender. */
    BOUNCED;

    /** Whether nothing more is to be done for the recipient. */
    public boolean isDone() {
        return this == SENT || this == BOUNCED;
    }

    /** The lower-case word of {@code status=}: {@code sent}, {@code deferred}… */
    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }
}
