package dev.yubin.imap.fetch;

import dev.yubin.core.message.MessageContent;
import dev.yubin.core.store.Flag;
import dev.yubin.core.store.MessageInfo;
import dev.yubin.imap.mime.MessageStructure;
import dev.yubin.imap.protocol.FetchItem;
import dev.yubin.imap.protocol.ImapWriter;
import dev.yubin.imap.protocol.ResponseStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Renders one message's FETCH response (RFC 3501 §7.4.2): {@code * n FETCH (...)} with FLAGS, INTERNALDATE,
 * RFC822.SIZE, ENVELOPE, BODY, BODYSTRUCTURE, UID, RFC822[.HEADER|.TEXT] and {@code BODY[section]<partial>}.
 * Bodies go out as literals in the CRLF form; a message of up to 2 MiB is read into memory once, a larger one is
 * scanned for its part offsets and then streamed from the store in chunks, so its size does not matter to the heap.
 * The caller sets {@code \Seen} beforehand and passes the message as it is then. Thread-safe (it holds only
 * settings); each {@link ResponseStream} it returns is not.
 */
public final class FetchResponder {
    /** Messages up to this many CRLF octets are read into memory once per response. */
    static final long IN_MEMORY = 2L << 20;

    private final boolean utf8;
    private final StructureCache cache;

    /** @param utf8 whether {@code ENABLE UTF8=ACCEPT} was done (RFC 6855): 8-bit header text may be quoted */
    public FetchResponder(boolean utf8) {
        this(utf8, null);
    }

    /** As {@link #FetchResponder(boolean)}, keeping parsed structures in {@code cache} (null: none). */
    public FetchResponder(boolean utf8, StructureCache cache) {
        this.utf8 = utf8;
        this.cache = cache;
    }

    /** Whether any of {@code items} needs the message's content (not only its flags, dates and sizes). */
    public static boolean needsContent(List<FetchItem> items) {
        for (FetchItem item : items) {
            if (item instanceof FetchItem.BodySection || item == FetchItem.Attribute.ENVELOPE
                    || item == FetchItem.Attribute.BODYSTRUCTURE || item == FetchItem.Attribute.BODY
                    || item == FetchItem.Attribute.RFC822 || item == FetchItem.Attribute.RFC822_HEADER
                    || item == FetchItem.Attribute.RFC822_TEXT) {
                return true;
            }
        }
        return false;
    }

    /** Whether any of {@code items} needs more of the content than its structure (ENVELOPE, BODY, BODYSTRUCTURE). */
    public static boolean needsMoreThanStructure(List<FetchItem> items) {
        for (FetchItem item : items) {
            if (item instanceof FetchItem.BodySection || item == FetchItem.Attribute.RFC822
                    || item == FetchItem.Attribute.RFC822_HEADER || item == FetchItem.Attribute.RFC822_TEXT) {
                return true;
            }
        }
        return false;
    }

    /** Whether the cache holds the structure under {@code cacheKey}. */
    public boolean hasStructure(String cacheKey) {
        return cache != null && cache.get(cacheKey).isPresent();
    }

    /** Whether any of {@code items} sets {@code \Seen}: BODY[...] without PEEK, RFC822, RFC822.TEXT. */
    public static boolean setsSeen(List<FetchItem> items) {
        for (FetchItem item : items) {
            if (item instanceof FetchItem.BodySection && !((FetchItem.BodySection) item).peek()
                    || item == FetchItem.Attribute.RFC822 || item == FetchItem.Attribute.RFC822_TEXT) {
                return true;
            }
        }
        return false;
    }

    /** The whole {@code * seq FETCH (...)CRLF} of one message, in chunks; closes the content at the end. */
    public ResponseStream respond(long sequenceNumber, MessageInfo message, List<FetchItem> items,
            MessageSource source) {
        return respond(sequenceNumber, message, items, source, null);
    }

