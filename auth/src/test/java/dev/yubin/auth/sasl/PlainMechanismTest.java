package dev.yubin.auth.sasl;

import static dev.yubin.auth.sasl.SaslAssertions.assertComplete;
import static dev.yubin.auth.sasl.SaslAssertions.assertFailure;
import static dev.yubin.auth.sasl.SaslAssertions.assertSuccess;
import static dev.yubin.auth.sasl.TestUsers.b64;
import static dev.yubin.auth.sasl.TestUsers.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.yubin.auth.sasl.SaslStep.Reason;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** RFC 4616. */
class PlainMechanismTest {

    private final TestUsers users = new TestUsers()
            .user("abe", "{PLAIN}secret")
            // openssl passwd -6 -salt saltsalt secret
            .user("kato", "{SHA512-CRYPT}$6$saltsalt$TVLlQcbpFVof5W3Yz4DTP6gRstiNuHwwTt6GLc1E5n0U0aDehy0S5knV8wiOQSpT"
                    + "0Y77vwPZN.Pq.H91p5hVO1")
            .user("master", "{PLAIN}m");
    private SaslContext context = SaslContext.of(users, "mail.example1.jp");

    private SaslServer server() {
        return new PlainMechanism().newServer(context);
    }

    private SaslStep initial(String message) {
        return server().start(Optional.of(bytes(message)));
    }

    @Test
    void nameAndPlaintext() {
        assertEquals("PLAIN", new PlainMechanism().name());
        assertTrue(new PlainMechanism().isPlaintext());
        assertEquals("PLAIN", server().mechanismName());
    }

    @Test
    void initialResponseWithoutAuthzid() {
        SaslServer server = server();
        SaslStep.Success success = assertSuccess(server.start(Optional.of(bytes("\0abe\0secret"))), "abe");
        assertEquals("abe", success.authenticatedLogin());
        assertEquals(0, success.additionalData().length);
        assertComplete(server);
    }

    @Test
    void rfc4616ExampleBase64() {
        // RFC 4616 §4 example message "\0tim\0tanstaaftanstaaf", base64 as on the wire
        TestUsers tim = new TestUsers().user("tim", "{PLAIN}tanstaaftanstaaf");
        SaslServer server = new PlainMechanism().newServer(SaslContext.of(tim, "x"));
        assertSuccess(server.start(Optional.of(b64("AHRpbQB0YW5zdGFhZnRhbnN0YWFm"))), "tim");
    }

    @Test
    void hashedPassword() {
        assertSuccess(initial("\0kato\0secret"), "kato");
        assertFailure(initial("\0kato\0Secret"), Reason.BAD_CREDENTIALS);
    }

    @Test
    void withoutInitialResponseTheServerSendsAnEmptyChallenge() {
        SaslServer server = server();
        SaslStep first = server.start(Optional.empty());
        assertEquals(0, assertInstanceOf(SaslStep.Challenge.class, first).data().length);
        assertFalse(server.isComplete());
        assertSuccess(server.evaluate(bytes("\0abe\0secret")), "abe");
    }

    @Test
    void emptyInitialResponseIsMalformed() {
        // AUTH PLAIN = : an empty message, not "no initial response"
        SaslServer server = server();
        assertFailure(server.start(Optional.of(new byte[0])), Reason.MALFORMED);
        assertComplete(server);
        assertEquals(List.of(), users.lookups);
    }

    @Test
    void authzidEqualToAuthcidIsTheUserItself() {
        SaslStep.Success success = assertSuccess(initial("abe\0abe\0secret"), "abe");
        assertEquals("abe", success.authenticatedLogin());
    }

    @Test
    void authzidEqualToTheCanonicalLoginIsTheUserItself() {
        // The database finds "ABE" as "abe".
        assertSuccess(initial("abe\0ABE\0secret"), "abe");
        assertSuccess(initial("ABE\0ABE\0secret"), "abe");
    }

    @Test
    void proxyingIsRefusedByDefault() {
        SaslStep.Failure failure = assertFailure(initial("abe\0master\0m"), Reason.BAD_CREDENTIALS);
        assertEquals("master may not act as abe", failure.detail());
    }

    @Test
    void proxyingAllowedByThePolicy() {
        context = context.withAuthorization((login, authzid) -> login.equals("master"));
        SaslStep.Success success = assertSuccess(initial("abe\0master\0m"), "abe");
        assertEquals("master", success.authenticatedLogin());
        // The policy is asked only after the password was checked.
        assertFailure(initial("abe\0master\0wrong"), Reason.BAD_CREDENTIALS);
        assertFailure(initial("master\0abe\0secret"), Reason.BAD_CREDENTIALS);
    }

