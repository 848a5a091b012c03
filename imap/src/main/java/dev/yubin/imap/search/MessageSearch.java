package dev.yubin.imap.search;

import dev.yubin.core.message.MessageContent;
import dev.yubin.core.store.MessageInfo;
import dev.yubin.imap.protocol.SearchKey;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;

/**
 * Evaluates an IMAP SEARCH key (RFC 3501 §6.4.4, with RFC 9051's clarifications) against the messages of the
 * selected mailbox. Edge cases follow Dovecot, as its imaptest scripts check them.
 *
 * <p>Each message is first evaluated on its index data alone (flags, {@code \Recent}, sequence numbers, UIDs,
 * RFC822.SIZE, INTERNALDATE), in three-valued logic with AND and OR short-circuiting and their cheapest operands
 * first; only a message that this leaves undecided is opened, once, through the {@link ContentOpener}, and read
 * in one streaming pass that stops as soon as the key is decided: after the header for header keys, at the
 * deciding match for BODY and TEXT. A search by flags over any number of messages therefore opens no content.
 *
 * <table>
 *   <caption>Semantics and limits</caption>
 *   <tr><th>key</th><th>rule</th></tr>
 *   <tr><td>sequence set</td><td>sequence number = index + 1; {@code *} is {@code messages.size()}, so
 *     {@code n:*} with n beyond the last message still matches the last one; {@code 7:4} means {@code 4:7}</td></tr>
 *   <tr><td>UID set</td><td>{@code *} is the highest UID in the view</td></tr>
 *   <tr><td>{@code $}</td><td>the UIDs of {@link SearchOptions#savedResult()} (RFC 5182)</td></tr>
 *   <tr><td>flags</td><td>{@code \Recent} from {@link MessageInfo#recent()}; keywords case-insensitive; a system
 *     flag the store does not know never matches</td></tr>
 *   <tr><td>BEFORE, ON, SINCE</td><td>INTERNALDATE's date in {@link SearchOptions#zone()}</td></tr>
 *   <tr><td>SENTBEFORE, SENTON, SENTSINCE</td><td>the Date: field's date as written (its own zone); missing or
 *     invalid: 1970-01-01, as Dovecot</td></tr>
 *   <tr><td>LARGER, SMALLER</td><td>RFC822.SIZE, {@link MessageInfo#wireSize()}</td></tr>
 *   <tr><td>HEADER, FROM…</td><td>case-insensitive substring of any occurrence of the field, decoded; an empty
 *     string tests presence; see {@link ContentScan} for what BODY and TEXT read</td></tr>
 *   <tr><td>BODY "", TEXT ""</td><td>match every message, without opening it</td></tr>
 *   <tr><td>memory</td><td>one header field and 8 KiB of decoding buffers per message; bodies are streamed</td></tr>
 * </table>
 *
 * Stateless and thread-safe; each call's state is confined to the calling thread, which also calls the opener.
 */
public final class MessageSearch {
    private MessageSearch() {
    }

    /**
     * Evaluates key against messages (the selected mailbox's view in sequence order: sequence number = index + 1,
     * {@code *} of a sequence set = messages.size(), {@code *} of a UID set = the highest UID in the view) and
     * returns the 0-based indexes of the matching messages, ascending. Dates of INTERNALDATE are taken in the
     * server's default time zone; {@code $} is the empty set.
     *
     * @throws IOException when the opener or reading a message's content fails
     */
    public static int[] search(SearchKey key, List<MessageInfo> messages, ContentOpener opener) throws IOException {
        return search(key, messages, opener, SearchOptions.defaults());
    }

    /**
     * Whether {@code key} needs at most each message's top-level header (no BODY or TEXT key), so that the opener
     * may hand out the header alone.
     */
    public static boolean readsOnlyHeaders(SearchKey key) {
        return new SearchPlan(key, java.util.Set.of()).headersOnly();
    }

    /** As {@link #search(SearchKey, List, ContentOpener)}, with the zone and saved result of {@code options}. */
    public static int[] search(SearchKey key, List<MessageInfo> messages, ContentOpener opener,
            SearchOptions options) throws IOException {
        SearchPlan plan = new SearchPlan(key, options.savedResult());
        long largestUid = 0;
        for (MessageInfo message : messages) {
            largestUid = Math.max(largestUid, message.uid());
        }
        Candidate candidate = new Candidate(messages.size(), largestUid, options.zone(), plan.contentCriteria());
        int[] matches = new int[messages.size()];
        int count = 0;
        int index = 0;
        for (MessageInfo message : messages) {
            candidate.reset(message, index + 1);
            int result = plan.root.eval(candidate);
            if (result == Criterion.UNKNOWN) {
                MessageContent opened = opener.open(message);
                if (opened != null) { // null: expunged elsewhere; it then matches nothing (UNKNOWN is not TRUE)
                    try (MessageContent content = opened) {
                        ContentScan.scan(plan, candidate, content);
                        result = plan.root.eval(candidate);
                    } catch (java.nio.file.NoSuchFileException e) {
                        result = Criterion.UNKNOWN; // its file went away while it was read
                    }
                }
            }
            if (result == Criterion.TRUE) {
                matches[count++] = index;
            }
            index++;
        }
        return Arrays.copyOf(matches, count);
    }
}
