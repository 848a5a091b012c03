package dev.yubin.imap.server;

import dev.yubin.core.store.MailboxAttribute;
import dev.yubin.core.store.MailboxInfo;
import dev.yubin.imap.protocol.ImapCommand;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * The mailbox names one LIST command answers with (RFC 3501 §6.3.8, LIST-EXTENDED RFC 5258 §3, SPECIAL-USE RFC 6154
 * §5.1), computed from the store's listing and the subscriptions, without I/O. Stateless; package-private.
 *
 * <table>
 *   <caption>Rules</caption>
 *   <tr><th>case</th><th>answer</th></tr>
 *   <tr><td>a name matched by several patterns</td><td>listed once</td></tr>
 *   <tr><td>a level that exists only in its children's names</td><td>{@code \Noselect}, or {@code \NonExistent}
 *     in the extended syntax</td></tr>
 *   <tr><td>SUBSCRIBED selection</td><td>subscribed names only, also those that do not exist
 *     ({@code \NonExistent}); every one with {@code \Subscribed}</td></tr>
 *   <tr><td>RECURSIVEMATCH</td><td>{@code ("CHILDINFO" ("SUBSCRIBED"))} on a name with a subscribed descendant;
 *     a name that is not itself subscribed is listed only for a descendant the patterns do not return</td></tr>
 *   <tr><td>REMOTE</td><td>no effect: every mailbox is local</td></tr>
 *   <tr><td>CHILDREN, SPECIAL-USE return options</td><td>their attributes are always returned</td></tr>
 *   <tr><td>an empty pattern in the extended syntax</td><td>matches nothing (RFC 5258 §3)</td></tr>
 * </table>
 */
final class MailboxListing {

    /**
     * One {@code * LIST} response.
     *
     * @param attributes in wire form, e.g. {@code \HasNoChildren}
     * @param childInfo  whether {@code ("CHILDINFO" ("SUBSCRIBED"))} follows the name
     * @param selectable whether the mailbox exists, can be selected and meets the selection criteria, so that a
     *                   LIST-STATUS {@code * STATUS} may follow (RFC 5819 §2)
     */
    record Entry(String name, List<String> attributes, boolean childInfo, boolean selectable) {
        Entry {
            Objects.requireNonNull(name, "name");
            attributes = List.copyOf(attributes);
        }
    }

    /** INBOX first, then in name order, as {@code UserMailboxes#list()} orders them. */
    private static final Comparator<String> ORDER = Comparator.comparing((String name) -> !name.equals("INBOX"))
            .thenComparing(Comparator.naturalOrder());

    private final ImapCommand.List command;
    private final char delimiter;
    private final Map<String, MailboxInfo> existing = new LinkedHashMap<>();
    private final Set<String> subscriptions = new TreeSet<>();
    private final List<MailboxPattern> patterns = new ArrayList<>();

    private MailboxListing(ImapCommand.List command, char delimiter) {
        this.command = command;
        this.delimiter = delimiter;
    }

    /**
     * The responses to {@code command}, in listing order.
     *
     * @param mailboxes     {@code UserMailboxes#list()}
     * @param subscriptions {@code UserMailboxes#subscriptions()}; only read for the SUBSCRIBED options
     */
    static List<Entry> of(ImapCommand.List command, List<MailboxInfo> mailboxes, Set<String> subscriptions,
            char delimiter) {
        MailboxListing listing = new MailboxListing(command, delimiter);
        for (MailboxInfo info : mailboxes) {
            listing.existing.put(listing.canonical(info.name()), info);
        }
        for (String name : subscriptions) {
            listing.subscriptions.add(listing.canonical(name));
        }
        for (String pattern : command.patterns()) {
            if (!pattern.isEmpty() || !command.extended()) {
                listing.patterns.add(MailboxPattern.of(command.reference(), pattern, delimiter));
            }
        }
        return listing.entries();
    }

    /** Whether the command asks about subscriptions, so that the caller must read them. */
    static boolean needsSubscriptions(ImapCommand.List command) {
        return command.selection().contains(ImapCommand.ListSelection.SUBSCRIBED)
                || command.returns().contains(ImapCommand.ListReturn.SUBSCRIBED);
    }