    @Test
    void wrongPasswordAndUnknownUserFailTheSameWay() {
        SaslStep.Failure wrong = assertFailure(initial("\0abe\0wrong"), Reason.BAD_CREDENTIALS);
        SaslStep.Failure unknown = assertFailure(initial("\0nobody\0secret"), Reason.BAD_CREDENTIALS);
        assertEquals("wrong password for abe", wrong.detail());
        assertEquals("unknown user nobody", unknown.detail());
        assertFalse(wrong.detail().contains("wrong\0"));
    }

    @Test
    void malformedNulLayouts() {
        for (String message : new String[] {"abe", "\0abe", "abe\0secret", "\0abe\0secret\0", "a\0b\0c\0d",
            "\0\0secret", "\0abe\0", "\0\0"}) {
            SaslStep.Failure failure = assertFailure(initial(message), Reason.MALFORMED);
            assertFalse(failure.detail().contains("secret"), failure.detail());
        }
        assertEquals(List.of(), users.lookups, "nothing malformed reaches the database");
    }

    @Test
    void identitiesMustBeUtf8WithoutControlCharacters() {
        SaslServer server = server();
        byte[] latin1 = {0, 'a', (byte) 0xe9, 0, 's'};
        assertFailure(server.start(Optional.of(latin1)), Reason.MALFORMED);
        assertFailure(initial("\0a\tb\0secret"), Reason.MALFORMED);
        assertFailure(initial("x\u0085\0abe\0secret"), Reason.MALFORMED);
    }

    @Test
    void passwordMayBeAnyOctets() {
        TestUsers binary = new TestUsers().user("abe", "{PLAIN.HEX}ff00fe".replace("00", "01"));
        SaslServer server = new PlainMechanism().newServer(SaslContext.of(binary, "x"));
        assertSuccess(server.start(Optional.of(new byte[] {0, 'a', 'b', 'e', 0, (byte) 0xff, 1, (byte) 0xfe})),
                "abe");
    }

    @Test
    void responseLongerThanTheLimitIsMalformedAndNotLookedUp() {
        context = context.withMaxResponseLength(11);
        assertSuccess(initial("\0abe\0secret"), "abe"); // exactly 11
        SaslStep.Failure failure = assertFailure(initial("\0abe\0secretx"), Reason.MALFORMED);
        assertEquals("response of 12 octets, longer than 11", failure.detail());
        SaslServer server = server();
        server.start(Optional.empty());
        assertFailure(server.evaluate(bytes("\0abe\0secretx")), Reason.MALFORMED);
        assertEquals(List.of("abe"), users.lookups);
    }

    @Test
    void cancelledByTheClient() {
        SaslServer server = server();
        server.start(Optional.empty());
        SaslStep.Failure failure = server.abort(Reason.CANCELLED);
        assertEquals(Reason.CANCELLED, failure.reason());
        assertComplete(server);
        assertThrows(IllegalStateException.class, () -> server.evaluate(bytes("\0abe\0secret")));
        assertThrows(IllegalStateException.class, () -> server.abort(Reason.CANCELLED));
    }

    @Test
    void abortBeforeStartIsAllowed() {
        SaslServer server = server();
        assertEquals(Reason.MALFORMED, server.abort(Reason.MALFORMED).reason());
        assertComplete(server);
    }

    @Test
    void databaseExceptionIsATemporaryFailure() {
        IllegalStateException down = new IllegalStateException("database down");
        users.failWith(down);
        SaslStep.Failure failure = assertFailure(initial("\0abe\0secret"), Reason.TEMPORARY_FAILURE);
        assertSame(down, failure.cause());
    }

    @Test
    void passwordCheckExceptionIsATemporaryFailure() {
        dev.yubin.auth.UserDatabase broken = login -> Optional.of(new dev.yubin.auth.Account(login,
                new dev.yubin.auth.password.StoredPassword() {
                    @Override
                    public String scheme() {
                        return "BROKEN";
                    }

                    @Override
                    public boolean matches(byte[] password) {
                        throw new IllegalStateException("out of memory for Argon2");
                    }
                }));
        SaslServer server = new PlainMechanism().newServer(SaslContext.of(broken, "x"));
        assertFailure(server.start(Optional.of(bytes("\0abe\0secret"))), Reason.TEMPORARY_FAILURE);
    }

    @Test
    void databaseReturningNullIsATemporaryFailure() {
        SaslServer server = new PlainMechanism().newServer(SaslContext.of(login -> null, "x"));
        assertFailure(server.start(Optional.of(bytes("\0abe\0secret"))), Reason.TEMPORARY_FAILURE);
    }

    @Test
    void lifecycleMisuseThrows() {
        SaslServer server = server();
        assertThrows(IllegalStateException.class, () -> server.evaluate(new byte[0]));
        server.start(Optional.of(bytes("\0abe\0secret")));
        assertThrows(IllegalStateException.class, () -> server.start(Optional.empty()));
        assertThrows(IllegalStateException.class, () -> server.evaluate(new byte[0]));
    }
}
