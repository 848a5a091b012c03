package dev.yubin.pop3.server;

import dev.yubin.core.user.MailUser;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Keeps two POP3 sessions of one maildrop apart within this process (RFC 1939 §8: the server should acquire an
 * exclusive lock on the maildrop): the second login gets {@code -ERR [IN-USE]} (RFC 2449 §8.1.1). Maildrops are
 * told apart by {@link MailUser#mailLocation()}, so two logins that read the same mailbox share one lock. One
 * instance serves every listener of a server; share it between servers over the same store.
 *
 * <p>Thread-safe; never blocks. Another program reading the same files (a second server process) is not
 * excluded: that is the store's business (an mbox store takes its file lock).
 */
public final class MaildropLock {

    /** A held lock; {@link #close()} releases it, once. Thread-safe; releasing twice does nothing. */
    public interface Lease extends AutoCloseable {
        @Override
        void close();
    }

    private final Set<String> held = ConcurrentHashMap.newKeySet();

    /** The lock of {@code user}'s maildrop, or empty when another session holds it. */
    public Optional<Lease> tryAcquire(MailUser user) {
        String key = Objects.requireNonNull(user, "user").mailLocation();
        if (!held.add(key)) {
            return Optional.empty();
        }
        AtomicBoolean released = new AtomicBoolean();
        return Optional.of(() -> {
            if (released.compareAndSet(false, true)) {
                held.remove(key);
            }
        });
    }

    /** Whether a session holds {@code user}'s maildrop now. */
    public boolean isLocked(MailUser user) {
        return held.contains(user.mailLocation());
    }
}
