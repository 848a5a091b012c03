package dev.yubin.imap.mime;

import dev.yubin.core.message.MessageContent;
import dev.yubin.imap.protocol.ImapWriter;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.apache.james.mime4j.MimeException;
import org.apache.james.mime4j.parser.AbstractContentHandler;
import org.apache.james.mime4j.parser.MimeStreamParser;
import org.apache.james.mime4j.stream.BodyDescriptor;
import org.apache.james.mime4j.stream.Field;
import org.apache.james.mime4j.stream.MimeConfig;
import org.apache.james.mime4j.stream.NameValuePair;
import org.apache.james.mime4j.stream.ParserCursor;
import org.apache.james.mime4j.stream.RawBody;
import org.apache.james.mime4j.stream.RawFieldParser;
import org.apache.james.mime4j.util.ContentUtil;

/**
 * The MIME structure of one message, for FETCH ENVELOPE, BODY and BODYSTRUCTURE (RFC 3501 §7.4.2), parsed in one
 * streaming pass with apache-mime4j: bodies are counted, never kept. Header values stay as in the message (encoded
 * words are not decoded, as RFC 3501 requires); missing Sender and Reply-To take the From value; a part without
 * Content-Type is {@code TEXT/PLAIN; CHARSET=US-ASCII} (or {@code MESSAGE/RFC822} in a multipart/digest).
 * Immutable after parsing and thread-safe.
 *
 * <table>
 *   <caption>Sizes and limits</caption>
 *   <tr><th>what</th><th>rule</th></tr>
 *   <tr><td>octets</td><td>counted with CRLF line ends: a bare LF in the stored file counts 2, so the size matches
 *     what a CRLF-converting FETCH sends</td></tr>
 *   <tr><td>lines</td><td>the number of line ends, plus one for a last line without one</td></tr>
 *   <tr><td>nesting</td><td>message/rfc822 inside message/rfc822 is expanded to a depth of 16; deeper ones are
 *     basic parts</td></tr>
 * </table>
 */
public final class MessageStructure {
    private static final int MAX_DEPTH = 16;
    private static final MimeConfig CONFIG = new MimeConfig.Builder().setMaxLineLen(-1).setMaxHeaderLen(-1)
            .setMaxHeaderCount(-1).setMaxContentLen(-1).build();

    private final Part root;

    private MessageStructure(Part root) {
        this.root = root;
    }

    /** Parses {@code content}. */
    public static MessageStructure parse(MessageContent content) throws IOException {
        try (InputStream in = content.openStream()) {
            return parse(in);
        }
    }

    /** Parses a message from {@code in}, reading it to the end; does not close it. */
    public static MessageStructure parse(InputStream in) throws IOException {
        return new MessageStructure(parse(in, 0));
    }

    private static Part parse(InputStream in, int depth) throws IOException {
        Builder builder = new Builder(depth);
        MimeStreamParser parser = new MimeStreamParser(CONFIG);
        parser.setContentHandler(builder);
        parser.setNoRecurse(); // message/rfc822 bodies come to body(), where they are counted and parsed nested
        try {
            parser.parse(in);
        } catch (MimeException e) {
            throw new IOException("cannot parse MIME structure: " + e.getMessage(), e);
        }
        return builder.root;
    }

    /** Writes the ENVELOPE list: {@code (date subject from sender reply-to to cc bcc in-reply-to message-id)}. */
    public void writeEnvelope(ImapWriter w) {
        root.writeEnvelope(w);
    }

    /** Writes BODYSTRUCTURE (with extension data) or, when {@code extensible} is false, BODY. */
    public void writeBodyStructure(ImapWriter w, boolean extensible) {
        root.writeBody(w, extensible);
    }

    /** One entity: the message itself, a body part, or the message inside a message/rfc822 part. */
    private static final class Part {
        final List<Field> fields = new ArrayList<>();
        final List<Part> children = new ArrayList<>();
        String defaultType = "TEXT/PLAIN";
        boolean multipart;
        Part message;
        long octets;
        long lines;

        Optional<String> header(String name) {
            for (Field field : fields) {
                if (field.getName().equalsIgnoreCase(name)) {
                    return Optional.of(unfold(body(field)));
                }
            }
            return Optional.empty();
        }

        Optional<RawBody> structured(String name) {
            return header(name).map(value -> RawFieldParser.DEFAULT.parseRawBody(ContentUtil.encode(value),
                    new ParserCursor(0, value.length())));
        }

