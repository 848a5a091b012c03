package dev.yubin.imap.search;

import dev.yubin.core.store.Flag;
import dev.yubin.imap.protocol.SearchKey.DateRelation;
import dev.yubin.imap.protocol.SequenceSet;
import java.time.LocalDate;
import java.util.List;
import java.util.Set;

/**
 * A compiled search key: a node of the tree {@link SearchPlan} builds from a {@code SearchKey}, evaluated in
 * three-valued logic so that cheap criteria can decide a message before its content is opened. Content criteria
 * answer {@link #UNKNOWN} until {@link ContentScan} has set their result in the {@link Candidate}. Immutable.
 */
abstract class Criterion {
    static final int FALSE = 0;
    static final int TRUE = 1;
    static final int UNKNOWN = -1;

    /** Evaluation needs only the index data. */
    static final int CHEAP = 0;
    /** Evaluation needs the message header. */
    static final int HEADER = 1;
    /** Evaluation needs the body. */
    static final int BODY = 2;

    /** {@link #CHEAP}, {@link #HEADER} or {@link #BODY}: the most expensive input this node may read. */
    abstract int cost();

    /** {@link #TRUE}, {@link #FALSE} or, while a content criterion it depends on is open, {@link #UNKNOWN}. */
    abstract int eval(Candidate c);

    static int of(boolean b) {
        return b ? TRUE : FALSE;
    }

    static boolean compare(DateRelation relation, LocalDate actual, LocalDate key) {
        switch (relation) {
            case BEFORE:
                return actual.isBefore(key);
            case ON:
                return actual.isEqual(key);
            default:
                return !actual.isBefore(key);
        }
    }

    /** {@code ALL}, or a key known in advance such as {@code BODY ""}. */
    static final class Constant extends Criterion {
        static final Constant ALWAYS = new Constant(true);
        static final Constant NEVER = new Constant(false);
        private final int value;

        private Constant(boolean value) {
            this.value = of(value);
        }

        @Override
        int cost() {
            return CHEAP;
        }

        @Override
        int eval(Candidate c) {
            return value;
        }
    }

    /** A sequence set; {@code *} is the number of messages. */
    static final class SequenceNumbers extends Criterion {
        private final SequenceSet set;

        SequenceNumbers(SequenceSet set) {
            this.set = set;
        }

        @Override
        int cost() {
            return CHEAP;
        }

        @Override
        int eval(Candidate c) {
            return of(set.contains(c.sequence, c.largestSequence));
        }
    }

    /** A UID set; {@code *} is the highest UID in the view. */
    static final class Uids extends Criterion {
        private final SequenceSet set;

        Uids(SequenceSet set) {
            this.set = set;
        }

        @Override
        int cost() {
            return CHEAP;
        }

        @Override
        int eval(Candidate c) {
            return of(set.contains(c.info.uid(), c.largestUid));
        }
    }

    /** {@code $}: membership in the saved result, by UID (RFC 5182). */
    static final class Saved extends Criterion {
        private final Set<Long> uids;

        Saved(Set<Long> uids) {
            this.uids = uids;
        }

        @Override
        int cost() {
            return CHEAP;
        }

        @Override
        int eval(Candidate c) {
            return of(uids.contains(c.info.uid()));
        }
    }

    /** A system flag of the store. */
    static final class SystemFlag extends Criterion {
        private final Flag flag;

        SystemFlag(Flag flag) {
            this.flag = flag;
        }

        @Override
        int cost() {
            return CHEAP;
        }

        @Override
        int eval(Candidate c) {
            return of(c.info.flags().contains(flag));
        }
    }

    /** {@code \Recent}: per session, from {@code MessageInfo.recent()}. */
    static final class Recent extends Criterion {
        static final Recent INSTANCE = new Recent();

        @Override
        int cost() {
            return CHEAP;
        }

        @Override
        int eval(Candidate c) {
            return of(c.info.recent());
        }
    }

    /** A keyword, compared case-insensitively as flags are (RFC 9051 §2.3.2). */
    static final class Keyword extends Criterion {
        private final String keyword;

        Keyword(String keyword) {
            this.keyword = keyword;
        }

        @Override
        int cost() {
            return CHEAP;
        }

