package dev.yubin.delivery.queue;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.yubin.core.address.AddressException;
import dev.yubin.core.address.MailAddress;
import dev.yubin.core.address.ReversePath;
import dev.yubin.core.message.Envelope;
import dev.yubin.core.message.QueueId;
import dev.yubin.core.message.Recipient;
import dev.yubin.core.net.ConnectionInfo;
import dev.yubin.core.net.IpAddresses;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.FileChannel;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.zip.CRC32;

/**
 * The queue file format, version 1: one file per message, so that one rename moves a message between states.
 *
 * <pre>
 * YUBIN-QUEUE 1
 * id 4Fb2kQ0xYz7a
 * arrival 2024-05-01T10:00:00.123456Z
 * sender &lt;kato@example1.jp&gt;
 * param BODY 8BITMIME                     one per MAIL FROM parameter
 * helo client.example
 * protocol ESMTPA
 * session s1
 * remote ip 192.0.2.10 40000              or: remote host name port
 * local ip 192.0.2.1 25
 * client-name client.example              optional, like tls and sasl-user
 * rcpt &lt;abe@example2.jp&gt; NOTIFY=NEVER  one per recipient, in envelope order
 * size 1234                               content octets
 * end 1c291ca3                            CRC-32 of every header byte before this line
 * (exactly size octets of content)
 * status 0 sent 2.0.0 2024-05-01T10:00:02Z 250%202.0.0%20Ok 5e1d07aa    appended, one per update
 * </pre>
 *
 * <p>Fields are separated by one space; in a field, octets up to and including space, {@code %}, {@code =} and DEL
 * are written {@code %XX}; other UTF-8 is kept as is; the empty string is {@code -}. Status records end with the
 * CRC-32 of the rest of their line: a torn last record (a crash during an update) fails the check and is ignored
 * with everything after it, and the next update overwrites it. The latest record of a recipient wins.
 */
final class QueueFile {
    static final String MAGIC = "YUBIN-QUEUE";
    static final int VERSION = 1;
    /** Bounds what is read as a header from a damaged file. */
    private static final int MAX_HEADER = 16 << 20;
    private static final int MAX_LINE = 1 << 20;

    private QueueFile() {
    }

    /** A queue file's parsed contents. {@code end} is where the valid part ends (a torn record starts there). */
    record Parsed(Envelope envelope, long contentOffset, long size, List<RecipientStatus> statuses, long end) {
    }

    /** The file is not a valid queue file. */
    static final class CorruptException extends IOException {
        private static final long serialVersionUID = 1L;

        CorruptException(String message) {
            super(message);
        }

        CorruptException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    static byte[] header(Envelope envelope, long size) {
        StringBuilder out = new StringBuilder(512);
        out.append(MAGIC).append(' ').append(VERSION).append('\n');
        line(out, "id", envelope.queueId().value());
        line(out, "arrival", envelope.receivedAt().toString());
        line(out, "sender", "<" + envelope.reversePath() + ">");
        for (Map.Entry<String, String> p : new TreeMap<>(envelope.parameters()).entrySet()) {
            line(out, "param", p.getKey(), p.getValue());
        }
        line(out, "helo", envelope.heloName());
        line(out, "protocol", envelope.protocol());
        ConnectionInfo client = envelope.client();
        line(out, "session", client.sessionId());
        address(out, "remote", client.remote());
        address(out, "local", client.local());
        client.remoteHostname().ifPresent(name -> line(out, "client-name", name));
        client.tlsProtocol().ifPresent(tls -> line(out, "tls", tls));
        client.authenticatedUser().ifPresent(user -> line(out, "sasl-user", user));
        for (Recipient r : envelope.recipients()) {
            out.append("rcpt ").append(escape("<" + r.address() + ">"));
            for (Map.Entry<String, String> p : new TreeMap<>(r.parameters()).entrySet()) {
                out.append(' ').append(escape(p.getKey())).append('=').append(escape(p.getValue()));
            }
            out.append('\n');
        }
        line(out, "size", Long.toString(size));
        byte[] body = out.toString().getBytes(UTF_8);
        CRC32 crc = new CRC32();
        crc.update(body);
        byte[] end = ("end " + hex(crc.getValue()) + "\n").getBytes(UTF_8);
        byte[] header = new byte[body.length + end.length];
        System.arraycopy(body, 0, header, 0, body.length);
        System.arraycopy(end, 0, header, body.length, end.length);
        return header;
    }

    static byte[] statusRecord(int index, RecipientStatus status) {
        String payload = "status " + index + " " + status.state().word() + " " + escape(status.dsn()) + " "
                + status.at() + " " + escape(status.reason());
        CRC32 crc = new CRC32();
        byte[] bytes = payload.getBytes(UTF_8);
        crc.update(bytes);
        return (payload + " " + hex(crc.getValue()) + "\n").getBytes(UTF_8);
    }

