package dev.yubin.smtp.policy;

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
 * Postfix's {@code smtpd_sender_restrictions}: an ordered list of {@link SenderRestriction}s asked at MAIL FROM.
 * The first step that permits or rejects decides; when none does, the sender is permitted. Unlike Postfix's
 * default {@code smtpd_delay_reject = yes}, a rejection is the answer to MAIL, not to the first RCPT. Immutable
 * and thread-safe; evaluation is pure and blocks only if the {@link SenderLoginMap} does.
 *
 * @param restrictions the steps, in order
 */
public record SenderRestrictions(List<SenderRestriction> restrictions) {
    /** No restrictions: every sender is permitted (Postfix's default). */
    public static final SenderRestrictions NONE = new SenderRestrictions(List.of());

    /** The facts one MAIL FROM is judged on. */
    record Request(ConnectionInfo client, boolean clientInMynetworks, ReversePath from, SenderLoginMap logins) {
    }

    /** Copies the list. */
    public SenderRestrictions {
        restrictions = List.copyOf(restrictions);
    }

    /** The list of {@code restrictions}, in that order. */
    public static SenderRestrictions of(SenderRestriction... restrictions) {
        return new SenderRestrictions(Arrays.asList(restrictions));
    }

    /**
     * Parses Postfix names separated by commas and/or whitespace, any case: {@code reject_sender_login_mismatch}.
     * An empty text gives {@link #NONE}.
     *
     * @throws IllegalArgumentException for an unknown name, with the closest known one
     */
    public static SenderRestrictions parse(String text) {
        return parse(Arrays.asList(text.split("[,\\s]+")));
    }

    /** As {@link #parse(String)}, one name per item; empty items are skipped. */
    public static SenderRestrictions parse(List<String> names) {
        List<SenderRestriction> result = new ArrayList<>();
        for (String name : names) {
            if (!name.isEmpty()) {
                result.add(SenderRestriction.forName(name));
            }
        }
        return new SenderRestrictions(result);
    }

    /**
     * The decision for one MAIL FROM: accept, or reject with Postfix's reply.
     *
     * @param client the connection as it is now (TLS, SASL user)
     * @param mynetworks the trusted networks, for {@code permit_mynetworks}
     * @param from the reverse path
     * @param logins who may use which sender address, for {@code reject_sender_login_mismatch}
     */
    public Verdict evaluate(ConnectionInfo client, NetworkList mynetworks, ReversePath from, SenderLoginMap logins) {
        boolean inMynetworks = client.remote().getAddress() != null
                && mynetworks.contains(client.remote().getAddress());
        Request request = new Request(client, inMynetworks, from, logins);
        for (SenderRestriction restriction : restrictions) {
            Optional<Verdict> verdict = restriction.decide(request);
            if (verdict.isPresent()) {
                return verdict.get();
            }
        }
        return Verdict.accept();
    }

    /** Whether there are no restrictions, so that every sender is permitted. */
    public boolean isEmpty() {
        return restrictions.isEmpty();
    }

    /** The list as main.cf writes it. */
    @Override
    public String toString() {
        return restrictions.stream().map(SenderRestriction::postfixName).collect(Collectors.joining(", "));
    }
}
