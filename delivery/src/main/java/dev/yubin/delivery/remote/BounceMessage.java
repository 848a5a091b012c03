package dev.yubin.delivery.remote;

import dev.yubin.core.address.MailAddress;
import dev.yubin.core.message.Envelope;
import dev.yubin.core.message.MailDates;
import dev.yubin.core.message.MessageContent;
import dev.yubin.core.message.QueueId;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A delivery status notification (RFC 3464) for the sender of a message that could not be delivered, laid out as
 * Postfix's bounce(8) writes one: a {@code multipart/report; report-type=delivery-status} with a human-readable
 * part, the {@code message/delivery-status} part (one block per failed recipient), and the returned message: whole
 * as {@code message/rfc822} up to {@link #RETURN_LIMIT} octets (Postfix's {@code bounce_size_limit}), else its
 * header as {@code text/rfc822-headers}. The envelope sender of a bounce is {@code <>} (RFC 5321 §4.5.5), so a
 * bounce is never bounced. Stateless and thread-safe.
 */
public final class BounceMessage {
    /** Postfix's {@code bounce_size_limit}: the most of the original message returned whole. */
    public static final int RETURN_LIMIT = 50_000;
    private static final Pattern REMOTE_REPLY =
            Pattern.compile("host (\\S+?)\\[[^\\]]*\\](?::\\d+)? said: (.*?)(?: \\(in reply to [^)]*\\))?");

    /** One recipient the message failed for, as the queue recorded it. Immutable. */
    public record Failure(MailAddress recipient, String dsn, String reason) {
        /** Checks that nothing is {@code null}. */
        public Failure {
            Objects.requireNonNull(recipient, "recipient");
            Objects.requireNonNull(dsn, "dsn");
            Objects.requireNonNull(reason, "reason");
        }
    }

    private BounceMessage() {
    }

    /**
     * The notification for {@code failures} of the message {@code envelope}/{@code original}, reported by
     * {@code myhostname}, with the new message's id {@code bounceId}; LF line endings, as stored mail has.
     */
    public static byte[] build(Envelope envelope, MessageContent original, List<Failure> failures,
            String myhostname, QueueId bounceId, Instant now, ZoneId zone) throws IOException {
        String sender = envelope.reversePath().address().map(Object::toString)
                .orElseThrow(() -> new IllegalArgumentException("no bounce to the null sender"));
        String boundary = bounceId + "." + now.getEpochSecond() + "/" + myhostname;
        StringBuilder out = new StringBuilder(4096);
        out.append("Date: ").append(MailDates.format(now, zone)).append('\n')
                .append("From: MAILER-DAEMON@").append(myhostname).append(" (Mail Delivery System)\n")
                .append("Subject: Undelivered Mail Returned to Sender\n")
                .append("To: ").append(sender).append('\n')
                .append("Auto-Submitted: auto-replied\n")
                .append("MIME-Version: 1.0\n")
                .append("Content-Type: multipart/report; report-type=delivery-status;\n")
                .append("\tboundary=\"").append(boundary).append("\"\n")
                .append("Content-Transfer-Encoding: 8bit\n")
                .append("Message-Id: <").append(bounceId).append('.').append(now.getEpochSecond()).append('@')
                .append(myhostname).append(">\n")
                .append('\n')
                .append("This is a MIME-encapsulated message.\n\n");

        out.append("--").append(boundary).append('\n')
                .append("Content-Description: Notification\n")
                .append("Content-Type: text/plain; charset=utf-8\n")
                .append("Content-Transfer-Encoding: 8bit\n\n")
                .append("This is the mail system at host ").append(myhostname).append(".\n\n")
                .append("I'm sorry to have to inform you that your message could not\n")
                .append("be delivered to one or more recipients. It's attached below.\n\n")
                .append("For further assistance, please send mail to postmaster.\n\n")
                .append("If you do so, please include this problem report. You can\n")
                .append("delete your own text from the attached returned message.\n\n")
                .append("                   The mail system\n\n");
        for (Failure f : failures) {
            out.append('<').append(f.recipient()).append(">: ").append(f.reason()).append("\n\n");
        }

        out.append("--").append(boundary).append('\n')
                .append("Content-Description: Delivery report\n")
                .append("Content-Type: message/delivery-status\n\n")
                .append("Reporting-MTA: dns; ").append(myhostname).append('\n')
                .append("X-Yubin-Queue-ID: ").append(envelope.queueId()).append('\n')
                .append("X-Yubin-Sender: rfc822; ").append(sender).append('\n')
                .append("Arrival-Date: ").append(MailDates.format(envelope.receivedAt(), zone)).append('\n');
        for (Failure f : failures) {
            out.append('\n')
                    .append("Final-Recipient: rfc822; ").append(f.recipient()).append('\n')
                    .append("Original-Recipient: rfc822;").append(f.recipient()).append('\n')
                    .append("Action: failed\n")
                    .append("Status: ").append(f.dsn()).append('\n');
            Matcher remote = REMOTE_REPLY.matcher(f.reason());
            if (remote.matches()) {
                out.append("Remote-MTA: dns; ").append(remote.group(1)).append('\n')
                        .append("Diagnostic-Code: smtp; ").append(remote.group(2)).append('\n');
            } else {
                out.append("Diagnostic-Code: X-Yubin; ").append(f.reason()).append('\n');
            }
        }
        out.append('\n');

        byte[] returned = returned(original);
        boolean whole = original.size() <= RETURN_LIMIT;
        out.append("--").append(boundary).append('\n')
                .append("Content-Description: ").append(whole ? "Undelivered Message" : "Undelivered Message Headers")
                .append('\n')
                .append("Content-Type: ").append(whole ? "message/rfc822" : "text/rfc822-headers").append('\n')
                .append("Content-Transfer-Encoding: 8bit\n\n");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(out.length() + returned.length + 128);
        bytes.writeBytes(out.toString().getBytes(StandardCharsets.UTF_8));
        bytes.writeBytes(returned);
        if (returned.length > 0 && returned[returned.length - 1] != '\n') {
            bytes.write('\n');
        }
        bytes.writeBytes(("\n--" + boundary + "--\n").getBytes(StandardCharsets.UTF_8));
        return bytes.toByteArray();
    }

    /** The whole message if small enough, else its header (up to the blank line, at most the limit). */
    private static byte[] returned(MessageContent original) throws IOException {
        try (InputStream in = new BufferedInputStream(original.openStream())) {
            if (original.size() <= RETURN_LIMIT) {
                return in.readAllBytes();
            }
            ByteArrayOutputStream header = new ByteArrayOutputStream(8192);
            int previous = '\n';
            for (int b; header.size() < RETURN_LIMIT && (b = in.read()) >= 0; previous = b) {
                if (b == '\n' && previous == '\n') {
                    break;
                }
                header.write(b);
            }
            return header.toByteArray();
        }
    }
}
