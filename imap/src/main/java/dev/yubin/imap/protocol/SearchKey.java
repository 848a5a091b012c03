package dev.yubin.imap.protocol;

import java.time.LocalDate;
import java.util.List;
import java.util.Objects;

/**
 * A SEARCH criterion (RFC 3501 §6.4.4) as a tree. The parser maps the RFC keys onto few nodes so that a search
 * engine needs one case per node: {@code SEEN} is {@code HasFlag("\Seen")}, {@code UNSEEN} is
 * {@code Not(HasFlag("\Seen"))}, {@code NEW} is {@code And(HasFlag("\Recent"), Not(HasFlag("\Seen")))},
 * {@code OLD} is {@code Not(HasFlag("\Recent"))}, {@code KEYWORD k} is {@code HasFlag(k)}, {@code FROM x} is
 * {@code Header("FROM", x)}, and the top-level key list and parenthesised groups are {@link And}. Immutable.
 */
public sealed interface SearchKey {

    /** {@code ALL}. */
    record All() implements SearchKey {
    }

    /** A bare sequence set: messages by sequence number. */
    record SequenceNumbers(SequenceSet set) implements SearchKey {
        /** Checks that nothing is {@code null}. */
        public SequenceNumbers {
            Objects.requireNonNull(set, "set");
        }
    }

    /** {@code UID set}. */
    record Uid(SequenceSet set) implements SearchKey {
        /** Checks that nothing is {@code null}. */
        public Uid {
            Objects.requireNonNull(set, "set");
        }
    }

    /** A system flag ({@code \Seen}, {@code \Recent}…) or keyword is set. */
    record HasFlag(String flag) implements SearchKey {
        /** Checks that nothing is {@code null}. */
        public HasFlag {
            Objects.requireNonNull(flag, "flag");
        }
    }

    /** {@code HEADER field value}, and BCC, CC, FROM, SUBJECT, TO; the field name is upper-cased. */
    record Header(String field, String value) implements SearchKey {
        /** Checks that nothing is {@code null}. */
        public Header {
            Objects.requireNonNull(field, "field");
            Objects.requireNonNull(value, "value");
        }
    }

    /** {@code BODY text}: in the body, not the header. */
    record Body(String text) implements SearchKey {
        /** Checks that nothing is {@code null}. */
        public Body {
            Objects.requireNonNull(text, "text");
        }
    }

    /** {@code TEXT text}: in the header or the body. */
    record Text(String text) implements SearchKey {
        /** Checks that nothing is {@code null}. */
        public Text {
            Objects.requireNonNull(text, "text");
        }
    }

    /** {@code BEFORE}, {@code ON}, {@code SINCE}: the internal date, disregarding time and zone. */
    record InternalDate(DateRelation relation, LocalDate date) implements SearchKey {
        /** Checks that nothing is {@code null}. */
        public InternalDate {
            Objects.requireNonNull(relation, "relation");
            Objects.requireNonNull(date, "date");
        }
    }

    /** {@code SENTBEFORE}, {@code SENTON}, {@code SENTSINCE}: the Date: header, disregarding time and zone. */
    record SentDate(DateRelation relation, LocalDate date) implements SearchKey {
        /** Checks that nothing is {@code null}. */
        public SentDate {
            Objects.requireNonNull(relation, "relation");
            Objects.requireNonNull(date, "date");
        }
    }

    /** {@code LARGER n}: RFC822.SIZE greater than {@code size}. */
    record Larger(long size) implements SearchKey {
    }

    /** {@code SMALLER n}: RFC822.SIZE less than {@code size}. */
    record Smaller(long size) implements SearchKey {
    }

    /** {@code NOT key}. */
    record Not(SearchKey key) implements SearchKey {
        /** Checks that nothing is {@code null}. */
        public Not {
            Objects.requireNonNull(key, "key");
        }
    }

    /** {@code OR key1 key2}. */
    record Or(SearchKey left, SearchKey right) implements SearchKey {
        /** Checks that nothing is {@code null}. */
        public Or {
            Objects.requireNonNull(left, "left");
            Objects.requireNonNull(right, "right");
        }
    }

    /** All of {@code keys}: the key list of SEARCH and a parenthesised group. */
    record And(List<SearchKey> keys) implements SearchKey {
        /**
         * Copies the list.
         *
         * @throws IllegalArgumentException if it is empty
         */
        public And {
            keys = List.copyOf(keys);
            if (keys.isEmpty()) {
                throw new IllegalArgumentException("an AND needs a key");
            }
        }
    }

    /** How a date key compares. */
    enum DateRelation {
        /** Earlier than the date. */
        BEFORE,
        /** On the date. */
        ON,
        /** On the date or later. */
        SINCE
    }
}
