package dev.yubin.delivery.memory;

import dev.yubin.core.message.MessageContent;
import dev.yubin.core.store.Flags;
import dev.yubin.core.store.MailStore;
import dev.yubin.core.store.MailboxStore;
import dev.yubin.core.store.Maildrop;
import dev.yubin.core.store.StoreException;
import dev.yubin.core.store.UserMailboxes;
import dev.yubin.core.user.MailUser;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link MailStore} and {@link MailboxStore} that keeps all mail in memory, for tests and for applications that
 * embed a mail server. It behaves as {@link dev.yubin.delivery.maildir.MaildirStore} does through the SPI (the same
 * contract tests run against both): the same mailbox names and delimiter {@code .}, UIDs and UIDVALIDITY,
 * {@code \Recent} claimed by the first read-write session, at most 26 keywords per mailbox, APPEND storing CRLF as
 * LF, delivery storing the bytes as given. Nothing survives the JVM.
 *
 * <p>A user's mail is found by {@link MailUser#mailLocation()} (which must not be blank), so two users with one
 * location share a mailbox, as on disk.
 *
 * <table>
 *   <caption>Limits</caption>
 *   <tr><th>What</th><th>Limit</th></tr>
 *   <tr><td>memory</td><td>every message is one {@code byte[]} of its stored size plus about 150 bytes of
 *       bookkeeping; a COPY shares the bytes of its source. Nothing is evicted: {@link #clear()} between tests,
 *       and do not use it for more mail than the heap holds</td></tr>
 *   <tr><td>message size</td><td>below 2 GiB (one array)</td></tr>
 *   <tr><td>keywords</td><td>26 per mailbox, as in Maildir</td></tr>
 * </table>
 *
 * <p>Thread-safe: one lock per mail location serialises changes to a user's mail; different users proceed in
 * parallel. Watchers ({@code Mailbox.watch}) run on the changer's thread, after the lock is released. No method
 * blocks on I/O except to read the {@link MessageContent} given to it.
 */
public final class MemoryStore implements MailStore, MailboxStore {
    private final Map<String, MailArea> areas = new ConcurrentHashMap<>();
    private final AtomicLong messageIds = new AtomicLong();
    private final Clock clock;

    private MemoryStore(Clock clock) {
        this.clock = clock;
    }

    /** An empty store whose delivered messages are dated by the system clock. */
    public static MemoryStore create() {
        return new MemoryStore(Clock.systemUTC());
    }

    /** An empty store whose delivered messages get their INTERNALDATE from {@code clock}. */
    public static MemoryStore create(Clock clock) {
        return new MemoryStore(Objects.requireNonNull(clock, "clock"));
    }

    @Override
    public String kind() {
        return "memory";
    }

    /**
     * Stores {@code content}, exactly as given, at the end of the user's INBOX, with no flags and the clock's time
     * as INTERNALDATE. Fails (temporarily) only when the content cannot be read; then nothing is stored.
     */
    @Override
    public void deliver(MailUser user, MessageContent content) throws StoreException {
        Objects.requireNonNull(content, "content");
        MailArea area = area(user);
        byte[] bytes;
        try (InputStream in = content.openStream()) {
            bytes = in.readAllBytes();
        } catch (IOException e) {
            throw new StoreException("read message for " + user.name() + ": " + e.getMessage(), true, e);
        }
        MemoryFolder inbox;
        area.lock.lock();
        try {
            inbox = area.inbox();
            inbox.add(nextId(), bytes, MemoryMessage.wireSize(bytes), clock.instant(), Flags.NONE);
        } finally {
            area.lock.unlock();
        }
        inbox.changed();
    }

    @Override
    public Maildrop openMaildrop(MailUser user) throws StoreException {
        return new MemoryMaildrop(this, location(user));
    }

    @Override
    public UserMailboxes openMailboxes(MailUser user) throws StoreException {
        return new MemoryMailboxes(this, location(user));
    }

    /**
     * Removes every message and mailbox of every user, as if the store were new (between tests). Sessions still
     * open find their mailboxes gone, and their watchers are told.
     */
    public void clear() {
        List<MemoryFolder> gone = new ArrayList<>();
        for (MailArea area : areas.values()) {
            gone.addAll(area.clear()); // in place: a delivery racing with clear() lands in the new INBOX
        }
        gone.forEach(MemoryFolder::changed);
    }

    /** The mail of {@code location}, created empty when missing. */
    MailArea area(String location) {
        return areas.computeIfAbsent(location, l -> new MailArea());
    }

    private MailArea area(MailUser user) throws StoreException {
        return area(location(user));
    }

    long nextId() {
        return messageIds.incrementAndGet();
    }

    private static String location(MailUser user) throws StoreException {
        if (user.mailLocation().isBlank()) {
            throw new StoreException("user " + user.name() + " has no mail location", false, null);
        }
        return user.mailLocation();
    }
}
