package dev.yubin.imap.server;

import dev.yubin.core.message.MessageContent;
import dev.yubin.core.store.MailboxException;
import dev.yubin.core.store.MessageInfo;
import dev.yubin.core.store.StoreException;
import dev.yubin.imap.fetch.FetchResponder;
import dev.yubin.imap.fetch.StructureCache;
import dev.yubin.imap.protocol.FetchItem;
import dev.yubin.imap.protocol.ResponseStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.IntFunction;

/**
 * The response to one FETCH: each message's {@code * n FETCH (...)} in sequence order, gathered into chunks of about
 * {@link ResponseStream#CHUNK} octets, then the tail (updates and the tagged status) that the session renders when
 * the last message is done. A message whose content is gone (expunged by another session, not yet announced) is
 * left out and counted, and the tail says {@code NO [EXPUNGEISSUED]}.
 *
 * <p>Not thread-safe: pulled by the shell while the session handles nothing else.
 */
final class FetchStream implements ResponseStream {
    private final SelectedMailbox mailbox;
    private final int[] indexes;
    private final List<FetchItem> items;
    private final List<FetchItem> itemsWithFlags;
    private final Set<Long> flagsChanged;
    private final FetchResponder responder;
    private final boolean needsMoreThanStructure;
    /** Whose messages these are, for the structure cache. */
    private final String cacheUser;
    private final IntFunction<byte[]> tail;
    private final boolean needsContent;
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream(4096);

    private int next;
    private int missing;
    private ResponseStream current;
    private boolean done;

    /**
     * @param flagsChanged UIDs whose {@code \Seen} this FETCH set: their responses include FLAGS (RFC 3501 §6.4.5)
     * @param tail         renders the end of the response given the number of messages left out
     */
    FetchStream(SelectedMailbox mailbox, int[] indexes, List<FetchItem> items, Set<Long> flagsChanged,
                FetchResponder responder, String cacheUser, IntFunction<byte[]> tail) {
        this.mailbox = mailbox;
        this.cacheUser = cacheUser;
        this.indexes = indexes.clone();
        this.items = List.copyOf(items);
        List<FetchItem> withFlags = new ArrayList<>(items);
        if (!withFlags.contains(FetchItem.Attribute.FLAGS)) {
            withFlags.add(FetchItem.Attribute.FLAGS);
        }
        this.itemsWithFlags = List.copyOf(withFlags);
        this.flagsChanged = Set.copyOf(flagsChanged);
        this.responder = responder;
        this.tail = tail;
        this.needsContent = FetchResponder.needsContent(items);
        this.needsMoreThanStructure = FetchResponder.needsMoreThanStructure(items);
    }

    @Override
    public byte[] next() throws IOException {
        while (!done) {
            if (current == null && !openNext()) {
                pending.write(tail.apply(missing));
                done = true;
                break;
            }
            byte[] chunk = current.next();
            if (chunk == null) {
                current.close();
                current = null;
            } else if (pending.size() == 0 && chunk.length >= CHUNK) {
                return chunk;
            } else {
                pending.write(chunk);
                if (pending.size() >= CHUNK) {
                    return take();
                }
            }
        }
        return pending.size() == 0 ? null : take();
    }

    private MessageContent openContent(long uid) throws IOException {
        try {
            return mailbox.mailbox().content(uid);
        } catch (StoreException e) {
            throw new IOException("cannot read message " + uid + ": " + e.getMessage(), e);
        }
    }

    /** Starts the next message's response; false when every message is done. */
    private boolean openNext() throws IOException {
        while (next < indexes.length) {
            MessageInfo info = mailbox.get(indexes[next++]);
            MessageContent content = null;
            String key = StructureCache.key(cacheUser, mailbox.mailbox().name(), mailbox.mailbox().uidValidity(),
                    info.uid());
            if (needsContent && !needsMoreThanStructure && responder.hasStructure(key)) {
                // ENVELOPE/BODYSTRUCTURE known: answered even if another session expunged the message meanwhile,
                // as Dovecot answers from its cache; the file is opened only if the cache lost the entry since
                long uid = info.uid();
                current = responder.respond(indexes[next - 1] + 1L, info,
                        flagsChanged.contains(uid) ? itemsWithFlags : items, () -> openContent(uid), key);
                return true;
            }
            if (needsContent) {
                if (mailbox.isVanished(info.uid())) {
                    missing++;
                    continue;
                }
                try {
                    content = mailbox.mailbox().content(info.uid());
                } catch (MailboxException e) {
                    if (e.reason() == MailboxException.Reason.NONEXISTENT) {
                        missing++;
                        continue;
                    }
                    throw new IOException("cannot read message " + info.uid() + ": " + e.getMessage(), e);
                } catch (StoreException e) {
                    throw new IOException("cannot read message " + info.uid() + ": " + e.getMessage(), e);
                }
            }
            MessageContent opened = content;
            current = responder.respond(indexes[next - 1] + 1L, info,
                    flagsChanged.contains(info.uid()) ? itemsWithFlags : items, () -> opened, key);
            return true;
        }
        return false;
    }

    private byte[] take() {
        byte[] out = pending.toByteArray();
        pending.reset();
        return out;
    }

    @Override
    public void close() {
        done = true;
        if (current != null) {
            current.close();
            current = null;
        }
    }
}
