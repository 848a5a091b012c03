package dev.yubin.imap.search;

import dev.yubin.core.store.Flag;
import dev.yubin.imap.protocol.SearchKey;
import dev.yubin.imap.protocol.SequenceSet;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A {@link SearchKey} compiled for evaluation: nested ANDs flattened, the operands of AND and OR ordered cheapest
 * first (flags, sets, sizes and dates before header criteria before body criteria), key strings case-folded,
 * keys known in advance ({@code BODY ""}, an unknown system flag) turned into constants, and the content criteria
 * listed for {@link ContentScan}. Immutable after construction.
 */
final class SearchPlan {
    private static final Set<String> ADDRESS_FIELDS = Set.of("FROM", "TO", "CC", "BCC");

    final Criterion root;
    final List<Criterion.HeaderField> headerFields = new ArrayList<>();
    final List<Criterion.SentDate> sentDates = new ArrayList<>();
    final List<Criterion.Text> texts = new ArrayList<>();
    private final Set<Long> saved;
    private int ids;

    SearchPlan(SearchKey key, Set<Long> savedResult) {
        this.saved = savedResult;
        this.root = compile(key);
    }

    /** Whether no criterion looks past the top-level header (no BODY or TEXT). */
    boolean headersOnly() {
        return texts.isEmpty();
    }

    /** The number of content criteria, numbered from 0. */
    int contentCriteria() {
        return ids;
    }

    private Criterion compile(SearchKey key) {
        if (key instanceof SearchKey.All) {
            return Criterion.Constant.ALWAYS;
        }
        if (key instanceof SearchKey.SequenceNumbers) {
            SequenceSet set = ((SearchKey.SequenceNumbers) key).set();
            return set.saved() ? new Criterion.Saved(saved) : new Criterion.SequenceNumbers(set);
        }
        if (key instanceof SearchKey.Uid) {
            SequenceSet set = ((SearchKey.Uid) key).set();
            return set.saved() ? new Criterion.Saved(saved) : new Criterion.Uids(set);
        }
        if (key instanceof SearchKey.HasFlag) {
            return flag(((SearchKey.HasFlag) key).flag());
        }
        if (key instanceof SearchKey.InternalDate) {
            SearchKey.InternalDate d = (SearchKey.InternalDate) key;
            return new Criterion.InternalDate(d.relation(), d.date());
        }
        if (key instanceof SearchKey.Larger) {
            return new Criterion.Size(((SearchKey.Larger) key).size(), true);
        }
        if (key instanceof SearchKey.Smaller) {
            return new Criterion.Size(((SearchKey.Smaller) key).size(), false);
        }
        if (key instanceof SearchKey.Header) {
            SearchKey.Header h = (SearchKey.Header) key;
            String field = h.field().toUpperCase(Locale.ROOT);
            Criterion.HeaderField c = new Criterion.HeaderField(ids++, field, Folding.fold(h.value()),
                    ADDRESS_FIELDS.contains(field));
            headerFields.add(c);
            return c;
        }
        if (key instanceof SearchKey.SentDate) {
            SearchKey.SentDate d = (SearchKey.SentDate) key;
            Criterion.SentDate c = new Criterion.SentDate(ids++, d.relation(), d.date());
            sentDates.add(c);
            return c;
        }
        if (key instanceof SearchKey.Body) {
            return text(((SearchKey.Body) key).text(), false);
        }
        if (key instanceof SearchKey.Text) {
            return text(((SearchKey.Text) key).text(), true);
        }
        if (key instanceof SearchKey.Not) {
            return new Criterion.Not(compile(((SearchKey.Not) key).key()));
        }
        if (key instanceof SearchKey.Or) {
            SearchKey.Or or = (SearchKey.Or) key;
            return junction(List.of(compile(or.left()), compile(or.right())), false);
        }
        if (key instanceof SearchKey.And) {
            List<Criterion> operands = new ArrayList<>();
            for (SearchKey k : ((SearchKey.And) key).keys()) {
                operands.add(compile(k));
            }
            return junction(operands, true);
        }
        throw new IllegalArgumentException("unknown search key " + key);
    }

    private Criterion text(String text, boolean inHeader) {
        if (text.isEmpty()) {
            return Criterion.Constant.ALWAYS; // every text contains the empty string
        }
        Criterion.Text c = new Criterion.Text(ids++, Folding.fold(text), inHeader);
        texts.add(c);
        return c;
    }

    private static Criterion flag(String flag) {
        if (!flag.startsWith("\\")) {
            return new Criterion.Keyword(flag);
        }
        if (flag.equalsIgnoreCase("\\Recent")) {
            return Criterion.Recent.INSTANCE;
        }
        for (Flag f : Flag.values()) {
            if (f.imapName().equalsIgnoreCase(flag)) {
                return new Criterion.SystemFlag(f);
            }
        }
        return Criterion.Constant.NEVER; // a system flag the store cannot hold
    }

    private static Criterion junction(List<Criterion> operands, boolean all) {
        List<Criterion> flat = new ArrayList<>();
        for (Criterion operand : operands) {
            if (operand instanceof Criterion.Junction && ((Criterion.Junction) operand).all == all) {
                flat.addAll(((Criterion.Junction) operand).operands);
            } else {
                flat.add(operand);
            }
        }
        if (flat.size() == 1) {
            return flat.get(0);
        }
        flat.sort(Comparator.comparingInt(Criterion::cost)); // stable: equal costs keep the client's order
        return new Criterion.Junction(flat, all);
    }
}
