package dev.yubin.imap.search;

import dev.yubin.core.store.MessageInfo;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Arrays;

/**
 * The message being evaluated: its index data and the results of the content criteria found so far. Reused from
 * one message to the next of a search. Not thread-safe; confined to the searching thread.
 */
final class Candidate {
    final long largestSequence;
    final long largestUid;
    final ZoneId zone;
    private final byte[] results;
    MessageInfo info;
    long sequence;
    private LocalDate internalDate;

    Candidate(long largestSequence, long largestUid, ZoneId zone, int contentCriteria) {
        this.largestSequence = largestSequence;
        this.largestUid = largestUid;
        this.zone = zone;
        this.results = new byte[contentCriteria];
    }

    /** Moves to {@code message}, forgetting what was found about the previous one. */
    void reset(MessageInfo message, long sequenceNumber) {
        info = message;
        sequence = sequenceNumber;
        internalDate = null;
        Arrays.fill(results, (byte) Criterion.UNKNOWN);
    }

    /** INTERNALDATE's date in the server's zone. */
    LocalDate internalDate() {
        if (internalDate == null) {
            internalDate = LocalDate.ofInstant(info.internalDate(), zone);
        }
        return internalDate;
    }

    int result(int id) {
        return results[id];
    }

    boolean isKnown(int id) {
        return results[id] != Criterion.UNKNOWN;
    }

    void setResult(int id, boolean matched) {
        results[id] = (byte) (matched ? Criterion.TRUE : Criterion.FALSE);
    }
}