    /** Reads a whole queue file from {@code channel}, which is not moved (reads are positional). */
    static Parsed read(FileChannel channel) throws IOException {
        long fileSize = channel.size();
        Header header;
        try (InputStream in = new BufferedInputStream(new ChannelContent.RangeStream(channel, 0,
                Math.min(fileSize, MAX_HEADER)), 8192)) {
            header = readHeader(in);
        }
        long contentEnd = header.length + header.size;
        if (fileSize < contentEnd) {
            throw new CorruptException("content truncated: " + (fileSize - header.length) + " of " + header.size
                    + " bytes");
        }
        int count = header.recipients.size();
        List<RecipientStatus> statuses = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            statuses.add(RecipientStatus.pending(header.arrival));
        }
        long end = contentEnd;
        try (InputStream in = new BufferedInputStream(new ChannelContent.RangeStream(channel, contentEnd, fileSize),
                8192)) {
            for (byte[] line; (line = readLine(in)) != null; ) {
                Optional<String> payload = checked(line);
                if (payload.isEmpty()) {
                    break; // torn: this record and everything after it never completed
                }
                applyStatus(payload.get(), statuses);
                end += line.length + 1;
            }
        }
        Envelope envelope = header.envelope();
        return new Parsed(envelope, header.length, header.size, statuses, end);
    }

    private static Header readHeader(InputStream in) throws IOException {
        Header h = new Header();
        CRC32 crc = new CRC32();
        byte[] first = readLine(in);
        if (first == null || !new String(first, UTF_8).startsWith(MAGIC + " ")) {
            throw new CorruptException("not a queue file");
        }
        String version = new String(first, UTF_8).substring(MAGIC.length() + 1);
        if (!version.equals(Integer.toString(VERSION))) {
            throw new CorruptException("unsupported queue file version " + version);
        }
        h.length = first.length + 1;
        crc.update(first);
        crc.update('\n');
        while (true) {
            byte[] raw = readLine(in);
            if (raw == null) {
                throw new CorruptException("header truncated");
            }
            h.length += raw.length + 1;
            String[] f = new String(raw, UTF_8).split(" ", -1);
            if (f[0].equals("end")) {
                expect(f, 2);
                if (!f[1].equals(hex(crc.getValue()))) {
                    throw new CorruptException("header checksum mismatch");
                }
                return h.validate();
            }
            crc.update(raw);
            crc.update('\n');
            h.field(f);
        }
    }

    /** The payload of a status line whose checksum holds. */
    private static Optional<String> checked(byte[] line) {
        String text = new String(line, UTF_8);
        int space = text.lastIndexOf(' ');
        if (space < 0) {
            return Optional.empty();
        }
        String payload = text.substring(0, space);
        CRC32 crc = new CRC32();
        crc.update(payload.getBytes(UTF_8));
        return hex(crc.getValue()).equals(text.substring(space + 1)) ? Optional.of(payload) : Optional.empty();
    }

    private static void applyStatus(String payload, List<RecipientStatus> statuses) throws CorruptException {
        String[] f = payload.split(" ", -1);
        if (!f[0].equals("status")) {
            throw new CorruptException("unknown record " + f[0]);
        }
        expect(f, 6);
        try {
            int index = Integer.parseInt(f[1]);
            if (index < 0 || index >= statuses.size()) {
                throw new CorruptException("status for recipient " + index + " of " + statuses.size());
            }
            RecipientState state = RecipientState.valueOf(f[2].toUpperCase(Locale.ROOT));
            statuses.set(index, new RecipientStatus(state, unescape(f[3]), unescape(f[5]), Instant.parse(f[4])));
        } catch (IllegalArgumentException | DateTimeParseException e) {
            throw new CorruptException("bad status record: " + payload, e);
        }
    }

