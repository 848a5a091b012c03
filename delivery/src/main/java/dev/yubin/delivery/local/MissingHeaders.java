package dev.yubin.delivery.local;

import dev.yubin.core.message.MailDates;
import dev.yubin.core.message.Envelope;
import dev.yubin.core.message.MessageContent;
import dev.yubin.core.net.ConnectionInfo;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The header repair that Postfix's cleanup(8) does before a message is queued: a message without
 * {@code Message-Id:}, {@code Date:} or {@code From:} gets them, for the clients the policy names (Postfix adds
 * them for {@code local_header_rewrite_clients}, by default clients on the server's own addresses, or for every
 * client with {@code always_add_missing_headers = yes}); and a message whose text starts with a body line, as when
 * a person types into telnet, gets the empty line that separates header and body (RFC 5322 §2.1).
 *
 * <p>Added lines look like Postfix's: {@code Message-Id: <20200723100340.312D0207111@svr01.example>} (UTC time of
 * arrival, queue id, {@code myhostname}), {@code Date: Thu, 23 Jul 2020 19:03:23 +0900 (JST)} and
 * {@code From: <envelope sender>}. Only the header section is read, at most {@value #HEADER_SIZE_LIMIT} octets
 * (Postfix {@code header_size_limit}). Stateless and thread-safe.
 */
public final class MissingHeaders {
    /** The largest header section that is read (Postfix {@code header_size_limit}). */
    public static final int HEADER_SIZE_LIMIT = 102_400;

    /** Add missing headers for every client (Postfix {@code always_add_missing_headers = yes}). */
    public static final Predicate<Envelope> ALWAYS = envelope -> true;
    /** Never add missing headers. */
    public static final Predicate<Envelope> NEVER = envelope -> false;
    /**
     * Add them for clients on a loopback address or on the address they connected to (Postfix's default,
     * {@code local_header_rewrite_clients = permit_inet_interfaces}).
     */
    public static final Predicate<Envelope> LOCAL_CLIENTS = envelope -> isLocal(envelope.client());

    private static final DateTimeFormatter MESSAGE_ID_TIME =
            DateTimeFormatter.ofPattern("yyyyMMddHHmmss", Locale.ROOT).withZone(ZoneOffset.UTC);

    private MissingHeaders() {
    }

    /** What the header section of a message has. Immutable. */
    public record Scan(boolean startsWithBody, Optional<String> messageId, boolean hasDate, boolean hasFrom) {
    }

    /** Reads the header section of {@code content}. */
    public static Scan scan(MessageContent content) throws IOException {
        try (InputStream in = new BufferedInputStream(content.openStream(), 8192)) {
            return scan(in);
        }
    }

    static Scan scan(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(128);
        long read = 0;
        boolean first = true;
        String field = null;
        StringBuilder messageId = null;
        boolean hasDate = false;
        boolean hasFrom = false;
        while (read < HEADER_SIZE_LIMIT) {
            line.reset();
            int b = -1;
            while (read < HEADER_SIZE_LIMIT && (b = in.read()) != -1 && b != '\n') {
                line.write(b);
                read++;
            }
            if (read >= HEADER_SIZE_LIMIT) {
                break; // no line end within the limit: Postfix takes the rest as body too
            }
            read++;
            byte[] bytes = line.toByteArray();
            if (bytes.length == 0) {
                break; // the empty line (or the end): the header ends here
            }
            boolean continuation = bytes[0] == ' ' || bytes[0] == '\t';
            if (continuation && !first) {
                if ("message-id".equals(field) && messageId != null) {
                    messageId.append(new String(bytes, StandardCharsets.UTF_8));
                }
            } else {
                int colon = fieldNameEnd(bytes);
                if (colon < 0) {
                    // Not a header field: body text. At the top it needs the empty line; further down Postfix
                    // also takes it as the start of the body, and nothing is inserted there.
                    if (first) {
                        return new Scan(true, Optional.empty(), false, false);
                    }
                    break;
                }
                field = new String(bytes, 0, colon, StandardCharsets.US_ASCII).strip().toLowerCase(Locale.ROOT);
                String value = new String(bytes, colon + 1, bytes.length - colon - 1, StandardCharsets.UTF_8);
                switch (field) {
                    case "message-id" -> messageId = messageId == null ? new StringBuilder(value) : messageId;
                    case "date" -> hasDate = true;
                    case "from" -> hasFrom = true;
                    default -> {
                    }
                }
            }
            first = false;
            if (b == -1) {
                break;
            }
        }
        Optional<String> id = messageId == null ? Optional.empty()
                : Optional.of(messageId.toString().replaceAll("[\\r\\n]", "").strip());
        return new Scan(false, id, hasDate, hasFrom);
    }

    /** The index of the colon that ends a field name ({@code ftext *WSP ":"}), or -1 when the line is no field. */
    private static int fieldNameEnd(byte[] line) {
        int i = 0;
        while (i < line.length && line[i] >= 33 && line[i] <= 126 && line[i] != ':') {
            i++;
        }
        if (i == 0) {
            return -1;
        }
        int nameEnd = i;
        while (i < line.length && (line[i] == ' ' || line[i] == '\t')) {
            i++;
        }
        return i < line.length && line[i] == ':' && nameEnd > 0 ? i : -1;
    }

    /** The Message-Id Postfix would give this message: {@code <yyyyMMddHHmmss.QUEUEID@myhostname>}. */
    public static String messageId(Envelope envelope, String myhostname) {
        return "<" + MESSAGE_ID_TIME.format(envelope.receivedAt()) + "." + envelope.queueId() + "@" + myhostname + ">";
    }

    /**
     * The lines to put in front of the message text: the missing headers when {@code addMissing}, and an empty
     * line when the text starts with a body line. Empty when nothing is needed.
     */
    public static byte[] additions(Scan scan, Envelope envelope, boolean addMissing, String myhostname,
            ZoneId zone) {
        StringBuilder out = new StringBuilder();
        if (addMissing) {
            if (scan.messageId().isEmpty()) {
                out.append("Message-Id: ").append(messageId(envelope, myhostname)).append('\n');
            }
            if (!scan.hasDate()) {
                out.append("Date: ").append(MailDates.format(envelope.receivedAt(), zone)).append('\n');
            }
            if (!scan.hasFrom()) {
                String sender = envelope.reversePath().isNull() ? "MAILER-DAEMON@" + myhostname
                        : envelope.reversePath().toString();
                out.append("From: ").append(sender).append('\n');
            }
        }
        if (scan.startsWithBody()) {
            out.append('\n');
        }
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static boolean isLocal(ConnectionInfo client) {
        InetAddress remote = client.remote().getAddress();
        return remote.isLoopbackAddress() || remote.equals(client.local().getAddress());
    }
}
