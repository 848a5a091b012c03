package dev.yubin.core.store;

/** The outcome of APPEND, for {@code [APPENDUID uidvalidity uid]} (RFC 4315 §3). Immutable. */
public record AppendResult(long uidValidity, long uid) {
    /** Checks that both values are at least 1. */
    public AppendResult {
        if (uidValidity < 1 || uid < 1) {
            throw new IllegalArgumentException("bad append result " + uidValidity + "/" + uid);
        }
    }
}
