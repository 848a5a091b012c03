package dev.yubin.delivery.local;

import dev.yubin.core.message.MailDates;
import dev.yubin.core.message.Envelope;
import dev.yubin.core.message.Recipient;
import dev.yubin.core.net.ConnectionInfo;
import dev.yubin.core.net.IpAddresses;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;

/**
 * The header lines a local delivery prepends, byte for byte as Postfix's local(8) ({@code Return-Path},
 * {@code X-Original-To}, {@code Delivered-To}) and smtpd(8) ({@code Received}, RFC 5321 §4.4) write them, with LF
 * line endings. Stateless and thread-safe.
 */
final class TraceHeaders {

    private TraceHeaders() {
    }

    /** The four header lines for one recipient's copy. */
    static byte[] build(Envelope envelope, Recipient recipient, String myhostname, String mailName, ZoneId zone) {
        String rcpt = recipient.address().toString();
        StringBuilder out = new StringBuilder(400)
                .append("Return-Path: <").append(envelope.reversePath()).append(">\n")
                .append("X-Original-To: ").append(rcpt).append('\n')
                .append("Delivered-To: ").append(rcpt).append('\n');
        received(out, envelope, rcpt, myhostname, mailName, zone);
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The {@code Received:} line of a relayed message, with {@code for <rcpt>} only when it has one recipient, as
     * Postfix's smtpd writes it.
     */
    static byte[] received(Envelope envelope, String myhostname, String mailName, ZoneId zone) {
        StringBuilder out = new StringBuilder(300);
        String rcpt = envelope.recipients().size() == 1 ? envelope.recipients().get(0).address().toString() : null;
        received(out, envelope, rcpt, myhostname, mailName, zone);
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void received(StringBuilder out, Envelope envelope, String rcpt, String myhostname,
            String mailName, ZoneId zone) {
        ConnectionInfo client = envelope.client();
        String clientName = printable(client.remoteHostname().orElse("unknown"));
        String helo = envelope.heloName().isEmpty() ? clientName : printable(envelope.heloName());
        out.append("Received: from ").append(helo)
                .append(" (").append(clientName).append(" [").append(rfcAddress(client)).append("])\n")
                .append("\tby ").append(myhostname).append(" (").append(mailName).append(") with ")
                .append(envelope.protocol()).append(" id ").append(envelope.queueId());
        if (rcpt != null) {
            out.append("\n\tfor <").append(rcpt).append('>');
        }
        out.append("; ").append(MailDates.format(envelope.receivedAt(), zone)).append('\n');
    }

    /** The client address as Postfix's smtpd puts it in brackets: {@code 192.0.2.1} or {@code IPv6:2001:db8::1}. */
    private static String rfcAddress(ConnectionInfo client) {
        InetAddress address = client.remote().getAddress();
        if (address instanceof Inet6Address) {
            return "IPv6:" + IpAddresses.text(address);
        }
        return client.remoteIp();
    }

    /** Replaces control characters with {@code ?}, as Postfix does with client-supplied names. */
    private static String printable(String text) {
        StringBuilder out = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isISOControl(c)) {
                if (out == null) {
                    out = new StringBuilder(text);
                }
                out.setCharAt(i, '?');
            }
        }
        return out == null ? text : out.toString();
    }
}
