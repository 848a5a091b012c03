package dev.yubin.core.store;

import java.util.List;

/**
 * The outcome of COPY or MOVE, for {@code [COPYUID uidvalidity source target]} (RFC 4315 §3): the i-th source UID
 * became the i-th target UID. Immutable.
 */
public record CopyResult(long uidValidity, List<Long> sourceUids, List<Long> targetUids) {
    /**
     * Copies the lists.
     *
     * @throws IllegalArgumentException if they differ in length
     */
    public CopyResult {
        sourceUids = List.copyOf(sourceUids);
        targetUids = List.copyOf(targetUids);
        if (sourceUids.size() != targetUids.size()) {
            throw new IllegalArgumentException("uid lists differ in length");
        }
    }
}
