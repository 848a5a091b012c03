package dev.yubin.smtp.policy;

import dev.yubin.core.address.MailAddress;
import dev.yubin.smtp.server.Verdict;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * One step of {@code smtpd_sender_restrictions}, named as in Postfix (postconf(5)); each permits, rejects or lets
 * the next step decide. Immutable.
 */
public enum SenderRestriction {
    /** Permit when the client's address is in {@code mynetworks}. */
    PERMIT_MYNETWORKS("permit_mynetworks") {
        @Override
        Optional<Verdict> decide(SenderRestrictions.Request request) {
            return request.clientInMynetworks() ? PERMITTED : NO_OPINION;
        }
    },
    /** Permit when the client authenticated with SASL. */
    PERMIT_SASL_AUTHENTICATED("permit_sasl_authenticated") {
        @Override
        Optional<Verdict> decide(SenderRestrictions.Request request) {
            return request.client().authenticatedUser().isPresent() ? PERMITTED : NO_OPINION;
        }
    },
    /**
     * Reject an authenticated client whose login does not own the MAIL FROM address per the {@link SenderLoginMap}:
     * {@code 553 5.7.1 <from>: Sender address rejected: not owned by user abe}. The null sender is allowed, and
     * unauthenticated clients are not checked: unlike Postfix, a {@link SenderLoginMap} cannot say that an address
     * has an owner, so this acts as Postfix's {@code reject_authenticated_sender_login_mismatch}.
     */
    REJECT_SENDER_LOGIN_MISMATCH("reject_sender_login_mismatch") {
        @Override
        Optional<Verdict> decide(SenderRestrictions.Request request) {
            return loginMismatch(request);
        }
    },
    /** The same check as {@link #REJECT_SENDER_LOGIN_MISMATCH}, under the name that says what it does. */
    REJECT_AUTHENTICATED_SENDER_LOGIN_MISMATCH("reject_authenticated_sender_login_mismatch") {
        @Override
        Optional<Verdict> decide(SenderRestrictions.Request request) {
            return loginMismatch(request);
        }
    },
    /** Permit. */
    PERMIT("permit") {
        @Override
        Optional<Verdict> decide(SenderRestrictions.Request request) {
            return PERMITTED;
        }
    },
    /** Reject: {@code 554 5.7.1 <from>: Sender address rejected: Access denied}. */
    REJECT("reject") {
        @Override
        Optional<Verdict> decide(SenderRestrictions.Request request) {
            return Optional.of(Verdict.reject(PolicyReplies.senderAccessDenied(request.from())));
        }
    };

    private static final Optional<Verdict> PERMITTED = Optional.of(Verdict.accept());
    private static final Optional<Verdict> NO_OPINION = Optional.empty();
    private static final List<String> NAMES = Arrays.stream(values()).map(r -> r.postfixName).toList();

    private final String postfixName;

    SenderRestriction(String postfixName) {
        this.postfixName = postfixName;
    }

    /** The name in main.cf, e.g. {@code reject_sender_login_mismatch}. */
    public String postfixName() {
        return postfixName;
    }

    /** The restriction with this Postfix name, any case. */
    public static Optional<SenderRestriction> find(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(r -> r.postfixName.equals(lower)).findFirst();
    }

    /**
     * The restriction with this Postfix name, any case.
     *
     * @throws IllegalArgumentException naming an unknown name and the closest known one
     */
    public static SenderRestriction forName(String name) {
        return find(name).orElseThrow(() -> new IllegalArgumentException(RestrictionNames.unknown(name, NAMES)));
    }

    /** Permit or reject, or empty to let the next restriction decide. */
    abstract Optional<Verdict> decide(SenderRestrictions.Request request);

    private static Optional<Verdict> loginMismatch(SenderRestrictions.Request request) {
        Optional<String> login = request.client().authenticatedUser();
        if (login.isEmpty() || request.from().isNull()) {
            return NO_OPINION;
        }
        MailAddress sender = request.from().address().orElseThrow();
        return request.logins().owns(login.get(), sender) ? NO_OPINION
                : Optional.of(Verdict.reject(PolicyReplies.senderNotOwned(sender, login.get())));
    }

    @Override
    public String toString() {
        return postfixName;
    }
}
