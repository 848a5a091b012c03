package dev.yubin.smtp.policy;

import static dev.yubin.smtp.policy.RecipientRestrictionsTest.address;
import static dev.yubin.smtp.policy.RecipientRestrictionsTest.client;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.yubin.core.address.Domain;
import dev.yubin.core.address.MailAddress;
import dev.yubin.core.address.ReversePath;
import dev.yubin.core.net.ConnectionInfo;
import dev.yubin.core.net.NetworkList;
import dev.yubin.smtp.server.Verdict;
import java.util.List;
import org.junit.jupiter.api.Test;

class SenderRestrictionsTest {
    private static final LocalDomains DOMAINS = LocalDomains.of("example1.jp", "mail.example1.jp");
    private static final SenderLoginMap LOGINS = SenderLoginMap.localUsers(DOMAINS);

    /** "accept" or the reply as sent. */
    private static String decide(String restrictions, ConnectionInfo client, ReversePath from) {
        Verdict verdict = SenderRestrictions.parse(restrictions).evaluate(client, NetworkList.LOOPBACK, from, LOGINS);
        return verdict instanceof Verdict.Reject ? ((Verdict.Reject) verdict).reply().toString() : "accept";
    }

    private static ReversePath from(String address) {
        return ReversePath.of(address(address));
    }

    @Test
    void loginMismatchRejectsAnAuthenticatedClientUsingSomeoneElsesAddress() {
        ConnectionInfo abe = client("203.0.113.9").withAuthenticatedUser("abe");
        String mismatch = "reject_sender_login_mismatch";
        assertEquals("accept", decide(mismatch, abe, from("abe@example1.jp")));
        assertEquals("accept", decide(mismatch, abe, from("Abe@MAIL.example1.jp")));
        assertEquals("553 5.7.1 <sato@example1.jp>: Sender address rejected: not owned by user abe",
                decide(mismatch, abe, from("sato@example1.jp")));
        assertEquals("553 5.7.1 <abe@example2.jp>: Sender address rejected: not owned by user abe",
                decide(mismatch, abe, from("abe@example2.jp")));
        assertEquals("553 5.7.1 <sato@example1.jp>: Sender address rejected: not owned by user abe",
                decide("reject_authenticated_sender_login_mismatch", abe, from("sato@example1.jp")));
    }

    @Test
    void nullSenderAndUnauthenticatedClientsAreNotChecked() {
        String mismatch = "reject_sender_login_mismatch";
        assertEquals("accept", decide(mismatch, client("203.0.113.9").withAuthenticatedUser("abe"), ReversePath.NULL));
        assertEquals("accept", decide(mismatch, client("203.0.113.9"), from("sato@example1.jp")));
        assertEquals("accept", decide(mismatch, client("127.0.0.1").withTls("TLSv1.3"), from("sato@example1.jp")));
    }

    @Test
    void firstDecisionWinsAndTheEndPermits() {
        ConnectionInfo local = client("127.0.0.1");
        assertEquals("accept", decide("", local, from("x@example2.jp")));
        assertEquals("accept", decide("permit_mynetworks, reject", local, from("x@example2.jp")));
        assertEquals("554 5.7.1 <x@example2.jp>: Sender address rejected: Access denied",
                decide("permit_mynetworks, reject", client("203.0.113.9"), from("x@example2.jp")));
        assertEquals("554 5.7.1 <>: Sender address rejected: Access denied",
                decide("reject", local, ReversePath.NULL));
        assertEquals("accept", decide("permit_sasl_authenticated, reject",
                client("203.0.113.9").withAuthenticatedUser("abe"), from("x@example2.jp")));
        assertEquals("accept", decide("permit reject_sender_login_mismatch",
                local.withAuthenticatedUser("abe"), from("sato@example1.jp")));
    }

    @Test
    void unknownNamesSuggestTheClosest() {
        assertEquals("unknown restriction \"reject_sender_login_missmatch\" (did you mean "
                + "\"reject_sender_login_mismatch\"?)", assertThrows(IllegalArgumentException.class,
                        () -> SenderRestrictions.parse("reject_sender_login_missmatch")).getMessage());
        // a recipient-only restriction is not a sender restriction here
        assertThrows(IllegalArgumentException.class, () -> SenderRestrictions.parse("reject_unauth_destination"));
        assertEquals(SenderRestrictions.NONE, SenderRestrictions.parse(" "));
        assertTrue(SenderRestrictions.NONE.isEmpty());
        assertEquals(List.of(SenderRestriction.REJECT_SENDER_LOGIN_MISMATCH),
                SenderRestrictions.parse("Reject_Sender_Login_Mismatch").restrictions());
    }

    @Test
    void localUsersOwnTheirNameInEveryLocalDomainAndFullLoginsOwnExactlyThemselves() {
        assertTrue(LOGINS.owns("abe", address("abe@example1.jp")));
        assertTrue(LOGINS.owns("ABE", address("abe@mail.example1.jp")));
        assertFalse(LOGINS.owns("abe", address("abe@example2.jp")));
        assertFalse(LOGINS.owns("abe", address("abel@example1.jp")));
        assertTrue(LOGINS.owns("abe@example1.jp", address("abe@EXAMPLE1.JP")));
        assertFalse(LOGINS.owns("abe@example1.jp", address("abe@mail.example1.jp")));
        assertTrue(LOGINS.owns("abe@example2.jp", address("abe@example2.jp")));
        assertFalse(LOGINS.owns("abe@", address("abe@example1.jp")));
        SenderLoginMap idn = SenderLoginMap.localUsers(LocalDomains.of("例え.jp"));
        assertTrue(idn.owns("abe", MailAddress.of("abe", Domain.of("xn--r8jz45g.jp"))));
    }
}