    /** A line without its LF; null at the end of input, also after a last line without LF (a torn write). */
    private static byte[] readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(80);
        for (int b; (b = in.read()) >= 0; ) {
            if (b == '\n') {
                return line.toByteArray();
            }
            if (line.size() >= MAX_LINE) {
                throw new CorruptException("line longer than " + MAX_LINE + " bytes");
            }
            line.write(b);
        }
        return null;
    }

    private static void line(StringBuilder out, String name, String... values) {
        out.append(name);
        for (String value : values) {
            out.append(' ').append(escape(value));
        }
        out.append('\n');
    }

    private static void address(StringBuilder out, String name, InetSocketAddress address) {
        InetAddress ip = address.getAddress();
        String kind = ip != null ? "ip" : "host";
        String host = ip != null ? IpAddresses.text(ip) : address.getHostString();
        line(out, name, kind, host, Integer.toString(address.getPort()));
    }

    static String escape(String value) {
        if (value.isEmpty()) {
            return "-";
        }
        if (value.equals("-")) {
            return "%2D";
        }
        StringBuilder out = new StringBuilder(value.length() + 8);
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c <= ' ' || c == '%' || c == '=' || c == 0x7f) {
                out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    static String unescape(String field) {
        if (field.equals("-")) {
            return "";
        }
        byte[] in = field.getBytes(UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream(in.length);
        for (int i = 0; i < in.length; i++) {
            if (in[i] == '%') {
                if (i + 2 >= in.length) {
                    throw new IllegalArgumentException("truncated escape in " + field);
                }
                int hi = Character.digit(in[i + 1], 16);
                int lo = Character.digit(in[i + 2], 16);
                if (hi < 0 || lo < 0) {
                    throw new IllegalArgumentException("bad escape in " + field);
                }
                out.write(hi << 4 | lo);
                i += 2;
            } else {
                out.write(in[i]);
            }
        }
        return out.toString(UTF_8);
    }

    private static String hex(long crc) {
        String digits = Long.toHexString(crc);
        return "00000000".substring(digits.length()) + digits;
    }

    /** The one value of a {@code name value} line, unescaped. */
    private static String single(String[] fields) throws CorruptException {
        expect(fields, 2);
        return unescape(fields[1]);
    }

    private static void expect(String[] fields, int count) throws CorruptException {
        if (fields.length != count) {
            throw new CorruptException("expected " + count + " fields: " + String.join(" ", fields));
        }
    }

    /** The header fields while they are read. */
    private static final class Header {
        long length;
        long size = -1;
        QueueId queueId;
        Instant arrival;
        ReversePath sender;
        final Map<String, String> parameters = new HashMap<>();
        String helo;
        String protocol;
        String session;
        InetSocketAddress remote;
        InetSocketAddress local;
        Optional<String> clientName = Optional.empty();
        Optional<String> tls = Optional.empty();
        Optional<String> saslUser = Optional.empty();
        final List<Recipient> recipients = new ArrayList<>();

        void field(String[] f) throws CorruptException {
            try {
                switch (f[0]) {
                    case "id" -> queueId = new QueueId(single(f));
                    case "arrival" -> arrival = Instant.parse(single(f));
                    case "sender" -> sender = ReversePath.parse(single(f));
                    case "param" -> {
                        expect(f, 3);
                        parameters.put(unescape(f[1]), unescape(f[2]));
                    }
                    case "helo" -> helo = single(f);
                    case "protocol" -> protocol = single(f);
                    case "session" -> session = single(f);
                    case "remote" -> remote = socketAddress(f);
                    case "local" -> local = socketAddress(f);
                    case "client-name" -> clientName = Optional.of(single(f));
                    case "tls" -> tls = Optional.of(single(f));
                    case "sasl-user" -> saslUser = Optional.of(single(f));
                    case "rcpt" -> recipients.add(recipient(f));
                    case "size" -> size = Long.parseLong(single(f));
                    default -> throw new CorruptException("unknown header field " + f[0]);
                }
            } catch (AddressException | IllegalArgumentException | DateTimeParseException e) {
                throw new CorruptException("bad header field: " + String.join(" ", f), e);
            }
        }

        Header validate() throws CorruptException {
            if (queueId == null || arrival == null || sender == null || helo == null || protocol == null
                    || session == null || remote == null || local == null || size < 0 || recipients.isEmpty()) {
                throw new CorruptException("header lacks a required field");
            }
            return this;
        }

        Envelope envelope() {
            ConnectionInfo client = new ConnectionInfo(session, remote, local, clientName, tls, saslUser);
            return new Envelope(queueId, sender, recipients, parameters, helo, protocol, client, arrival);
        }

        private static Recipient recipient(String[] f) throws AddressException, CorruptException {
            if (f.length < 2) {
                throw new CorruptException("rcpt without address");
            }
            MailAddress address = MailAddress.parsePath(unescape(f[1]));
            Map<String, String> parameters = new HashMap<>();
            for (int i = 2; i < f.length; i++) {
                int eq = f[i].indexOf('=');
                if (eq <= 0) {
                    throw new CorruptException("bad rcpt parameter " + f[i]);
                }
                parameters.put(unescape(f[i].substring(0, eq)), unescape(f[i].substring(eq + 1)));
            }
            return new Recipient(address, parameters);
        }

        private static InetSocketAddress socketAddress(String[] f) throws CorruptException {
            expect(f, 4);
            String host = unescape(f[2]);
            int port = Integer.parseInt(f[3]);
            if (f[1].equals("host")) {
                return InetSocketAddress.createUnresolved(host, port);
            }
            if (!f[1].equals("ip") || !host.matches("[0-9A-Fa-f:.]+")) {
                throw new CorruptException("bad address " + String.join(" ", f));
            }
            try {
                return new InetSocketAddress(InetAddress.getByName(host), port); // a literal: no DNS lookup
            } catch (IOException e) {
                throw new CorruptException("bad address " + host, e);
            }
        }
    }
}
