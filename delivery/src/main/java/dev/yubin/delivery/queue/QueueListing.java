package dev.yubin.delivery.queue;

import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

/**
 * The queue as Postfix's {@code postqueue -p} (mailq) prints it: a header, then per message its queue id
 * ({@code *} when active), size, arrival time and sender, the reason of the last deferral in parentheses, and the
 * recipients still to do; then a total. Stateless.
 *
 * <pre>
 * -Queue ID-  --Size-- ----Arrival Time---- -Sender/Recipient-------
 * 8E4bbuE30vj      226 Thu Dec  3 08:05:07  user1@example1.jp
 *            (host mail.example2.jp[127.0.0.3]:25 said: 450 4.7.1 …)
 *                                          someone@example5.jp
 *
 * -- 1 Kbytes in 1 Request.
 * </pre>
 * Thread-safe.
 */
public final class QueueListing {
    private static final DateTimeFormatter ARRIVAL = DateTimeFormatter.ofPattern("EEE MMM ppd HH:mm:ss",
            Locale.ENGLISH);

    private QueueListing() {
    }

    /**
     * The listing of {@code entries}, in their order, with arrival times in {@code zone}; {@code Mail queue is empty}
     * when there are none.
     */
    public static String format(List<QueueEntry> entries, ZoneId zone) {
        if (entries.isEmpty()) {
            return "Mail queue is empty\n";
        }
        StringBuilder out = new StringBuilder("-Queue ID-  --Size-- ----Arrival Time---- -Sender/Recipient-------\n");
        long bytes = 0;
        for (QueueEntry e : entries) {
            String id = e.queueId() + (e.state() == QueueState.ACTIVE ? "*" : " ");
            String sender = e.envelope().reversePath().isNull() ? "MAILER-DAEMON"
                    : e.envelope().reversePath().toString();
            out.append(String.format(Locale.ROOT, "%-11s %8d %s  %s%n", id, e.size(),
                    ARRIVAL.format(e.envelope().receivedAt().atZone(zone)), sender));
            String lastReason = null;
            for (int i = 0; i < e.statuses().size(); i++) {
                RecipientStatus status = e.statuses().get(i);
                if (status.isDone()) {
                    continue;
                }
                if (!status.reason().isEmpty() && !status.reason().equals(lastReason)) {
                    out.append(String.format(Locale.ROOT, "%11s(%s)%n", "", status.reason()));
                    lastReason = status.reason();
                }
                out.append(String.format(Locale.ROOT, "%42s%s%n", "", e.envelope().recipients().get(i).address()));
            }
            out.append('\n');
            bytes += e.size();
        }
        int n = entries.size();
        out.append("-- ").append((bytes + 1023) / 1024).append(" Kbytes in ").append(n)
                .append(n == 1 ? " Request.\n" : " Requests.\n");
        return out.toString();
    }
}
