package dev.yubin.delivery.mbox;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Finds the messages of an mbox file in one sequential pass with a fixed buffer, computing each one's size after
 * {@link Unquoting} and its UID.
 *
 * <table>
 *   <caption>Message boundaries</caption>
 *   <tr><th>A line starting with {@code From }</th><th>is a separator when</th></tr>
 *   <tr><td>at the start of the file, or the first one in it</td><td>always</td></tr>
 *   <tr><td>after a blank line</td><td>always (RFC 4155)</td></tr>
 *   <tr><td>after any other line</td><td>it looks like a {@code From_} line with an asctime date (mutt's
 *       {@code is_from}), so writers that omit the blank line still split</td></tr>
 * </table>
 * A blank line just before a separator (or at the end of the file) belongs to the mbox, not to the message. Bytes
 * before the first {@code From_} line are no message (they are kept on rewrite).
 *
 * <p>UIDs: a message's {@code X-UIDL} header when it is a valid UID (Dovecot's {@code pop3_reuse_xuidl});
 * otherwise the first 128 bits of SHA-256 over its {@code From_} line and its header (at most
 * {@value #MAX_HEADER} octets), leaving out the headers that mail readers rewrite ({@code Status},
 * {@code X-Status}, {@code X-Keywords}, {@code X-UID}, {@code X-IMAP}, {@code X-IMAPbase}, {@code Content-Length},
 * {@code Lines}, {@code X-Mozilla-*}). Messages with equal keys get {@code -2}, {@code -3}… in file order.
 */
final class MboxScanner {
    static final int MAX_HEADER = 64 * 1024;
    private static final int BUFFER_SIZE = 64 * 1024;
    private static final int MAX_FROM_LINE = 1024;
    private static final Set<String> MUTABLE_HEADERS = Set.of("status", "x-status", "x-keywords", "x-uid", "x-imap",
            "x-imapbase", "content-length", "lines", "x-uidl");

    private final FileChannel channel;
    private final long size;
    private final byte[] buffer = new byte[BUFFER_SIZE];
    private long bufferStart;
    private int bufferLength;

    private final List<MboxEntry> entries = new ArrayList<>();
    private final Map<String, Integer> uidCounts = new HashMap<>();
    private Message current;
    private boolean previousBlank;
    private int previousLength;

    private MboxScanner(FileChannel channel, long size) {
        this.channel = channel;
        this.size = size;
    }

    /** The messages in the first {@code size} bytes of {@code channel}, in file order. */
    static List<MboxEntry> scan(FileChannel channel, long size) throws IOException {
        MboxScanner scanner = new MboxScanner(channel, size);
        scanner.run();
        return scanner.entries;
    }

    private void run() throws IOException {
        long pos = 0;
        while (pos < size) {
            fill(pos, MAX_FROM_LINE);
            int i = (int) (pos - bufferStart);
            int window = Math.min(bufferLength - i, MAX_FROM_LINE);
            if (startsWithFrom(i, window)) {
                int newline = indexOfNewline(i, i + window);
                int length = (newline >= 0 ? newline : i + window) - i;
                String line = new String(buffer, i, length, StandardCharsets.ISO_8859_1);
                if (line.endsWith("\r")) {
                    line = line.substring(0, line.length() - 1);
                }
                if (current == null || previousBlank || FromLine.looksValid(line)) {
                    long lineEnd = newline >= 0 ? bufferStart + newline + 1 : skipLine(pos);
                    if (current != null) {
                        close(pos);
                    }
                    current = new Message(pos, lineEnd, line);
                    previousBlank = false;
                    pos = lineEnd;
                    continue;
                }
            }
            long start = pos;
            pos = current == null ? skipLine(pos) : feedLine(pos);
            previousLength = (int) Math.min(pos - start, 3);
            previousBlank = isBlank(start, pos);
            if (current != null && previousBlank) {
                current.inHeader = false;
            }
        }
        if (current != null) {
            close(size);
        }
    }

    private boolean startsWithFrom(int i, int window) {
        return window >= 5 && buffer[i] == 'F' && buffer[i + 1] == 'r' && buffer[i + 2] == 'o' && buffer[i + 3] == 'm'
                && buffer[i + 4] == ' ';
    }

    private boolean isBlank(long start, long end) throws IOException {
        long length = end - start;
        if (length == 1) {
            return byteAt(start) == '\n';
        }
        return length == 2 && byteAt(start) == '\r' && byteAt(start + 1) == '\n';
    }

    /** Feeds one content line to the current message; returns the offset after it. */
    private long feedLine(long pos) throws IOException {
        Message m = current;
        while (pos < size) {
            fill(pos, 1);
            int i = (int) (pos - bufferStart);
            int newline = indexOfNewline(i, bufferLength);
            int end = newline >= 0 ? newline + 1 : bufferLength;
            m.unquoting.feed(buffer, i, end - i);
            if (m.inHeader) {
                int room = MAX_HEADER - m.header.size();
                m.header.write(buffer, i, Math.min(room, end - i));
            }
            m.last = buffer[end - 1];
            pos += end - i;
            if (newline >= 0) {
                break;
            }
        }
        m.hasContent = true;
        return pos;
    }

    private long skipLine(long pos) throws IOException {
        while (pos < size) {
            fill(pos, 1);
            int i = (int) (pos - bufferStart);
            int newline = indexOfNewline(i, bufferLength);
            if (newline >= 0) {
                return bufferStart + newline + 1;
            }
            pos = bufferStart + bufferLength;
        }
        return pos;
    }

    private void close(long end) {
        Message m = current;
        long contentEnd = end;
        boolean endsWithBlank = m.hasContent && previousBlank;
        boolean appendNewline = false;
        if (endsWithBlank) {
            contentEnd = end - previousLength;
            m.unquoting.dropSeparatorLine();
        } else if (m.hasContent && m.last != '\n') {
            appendNewline = true;
            m.unquoting.feed((byte) '\n');
        }
        m.unquoting.finish();
        long octets = m.unquoting.octets();
        String base = m.uid();
        String uid = suffixed(base, uidCounts.merge(base, 1, Integer::sum));
        entries.add(new MboxEntry(uid, octets, octets + m.unquoting.lineFeeds(), m.fromStart, m.contentStart,
                contentEnd, end, appendNewline, endsWithBlank, m.fromLine, base, m.status()));
        current = null;
    }

    /** The UID of the {@code n}-th message (from 1, in file order) whose key is {@code base}. */
    static String suffixed(String base, int n) {
        if (n == 1) {
            return base;
        }
        String suffix = "-" + n;
        String uid = base.length() + suffix.length() > 70 ? base.substring(0, 70 - suffix.length()) : base;
        return uid + suffix;
    }

    /** Makes the buffer hold {@code [pos, pos + wanted)}, or as much of it as the file has. */
    private void fill(long pos, int wanted) throws IOException {
        long want = Math.min(pos + wanted, size);
        if (pos >= bufferStart && want <= bufferStart + bufferLength) {
            return;
        }
        bufferStart = pos;
        bufferLength = 0;
        ByteBuffer target = ByteBuffer.wrap(buffer, 0, (int) Math.min(buffer.length, size - pos));
        while (target.hasRemaining()) {
            int n = channel.read(target, pos + target.position());
            if (n < 0) {
                throw new IOException("mbox shrank while reading: " + (pos + target.position()) + " < " + size);
            }
        }
        bufferLength = target.position();
    }

    private byte byteAt(long pos) throws IOException {
        fill(pos, 1);
        return buffer[(int) (pos - bufferStart)];
    }

    private int indexOfNewline(int from, int to) {
        for (int i = from; i < to; i++) {
            if (buffer[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    /** A message being scanned. */
    private static final class Message {
        final long fromStart;
        final long contentStart;
        final String fromLine;
        final Unquoting unquoting = Unquoting.counting();
        final ByteArrayOutputStream header = new ByteArrayOutputStream(1024);
        boolean inHeader = true;
        boolean hasContent;
        byte last;

        Message(long fromStart, long contentStart, String fromLine) {
            this.fromStart = fromStart;
            this.contentStart = contentStart;
            this.fromLine = fromLine;
        }

        /** Set by {@link #uid()}: the letters of the Status and X-Status headers. */
        private String status = "";

        String status() {
            return status;
        }

        String uid() {
            String xuidl = null;
            String statusHeader = null;
            String xStatusHeader = null;
            MessageDigest digest = sha256();
            digest.update(fromLine.getBytes(StandardCharsets.ISO_8859_1));
            digest.update((byte) '\n');
            String text = new String(header.toByteArray(), StandardCharsets.ISO_8859_1);
            boolean skipping = false;
            for (String line : text.split("\n", -1)) {
                String l = line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
                if (l.isEmpty()) {
                    break;
                }
                boolean continuation = l.charAt(0) == ' ' || l.charAt(0) == '\t';
                if (!continuation) {
                    int colon = l.indexOf(':');
                    String name = colon > 0 ? l.substring(0, colon).trim().toLowerCase(Locale.ROOT) : "";
                    skipping = MUTABLE_HEADERS.contains(name) || name.startsWith("x-mozilla-");
                    if (name.equals("x-uidl") && xuidl == null) {
                        xuidl = l.substring(colon + 1).trim();
                    } else if (name.equals("status") && statusHeader == null) {
                        statusHeader = l.substring(colon + 1).trim();
                    } else if (name.equals("x-status") && xStatusHeader == null) {
                        xStatusHeader = l.substring(colon + 1).trim();
                    }
                }
                if (!skipping) {
                    digest.update(l.getBytes(StandardCharsets.ISO_8859_1));
                    digest.update((byte) '\n');
                }
            }
            status = statusLetters(statusHeader) + statusLetters(xStatusHeader);
            if (xuidl != null && !xuidl.isEmpty() && xuidl.length() <= 60
                    && xuidl.chars().allMatch(c -> c >= 0x21 && c <= 0x7e)) {
                return xuidl;
            }
            byte[] hash = digest.digest();
            return HexFormat.of().formatHex(hash, 0, 16);
        }

        private static String statusLetters(String value) {
            if (value == null) {
                return "";
            }
            StringBuilder out = new StringBuilder();
            value.chars().filter(c -> c >= 'A' && c <= 'Z' && out.indexOf(String.valueOf((char) c)) < 0)
                    .limit(8).forEach(c -> out.append((char) c));
            return out.toString();
        }

        private static MessageDigest sha256() {
            try {
                return MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