        @Override
        int eval(Candidate c) {
            Set<String> keywords = c.info.flags().keywords();
            if (keywords.contains(keyword)) {
                return TRUE;
            }
            for (String k : keywords) {
                if (k.equalsIgnoreCase(keyword)) {
                    return TRUE;
                }
            }
            return FALSE;
        }
    }

    /** BEFORE, ON, SINCE. */
    static final class InternalDate extends Criterion {
        private final DateRelation relation;
        private final LocalDate date;

        InternalDate(DateRelation relation, LocalDate date) {
            this.relation = relation;
            this.date = date;
        }

        @Override
        int cost() {
            return CHEAP;
        }

        @Override
        int eval(Candidate c) {
            return of(compare(relation, c.internalDate(), date));
        }
    }

    /** LARGER and SMALLER, on RFC822.SIZE (CRLF line ends). */
    static final class Size extends Criterion {
        private final long size;
        private final boolean larger;

        Size(long size, boolean larger) {
            this.size = size;
            this.larger = larger;
        }

        @Override
        int cost() {
            return CHEAP;
        }

        @Override
        int eval(Candidate c) {
            long actual = c.info.wireSize();
            return of(larger ? actual > size : actual < size);
        }
    }

    static final class Not extends Criterion {
        private final Criterion inner;

        Not(Criterion inner) {
            this.inner = inner;
        }

        @Override
        int cost() {
            return inner.cost();
        }

        @Override
        int eval(Candidate c) {
            int r = inner.eval(c);
            return r == UNKNOWN ? UNKNOWN : 1 - r;
        }
    }

    /** AND (when {@code all}) or OR of the operands, cheapest first, stopping at the first deciding operand. */
    static final class Junction extends Criterion {
        final List<Criterion> operands;
        final boolean all;
        private final int cost;

        Junction(List<Criterion> operands, boolean all) {
            this.operands = List.copyOf(operands);
            this.all = all;
            int max = CHEAP;
            for (Criterion operand : this.operands) {
                max = Math.max(max, operand.cost());
            }
            this.cost = max;
        }

        @Override
        int cost() {
            return cost;
        }

        @Override
        int eval(Candidate c) {
            int deciding = all ? FALSE : TRUE;
            boolean unknown = false;
            for (Criterion operand : operands) {
                int r = operand.eval(c);
                if (r == deciding) {
                    return deciding;
                }
                unknown |= r == UNKNOWN;
            }
            return unknown ? UNKNOWN : 1 - deciding;
        }
    }

    /** A criterion on the content: its result lives in the {@link Candidate} under {@link #id}. */
    abstract static class ContentCriterion extends Criterion {
        final int id;

        ContentCriterion(int id) {
            this.id = id;
        }

        @Override
        final int eval(Candidate c) {
            return c.result(id);
        }
    }

    /**
     * {@code HEADER field value} (and FROM, TO, CC, BCC, SUBJECT): a substring of any occurrence of the field in
     * the message's own header, or, for an empty value, the field's presence.
     */
    static final class HeaderField extends ContentCriterion {
        final String field;
        /** Case-folded; empty for a presence test. */
        final String needle;
        /** FROM, TO, CC, BCC: also matched against the normalised address list. */
        final boolean address;

        HeaderField(int id, String field, String needle, boolean address) {
            super(id);
            this.field = field;
            this.needle = needle;
            this.address = address;
        }

        @Override
        int cost() {
            return HEADER;
        }
    }

    /** SENTBEFORE, SENTON, SENTSINCE on the date of the first Date: field as written (in its own zone). */
    static final class SentDate extends ContentCriterion {
        final DateRelation relation;
        final LocalDate date;

        SentDate(int id, DateRelation relation, LocalDate date) {
            super(id);
            this.relation = relation;
            this.date = date;
        }

        @Override
        int cost() {
            return HEADER;
        }
    }

    /** BODY (when not {@code inHeader}) and TEXT: a substring of the decoded body text or, for TEXT, header. */
    static final class Text extends ContentCriterion {
        /** Case-folded, not empty. */
        final String needle;
        final boolean inHeader;

        Text(int id, String needle, boolean inHeader) {
            super(id);
            this.needle = needle;
            this.inHeader = inHeader;
        }

        @Override
        int cost() {
            return BODY;
        }
    }
}
