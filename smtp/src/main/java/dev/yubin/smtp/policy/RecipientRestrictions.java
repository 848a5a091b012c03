package dev.yubin.smtp.policy;

import dev.yubin.core.address.MailAddress;
import dev.yubin.core.address.ReversePath;
import dev.yubin.core.net.ConnectionInfo;
import dev.yubin.core.net.NetworkList;
import dev.yubin.smtp.server.Verdict;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Postfix's {@code smtpd_recipient_restrictions}: an ordered list of {@link RecipientRestriction}s asked for each
 * RCPT. The first step that permits or rejects decides; when none does, the recipient is permitted. Immutable and
 * thread-safe; evaluation is pure and never blocks.
 *
 * <p>No open relay by construction: like Postfix before 2.10, a list must contain
 * {@code reject_unauth_destination}, {@code defer_unauth_destination} or {@code reject} (Postfix 2.10 and later
 * have a separate {@code smtpd_relay_restrictions}; Yubin keeps one list).
 *
 * @param restrictions the steps, in order
 */
public record RecipientRestrictions(List<RecipientRestriction> restrictions) {
    /** Postfix's default: {@code permit_mynetworks, reject_unauth_destination}. */
    public static final RecipientRestrictions POSTFIX_DEFAULT = of(RecipientRestriction.PERMIT_MYNETWORKS,
            RecipientRestriction.REJECT_UNAUTH_DESTINATION);

    /** The facts one RCPT is judged on. */
    record Request(ConnectionInfo client, boolean clientInMynetworks, ReversePath from, MailAddress to,
            boolean localDestination) {
    }

    /**
     * Copies the list.
     *
     * @throws IllegalArgumentException if it would make an open relay: it has none of
     *     {@code reject_unauth_destination}, {@code defer_unauth_destination} or {@code reject}
     */
    public RecipientRestrictions {
        restrictions = List.copyOf(restrictions);
        if (!restrictions.contains(RecipientRestriction.REJECT_UNAUTH_DESTINATION)
                && !restrictions.contains(RecipientRestriction.DEFER_UNAUTH_DESTINATION)
                && !restrictions.contains(RecipientRestriction.REJECT)) {
            throw new IllegalArgumentException("recipient restrictions \"" + namesOf(restrictions)
                    + "\" would make an open relay: specify at least one of reject_unauth_destination, "
                    + "defer_unauth_destination or reject");
        }
    }

    /** The list of {@code restrictions}, in that order; see the canonical constructor for what it must contain. */
    public static RecipientRestrictions of(RecipientRestriction... restrictions) {
        return new RecipientRestrictions(Arrays.asList(restrictions));
    }

    /**
     * Parses Postfix names separated by commas and/or whitespace, any case:
     * {@code permit_mynetworks, permit_sasl_authenticated, reject_unauth_destination}.
     *
     * @throws IllegalArgumentException for an unknown name, with the closest known one, or an open relay
     */
    public static RecipientRestrictions parse(String text) {
        return parse(Arrays.asList(text.split("[,\\s]+")));
    }

    /** As {@link #parse(String)}, one name per item; empty items are skipped. */
    public static RecipientRestrictions parse(List<String> names) {
        List<RecipientRestriction> result = new ArrayList<>();
        for (String name : names) {
            if (!name.isEmpty()) {
                result.add(RecipientRestriction.forName(name));
            }
        }
        return new RecipientRestrictions(result);
    }

    /**
     * The decision for one recipient: accept, or reject with Postfix's reply.
     *
     * @param client the connection as it is now (TLS, SASL user)
     * @param mynetworks the trusted networks, for {@code permit_mynetworks}
     * @param from the reverse path of the transaction
     * @param to the recipient
     * @param localDestination whether {@code to} is in a domain delivered here
     */
    public Verdict evaluate(ConnectionInfo client, NetworkList mynetworks, ReversePath from, MailAddress to,
            boolean localDestination) {
        boolean inMynetworks = client.remote().getAddress() != null
                && mynetworks.contains(client.remote().getAddress());
        Request request = new Request(client, inMynetworks, from, to, localDestination);
        for (RecipientRestriction restriction : restrictions) {
            Optional<Verdict> verdict = restriction.decide(request);
            if (verdict.isPresent()) {
                return verdict.get();
            }
        }
        return Verdict.accept();
    }

    /** The list as main.cf writes it: {@code permit_mynetworks, reject_unauth_destination}. */
    @Override
    public String toString() {
        return namesOf(restrictions);
    }

    private static String namesOf(List<RecipientRestriction> restrictions) {
        return restrictions.stream().map(RecipientRestriction::postfixName).collect(Collectors.joining(", "));
    }
}
