package dev.yubin.smtp.client;

import dev.yubin.core.address.MailAddress;
import dev.yubin.core.address.ReversePath;
import dev.yubin.core.message.MessageContent;
import java.util.List;
import java.util.Objects;

/**
 * One message for one SMTP transaction: the envelope as the next hop gets it, and the content (LF line endings,
 * as stored; the client sends CRLF). Immutable; the content stays the caller's to close.
 *
 * @param eightBitMime the message was received with {@code BODY=8BITMIME} (RFC 6152)
 * @param smtpUtf8 the message was received with {@code SMTPUTF8} (RFC 6531)
 */
public record OutboundMessage(ReversePath sender, List<MailAddress> recipients, MessageContent content,
        boolean eightBitMime, boolean smtpUtf8) {
    /**
     * Copies the recipients.
     *
     * @throws IllegalArgumentException if there are none
     */
    public OutboundMessage {
        Objects.requireNonNull(sender, "sender");
        Objects.requireNonNull(content, "content");
        recipients = List.copyOf(recipients);
        if (recipients.isEmpty()) {
            throw new IllegalArgumentException("no recipients");
        }
    }

    /**
     * Whether an address needs SMTPUTF8 at the next hop (RFC 6531 §3.2): a non-ASCII local part; a non-ASCII domain
     * goes as its A-label.
     */
    public boolean needsSmtpUtf8() {
        return sender.address().map(OutboundMessage::unicodeLocalPart).orElse(false)
                || recipients.stream().anyMatch(OutboundMessage::unicodeLocalPart);
    }

    private static boolean unicodeLocalPart(MailAddress address) {
        return address.localPart().chars().anyMatch(c -> c >= 0x80);
    }
}
