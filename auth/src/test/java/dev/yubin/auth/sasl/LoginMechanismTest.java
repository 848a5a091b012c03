package dev.yubin.auth.sasl;

import static dev.yubin.auth.sasl.SaslAssertions.assertComplete;
import static dev.yubin.auth.sasl.SaslAssertions.assertFailure;
import static dev.yubin.auth.sasl.SaslAssertions.assertSuccess;
import static dev.yubin.auth.sasl.TestUsers.bytes;
import static dev.yubin.auth.sasl.TestUsers.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.yubin.auth.sasl.SaslStep.Reason;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class LoginMechanismTest {

    private final TestUsers users = new TestUsers()
            .user("abe", "{PLAIN}secret")
            // doveadm pw -s BLF-CRYPT -p secret
            .user("kato", "{BLF-CRYPT}$2y$05$xHv6K03Fc0KDhWEgJP.zh.qDZb3Llfd.UvYLAk4VEvXoJye.QT8za");
    private SaslContext context = SaslContext.of(users, "mail.example1.jp");

    private SaslServer server() {
        return new LoginMechanism().newServer(context);
    }

    @Test
    void asksUsernameThenPassword() {
        assertTrue(new LoginMechanism().isPlaintext());
        SaslServer server = server();
        assertEquals("Username:", text(server.start(Optional.empty())));
        assertEquals("Password:", text(server.evaluate(bytes("abe"))));
        assertFalse(server.isComplete());
        assertEquals(List.of(), users.lookups, "no lookup before the password");
        assertSuccess(server.evaluate(bytes("secret")), "abe");
        assertComplete(server);
    }

    @Test
    void initialResponseIsTheUserName() {
        SaslServer server = server();
        assertEquals("Password:", text(server.start(Optional.of(bytes("kato")))));
        assertSuccess(server.evaluate(bytes("secret")), "kato");
    }

    @Test
    void wrongPasswordAndUnknownUserFailTheSameWay() {
        SaslServer wrong = server();
        wrong.start(Optional.of(bytes("abe")));
        assertFailure(wrong.evaluate(bytes("Secret")), Reason.BAD_CREDENTIALS);
        SaslServer unknown = server();
        // An unknown user is asked for a password all the same.
        assertEquals("Password:", text(unknown.start(Optional.of(bytes("nobody")))));
        SaslStep.Failure failure = assertFailure(unknown.evaluate(bytes("secret")), Reason.BAD_CREDENTIALS);
        assertEquals("unknown user nobody", failure.detail());
    }

    @Test
    void emptyPasswordFailsWithoutALookup() {
        SaslServer server = server();
        server.start(Optional.of(bytes("abe")));
        assertFailure(server.evaluate(new byte[0]), Reason.BAD_CREDENTIALS);
        assertEquals(List.of(), users.lookups);
    }

    @Test
    void emptyOrBadUserNameIsMalformed() {
        assertFailure(server().start(Optional.of(new byte[0])), Reason.MALFORMED);
        SaslServer server = server();
        server.start(Optional.empty());
        assertFailure(server.evaluate(bytes("a\r\nb")), Reason.MALFORMED);
        SaslServer latin1 = server();
        assertFailure(latin1.start(Optional.of(new byte[] {'a', (byte) 0xe9})), Reason.MALFORMED);
    }

    @Test
    void cancelAtThePasswordPrompt() {
        SaslServer server = server();
        server.start(Optional.of(bytes("abe")));
        assertEquals(Reason.CANCELLED, server.abort(Reason.CANCELLED).reason());
        assertComplete(server);
    }

    @Test
    void tooLongPasswordIsMalformed() {
        context = context.withMaxResponseLength(8);
        SaslServer server = server();
        server.start(Optional.of(bytes("abe")));
        assertFailure(server.evaluate(bytes("123456789")), Reason.MALFORMED);
        assertEquals(List.of(), users.lookups);
    }

    @Test
    void databaseExceptionIsATemporaryFailure() {
        users.failWith(new IllegalStateException("down"));
        SaslServer server = server();
        server.start(Optional.of(bytes("abe")));
        assertFailure(server.evaluate(bytes("secret")), Reason.TEMPORARY_FAILURE);
    }
}
