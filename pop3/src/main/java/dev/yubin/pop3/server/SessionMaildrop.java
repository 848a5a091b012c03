package dev.yubin.pop3.server;

import dev.yubin.core.store.Maildrop;
import dev.yubin.core.store.StoredMessage;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * One session's maildrop: the snapshot taken at login, numbered from 1, plus the deletion marks that only UPDATE
 * applies (RFC 1939 §§5–6). Not thread-safe; confined to the session.
 */
final class SessionMaildrop {
    private final Maildrop store;
    private final List<StoredMessage> messages;
    private final BitSet deleted;
    private final long totalOctets;

    SessionMaildrop(Maildrop store) {
        this.store = store;
        this.messages = List.copyOf(store.messages());
        this.deleted = new BitSet(messages.size());
        long sum = 0;
        for (StoredMessage message : messages) {
            sum += message.wireSize();
        }
        this.totalOctets = sum;
    }

    Maildrop store() {
        return store;
    }

    /** Messages in the snapshot, deleted ones included (the highest valid number). */
    int size() {
        return messages.size();
    }

    /** The octets of the snapshot, deleted ones included. */
    long totalOctets() {
        return totalOctets;
    }

    /** Message {@code number} (1-based, within {@link #size()}). */
    StoredMessage get(int number) {
        return messages.get(number - 1);
    }

    boolean exists(int number) {
        return number >= 1 && number <= messages.size();
    }

    boolean isDeleted(int number) {
        return deleted.get(number - 1);
    }

    void markDeleted(int number) {
        deleted.set(number - 1);
    }

    void unmarkAll() {
        deleted.clear();
    }

    int deletedCount() {
        return deleted.cardinality();
    }

    /** Messages not marked as deleted. */
    int visibleCount() {
        return messages.size() - deleted.cardinality();
    }

    /** Octets of the messages not marked as deleted. */
    long visibleOctets() {
        long sum = 0;
        for (int i = 0; i < messages.size(); i++) {
            if (!deleted.get(i)) {
                sum += messages.get(i).wireSize();
            }
        }
        return sum;
    }

    List<StoredMessage> marked() {
        List<StoredMessage> out = new ArrayList<>(deleted.cardinality());
        for (int i = deleted.nextSetBit(0); i >= 0; i = deleted.nextSetBit(i + 1)) {
            out.add(messages.get(i));
        }
        return out;
    }
}
