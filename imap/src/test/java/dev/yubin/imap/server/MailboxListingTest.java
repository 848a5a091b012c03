package dev.yubin.imap.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.yubin.core.store.MailboxAttribute;
import dev.yubin.core.store.MailboxInfo;
import dev.yubin.imap.protocol.ImapCommand;
import dev.yubin.imap.protocol.ImapCommand.ListReturn;
import dev.yubin.imap.protocol.ImapCommand.ListSelection;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MailboxListingTest {
    private static final List<MailboxInfo> STORE = List.of(
            info("INBOX", false, MailboxAttribute.HAS_NO_CHILDREN),
            info("Lists", false, MailboxAttribute.NOSELECT, MailboxAttribute.HAS_CHILDREN),
            info("Lists.dev", true, MailboxAttribute.HAS_NO_CHILDREN),
            info("Sent", true, MailboxAttribute.HAS_NO_CHILDREN, MailboxAttribute.SENT));
    private static final Set<String> SUBSCRIBED = Set.of("Lists.dev", "Sent", "inbox.Old");

    private record Case(ImapCommand.List command, List<String> expected) {
    }

    private static MailboxInfo info(String name, boolean subscribed, MailboxAttribute... attributes) {
        return new MailboxInfo(name, attributes.length == 0 ? Set.of() : EnumSet.of(attributes[0], attributes),
                subscribed);
    }

    private static ImapCommand.List list(Set<ListSelection> selection, Set<ListReturn> returns, String... patterns) {
        boolean extended = !selection.isEmpty() || !returns.isEmpty() || patterns.length > 1;
        return new ImapCommand.List("", List.of(patterns), selection, returns, List.of(), extended);
    }

    /** Each entry as {@code name attributes [CHILDINFO] [STATUS]}. */
    private static List<String> render(ImapCommand.List command) {
        List<String> out = new ArrayList<>();
        for (MailboxListing.Entry e : MailboxListing.of(command, STORE, SUBSCRIBED, '.')) {
            out.add(e.name() + " " + e.attributes() + (e.childInfo() ? " CHILDINFO" : "")
                    + (e.selectable() ? " STATUS" : ""));
        }
        return out;
    }

    private static final List<Case> CASES = List.of(
            new Case(list(Set.of(), Set.of(), "%"), List.of("INBOX [\\HasNoChildren] STATUS",
                    "Lists [\\Noselect, \\HasChildren]", "Sent [\\HasNoChildren, \\Sent] STATUS")),
            new Case(list(Set.of(), Set.of(ListReturn.CHILDREN), "L*"), List.of(
                    "Lists [\\NonExistent, \\HasChildren]", "Lists.dev [\\HasNoChildren] STATUS")),
            new Case(list(Set.of(ListSelection.REMOTE), Set.of(), "*", "Lists.%", "S*"), List.of(
                    "INBOX [\\HasNoChildren] STATUS", "Lists [\\NonExistent, \\HasChildren]",
                    "Lists.dev [\\HasNoChildren] STATUS", "Sent [\\HasNoChildren, \\Sent] STATUS")),
            new Case(list(Set.of(ListSelection.SUBSCRIBED), Set.of(), "*"), List.of(
                    "INBOX.Old [\\NonExistent, \\Subscribed]", "Lists.dev [\\HasNoChildren, \\Subscribed] STATUS",
                    "Sent [\\HasNoChildren, \\Sent, \\Subscribed] STATUS")),
            new Case(list(Set.of(ListSelection.SUBSCRIBED, ListSelection.RECURSIVEMATCH), Set.of(), "%"), List.of(
                    "INBOX [\\HasNoChildren] CHILDINFO", "Lists [\\NonExistent, \\HasChildren] CHILDINFO",
                    "Sent [\\HasNoChildren, \\Sent, \\Subscribed] STATUS")),
            new Case(list(Set.of(ListSelection.SUBSCRIBED, ListSelection.SPECIAL_USE), Set.of(), "*"), List.of(
                    "Sent [\\HasNoChildren, \\Sent, \\Subscribed] STATUS")),
            new Case(list(Set.of(), Set.of(ListReturn.SUBSCRIBED), "inbox"), List.of("INBOX [\\HasNoChildren] STATUS")),
            new Case(list(Set.of(), Set.of(ListReturn.SPECIAL_USE), "", "Sent"), List.of(
                    "Sent [\\HasNoChildren, \\Sent] STATUS")));

    @Test
    void listingsFollowTheSelectionAndReturnOptions() {
        for (Case c : CASES) {
            assertEquals(c.expected(), render(c.command()), c.command().toString());
        }
    }
}