        String[] type() {
            Optional<RawBody> contentType = structured("Content-Type");
            String value = contentType.map(RawBody::getValue).orElse("");
            int slash = value.indexOf('/');
            if (slash <= 0 || slash == value.length() - 1) {
                int d = defaultType.indexOf('/');
                return new String[] {defaultType.substring(0, d), defaultType.substring(d + 1)};
            }
            return new String[] {value.substring(0, slash).trim(), value.substring(slash + 1).trim()};
        }

        boolean isType(String type, String subtype) {
            String[] t = type();
            return t[0].equalsIgnoreCase(type) && t[1].equalsIgnoreCase(subtype);
        }

        void writeBody(ImapWriter w, boolean extensible) {
            w.openList();
            if (multipart && !children.isEmpty()) {
                for (Part child : children) {
                    child.writeBody(w, extensible);
                }
                w.sp().string(type()[1]);
                if (extensible) {
                    w.sp();
                    writeParams(w, false);
                    writeDispositionLanguageLocation(w);
                }
                w.closeList();
                return;
            }
            String[] type = type();
            w.string(type[0]).sp().string(type[1]).sp();
            writeParams(w, true);
            w.sp().nstring(header("Content-ID")).sp().nstring(header("Content-Description")).sp()
                    .string(header("Content-Transfer-Encoding").map(String::trim).filter(s -> !s.isEmpty())
                            .orElse("7BIT"))
                    .sp().number(octets);
            if (message != null) {
                w.sp();
                message.writeEnvelope(w);
                w.sp();
                message.writeBody(w, extensible);
                w.sp().number(lines);
            } else if (type[0].equalsIgnoreCase("TEXT")) {
                w.sp().number(lines);
            }
            if (extensible) {
                w.sp().nstring(header("Content-MD5"));
                writeDispositionLanguageLocation(w);
            }
            w.closeList();
        }

        private void writeParams(ImapWriter w, boolean defaultCharset) {
            List<NameValuePair> params = structured("Content-Type").map(RawBody::getParams).orElse(List.of());
            boolean typed = structured("Content-Type").map(b -> b.getValue().indexOf('/') > 0).orElse(false);
            if (!typed && defaultCharset && defaultType.equals("TEXT/PLAIN")) {
                w.openList().string("CHARSET").sp().string("US-ASCII").closeList();
                return;
            }
            writeParamList(w, params);
        }

        private static void writeParamList(ImapWriter w, List<NameValuePair> params) {
            List<NameValuePair> named = new ArrayList<>();
            for (NameValuePair p : params) {
                if (p.getName() != null && !p.getName().isEmpty() && p.getValue() != null) {
                    named.add(p);
                }
            }
            if (named.isEmpty()) {
                w.nil();
                return;
            }
            w.openList();
            for (int i = 0; i < named.size(); i++) {
                if (i > 0) {
                    w.sp();
                }
                w.string(named.get(i).getName().toUpperCase(Locale.ROOT)).sp().string(named.get(i).getValue());
            }
            w.closeList();
        }

        private void writeDispositionLanguageLocation(ImapWriter w) {
            w.sp();
            Optional<RawBody> disposition = structured("Content-Disposition");
            if (disposition.isPresent() && !disposition.get().getValue().isEmpty()) {
                w.openList().string(disposition.get().getValue().toUpperCase(Locale.ROOT)).sp();
                writeParamList(w, disposition.get().getParams());
                w.closeList();
            } else {
                w.nil();
            }
            w.sp();
            Optional<String> language = header("Content-Language").map(String::trim).filter(s -> !s.isEmpty());
            if (language.isEmpty()) {
                w.nil();
            } else {
                String[] tags = language.get().split("\\s*,\\s*");
                if (tags.length == 1) {
                    w.string(tags[0]);
                } else {
                    w.openList();
                    for (int i = 0; i < tags.length; i++) {
                        if (i > 0) {
                            w.sp();
                        }
                        w.string(tags[i]);
                    }
                    w.closeList();
                }
            }
            w.sp().nstring(header("Content-Location").map(String::trim));
        }

        void writeEnvelope(ImapWriter w) {
            w.openList().nstring(text("Date")).sp().nstring(text("Subject")).sp();
            Optional<String> from = addresses("From");
            writeAddresses(w, from);
            w.sp();
            writeAddresses(w, addresses("Sender").or(() -> from));
            w.sp();
            writeAddresses(w, addresses("Reply-To").or(() -> from));
            for (String name : new String[] {"To", "Cc", "Bcc"}) {
                w.sp();
                writeAddresses(w, addresses(name));
            }
            w.sp().nstring(text("In-Reply-To")).sp().nstring(text("Message-ID")).closeList();
        }