    /**
     * As {@link #respond(long, MessageInfo, List, MessageSource)}; ENVELOPE, BODY and BODYSTRUCTURE come from the
     * cache under {@code cacheKey} ({@link StructureCache#key}) when it has them, and go into it otherwise.
     */
    public ResponseStream respond(long sequenceNumber, MessageInfo message, List<FetchItem> items,
            MessageSource source, String cacheKey) {
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(source, "source");
        return new Response(sequenceNumber, message, List.copyOf(items), source, cacheKey);
    }

    /** The FLAGS of a message: system flags, keywords, then {@code \Recent} when this session is the first. */
    public static List<String> flagNames(MessageInfo info) {
        List<String> out = new ArrayList<>();
        for (Flag flag : Flag.values()) {
            if (info.flags().contains(flag)) {
                out.add(flag.imapName());
            }
        }
        out.addAll(info.flags().keywords());
        if (info.recent()) {
            out.add("\\Recent");
        }
        return out;
    }

    /**
     * A piece of the response: all of {@code octets} ({@code length} 0), a slice of them ({@code length} > 0), or
     * ({@code octets} null) a range of the message's CRLF form to stream.
     */
    private record Segment(byte[] octets, long start, long length) {
    }

    /** Literals at least this long are not copied into the response line but written from the message. */
    private static final int SLICE_THRESHOLD = 4096;

    private final class Response implements ResponseStream {
        private final long sequenceNumber;
        private final MessageInfo message;
        private final List<FetchItem> items;
        private final MessageSource source;
        private final List<Segment> segments = new ArrayList<>();
        private final ByteArrayOutputStream pending = new ByteArrayOutputStream(1024);
        private MessageContent content;
        private byte[] whole;
        private MimeParts.Entity parts;
        private MessageStructure structure;
        private final String cacheKey;
        private boolean built;
        private int next;
        private InputStream range;
        private long rangeLeft;

        Response(long sequenceNumber, MessageInfo message, List<FetchItem> items, MessageSource source,
                String cacheKey) {
            this.sequenceNumber = sequenceNumber;
            this.message = message;
            this.items = items;
            this.source = source;
            this.cacheKey = cache == null ? null : cacheKey;
        }

        @Override
        public byte[] next() throws IOException {
            if (!built) {
                build();
                built = true;
            }
            while (pending.size() < CHUNK) {
                if (range != null) {
                    byte[] chunk = new byte[(int) Math.min(CHUNK - pending.size(), rangeLeft)];
                    int n = range.readNBytes(chunk, 0, chunk.length);
                    if (n < chunk.length) {
                        throw new IOException("message " + message.uid() + " is shorter than its size");
                    }
                    pending.write(chunk, 0, n);
                    rangeLeft -= n;
                    if (rangeLeft == 0) {
                        range.close();
                        range = null;
                    }
                    continue;
                }
                if (next == segments.size()) {
                    break;
                }
                Segment s = segments.get(next++);
                if (s.octets() != null && s.length() > 0) {
                    pending.write(s.octets(), (int) s.start(), (int) s.length());
                } else if (s.octets() != null) {
                    pending.write(s.octets());
                } else if (s.length() > 0) {
                    range = new CrlfInputStream(content().openStream());
                    if (range.skip(s.start()) != s.start()) {
                        throw new IOException("message " + message.uid() + " is shorter than its size");
                    }
                    rangeLeft = s.length();
                }
            }
            if (pending.size() == 0) {
                close();
                return null;
            }
            byte[] out = pending.toByteArray();
            pending.reset();
            return out;
        }

