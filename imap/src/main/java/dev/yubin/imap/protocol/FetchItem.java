package dev.yubin.imap.protocol;

import java.util.List;
import java.util.Optional;

/**
 * One {@code fetch-att} of a FETCH command (RFC 3501 §6.4.5, §9). The macros {@code ALL}, {@code FAST} and
 * {@code FULL} are expanded by the parser into {@link Attribute}s. Immutable and thread-safe.
 */
public sealed interface FetchItem permits FetchItem.Attribute, FetchItem.BodySection {

    /** The items that take no arguments. */
    enum Attribute implements FetchItem {
        /** The flags and keywords. */
        FLAGS("FLAGS"),
        /** The date the server received the message (RFC 3501 §2.3.3). */
        INTERNALDATE("INTERNALDATE"),
        /** The size in octets with CRLF line endings. */
        RFC822_SIZE("RFC822.SIZE"),
        /** The parsed envelope header fields (RFC 3501 §7.4.2). */
        ENVELOPE("ENVELOPE"),
        /** The MIME structure with extension data. */
        BODYSTRUCTURE("BODYSTRUCTURE"),
        /** {@code BODY} without a section: the non-extensible BODYSTRUCTURE. */
        BODY("BODY"),
        /** The message's UID; the parser adds it to every UID FETCH. */
        UID("UID"),
        /** The whole message; sets {@code \Seen} like {@code BODY[]}. */
        RFC822("RFC822"),
        /** Like {@code BODY.PEEK[HEADER]}, answered as {@code RFC822.HEADER}. */
        RFC822_HEADER("RFC822.HEADER"),
        /** Like {@code BODY[TEXT]}, answered as {@code RFC822.TEXT}; sets {@code \Seen}. */
        RFC822_TEXT("RFC822.TEXT");

        private final String wire;

        Attribute(String wire) {
            this.wire = wire;
        }

        /** The name as the client and the response write it. */
        public String wire() {
            return wire;
        }
    }

    /** {@code ALL}: FLAGS INTERNALDATE RFC822.SIZE ENVELOPE. */
    List<FetchItem> ALL = List.of(Attribute.FLAGS, Attribute.INTERNALDATE, Attribute.RFC822_SIZE, Attribute.ENVELOPE);
    /** {@code FAST}: FLAGS INTERNALDATE RFC822.SIZE. */
    List<FetchItem> FAST = List.of(Attribute.FLAGS, Attribute.INTERNALDATE, Attribute.RFC822_SIZE);
    /** {@code FULL}: FLAGS INTERNALDATE RFC822.SIZE ENVELOPE BODY. */
    List<FetchItem> FULL = List.of(Attribute.FLAGS, Attribute.INTERNALDATE, Attribute.RFC822_SIZE,
            Attribute.ENVELOPE, Attribute.BODY);

    /**
     * {@code BODY[section]<partial>} or {@code BODY.PEEK[...]}.
     *
     * @param peek    whether {@code \Seen} is left alone
     * @param section the part and text the client wants
     * @param partial the octet range, if {@code <origin.count>} was given
     */
    record BodySection(boolean peek, Section section, Optional<Partial> partial) implements FetchItem {
        /** Checks that neither component is {@code null}. */
        public BodySection {
            java.util.Objects.requireNonNull(section, "section");
            java.util.Objects.requireNonNull(partial, "partial");
        }
    }

    /** What a {@link Section} names inside its part. */
    enum SectionText {
        /** The whole part ({@code BODY[]}, {@code BODY[1.2]}). */
        ALL(""),
        /** The part's header (the message header without a part number). */
        HEADER("HEADER"),
        /** The named header fields only. */
        HEADER_FIELDS("HEADER.FIELDS"),
        /** The header without the named fields. */
        HEADER_FIELDS_NOT("HEADER.FIELDS.NOT"),
        /** The part's body, without its header. */
        TEXT("TEXT"),
        /** The MIME header of a part; only with a part number. */
        MIME("MIME");

        private final String wire;

        SectionText(String wire) {
            this.wire = wire;
        }

        /** The name as written in the request and the response; empty for {@link #ALL}. */
        public String wire() {
            return wire;
        }
    }

    /**
     * A {@code section-spec}: part numbers ({@code 1.2.3}), then what of that part; {@code fields} only for
     * {@code HEADER.FIELDS[.NOT]}, upper-cased as the field names compare case-insensitively.
     */
    record Section(List<Integer> part, SectionText text, List<String> fields) {
        /** {@code []}: the whole message. */
        public static final Section WHOLE = new Section(List.of(), SectionText.ALL, List.of());

        /**
         * Copies the lists.
         *
         * @throws IllegalArgumentException if {@code fields} is given without {@code HEADER.FIELDS[.NOT]} (or
         *     missing with it), or {@code MIME} has no part number
         */
        public Section {
            part = List.copyOf(part);
            fields = List.copyOf(fields);
            boolean wantsFields = text == SectionText.HEADER_FIELDS || text == SectionText.HEADER_FIELDS_NOT;
            if (wantsFields == fields.isEmpty()) {
                throw new IllegalArgumentException("header fields go with HEADER.FIELDS[.NOT] only");
            }
            if (text == SectionText.MIME && part.isEmpty()) {
                throw new IllegalArgumentException("MIME needs a part number");
            }
        }

        /** The section as written in the response, e.g. {@code 1.2.HEADER.FIELDS (DATE FROM)}. */
        public String wire() {
            StringBuilder out = new StringBuilder();
            for (int n : part) {
                if (out.length() > 0) {
                    out.append('.');
                }
                out.append(n);
            }
            if (text != SectionText.ALL) {
                if (out.length() > 0) {
                    out.append('.');
                }
                out.append(text.wire());
            }
            if (!fields.isEmpty()) {
                out.append(" (").append(String.join(" ", fields)).append(')');
            }
            return out.toString();
        }
    }

    /** {@code <origin.count>}: octets from {@code origin}, at most {@code count}. */
    record Partial(long origin, long count) {
        /** Checks that {@code origin} is not negative and {@code count} is at least 1. */
        public Partial {
            if (origin < 0 || count < 1) {
                throw new IllegalArgumentException("bad partial <" + origin + "." + count + ">");
            }
        }
    }
}