        private Optional<String> text(String name) {
            return header(name).map(String::trim);
        }

        private Optional<String> addresses(String name) {
            return header(name).map(String::trim).filter(s -> !s.isEmpty());
        }

        private static void writeAddresses(ImapWriter w, Optional<String> value) {
            List<AddressListParser.Address> list = value.map(AddressListParser::parse).orElse(List.of());
            if (list.isEmpty()) {
                w.nil();
                return;
            }
            w.openList();
            for (AddressListParser.Address a : list) {
                w.openList().nstring(Optional.ofNullable(a.name())).sp().nstring(Optional.ofNullable(a.adl())).sp()
                        .nstring(Optional.ofNullable(a.mailbox())).sp().nstring(Optional.ofNullable(a.host()))
                        .closeList();
            }
            w.closeList();
        }
    }

    /** Turns mime4j's events into the {@link Part} tree. */
    private static final class Builder extends AbstractContentHandler {
        final int depth;
        final Deque<Part> stack = new ArrayDeque<>();
        Part root;

        Builder(int depth) {
            this.depth = depth;
        }

        @Override
        public void startMessage() {
            root = new Part();
            stack.push(root);
        }

        @Override
        public void startBodyPart() {
            Part parent = stack.peek();
            Part part = new Part();
            if (parent.isType("MULTIPART", "DIGEST")) {
                part.defaultType = "MESSAGE/RFC822";
            }
            parent.children.add(part);
            stack.push(part);
        }

        @Override
        public void endBodyPart() {
            stack.pop();
        }

        @Override
        public void field(Field field) {
            stack.peek().fields.add(field);
        }

        @Override
        public void startMultipart(BodyDescriptor descriptor) {
            stack.peek().multipart = true;
        }

        @Override
        public void body(BodyDescriptor descriptor, InputStream in) throws IOException {
            Part part = stack.peek();
            CountingStream counted = new CountingStream(in);
            if (part.isType("MESSAGE", "RFC822") && depth < MAX_DEPTH) {
                part.message = MessageStructure.parse(counted, depth + 1);
            }
            counted.transferTo(java.io.OutputStream.nullOutputStream());
            part.octets = counted.octets;
            part.lines = counted.lines();
        }
    }

    /** The field body from the raw octets as UTF-8 (mime4j's own decoding is Latin-1, which would garble 8-bit). */
    private static String body(Field field) {
        if (field.getRaw() == null) {
            return field.getBody();
        }
        String raw = new String(field.getRaw().toByteArray(), java.nio.charset.StandardCharsets.UTF_8);
        int colon = raw.indexOf(':');
        return colon < 0 ? field.getBody() : raw.substring(colon + 1);
    }

    static String unfold(String value) {
        if (value.indexOf('\n') < 0 && value.indexOf('\r') < 0) {
            return value;
        }
        return value.replaceAll("\r?\n(?=[ \t])", "").replace("\r", "").replace("\n", "");
    }

    /** Counts octets with CRLF line ends and the lines, as the octets pass. */
    private static final class CountingStream extends FilterInputStream {
        long octets;
        long newlines;
        int last = '\n';
        boolean previousCr;

        CountingStream(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count(b);
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            if (n <= 0) {
                return n;
            }
            // the per-octet loop in locals: this runs over every body octet of every FETCH BODYSTRUCTURE
            long lf = 0;
            long bareLf = 0;
            boolean cr = previousCr;
            for (int i = offset, end = offset + n; i < end; i++) {
                byte b = buffer[i];
                if (b == '\n') {
                    lf++;
                    if (!cr) {
                        bareLf++;
                    }
                }
                cr = b == '\r';
            }
            octets += n + bareLf;
            newlines += lf;
            previousCr = cr;
            last = buffer[offset + n - 1] & 0xff;
            return n;
        }

        private void count(int b) {
            octets++;
            if (b == '\n') {
                newlines++;
                if (!previousCr) {
                    octets++;
                }
            }
            previousCr = b == '\r';
            last = b;
        }

        @Override
        public long skip(long n) throws IOException {
            // count what is skipped, too
            byte[] scratch = new byte[(int) Math.min(8192, Math.max(0, n))];
            long skipped = 0;
            while (skipped < n) {
                int r = read(scratch, 0, (int) Math.min(scratch.length, n - skipped));
                if (r < 0) {
                    break;
                }
                skipped += r;
            }
            return skipped;
        }

        long lines() {
            return newlines + (last != '\n' ? 1 : 0);
        }
    }
}
