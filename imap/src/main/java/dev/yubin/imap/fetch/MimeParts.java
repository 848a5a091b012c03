package dev.yubin.imap.fetch;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.apache.james.mime4j.stream.NameValuePair;
import org.apache.james.mime4j.stream.ParserCursor;
import org.apache.james.mime4j.stream.RawBody;
import org.apache.james.mime4j.stream.RawFieldParser;
import org.apache.james.mime4j.util.ContentUtil;

/**
 * Where each MIME entity of a message lies, in octets of the CRLF form: its header, its body, and for multiparts and
 * message/rfc822 the entities inside, found in one streaming pass (only header lines and the start of body lines are
 * kept). The part numbering of RFC 3501 §6.4.5 is {@link #select}. Immutable after scanning.
 */
final class MimeParts {
    private static final int MAX_DEPTH = 16;
    /** A line longer than this cannot be a boundary (RFC 2046: at most 70 characters plus dashes and space). */
    private static final int KEPT_LINE = 200;
    private static final int MAX_HEADER = 256 * 1024;

    /** One entity: {@code start} ≤ {@code bodyStart} ≤ {@code end}. */
    static final class Entity {
        final long start;
        long bodyStart;
        long end;
        String type = "text";
        String subtype = "plain";
        String boundary;
        final List<Entity> children = new ArrayList<>();
        /** The encapsulated message of a message/rfc822 entity. */
        Entity message;

        Entity(long start) {
            this.start = start;
        }

        boolean isMultipart() {
            return type.equals("multipart") && boundary != null;
        }

        boolean isMessage() {
            return message != null;
        }
    }

    private MimeParts() {
    }

    /** Scans a whole message read from {@code in} (CRLF form). */
    static Entity scan(InputStream in) throws IOException {
        LineReader lines = new LineReader(in);
        Entity root = entity(lines, new ArrayList<>(), false, 0);
        root.end = lines.position();
        return root;
    }

    /**
     * The entity a part number names (RFC 3501 §6.4.5): in a multipart, its n-th part; part 1 of a non-multipart is
     * the entity itself; after a message/rfc822 part, the numbers go into the message it encapsulates. Empty when
     * there is no such part.
     */
    static Optional<Entity> select(Entity root, List<Integer> part) {
        Entity current = root;
        for (int i = 0; i < part.size(); i++) {
            int n = part.get(i);
            Entity container = i > 0 && current.isMessage() ? current.message : current;
            if (container.isMultipart()) {
                if (n < 1 || n > container.children.size()) {
                    return Optional.empty();
                }
                current = container.children.get(n - 1);
            } else if (n == 1) {
                current = container;
            } else {
                return Optional.empty();
            }
        }
        return Optional.of(current);
    }

    private static Entity entity(LineReader lines, List<String> boundaries, boolean digestChild, int depth)
            throws IOException {
        Entity e = new Entity(lines.position());
        if (digestChild) {
            e.type = "message";
            e.subtype = "rfc822";
        }
        StringBuilder header = new StringBuilder();
        while (true) {
            Line line = lines.peek();
            if (line == null || isBoundary(line, boundaries)) {
                break; // no blank line: the header ends with the entity
            }
            lines.next();
            if (line.contentLength == 0) {
                break;
            }
            if (header.length() < MAX_HEADER) {
                header.append(line.text()).append(line.complete ? "\n" : "");
            }
        }
        e.bodyStart = lines.position();
        contentType(header.toString(), e);
        if (depth >= MAX_DEPTH) {
            e.message = null;
            e.boundary = null;
        }
        if (e.isMultipart()) {
            List<String> inner = new ArrayList<>(boundaries);
            inner.add(e.boundary);
            boolean digest = e.subtype.equals("digest");
            // preamble
            Line line;
            while ((line = lines.peek()) != null && !isBoundary(line, inner)) {
                lines.next();
            }
            while (line != null && isDelimiter(line, e.boundary)) {
                lines.next();
                if (isClose(line, e.boundary)) {
                    while ((line = lines.peek()) != null && !isBoundary(line, boundaries)) {
                        lines.next(); // epilogue
                    }
                    break;
                }
                Entity child = entity(lines, inner, digest, depth + 1);
                child.end = endBefore(lines, child);
                e.children.add(child);
                line = lines.peek();
            }
        } else if (e.type.equals("message") && (e.subtype.equals("rfc822") || e.subtype.equals("global"))
                && depth < MAX_DEPTH) {
            e.message = entity(lines, boundaries, false, depth + 1);
            e.message.end = endBefore(lines, e.message);
        } else {
            Line line;
            while ((line = lines.peek()) != null && !isBoundary(line, boundaries)) {
                lines.next();
            }
        }
        e.end = endBefore(lines, e);
        return e;
    }

