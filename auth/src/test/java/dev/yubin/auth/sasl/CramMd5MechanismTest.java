package dev.yubin.auth.sasl;

import static dev.yubin.auth.sasl.SaslAssertions.assertFailure;
import static dev.yubin.auth.sasl.SaslAssertions.assertSuccess;
import static dev.yubin.auth.sasl.TestUsers.bytes;
import static dev.yubin.auth.sasl.TestUsers.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.yubin.auth.sasl.SaslStep.Reason;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** RFC 2195. */
class CramMd5MechanismTest {

    /** RFC 2195 §2's example challenge. */
    private static final String RFC_CHALLENGE = "<1896.697170952@postoffice.reston.mci.net>";
    /** RFC 2195 §2's example response for tim / tanstaaftanstaaf. */
    private static final String RFC_RESPONSE = "tim b913a602c7eda7a495b4e6e7334d3890";

    private final TestUsers users = new TestUsers()
            .user("tim", "{PLAIN}tanstaaftanstaaf")
            .user("hexed", "{PLAIN.HEX}74616e737461616674616e7374616166")
            // openssl passwd -6 -salt saltsalt secret
            .user("hashed", "{SHA512-CRYPT}$6$saltsalt$TVLlQcbpFVof5W3Yz4DTP6gRstiNuHwwTt6GLc1E5n0U0aDehy0S5knV8wiOQ"
                    + "SpT0Y77vwPZN.Pq.H91p5hVO1");
    private final SaslContext context = SaslContext.of(users, "postoffice.reston.mci.net");

    private SaslServer rfcServer() {
        return new CramMd5Mechanism(() -> RFC_CHALLENGE).newServer(context);
    }

    @Test
    void rfc2195Example() {
        SaslServer server = rfcServer();
        assertFalse(new CramMd5Mechanism().isPlaintext());
        assertEquals(RFC_CHALLENGE, text(server.start(Optional.empty())));
        assertSuccess(server.evaluate(bytes(RFC_RESPONSE)), "tim");
    }

    @Test
    void upperCaseHexIsAccepted() {
        SaslServer server = rfcServer();
        server.start(Optional.empty());
        assertSuccess(server.evaluate(bytes(RFC_RESPONSE.toUpperCase().replace("TIM", "tim"))), "tim");
    }

    @Test
    void passwordInHexIsThePassword() {
        SaslServer server = rfcServer();
        server.start(Optional.empty());
        assertSuccess(server.evaluate(bytes("hexed b913a602c7eda7a495b4e6e7334d3890")), "hexed");
    }

    @Test
    void wrongDigestUnknownUserAndHashedPasswordFailTheSameWay() {
        for (String response : new String[] {"tim b913a602c7eda7a495b4e6e7334d3891",
            "nobody b913a602c7eda7a495b4e6e7334d3890", "hashed b913a602c7eda7a495b4e6e7334d3890"}) {
            SaslServer server = rfcServer();
            server.start(Optional.empty());
            assertFailure(server.evaluate(bytes(response)), Reason.BAD_CREDENTIALS);
        }
    }

    @Test
    void theDigestDependsOnTheChallenge() {
        SaslServer server = new CramMd5Mechanism(() -> "<1897.697170952@postoffice.reston.mci.net>")
                .newServer(context);
        server.start(Optional.empty());
        assertFailure(server.evaluate(bytes(RFC_RESPONSE)), Reason.BAD_CREDENTIALS);
    }

    @Test
    void defaultChallengesAreFreshAndNameTheServer() {
        CramMd5Mechanism mechanism = new CramMd5Mechanism();
        String first = text(mechanism.newServer(context).start(Optional.empty()));
        String second = text(mechanism.newServer(context).start(Optional.empty()));
        assertNotEquals(first, second);
        assertTrue(first.matches("<[0-9]+\\.[0-9]+@postoffice\\.reston\\.mci\\.net>"), first);
    }

    @Test
    void initialResponseIsMalformed() {
        assertFailure(rfcServer().start(Optional.of(bytes(RFC_RESPONSE))), Reason.MALFORMED);
        assertFailure(rfcServer().start(Optional.of(new byte[0])), Reason.MALFORMED);
    }

    @Test
    void malformedResponses() {
        for (String response : new String[] {"tim", "tim b913a602c7eda7a495b4e6e7334d389",
            "tim b913a602c7eda7a495b4e6e7334d38900", "tim g913a602c7eda7a495b4e6e7334d3890",
            " b913a602c7eda7a495b4e6e7334d3890", ""}) {
            SaslServer server = rfcServer();
            server.start(Optional.empty());
            assertFailure(server.evaluate(bytes(response)), Reason.MALFORMED);
        }
        assertEquals(List.of(), users.lookups);
    }

    @Test
    void cancelAndTooLong() {
        SaslServer server = rfcServer();
        server.start(Optional.empty());
        assertEquals(Reason.CANCELLED, server.abort(Reason.CANCELLED).reason());
        SaslServer small = new CramMd5Mechanism(() -> RFC_CHALLENGE).newServer(context.withMaxResponseLength(30));
        small.start(Optional.empty());
        assertFailure(small.evaluate(bytes(RFC_RESPONSE)), Reason.MALFORMED);
    }

    @Test
    void databaseExceptionIsATemporaryFailure() {
        users.failWith(new IllegalStateException("down"));
        SaslServer server = rfcServer();
        server.start(Optional.empty());
        assertFailure(server.evaluate(bytes(RFC_RESPONSE)), Reason.TEMPORARY_FAILURE);
    }
}
