package dev.yubin.pop3.server;

import dev.yubin.core.message.MessageContent;
import dev.yubin.core.store.MailStore;
import dev.yubin.core.store.Maildrop;
import dev.yubin.core.store.StoreException;
import dev.yubin.core.store.StoredMessage;
import dev.yubin.core.user.MailUser;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** A recording in-memory store: messages per mail location as LF text, with switches to make calls fail. */
final class MemoryStore implements MailStore {
    final Map<String, Map<String, String>> boxes = new ConcurrentHashMap<>();
    final List<String> events = new ArrayList<>();
    volatile StoreException failOpenMaildrop;
    volatile StoreException failOpen;
    volatile StoreException failDelete;
    private int next = 1;

    /** Adds a message with LF line endings to {@code location}; returns its uid. */
    synchronized String add(String location, String lfText) {
        String uid = "uid" + next++;
        boxes.computeIfAbsent(location, k -> new LinkedHashMap<>()).put(uid, lfText);
        return uid;
    }

    synchronized int count(String location) {
        return boxes.getOrDefault(location, Map.of()).size();
    }

    @Override
    public String kind() {
        return "memory";
    }

    @Override
    public void deliver(MailUser user, MessageContent content) throws StoreException {
        try (var in = content.openStream()) {
            add(user.mailLocation(), new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public synchronized Maildrop openMaildrop(MailUser user) throws StoreException {
        if (failOpenMaildrop != null) {
            throw failOpenMaildrop;
        }
        events.add("open " + user.mailLocation());
        Map<String, String> box = boxes.getOrDefault(user.mailLocation(), Map.of());
        List<StoredMessage> messages = new ArrayList<>();
        for (Map.Entry<String, String> e : box.entrySet()) {
            byte[] bytes = e.getValue().getBytes(StandardCharsets.UTF_8);
            long lf = e.getValue().chars().filter(c -> c == '\n').count();
            messages.add(new StoredMessage(e.getKey(), bytes.length, bytes.length + lf, e.getKey()));
        }
        String location = user.mailLocation();
        return new Maildrop() {
            @Override
            public List<StoredMessage> messages() {
                return messages;
            }

            @Override
            public java.io.InputStream open(StoredMessage message) throws StoreException {
                if (failOpen != null) {
                    throw failOpen;
                }
                synchronized (MemoryStore.this) {
                    String text = boxes.getOrDefault(location, Map.of()).get(message.storageKey());
                    if (text == null) {
                        throw new StoreException("gone", false, null);
                    }
                    return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
                }
            }

            @Override
            public void delete(Collection<StoredMessage> doomed) throws StoreException {
                if (failDelete != null) {
                    throw failDelete;
                }
                synchronized (MemoryStore.this) {
                    for (StoredMessage m : doomed) {
                        boxes.get(location).remove(m.storageKey());
                        events.add("delete " + m.uid());
                    }
                }
            }

            @Override
            public void close() {
                synchronized (MemoryStore.this) {
                    events.add("close " + location);
                }
            }
        };
    }
}