    private List<Entry> entries() {
        List<String> names = candidates();
        boolean recursive = command.selection().contains(ImapCommand.ListSelection.RECURSIVEMATCH);
        List<Entry> out = new ArrayList<>();
        for (String name : names) {
            if (!matches(name)) {
                continue;
            }
            boolean meets = meetsSelection(name);
            boolean childInfo = recursive && hasChildInfo(name, meets, names);
            if (meets || childInfo) {
                MailboxInfo info = existing.get(name);
                boolean selectable = meets && info != null && !info.is(MailboxAttribute.NOSELECT);
                out.add(new Entry(name, attributes(name, info), childInfo, selectable));
            }
        }
        return out;
    }

    /** The names that may be listed: the store's, and with SUBSCRIBED the subscribed ones and their parents. */
    private List<String> candidates() {
        if (!command.selection().contains(ImapCommand.ListSelection.SUBSCRIBED)) {
            return new ArrayList<>(existing.keySet());
        }
        TreeSet<String> names = new TreeSet<>(ORDER);
        names.addAll(existing.keySet());
        for (String name : subscriptions) {
            names.add(name);
            if (command.selection().contains(ImapCommand.ListSelection.RECURSIVEMATCH)) {
                for (int i = name.indexOf(delimiter); i > 0; i = name.indexOf(delimiter, i + 1)) {
                    names.add(name.substring(0, i));
                }
            }
        }
        return new ArrayList<>(names);
    }

    private boolean matches(String name) {
        for (MailboxPattern pattern : patterns) {
            if (pattern.matches(name)) {
                return true;
            }
        }
        return false;
    }

    /** Every selection option holds (RFC 5258 §3: they combine with AND). */
    private boolean meetsSelection(String name) {
        MailboxInfo info = existing.get(name);
        if (command.selection().contains(ImapCommand.ListSelection.SUBSCRIBED)) {
            if (!isSubscribed(name, info)) {
                return false;
            }
        } else if (info == null) {
            return false;
        }
        return !command.selection().contains(ImapCommand.ListSelection.SPECIAL_USE)
                || info != null && info.attributes().stream().anyMatch(MailboxAttribute::isSpecialUse);
    }

    /**
     * RFC 5258 §3.5 and RFC 9051 §6.3.9.3: a name that meets the criteria gets CHILDINFO for any descendant that
     * does too; one that does not is worth listing only for a descendant that is not listed itself.
     */
    private boolean hasChildInfo(String name, boolean meets, List<String> names) {
        String prefix = name + delimiter;
        for (String other : names) {
            if (other.startsWith(prefix) && meetsSelection(other) && (meets || !matches(other))) {
                return true;
            }
        }
        return false;
    }

    private List<String> attributes(String name, MailboxInfo info) {
        List<String> out = new ArrayList<>();
        if (info == null) {
            out.add("\\NonExistent");
            if (command.returns().contains(ImapCommand.ListReturn.CHILDREN)) {
                // a name with existing children is in the store's listing, so this one has none
                out.add("\\HasNoChildren");
            }
        } else {
            for (MailboxAttribute attribute : MailboxAttribute.values()) {
                if (info.is(attribute)) {
                    // the store's \Noselect names exist only as a level of their children's names
                    out.add(attribute == MailboxAttribute.NOSELECT && command.extended() ? "\\NonExistent"
                            : attribute.imapName());
                }
            }
        }
        if (needsSubscriptions(command) && isSubscribed(name, info)) {
            out.add("\\Subscribed");
        }
        return out;
    }

    private boolean isSubscribed(String name, MailboxInfo info) {
        return info != null && info.subscribed() || subscriptions.contains(name);
    }

    /** INBOX, and INBOX as the first level, in upper case (RFC 3501 §5.1). */
    private String canonical(String name) {
        if (name.regionMatches(true, 0, "INBOX", 0, 5) && (name.length() == 5 || name.charAt(5) == delimiter)) {
            return "INBOX" + name.substring(5);
        }
        return name;
    }
}