        private void build() throws IOException {
            ImapWriter w = new ImapWriter(256);
            if (utf8) {
                w.enableUtf8();
            }
            w.untagged().number(sequenceNumber).raw(" FETCH (");
            boolean first = true;
            for (FetchItem item : items) {
                if (!first) {
                    w.sp();
                }
                first = false;
                if (item instanceof FetchItem.BodySection) {
                    FetchItem.BodySection section = (FetchItem.BodySection) item;
                    w.raw("BODY[").raw(section.section().wire()).raw("]");
                    section.partial().ifPresent(p -> w.raw("<").number(p.origin()).raw(">"));
                    w.sp();
                    literal(w, section(section.section()), section.partial());
                    continue;
                }
                switch ((FetchItem.Attribute) item) {
                    case FLAGS:
                        w.raw("FLAGS ").flagList(flagNames(message));
                        break;
                    case INTERNALDATE:
                        w.raw("INTERNALDATE ").dateTime(message.internalDate().atZone(ZoneId.systemDefault())
                                .toOffsetDateTime());
                        break;
                    case RFC822_SIZE:
                        w.raw("RFC822.SIZE ").number(message.wireSize());
                        break;
                    case UID:
                        w.raw("UID ").number(message.uid());
                        break;
                    case ENVELOPE:
                        w.raw("ENVELOPE ");
                        structure().writeEnvelope(w);
                        break;
                    case BODYSTRUCTURE:
                        w.raw("BODYSTRUCTURE ");
                        structure().writeBodyStructure(w, true);
                        break;
                    case BODY:
                        w.raw("BODY ");
                        structure().writeBodyStructure(w, false);
                        break;
                    case RFC822:
                        w.raw("RFC822 ");
                        literal(w, Optional.of(new Segment(null, 0, wireSize())), Optional.empty());
                        break;
                    case RFC822_HEADER:
                        w.raw("RFC822.HEADER ");
                        literal(w, section(new FetchItem.Section(List.of(), FetchItem.SectionText.HEADER,
                                List.of())), Optional.empty());
                        break;
                    default: // RFC822_TEXT
                        w.raw("RFC822.TEXT ");
                        literal(w, section(new FetchItem.Section(List.of(), FetchItem.SectionText.TEXT,
                                List.of())), Optional.empty());
                        break;
                }
            }
            w.raw(")").crlf();
            segments.add(new Segment(w.toByteArray(), 0, 0));
        }

        /** Writes {@code {n}CRLF} and queues the octets; NIL for a section the message does not have. */
        private void literal(ImapWriter w, Optional<Segment> body, Optional<FetchItem.Partial> partial)
                throws IOException {
            if (body.isEmpty()) {
                w.nil();
                return;
            }
            Segment s = body.get();
            long length = s.octets() != null ? s.octets().length : s.length();
            long from = 0;
            long count = length;
            if (partial.isPresent()) {
                from = Math.min(partial.get().origin(), length);
                count = Math.min(partial.get().count(), length - from);
            }
            if (s.octets() != null || whole != null) {
                byte[] source = s.octets() != null ? s.octets() : whole;
                long base = s.octets() != null ? 0 : s.start();
                if (count >= SLICE_THRESHOLD) {
                    // a body from the message in memory: one copy into the output, none into the line
                    w.literalPrefix(count);
                    segments.add(new Segment(w.toByteArray(), 0, 0));
                    w.clear();
                    segments.add(new Segment(source, base + from, count));
                    return;
                }
                w.literal(Arrays.copyOfRange(source, (int) (base + from), (int) (base + from + count)));
                return;
            }
            w.literalPrefix(count);
            segments.add(new Segment(w.toByteArray(), 0, 0));
            w.clear();
            segments.add(new Segment(null, s.start() + from, count));
        }

        /** The octets a section names, as a range of the message or as octets (HEADER.FIELDS); empty: NIL. */
        private Optional<Segment> section(FetchItem.Section section) throws IOException {
            FetchItem.SectionText text = section.text();
            if (section.part().isEmpty() && parts == null && (text == FetchItem.SectionText.HEADER
                    || text == FetchItem.SectionText.HEADER_FIELDS
                    || text == FetchItem.SectionText.HEADER_FIELDS_NOT)) {
                // a message list (Thunderbird's HEADER.FIELDS on folder open) reads the header only, not the body
                byte[] header = topHeader();
                if (header != null) {
                    return Optional.of(new Segment(text == FetchItem.SectionText.HEADER ? header
                            : HeaderFields.filter(header, section.fields(),
                                    text == FetchItem.SectionText.HEADER_FIELDS_NOT), 0, 0));
                }
            }
            MimeParts.Entity root = parts();
            Optional<MimeParts.Entity> chosen = MimeParts.select(root, section.part());
            if (chosen.isEmpty()) {
                return Optional.empty();
            }
            MimeParts.Entity e = chosen.get();
            boolean top = section.part().isEmpty();
            switch (section.text()) {
                case ALL:
                    return Optional.of(top ? new Segment(null, 0, wireSize())
                            : new Segment(null, e.bodyStart, e.end - e.bodyStart));
                case MIME:
                    return Optional.of(new Segment(null, e.start, e.bodyStart - e.start));
                default:
                    break;
            }
            MimeParts.Entity m = top ? root : e.message;
            if (m == null) {
                return Optional.of(new Segment(new byte[0], 0, 0));
            }
            switch (section.text()) {
                case HEADER:
                    return Optional.of(new Segment(null, m.start, m.bodyStart - m.start));
                case TEXT:
                    return Optional.of(new Segment(null, m.bodyStart, m.end - m.bodyStart));
                default:
                    return Optional.of(new Segment(HeaderFields.filter(read(m.start, m.bodyStart - m.start),
                            section.fields(), section.text() == FetchItem.SectionText.HEADER_FIELDS_NOT), 0, 0));
            }
        }

