package dev.yubin.smtp.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.yubin.core.address.AddressException;
import dev.yubin.core.address.Domain;
import dev.yubin.core.address.MailAddress;
import dev.yubin.core.address.ReversePath;
import dev.yubin.core.net.ConnectionInfo;
import dev.yubin.core.net.NetworkList;
import dev.yubin.smtp.server.Verdict;
import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class RecipientRestrictionsTest {
    static final NetworkList MYNETWORKS = NetworkList.parse("127.0.0.0/8 [::1]/128 192.168.56.0/24");
    static final InetSocketAddress SERVER = new InetSocketAddress("192.168.56.101", 25);
    static final String TEXTBOOK = "permit_mynetworks, permit_sasl_authenticated, reject_unauth_destination";

    static ConnectionInfo client(String ip) {
        return ConnectionInfo.of("s1", new InetSocketAddress(ip, 40000), SERVER);
    }

    static MailAddress address(String text) {
        try {
            return MailAddress.parse(text);
        } catch (AddressException e) {
            throw new AssertionError(e);
        }
    }

    /** "accept" or the reply as sent. */
    private static String decide(String restrictions, ConnectionInfo client, String to, boolean local) {
        Verdict verdict = RecipientRestrictions.parse(restrictions).evaluate(client, MYNETWORKS,
                ReversePath.of(address("kato@example1.jp")), address(to), local);
        return verdict instanceof Verdict.Reject ? ((Verdict.Reject) verdict).reply().toString() : "accept";
    }

    @Test
    void textbookListLetsMynetworksAndSaslUsersRelayAndNobodyElse() {
        ConnectionInfo outsider = client("203.0.113.9");
        String denied = "554 5.7.1 <u@example2.jp>: Relay access denied";
        // restrictions, client, recipient, local?, expected
        Object[][] cases = {
            {TEXTBOOK, client("192.168.56.20"), "u@example2.jp", false, "accept"},
            {TEXTBOOK, client("::1"), "u@example2.jp", false, "accept"},
            {TEXTBOOK, client("::ffff:127.0.0.1"), "u@example2.jp", false, "accept"},
            {TEXTBOOK, outsider, "u@example2.jp", false, denied},
            {TEXTBOOK, outsider.withTls("TLSv1.3"), "u@example2.jp", false, denied},
            {TEXTBOOK, outsider.withAuthenticatedUser("abe"), "u@example2.jp", false, "accept"},
            {TEXTBOOK, outsider, "abe@example1.jp", true, "accept"},
            {"permit_mynetworks, reject_unauth_destination", outsider.withAuthenticatedUser("abe"),
                "u@example2.jp", false, denied},
            {"permit_mynetworks, reject_unauth_destination", client("127.0.0.1"), "u@example2.jp", false,
                "accept"},
            {"reject_unauth_destination, permit_mynetworks", client("127.0.0.1"), "u@example2.jp", false, denied},
            {"defer_unauth_destination", outsider, "u@example2.jp", false,
                "450 4.7.1 <u@example2.jp>: Relay access denied"},
            {"defer_unauth_destination", outsider, "abe@example1.jp", true, "accept"},
            {"reject", client("127.0.0.1"), "abe@example1.jp", true,
                "554 5.7.1 <abe@example1.jp>: Recipient address rejected: Access denied"},
            {"permit_mynetworks, reject", client("127.0.0.1"), "abe@example1.jp", true, "accept"},
            {"permit, reject", outsider, "u@example2.jp", false, "accept"},
            {"permit_sasl_authenticated, reject", outsider, "abe@example1.jp", true,
                "554 5.7.1 <abe@example1.jp>: Recipient address rejected: Access denied"},
        };
        for (Object[] c : cases) {
            assertEquals(c[4], decide((String) c[0], (ConnectionInfo) c[1], (String) c[2], (Boolean) c[3]),
                    c[0] + " / " + ((ConnectionInfo) c[1]).remoteIp() + " / " + c[2]);
        }
    }

    @Test
    void noDecisionAtTheEndOfTheListPermits() {
        assertEquals("accept", decide("permit_mynetworks, reject_unauth_destination", client("203.0.113.9"),
                "abe@example1.jp", true));
    }

    @Test
    void postfixDefaultIsPermitMynetworksThenRejectUnauthDestination() {
        assertEquals("permit_mynetworks, reject_unauth_destination", RecipientRestrictions.POSTFIX_DEFAULT.toString());
        assertEquals(RecipientRestrictions.POSTFIX_DEFAULT,
                RecipientRestrictions.parse("permit_mynetworks reject_unauth_destination"));
    }

    @Test
    void namesSplitOnCommasAndWhitespaceInAnyCase() {
        assertEquals(List.of(RecipientRestriction.PERMIT_MYNETWORKS, RecipientRestriction.PERMIT_SASL_AUTHENTICATED,
                RecipientRestriction.REJECT_UNAUTH_DESTINATION),
                RecipientRestrictions.parse(
                        " Permit_MyNetworks,permit_sasl_authenticated\n\tREJECT_UNAUTH_DESTINATION ").restrictions());
        assertEquals(TEXTBOOK, RecipientRestrictions.parse(TEXTBOOK).toString());
    }

    @Test
    void textbookTypoIsReportedWithTheClosestName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RecipientRestrictions.parse(
                "permit_mynetworks, permit_sasl_authenticated, reject_unauth_destinaition"));
        assertEquals("unknown restriction \"reject_unauth_destinaition\" (did you mean \"reject_unauth_destination\"?)",
                e.getMessage());
        assertEquals("unknown restriction \"permit_sasl_authenticted\" (did you mean \"permit_sasl_authenticated\"?)",
                assertThrows(IllegalArgumentException.class,
                        () -> RecipientRestriction.forName("permit_sasl_authenticted")).getMessage());
        assertEquals("unknown restriction \"permit_mynetwork\" (did you mean \"permit_mynetworks\"?)",
                assertThrows(IllegalArgumentException.class,
                        () -> RecipientRestriction.forName("permit_mynetwork")).getMessage());
    }

    @Test
    void aNameFarFromEveryKnownOneGetsNoSuggestion() {
        assertEquals("unknown restriction \"check_client_access\"", assertThrows(IllegalArgumentException.class,
                () -> RecipientRestriction.forName("check_client_access")).getMessage());
    }

    @Test
    void aListThatCannotRejectRelayingIsRefused() {
        String[][] cases = {
            {"", ""},
            {"permit", "permit"},
            {"permit_mynetworks permit_sasl_authenticated", "permit_mynetworks, permit_sasl_authenticated"},
        };
        for (String[] c : cases) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> RecipientRestrictions.parse(c[0]), c[0]);
            assertEquals("recipient restrictions \"" + c[1] + "\" would make an open relay: specify at least one "
                    + "of reject_unauth_destination, defer_unauth_destination or reject", e.getMessage());
        }
        assertEquals("reject", RecipientRestrictions.parse("reject").toString());
        assertEquals("permit_mynetworks, defer_unauth_destination",
                RecipientRestrictions.parse("permit_mynetworks defer_unauth_destination").toString());
    }

    @Test
    void unresolvedClientAddressIsNotInMynetworks() {
        ConnectionInfo unresolved = ConnectionInfo.of("s", InetSocketAddress.createUnresolved("127.0.0.1", 1), SERVER);
        assertEquals("554 5.7.1 <u@example2.jp>: Relay access denied", decide("permit_mynetworks, "
                + "reject_unauth_destination", unresolved, "u@example2.jp", false));
    }

    @Test
    void repliesCannotBeSplitByTheAddress() {
        MailAddress odd = MailAddress.of("a\rb", Domain.of("example2.jp"));
        Verdict verdict = RecipientRestrictions.parse("reject").evaluate(client("127.0.0.1"), MYNETWORKS,
                ReversePath.NULL, odd, false);
        String wire = ((Verdict.Reject) verdict).reply().toWire();
        assertEquals(wire.length() - 2, wire.indexOf('\r'), wire);
    }
}
