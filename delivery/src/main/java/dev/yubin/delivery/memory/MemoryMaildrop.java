package dev.yubin.delivery.memory;

import dev.yubin.core.store.Maildrop;
import dev.yubin.core.store.StoreException;
import dev.yubin.core.store.StoredMessage;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The INBOX of a {@link MemoryStore} as a {@link Maildrop}: the messages at opening, in arrival (UID) order. The
 * POP3 UID is the message's store-wide id ({@code m<id>}), which stays through flag changes and IMAP sessions.
 * Not thread-safe: one session uses it.
 */
final class MemoryMaildrop implements Maildrop {
    private static final String PREFIX = "m";

    private final MemoryStore store;
    private final String location;
    private final List<StoredMessage> messages;

    MemoryMaildrop(MemoryStore store, String location) {
        this.store = store;
        this.location = location;
        MailArea area = store.area(location);
        List<StoredMessage> listed = new ArrayList<>();
        area.lock.lock();
        try {
            for (MemoryMessage message : area.inbox().messages.values()) {
                String id = PREFIX + message.id();
                listed.add(new StoredMessage(id, message.size(), message.wireSize(), id));
            }
        } finally {
            area.lock.unlock();
        }
        this.messages = List.copyOf(listed);
    }

    @Override
    public List<StoredMessage> messages() {
        return messages;
    }

    @Override
    public InputStream open(StoredMessage message) throws StoreException {
        long id = id(message);
        MailArea area = store.area(location);
        area.lock.lock();
        try {
            MemoryFolder inbox = area.inbox();
            Long uid = id < 0 ? null : inbox.uidsById.get(id);
            if (uid == null) {
                throw new StoreException("message " + message.uid() + " is gone", false, null);
            }
            return new ByteArrayInputStream(inbox.messages.get(uid).content());
        } finally {
            area.lock.unlock();
        }
    }

    @Override
    public void delete(Collection<StoredMessage> doomed) {
        MailArea area = store.area(location);
        MemoryFolder inbox;
        boolean removed = false;
        area.lock.lock();
        try {
            inbox = area.inbox();
            for (StoredMessage message : doomed) {
                Long uid = inbox.uidsById.get(id(message));
                if (uid != null) {
                    inbox.remove(uid);
                    removed = true;
                }
            }
        } finally {
            area.lock.unlock();
        }
        if (removed) {
            inbox.changed();
        }
    }

    private static long id(StoredMessage message) {
        String key = message.storageKey();
        try {
            return key.startsWith(PREFIX) ? Long.parseLong(key.substring(PREFIX.length())) : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    @Override
    public void close() {
        // nothing is held between calls
    }
}
