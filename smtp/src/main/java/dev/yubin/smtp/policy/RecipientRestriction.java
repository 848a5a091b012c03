package dev.yubin.smtp.policy;

import dev.yubin.smtp.server.Verdict;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * One step of {@code smtpd_recipient_restrictions}, named as in Postfix (postconf(5)). A step permits, rejects, or
 * has no opinion (Postfix's DUNNO), and then the next step decides. Immutable.
 */
public enum RecipientRestriction {
    /** Permit when the client's address is in {@code mynetworks}. */
    PERMIT_MYNETWORKS("permit_mynetworks") {
        @Override
        Optional<Verdict> decide(RecipientRestrictions.Request request) {
            return request.clientInMynetworks() ? PERMITTED : NO_OPINION;
        }
    },
    /** Permit when the client authenticated with SASL (RFC 4954). */
    PERMIT_SASL_AUTHENTICATED("permit_sasl_authenticated") {
        @Override
        Optional<Verdict> decide(RecipientRestrictions.Request request) {
            return request.client().authenticatedUser().isPresent() ? PERMITTED : NO_OPINION;
        }
    },
    /** Reject a recipient outside the local domains: {@code 554 5.7.1 <addr>: Relay access denied}. */
    REJECT_UNAUTH_DESTINATION("reject_unauth_destination") {
        @Override
        Optional<Verdict> decide(RecipientRestrictions.Request request) {
            return request.localDestination() ? NO_OPINION
                    : Optional.of(Verdict.reject(PolicyReplies.relayDenied(request.to())));
        }
    },
    /** As {@link #REJECT_UNAUTH_DESTINATION} with a temporary {@code 450 4.7.1}, for trying a new setup. */
    DEFER_UNAUTH_DESTINATION("defer_unauth_destination") {
        @Override
        Optional<Verdict> decide(RecipientRestrictions.Request request) {
            return request.localDestination() ? NO_OPINION
                    : Optional.of(Verdict.reject(PolicyReplies.relayDeferred(request.to())));
        }
    },
    /** Permit. */
    PERMIT("permit") {
        @Override
        Optional<Verdict> decide(RecipientRestrictions.Request request) {
            return PERMITTED;
        }
    },
    /** Reject: {@code 554 5.7.1 <addr>: Recipient address rejected: Access denied}. */
    REJECT("reject") {
        @Override
        Optional<Verdict> decide(RecipientRestrictions.Request request) {
            return Optional.of(Verdict.reject(PolicyReplies.recipientAccessDenied(request.to())));
        }
    };

    private static final Optional<Verdict> PERMITTED = Optional.of(Verdict.accept());
    private static final Optional<Verdict> NO_OPINION = Optional.empty();
    private static final List<String> NAMES = Arrays.stream(values()).map(r -> r.postfixName).toList();

    private final String postfixName;

    RecipientRestriction(String postfixName) {
        this.postfixName = postfixName;
    }

    /** The name in main.cf, e.g. {@code permit_mynetworks}. */
    public String postfixName() {
        return postfixName;
    }

    /** The restriction with this Postfix name, any case. */
    public static Optional<RecipientRestriction> find(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(r -> r.postfixName.equals(lower)).findFirst();
    }

    /**
     * The restriction with this Postfix name, any case.
     *
     * @throws IllegalArgumentException naming an unknown name and the closest known one: {@code unknown restriction
     *     "reject_unauth_destinaition" (did you mean "reject_unauth_destination"?)}
     */
    public static RecipientRestriction forName(String name) {
        return find(name).orElseThrow(() -> new IllegalArgumentException(RestrictionNames.unknown(name, NAMES)));
    }

    /** Permit or reject, or empty to let the next restriction decide. */
    abstract Optional<Verdict> decide(RecipientRestrictions.Request request);

    @Override
    public String toString() {
        return postfixName;
    }
}
