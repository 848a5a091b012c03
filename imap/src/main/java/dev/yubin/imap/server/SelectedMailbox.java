package dev.yubin.imap.server;

import dev.yubin.core.store.Mailbox;
import dev.yubin.core.store.MailboxDelta;
import dev.yubin.core.store.MessageInfo;
import dev.yubin.core.store.StoreException;
import dev.yubin.imap.fetch.FetchResponder;
import dev.yubin.imap.protocol.ImapWriter;
import dev.yubin.imap.protocol.SequenceSet;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One session's selected mailbox: the sequence numbers the client knows (RFC 3501 §2.3.1.2), mapped to UIDs, and
 * the changes made elsewhere that it has not been told of yet. A message expunged by another session keeps its
 * sequence number here until an EXPUNGE response may be sent (never during FETCH, STORE or SEARCH, RFC 3501
 * §7.4.1), so no number ever names the wrong message.
 *
 * <p>Not thread-safe: confined to the session.
 */
final class SelectedMailbox {
    private final Mailbox mailbox;
    /** The client's view: index = sequence number - 1, ascending UIDs. */
    private final List<MessageInfo> view;
    /** UIDs in {@link #view} that are gone from the store and not yet announced. */
    private final Set<Long> vanished = new HashSet<>();
    /** Flag changes by others not yet announced, by UID (announced with the next sync, in view order). */
    private final Map<Long, MessageInfo> changedFlags = new LinkedHashMap<>();

    SelectedMailbox(Mailbox mailbox) {
        this.mailbox = mailbox;
        this.view = new ArrayList<>(mailbox.messages());
    }

    Mailbox mailbox() {
        return mailbox;
    }

    boolean isReadOnly() {
        return mailbox.isReadOnly();
    }

    int size() {
        return view.size();
    }

    /** The message with sequence number {@code index + 1}. */
    MessageInfo get(int index) {
        return view.get(index);
    }

    List<MessageInfo> messages() {
        return List.copyOf(view);
    }

    /** Whether the message was expunged elsewhere and the client has not been told yet. */
    boolean isVanished(long uid) {
        return vanished.contains(uid);
    }

    /** The index of {@code uid} in the view, or a negative number (binary search: the view is in UID order). */
    int indexOf(long uid) {
        int low = 0;
        int high = view.size() - 1;
        while (low <= high) {
            int mid = (low + high) >>> 1;
            long at = view.get(mid).uid();
            if (at < uid) {
                low = mid + 1;
            } else if (at > uid) {
                high = mid - 1;
            } else {
                return mid;
            }
        }
        return -(low + 1);
    }

    /**
     * The indexes a set names, ascending and each once. A sequence set may name only existing numbers ({@code *}
     * is the last; an empty mailbox has none); a UID set names the messages among its UIDs, and {@code *} is the
     * highest UID (RFC 3501 §6.4.8), so {@code n:*} always includes the last message.
     *
     * @throws InvalidSequence when a sequence number is beyond the mailbox
     */
    int[] resolve(SequenceSet set, boolean uid) throws InvalidSequence {
        if (set.saved()) {
            throw new InvalidSequence("$ is not supported: SEARCHRES is not enabled.");
        }
        if (view.isEmpty()) {
            if (uid) {
                return new int[0];
            }
            throw new InvalidSequence("No messages.");
        }
        boolean[] chosen = new boolean[view.size()];
        int count = 0;
        if (uid) {
            long largest = view.get(view.size() - 1).uid();
            for (SequenceSet.Range range : set.ranges()) {
                SequenceSet.Range r = range.resolve(largest);
                int from = indexOf(r.first());
                from = from < 0 ? -from - 1 : from;
                for (int i = from; i < view.size() && view.get(i).uid() <= r.last(); i++) {
                    if (!chosen[i]) {
                        chosen[i] = true;
                        count++;
                    }
                }
            }
        } else {
            long largest = view.size();
            for (SequenceSet.Range range : set.ranges()) {
                SequenceSet.Range r = range.resolve(largest);
                if (r.last() > largest) {
                    throw new InvalidSequence("Invalid messageset: " + r.last() + " > " + largest + ".");
                }
                for (long n = r.first(); n <= r.last(); n++) {
                    if (!chosen[(int) n - 1]) {
                        chosen[(int) n - 1] = true;
                        count++;
                    }
                }
            }
        }
        int[] out = new int[count];
        int k = 0;
        for (int i = 0; i < chosen.length; i++) {
            if (chosen[i]) {
                out[k++] = i;
            }
        }
        return out;
    }

    /** The UIDs of {@code indexes}. */
    List<Long> uids(int[] indexes) {
        List<Long> out = new ArrayList<>(indexes.length);
        for (int i : indexes) {
            out.add(view.get(i).uid());
        }
        return out;
    }

    /** Takes this session's own flag changes into the view. */
    void updated(Collection<MessageInfo> infos) {
        for (MessageInfo info : infos) {
            int i = indexOf(info.uid());
            if (i >= 0) {
                view.set(i, info);
                changedFlags.remove(info.uid());
            }
        }
    }

    /** This session expunged {@code uids}: writes their EXPUNGE responses and drops them from the view. */
    void expunged(Collection<Long> uids, ImapWriter out) {
        List<Long> sorted = new ArrayList<>(uids);
        sorted.sort(null);
        // highest sequence number first, so that no number shifts before it is written
        for (int k = sorted.size() - 1; k >= 0; k--) {
            int i = indexOf(sorted.get(k));
            if (i >= 0) {
                out.expunge(i + 1);
                MessageInfo gone = view.remove(i);
                vanished.remove(gone.uid());
                changedFlags.remove(gone.uid());
            }
        }
    }

    /**
     * Refreshes from the store and writes what changed: EXPUNGE (only when {@code expungesAllowed}), EXISTS and
     * RECENT when messages arrived, FETCH FLAGS for flags others changed ({@code withUid} adds the UID, as after a
     * UID command).
     */
    void sync(ImapWriter out, boolean expungesAllowed, boolean withUid) throws StoreException {
        MailboxDelta delta = mailbox.refresh();
        vanished.addAll(delta.expunged());
        for (MessageInfo info : delta.flagsChanged()) {
            changedFlags.put(info.uid(), info);
        }
        for (Long uid : delta.expunged()) {
            changedFlags.remove(uid);
        }
        if (expungesAllowed && !vanished.isEmpty()) {
            expunged(new ArrayList<>(vanished), out);
        }
        for (MessageInfo added : delta.added()) {
            // the store's view ascends by UID and new UIDs are higher than all earlier ones
            view.add(added);
        }
        if (!changedFlags.isEmpty()) {
            for (MessageInfo info : changedFlags.values()) {
                int i = indexOf(info.uid());
                if (i >= 0 && !vanished.contains(info.uid())) {
                    MessageInfo shown = info;
                    view.set(i, shown);
                    out.untagged().number(i + 1).raw(" FETCH (");
                    if (withUid) {
                        out.raw("UID ").number(shown.uid()).sp();
                    }
                    out.raw("FLAGS ").flagList(FetchResponder.flagNames(shown)).raw(")").crlf();
                }
            }
            changedFlags.clear();
        }
        if (!delta.added().isEmpty()) {
            out.exists(view.size());
            out.recent(view.stream().filter(MessageInfo::recent).count());
        }
    }

    void close() {
        mailbox.close();
    }

    /** A sequence set that names messages the mailbox does not have: answered {@code BAD}. */
    static final class InvalidSequence extends Exception {
        private static final long serialVersionUID = 1L;

        InvalidSequence(String message) {
            super(message, null, false, false);
        }
    }
}
