package dev.yubin.auth.sasl;

import static dev.yubin.auth.sasl.SaslAssertions.assertFailure;
import static dev.yubin.auth.sasl.SaslAssertions.assertSuccess;
import static dev.yubin.auth.sasl.TestUsers.bytes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Base64;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The client mechanisms alone, and against our servers. */
class SaslClientTest {

    private final SaslContext context = SaslContext.of(new TestUsers().user("abe", "{PLAIN}パス word"), "x");

    @Test
    void plainInitialResponseIsTheRfc4616Message() throws SaslClientException {
        PlainClient client = PlainClient.of("tim", "tanstaaftanstaaf");
        assertEquals("PLAIN", client.mechanismName());
        assertFalse(client.isComplete());
        // RFC 4616 §4's example, base64 as in AUTH PLAIN
        assertEquals("AHRpbQB0YW5zdGFhZnRhbnN0YWFm",
                Base64.getEncoder().encodeToString(client.initialResponse().orElseThrow()));
        assertTrue(client.isComplete());
        assertThrows(SaslClientException.class, () -> client.evaluate(new byte[0]));
        assertThrows(IllegalStateException.class, client::initialResponse);
    }

    @Test
    void plainWithAuthorizationId() {
        assertArrayEquals(bytes("abe\0master\0pw"), new PlainClient("abe", "master", "pw").initialResponse()
                .orElseThrow());
    }

    @Test
    void plainWithoutInitialResponseAnswersTheEmptyChallenge() throws SaslClientException {
        PlainClient client = PlainClient.of("abe", "パス word");
        assertArrayEquals(bytes("\0abe\0パス word"), client.evaluate(new byte[0]));
        assertTrue(client.isComplete());
        assertThrows(SaslClientException.class, () -> client.evaluate(new byte[0]));
        assertThrows(SaslClientException.class, () -> PlainClient.of("a", "b").evaluate(bytes("hello")));
    }

    @Test
    void plainRefusesWhatCannotBeSent() {
        assertThrows(IllegalArgumentException.class, () -> PlainClient.of("", "pw"));
        assertThrows(IllegalArgumentException.class, () -> PlainClient.of("abe", ""));
        assertThrows(IllegalArgumentException.class, () -> PlainClient.of("a\0b", "pw"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new PlainClient("x\0", "abe", "topsecret"));
        assertFalse(e.getMessage().contains("topsecret"));
        assertFalse(PlainClient.of("abe", "topsecret").toString().contains("topsecret"));
    }

    @Test
    void loginAnswersUsernameThenPassword() throws SaslClientException {
        LoginClient client = LoginClient.of("abe", "secret");
        assertEquals("LOGIN", client.mechanismName());
        assertEquals(Optional.empty(), client.initialResponse());
        // 334 VXNlcm5hbWU6 / 334 UGFzc3dvcmQ6, as Postfix sends them
        assertArrayEquals(bytes("abe"), client.evaluate(Base64.getDecoder().decode("VXNlcm5hbWU6")));
        assertFalse(client.isComplete());
        assertArrayEquals(bytes("secret"), client.evaluate(Base64.getDecoder().decode("UGFzc3dvcmQ6")));
        assertTrue(client.isComplete());
        assertThrows(SaslClientException.class, () -> client.evaluate(new byte[0]));
    }

    @Test
    void loginWithTheUserAsInitialResponse() throws SaslClientException {
        LoginClient client = new LoginClient("abe", "secret", true);
        assertArrayEquals(bytes("abe"), client.initialResponse().orElseThrow());
        assertArrayEquals(bytes("secret"), client.evaluate(bytes("Password:")));
        assertTrue(client.isComplete());
    }

    @Test
    void loginWithoutCallingInitialResponse() throws SaslClientException {
        LoginClient client = new LoginClient("abe", "secret", true);
        assertArrayEquals(bytes("abe"), client.evaluate(bytes("User Name\0")));
        assertThrows(IllegalStateException.class, client::initialResponse);
        assertArrayEquals(bytes("secret"), client.evaluate(bytes("Password\0")));
    }

    @Test
    void loginRefusesEmptyCredentials() {
        assertThrows(IllegalArgumentException.class, () -> LoginClient.of("", "pw"));
        assertThrows(IllegalArgumentException.class, () -> LoginClient.of("abe", ""));
        assertFalse(LoginClient.of("abe", "topsecret").toString().contains("topsecret"));
    }

    /** Drives {@code server} with {@code client} the way a protocol would, with or without the initial response. */
    private static SaslStep exchange(SaslClient client, SaslServer server, boolean useInitialResponse)
            throws SaslClientException {
        SaslStep step = server.start(useInitialResponse ? client.initialResponse() : Optional.empty());
        while (step instanceof SaslStep.Challenge challenge) {
            step = server.evaluate(client.evaluate(challenge.data()));
        }
        return step;
    }

    @Test
    void clientsAgainstOurServers() throws SaslClientException {
        for (boolean initial : new boolean[] {true, false}) {
            assertSuccess(exchange(PlainClient.of("abe", "パス word"), new PlainMechanism().newServer(context),
                    initial), "abe");
            assertSuccess(exchange(LoginClient.of("abe", "パス word"), new LoginMechanism().newServer(context),
                    initial), "abe");
            assertSuccess(exchange(new LoginClient("abe", "パス word", true), new LoginMechanism().newServer(context),
                    initial), "abe");
            assertFailure(exchange(PlainClient.of("abe", "wrong"), new PlainMechanism().newServer(context), initial),
                    SaslStep.Reason.BAD_CREDENTIALS);
        }
    }
}