    /** Where an entity ends: before the CRLF that precedes the next boundary line, or at the end of the message. */
    private static long endBefore(LineReader lines, Entity e) throws IOException {
        Line next = lines.peek();
        if (next == null) {
            return lines.position();
        }
        return Math.max(e.bodyStart, next.start - (lines.previousHadCrlf() ? 2 : 0));
    }

    private static boolean isBoundary(Line line, List<String> boundaries) {
        for (String b : boundaries) {
            if (isDelimiter(line, b)) {
                return true;
            }
        }
        return false;
    }

    private static boolean isDelimiter(Line line, String boundary) {
        String text = line.text();
        if (!text.startsWith("--") || !text.startsWith(boundary, 2)) {
            return false;
        }
        String rest = text.substring(2 + boundary.length());
        if (rest.startsWith("--")) {
            rest = rest.substring(2);
        }
        return rest.isBlank();
    }

    private static boolean isClose(Line line, String boundary) {
        return line.text().startsWith("--" + boundary + "--");
    }

    private static void contentType(String header, Entity e) {
        Optional<String> value = HeaderFields.value(header, "Content-Type");
        if (value.isEmpty()) {
            return;
        }
        RawBody body = RawFieldParser.DEFAULT.parseRawBody(ContentUtil.encode(value.get()),
                new ParserCursor(0, value.get().length()));
        String type = body.getValue() == null ? "" : body.getValue().trim().toLowerCase(Locale.ROOT);
        int slash = type.indexOf('/');
        if (slash <= 0 || slash == type.length() - 1) {
            return;
        }
        e.type = type.substring(0, slash);
        e.subtype = type.substring(slash + 1);
        for (NameValuePair p : body.getParams()) {
            if (p.getName() != null && p.getName().equalsIgnoreCase("boundary") && p.getValue() != null
                    && !p.getValue().isEmpty()) {
                e.boundary = p.getValue();
            }
        }
    }

    /** A line: where it starts, its first octets (without CRLF), its length with the line end. */
    record Line(long start, byte[] head, int headLength, long contentLength, boolean complete) {
        String text() {
            return new String(head, 0, headLength, StandardCharsets.ISO_8859_1);
        }
    }

    /** Lines of the CRLF form with their offsets, one line of look-ahead. */
    private static final class LineReader {
        private final InputStream in;
        private final byte[] buffer = new byte[64 * 1024];
        private int pos;
        private int limit;
        private long offset; // of buffer[pos]
        private Line peeked;
        private long consumedEnd;
        private boolean previousCrlf;
        private boolean peekedPreviousCrlf;

        LineReader(InputStream in) {
            this.in = in;
        }

        long position() {
            return consumedEnd;
        }

        /** Whether the line before the peeked one ended with CRLF. */
        boolean previousHadCrlf() {
            return previousCrlf;
        }

        Line peek() throws IOException {
            if (peeked == null) {
                peeked = read();
            }
            return peeked;
        }

        Line next() throws IOException {
            Line line = peek();
            peeked = null;
            if (line != null) {
                consumedEnd = line.start + line.contentLength + (line.complete ? 2 : 0);
                previousCrlf = line.complete;
            }
            return line;
        }

        private int readByte() throws IOException {
            if (pos == limit) {
                int n = in.read(buffer);
                if (n <= 0) {
                    return -1;
                }
                pos = 0;
                limit = n;
            }
            offset++;
            return buffer[pos++] & 0xff;
        }

        private Line read() throws IOException {
            long start = offset;
            byte[] head = new byte[KEPT_LINE];
            int kept = 0;
            long length = 0;
            int b;
            while ((b = readByte()) >= 0) {
                if (b == '\r') {
                    int c = readByte();
                    if (c == '\n') {
                        return new Line(start, head, kept, length, true);
                    }
                    // a bare CR (the CRLF form has none after an LF, but a stored CR may stand alone)
                    if (kept < KEPT_LINE) {
                        head[kept++] = '\r';
                    }
                    length++;
                    if (c < 0) {
                        break;
                    }
                    b = c;
                }
                if (kept < KEPT_LINE) {
                    head[kept++] = (byte) b;
                }
                length++;
            }
            return length == 0 ? null : new Line(start, head, kept, length, false);
        }
    }
}
