package dev.yubin.imap.protocol;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Encodes server responses (RFC 3501 §7, §9) into a growable buffer that the I/O shell drains to the socket: status
 * responses, continuations, the common untagged data, and the building blocks (atoms, numbers, quoted strings,
 * literals, NIL, nested lists) the FETCH encoder uses for ENVELOPE and BODYSTRUCTURE. Large message bodies are not
 * copied in: {@link #literalPrefix(long)} writes {@code {n}CRLF}, the shell drains the buffer, streams the octets
 * itself, and then continues the line here. Not thread-safe; one per connection.
 *
 * <table>
 *   <caption>How {@link #string(String)} chooses</caption>
 *   <tr><th>content</th><th>form</th></tr>
 *   <tr><td>7-bit text without CR, LF, NUL, at most 1024 octets and few {@code "} or {@code \}</td>
 *     <td>quoted, with {@code \"} and {@code \\}</td></tr>
 *   <tr><td>8-bit (unless UTF-8 was enabled, RFC 6855), CR, LF, NUL, long, or quote-heavy</td>
 *     <td>literal {@code {n}CRLF octets}</td></tr>
 * </table>
 */
public final class ImapWriter {
    private static final byte[] CRLF = {'\r', '\n'};
    private static final int MAX_QUOTED = 1024;
    private static final String[] MONTHS = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct",
        "Nov", "Dec"};

    private byte[] buffer;
    private int length;
    private boolean utf8;
    private boolean lineStart = true;

    /** A writer with a 1 KiB buffer to start with. */
    public ImapWriter() {
        this(1024);
    }

    /** A writer whose buffer starts at {@code initialCapacity} octets (at least 16) and grows as needed. */
    public ImapWriter(int initialCapacity) {
        buffer = new byte[Math.max(16, initialCapacity)];
    }

    /** From now on 8-bit strings may be quoted and mailbox names go out as UTF-8 (RFC 6855 §3). */
    public ImapWriter enableUtf8() {
        utf8 = true;
        return this;
    }

    // ---- whole responses --------------------------------------------------------------------------------

    /** {@code tag OK [code] text}CRLF, or untagged with tag {@code *}. */
    public ImapWriter status(StatusResponse response) {
        raw(response.tag()).sp().raw(response.condition().name());
        if (response.code().isPresent()) {
            sp().raw("[").raw(response.code().get().wire()).raw("]");
        }
        if (!response.text().isEmpty() || response.code().isEmpty()) {
            sp().text(response.text());
        }
        return crlf();
    }

    /** {@code + text}CRLF, e.g. {@code + Ready for literal data}, or {@code + } with a base64 SASL challenge. */
    public ImapWriter continuation(String text) {
        raw("+ ");
        return text(text).crlf();
    }

    /** {@code * n EXISTS}CRLF. */
    public ImapWriter exists(long count) {
        return untagged().number(count).raw(" EXISTS").crlf();
    }

    /** {@code * n RECENT}CRLF. */
    public ImapWriter recent(long count) {
        return untagged().number(count).raw(" RECENT").crlf();
    }

    /** {@code * n EXPUNGE}CRLF. */
    public ImapWriter expunge(long sequenceNumber) {
        return untagged().number(sequenceNumber).raw(" EXPUNGE").crlf();
    }

    /** {@code * FLAGS (flags)}CRLF. */
    public ImapWriter flags(List<String> flags) {
        return untagged().raw("FLAGS ").flagList(flags).crlf();
    }

    /** {@code * CAPABILITY cap...}CRLF. */
    public ImapWriter capability(List<String> capabilities) {
        untagged().raw("CAPABILITY");
        for (String capability : capabilities) {
            sp().atom(capability);
        }
        return crlf();
    }

    /** {@code * SEARCH n...}CRLF. */
    public ImapWriter search(long[] numbers) {
        untagged().raw("SEARCH");
        for (long n : numbers) {
            sp().number(n);
        }
        return crlf();
    }

    /** {@code * LIST (attributes) "delimiter" mailbox}CRLF (also for LSUB with {@code kind} "LSUB"). */
    public ImapWriter list(String kind, List<String> attributes, char delimiter, String mailbox) {
        return list(kind, attributes, delimiter, mailbox, List.of());
    }

    /**
     * {@code * LIST (attributes) "delimiter" mailbox ("CHILDINFO" ("SUBSCRIBED"))}CRLF: with the LIST-EXTENDED
     * CHILDINFO item (RFC 5258 §3.5) when {@code childInfo} names the selection criteria that children meet.
     */
    public ImapWriter list(String kind, List<String> attributes, char delimiter, String mailbox,
            List<String> childInfo) {
        untagged().atom(kind).sp().flagList(attributes).sp();
        if (delimiter == 0) {
            nil();
        } else {
            string(String.valueOf(delimiter));
        }
        sp().mailbox(mailbox);
        if (!childInfo.isEmpty()) {
            raw(" (").string("CHILDINFO").raw(" (");
            for (int i = 0; i < childInfo.size(); i++) {
                if (i > 0) {
                    sp();
                }
                string(childInfo.get(i));
            }
            raw("))");
        }
        return crlf();
    }

    // ---- building blocks --------------------------------------------------------------------------------

    /** {@code * } at the start of an untagged response. */
    public ImapWriter untagged() {
        return raw("* ");
    }

    /** An atom, written as is; fails on characters an atom may not contain. */
    public ImapWriter atom(String atom) {
        if (atom.isEmpty()) {
            throw new IllegalArgumentException("empty atom");
        }
        for (int i = 0; i < atom.length(); i++) {
            char c = atom.charAt(i);
            if (!CommandReader.isAtomChar(c) && c != ']' && c != '\\' && c != '*') {
                throw new IllegalArgumentException("not an atom: " + atom);
            }
        }
        return raw(atom);
    }

    /**
     * A {@code number}: {@code n} in decimal.
     *
     * @throws IllegalArgumentException if {@code n} is negative
     */
    public ImapWriter number(long n) {
        if (n < 0) {
            throw new IllegalArgumentException("negative number " + n);
        }
        ensure(20);
        if (n < 10) {
            buffer[length++] = (byte) ('0' + n);
        } else {
            raw(Long.toString(n));
        }
        lineStart = false;
        return this;
    }

    /** A space. */
    public ImapWriter sp() {
        return octet(' ');
    }

    /** {@code NIL}. */
    public ImapWriter nil() {
        return raw("NIL");
    }

    /** {@code (}, opening a list. */
    public ImapWriter openList() {
        return octet('(');
    }

    /** {@code )}, closing a list. */
    public ImapWriter closeList() {
        return octet(')');
    }

    /** A space unless just after {@code (}, so that list items can be written in a loop. */
    public ImapWriter separator() {
        if (length > 0 && buffer[length - 1] != '(') {
            sp();
        }
        return this;
    }

    /** {@code (flag flag)}. */
    public ImapWriter flagList(List<String> flags) {
        openList();
        for (int i = 0; i < flags.size(); i++) {
            if (i > 0) {
                sp();
            }
            atom(flags.get(i));
        }
        return closeList();
    }

    /** A {@code string}: quoted or literal, whichever the content needs. */
    public ImapWriter string(String value) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        if (quotable(bytes)) {
            return quoted(bytes);
        }
        return literal(bytes);
    }

    /** An {@code nstring}: NIL when absent. */
    public ImapWriter nstring(Optional<String> value) {
        return value.isPresent() ? string(value.get()) : nil();
    }

    /** An {@code astring}: an atom when it can be one (and is not {@code NIL}), else a string. */
    public ImapWriter astring(String value) {
        if (!value.isEmpty() && !value.equalsIgnoreCase("NIL") && value.chars().allMatch(
                c -> CommandReader.isAtomChar(c) || c == ']')) {
            return raw(value);
        }
        return string(value);
    }

    /** A mailbox name: modified UTF-7 (or UTF-8 once enabled), as an astring. */
    public ImapWriter mailbox(String name) {
        return astring(utf8 ? name : ModifiedUtf7.encode(name));
    }

    /** {@code "dd-Mon-yyyy hh:mm:ss +zzzz"}, the {@code date-time} of INTERNALDATE. */
    public ImapWriter dateTime(OffsetDateTime time) {
        int offset = time.getOffset().getTotalSeconds() / 60;
        ensure(28);
        octet('"');
        int day = time.getDayOfMonth();
        octet(day < 10 ? ' ' : (char) ('0' + day / 10)).octet((char) ('0' + day % 10)).octet('-');
        raw(MONTHS[time.getMonthValue() - 1]).octet('-');
        int year = time.getYear();
        if (year < 0 || year > 9999) {
            throw new IllegalArgumentException("year out of range: " + year);
        }
        twoDigits(year / 100).twoDigits(year % 100).sp();
        twoDigits(time.getHour()).octet(':').twoDigits(time.getMinute()).octet(':').twoDigits(time.getSecond()).sp();
        octet(offset < 0 ? '-' : '+');
        offset = Math.abs(offset);
        return twoDigits(offset / 60).twoDigits(offset % 60).octet('"');
    }

    private ImapWriter twoDigits(int n) {
        return octet((char) ('0' + n / 10)).octet((char) ('0' + n % 10));
    }

    /** A literal whose octets are in memory: {@code {n}CRLF octets}. */
    public ImapWriter literal(byte[] octets) {
        literalPrefix(octets.length);
        ensure(octets.length);
        System.arraycopy(octets, 0, buffer, length, octets.length);
        length += octets.length;
        lineStart = false;
        return this;
    }

    /**
     * {@code {n}CRLF}: the shell drains the buffer, sends the {@code size} octets itself (a message body streamed
     * from the store), and then the response line continues here.
     */
    public ImapWriter literalPrefix(long size) {
        return octet('{').number(size).octet('}').bytes(CRLF);
    }

    /** ASCII text written as is (response text, pre-encoded pieces); CR and LF are refused. */
    public ImapWriter raw(String text) {
        int n = text.length();
        ensure(n);
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            if (c == '\r' || c == '\n' || c > 0x7f) {
                throw new IllegalArgumentException("CR, LF or 8-bit in raw response text");
            }
            buffer[length++] = (byte) c;
        }
        lineStart = false;
        return this;
    }

    /** Octets of whole responses encoded elsewhere (another writer's output), appended as they are. */
    public ImapWriter append(byte[] octets) {
        bytes(octets);
        lineStart = octets.length == 0 ? lineStart : octets[octets.length - 1] == '\n';
        return this;
    }

    /** Human-readable text: 8-bit is sent as UTF-8 only when enabled, else replaced by {@code ?}. */
    private ImapWriter text(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) > 0x7f) {
                return utf8 ? bytes(text.getBytes(StandardCharsets.UTF_8)) : raw(text.replaceAll("[^\\x00-\\x7f]",
                        "?"));
            }
        }
        return raw(text);
    }

    /** Ends the response line. */
    public ImapWriter crlf() {
        bytes(CRLF);
        lineStart = true;
        return this;
    }

    // ---- output -----------------------------------------------------------------------------------------

    /** Octets written and not yet drained. */
    public int length() {
        return length;
    }

    /** Whether the last thing written was a CRLF (or nothing). */
    public boolean isAtLineStart() {
        return lineStart;
    }

    /** A copy of the buffered octets. */
    public byte[] toByteArray() {
        return Arrays.copyOf(buffer, length);
    }

    /** Writes the buffered octets to {@code out} and empties the buffer. */
    public void drainTo(OutputStream out) throws IOException {
        out.write(buffer, 0, length);
        length = 0;
    }

    /** Empties the buffer. */
    public void clear() {
        length = 0;
        lineStart = true;
    }

    /** The buffered octets as UTF-8, for tests and transcripts. */
    @Override
    public String toString() {
        return new String(buffer, 0, length, StandardCharsets.UTF_8);
    }

    // ---- internals --------------------------------------------------------------------------------------

    private boolean quotable(byte[] bytes) {
        if (bytes.length > MAX_QUOTED) {
            return false;
        }
        int escapes = 0;
        for (byte b : bytes) {
            if (b == '\r' || b == '\n' || b == 0 || b < 0 && !utf8) {
                return false;
            }
            if (b == '"' || b == '\\') {
                escapes++;
            }
        }
        return escapes <= 2 + bytes.length / 8;
    }

    private ImapWriter quoted(byte[] bytes) {
        ensure(bytes.length * 2 + 2);
        buffer[length++] = '"';
        for (byte b : bytes) {
            if (b == '"' || b == '\\') {
                buffer[length++] = '\\';
            }
            buffer[length++] = b;
        }
        buffer[length++] = '"';
        lineStart = false;
        return this;
    }

    private ImapWriter octet(char c) {
        ensure(1);
        buffer[length++] = (byte) c;
        lineStart = false;
        return this;
    }

    private ImapWriter bytes(byte[] bytes) {
        ensure(bytes.length);
        System.arraycopy(bytes, 0, buffer, length, bytes.length);
        length += bytes.length;
        lineStart = false;
        return this;
    }

    private void ensure(int more) {
        if (length + more > buffer.length) {
            buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, length + more));
        }
    }
}