        /**
         * The top-level header in CRLF form, up to and including the empty line that ends it (all, if none); null
         * for a header over {@link #IN_MEMORY} octets, which the part scanner then handles.
         */
        private byte[] topHeader() throws IOException {
            ByteArrayOutputStream out = new ByteArrayOutputStream(2048);
            try (InputStream in = new CrlfInputStream(content().openStream())) {
                byte[] buffer = new byte[4096];
                int matched = 2; // octets of "\r\n\r\n" seen; the start counts as after a line end
                int n;
                while ((n = in.read(buffer)) > 0) {
                    for (int i = 0; i < n; i++) {
                        byte b = buffer[i];
                        matched = b == '\r' ? (matched == 2 ? 3 : 1) : b == '\n' && (matched == 1 || matched == 3)
                                ? matched + 1 : 0;
                        if (matched == 4) {
                            out.write(buffer, 0, i + 1);
                            return out.toByteArray();
                        }
                    }
                    out.write(buffer, 0, n);
                    if (out.size() > IN_MEMORY) {
                        return null;
                    }
                }
            }
            return out.toByteArray();
        }

        /** The content, opened when first read: ENVELOPE and BODYSTRUCTURE from the cache need none. */
        private MessageContent content() throws IOException {
            if (content == null) {
                content = Objects.requireNonNull(source.open(), "source returned null");
            }
            return content;
        }

        private long wireSize() throws IOException {
            return whole != null ? whole.length : parts().end;
        }

        private MimeParts.Entity parts() throws IOException {
            if (parts == null) {
                if (message.wireSize() <= IN_MEMORY) {
                    try (InputStream in = new CrlfInputStream(content().openStream())) {
                        whole = in.readAllBytes();
                    }
                    parts = MimeParts.scan(new ByteArrayInputStream(whole));
                } else {
                    try (InputStream in = new CrlfInputStream(content().openStream())) {
                        parts = MimeParts.scan(in);
                    }
                }
            }
            return parts;
        }

        private MessageStructure structure() throws IOException {
            if (structure == null && cacheKey != null) {
                structure = cache.get(cacheKey).orElse(null);
            }
            if (structure == null) {
                structure = whole != null ? MessageStructure.parse(new ByteArrayInputStream(whole))
                        : MessageStructure.parse(content());
                if (cacheKey != null) {
                    cache.put(cacheKey, structure);
                }
            }
            return structure;
        }

        private byte[] read(long start, long length) throws IOException {
            if (whole != null) {
                return Arrays.copyOfRange(whole, (int) start, (int) (start + length));
            }
            try (InputStream in = new CrlfInputStream(content().openStream())) {
                in.skip(start);
                return in.readNBytes((int) Math.min(length, Integer.MAX_VALUE - 8));
            }
        }

        @Override
        public void close() {
            segments.clear();
            next = 0;
            built = true;
            if (range != null) {
                try {
                    range.close();
                } catch (IOException ignored) {
                    // done reading
                }
                range = null;
            }
            if (content != null) {
                content.close();
                content = null;
            }
        }
    }
}
