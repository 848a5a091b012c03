package dev.yubin.mailserver;

import dev.yubin.core.log.MailLogEvent;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.function.Predicate;

/** The last {@value #CAPACITY} maillog events of one server, for tests to read and wait on. Thread-safe. */
final class EventLog {
    static final int CAPACITY = 10_000;

    private final ArrayDeque<MailLogEvent> events = new ArrayDeque<>();

    synchronized void add(MailLogEvent event) {
        if (events.size() == CAPACITY) {
            events.removeFirst();
        }
        events.addLast(event);
        notifyAll();
    }

    synchronized List<MailLogEvent> snapshot() {
        return List.copyOf(events);
    }

    synchronized void clear() {
        events.clear();
    }

    synchronized MailLogEvent await(Predicate<MailLogEvent> wanted, Duration timeout, String what)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            for (MailLogEvent event : events) {
                if (wanted.test(event)) {
                    return event;
                }
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new IllegalStateException("no maillog event " + what + " within " + timeout + "; the events: "
                        + String.join("\n  ", events.stream().map(MailLogEvent::toString).toList()));
            }
            wait(Math.max(1, left / 1_000_000));
        }
    }
}
