package dev.yubin.auth.sasl;

import static dev.yubin.auth.sasl.SaslAssertions.assertComplete;
import static dev.yubin.auth.sasl.SaslAssertions.assertFailure;
import static dev.yubin.auth.sasl.SaslAssertions.assertSuccess;
import static dev.yubin.auth.sasl.TestUsers.bytes;
import static dev.yubin.auth.sasl.TestUsers.text;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.yubin.auth.password.ScramVectors;
import dev.yubin.auth.sasl.SaslStep.Reason;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/** RFC 5802, RFC 7677. */
class ScramMechanismTest {

    // RFC 7677 §3
    private static final String CLIENT_FIRST = "n,,n=user,r=rOprNGfwEbeRWgbNEkqO";
    private static final String SERVER_NONCE = "%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0";
    private static final String SERVER_FIRST = "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,"
            + "s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096";
    private static final String CLIENT_FINAL = "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,"
            + "p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=";
    private static final String SERVER_FINAL = "v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=";

    private static final byte[] FAKE_SALT_KEY = bytes("a stable key for unknown users");

    private final TestUsers users = new TestUsers()
            .user("user", ScramVectors.RFC7677_STORED)
            .user("plain", "{PLAIN}pencil")
            .user("sha1", ScramVectors.RFC5802_STORED)
            // openssl passwd -6 -salt saltsalt secret
            .user("crypt", "{SHA512-CRYPT}$6$saltsalt$TVLlQcbpFVof5W3Yz4DTP6gRstiNuHwwTt6GLc1E5n0U0aDehy0S5knV8wiOQS"
                    + "pT0Y77vwPZN.Pq.H91p5hVO1");
    private SaslContext context = SaslContext.of(users, "mail.example1.jp");

    private ScramMechanism sha256() {
        return new ScramMechanism("SHA-256", () -> SERVER_NONCE, FAKE_SALT_KEY, 4096);
    }

    private SaslServer server() {
        return sha256().newServer(context);
    }

    @Test
    void rfc7677ExampleWithFinalDataAsAChallenge() {
        SaslServer server = server();
        assertEquals("SCRAM-SHA-256", server.mechanismName());
        assertFalse(sha256().isPlaintext());
        assertEquals(SERVER_FIRST, text(server.start(Optional.of(bytes(CLIENT_FIRST)))));
        // SMTP, IMAP, POP3: v= goes in a last challenge, answered with an empty response
        assertEquals(SERVER_FINAL, text(server.evaluate(bytes(CLIENT_FINAL))));
        assertFalse(server.isComplete());
        SaslStep.Success success = assertSuccess(server.evaluate(new byte[0]), "user");
        assertEquals(0, success.additionalData().length);
        assertComplete(server);
    }

    @Test
    void rfc7677ExampleWithAdditionalDataWithSuccess() {
        context = context.withAdditionalDataWithSuccess(true);
        SaslServer server = server();
        server.start(Optional.of(bytes(CLIENT_FIRST)));
        SaslStep.Success success = assertSuccess(server.evaluate(bytes(CLIENT_FINAL)), "user");
        assertEquals(SERVER_FINAL, new String(success.additionalData(), StandardCharsets.US_ASCII));
    }

    @Test
    void withoutInitialResponseTheServerStartsWithAnEmptyChallenge() {
        SaslServer server = server();
        assertEquals("", text(server.start(Optional.empty())));
        assertEquals(SERVER_FIRST, text(server.evaluate(bytes(CLIENT_FIRST))));
        assertEquals(SERVER_FINAL, text(server.evaluate(bytes(CLIENT_FINAL))));
        assertSuccess(server.evaluate(new byte[0]), "user");
    }

    @Test
    void rfc5802ExampleForScramSha1() {
        ScramMechanism mechanism = new ScramMechanism("sha-1", () -> "3rfcNHYJY1ZVvWVs7j", FAKE_SALT_KEY, 4096);
        assertEquals("SCRAM-SHA-1", mechanism.name());
        SaslServer server = mechanism.newServer(context.withAdditionalDataWithSuccess(true));
        assertEquals("r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,s=QSXCR+Q6sek8bf92,i=4096",
                text(server.start(Optional.of(bytes("n,,n=sha1,r=fyko+d2lbbFgONRv9qkxdawL")))));
        // The proof in RFC 5802 covers "n=user"; with the user named sha1 here it must be recomputed.
        String clientFinal = ScramClient.clientFinal("SHA-1", "pencil", "n=sha1,r=fyko+d2lbbFgONRv9qkxdawL",
                "r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,s=QSXCR+Q6sek8bf92,i=4096", "biws");
        assertSuccess(server.evaluate(bytes(clientFinal)), "sha1");
    }

    @Test
    void rfc5802ProofIsReproducedByTheTestClient() {
        assertEquals("c=biws,r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,p=v0X8v3Bz2T0CJGbJQyF0X+HI4Ts=",
                ScramClient.clientFinal("SHA-1", "pencil", "n=user,r=fyko+d2lbbFgONRv9qkxdawL",
                        "r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,s=QSXCR+Q6sek8bf92,i=4096", "biws"));
        assertEquals(CLIENT_FINAL, ScramClient.clientFinal("SHA-256", "pencil", CLIENT_FIRST.substring(3),
                SERVER_FIRST, "biws"));
    }

    @Test
    void plainPasswordsWorkWithRandomNonces() {
        SaslServer server = ScramMechanism.sha256().newServer(context);
        String serverFirst = text(server.start(Optional.of(bytes("n,,n=plain,r=abcdef"))));
        assertTrue(serverFirst.matches("r=abcdef[A-Za-z0-9+/=]{24},s=[A-Za-z0-9+/=]+,i=4096"), serverFirst);
        String clientFinal = ScramClient.clientFinal("SHA-256", "pencil", "n=plain,r=abcdef", serverFirst, "biws");
        String serverFinal = text(server.evaluate(bytes(clientFinal)));
        assertEquals(ScramClient.serverFinal("SHA-256", "pencil", "n=plain,r=abcdef", serverFirst, clientFinal),
                serverFinal);
        assertSuccess(server.evaluate(new byte[0]), "plain");
    }

    @Test
    void wrongPasswordUnknownUserAndUserWithoutSecretsFailTheSameWay() {
        for (String user : new String[] {"user", "nobody", "crypt", "sha1"}) {
            SaslServer server = server();
            String clientFirstBare = "n=" + user + ",r=rOprNGfwEbeRWgbNEkqO";
            String serverFirst = text(server.start(Optional.of(bytes("n,," + clientFirstBare))));
            String clientFinal = ScramClient.clientFinal("SHA-256", user.equals("user") ? "pencil!" : "secret",
                    clientFirstBare, serverFirst, "biws");
            assertFailure(server.evaluate(bytes(clientFinal)), Reason.BAD_CREDENTIALS);
        }
    }

    @Test
    void unknownUsersGetAStableSaltThatDependsOnTheName() {
        String first = text(server().start(Optional.of(bytes("n,,n=nobody,r=x"))));
        String again = text(server().start(Optional.of(bytes("n,,n=nobody,r=x"))));
        String other = text(server().start(Optional.of(bytes("n,,n=somebody,r=x"))));
        assertEquals(first, again);
        assertNotEquals(first.substring(first.indexOf(",s=")), other.substring(other.indexOf(",s=")));
        assertTrue(first.endsWith(",i=4096"));
        // A real account with a plaintext password looks the same: stable salt.
        String plain = text(server().start(Optional.of(bytes("n,,n=plain,r=x"))));
        assertEquals(plain, text(server().start(Optional.of(bytes("n,,n=plain,r=x")))));
    }

    @Test
    void clientSupportingChannelBindingWithYFlag() {
        SaslServer server = server();
        String serverFirst = text(server.start(Optional.of(bytes("y,,n=user,r=rOprNGfwEbeRWgbNEkqO"))));
        String clientFinal = ScramClient.clientFinal("SHA-256", "pencil", "n=user,r=rOprNGfwEbeRWgbNEkqO",
                serverFirst, Base64.getEncoder().encodeToString(bytes("y,,")));
        assertEquals(SERVER_FINAL.length(), text(server.evaluate(bytes(clientFinal))).length());
    }

    @Test
    void channelBindingMustRepeatTheGs2Header() {
        SaslServer server = server();
        String serverFirst = text(server.start(Optional.of(bytes(CLIENT_FIRST))));
        String clientFinal = ScramClient.clientFinal("SHA-256", "pencil", CLIENT_FIRST.substring(3), serverFirst,
                Base64.getEncoder().encodeToString(bytes("y,,")));
        assertFailure(server.evaluate(bytes(clientFinal)), Reason.MALFORMED);
    }

    @Test
    void nonceMustBeTheCombinedOne() {
        SaslServer server = server();
        server.start(Optional.of(bytes(CLIENT_FIRST)));
        assertFailure(server.evaluate(bytes(CLIENT_FINAL.replace("hNlF$k0", "hNlF$k1"))), Reason.MALFORMED);
    }

    @Test
    void authorizationIdentity() {
        // a=user: the user itself
        SaslServer self = server();
        String header = "n,a=user,";
        String serverFirst = text(self.start(Optional.of(bytes(header + "n=user,r=rOprNGfwEbeRWgbNEkqO"))));
        String clientFinal = ScramClient.clientFinal("SHA-256", "pencil", "n=user,r=rOprNGfwEbeRWgbNEkqO",
                serverFirst, Base64.getEncoder().encodeToString(bytes(header)));
        text(self.evaluate(bytes(clientFinal)));
        assertSuccess(self.evaluate(new byte[0]), "user");

        // a=plain: proxying, refused by default
        SaslServer proxy = server();
        String proxyHeader = "n,a=plain,";
        serverFirst = text(proxy.start(Optional.of(bytes(proxyHeader + "n=user,r=rOprNGfwEbeRWgbNEkqO"))));
        clientFinal = ScramClient.clientFinal("SHA-256", "pencil", "n=user,r=rOprNGfwEbeRWgbNEkqO", serverFirst,
                Base64.getEncoder().encodeToString(bytes(proxyHeader)));
        assertFailure(proxy.evaluate(bytes(clientFinal)), Reason.BAD_CREDENTIALS);
    }

    @Test
    void saslNamesAreDecoded() {
        TestUsers odd = new TestUsers().user("a,b=c", "{PLAIN}pencil");
        SaslServer server = sha256().newServer(SaslContext.of(odd, "x"));
        String bare = "n=a=2Cb=3Dc,r=nonce";
        String serverFirst = text(server.start(Optional.of(bytes("n,," + bare))));
        String clientFinal = ScramClient.clientFinal("SHA-256", "pencil", bare, serverFirst, "biws");
        text(server.evaluate(bytes(clientFinal)));
        assertSuccess(server.evaluate(new byte[0]), "a,b=c");
    }

    @Test
    void malformedClientFirstMessages() {
        for (String message : new String[] {"p=tls-unique,,n=user,r=abc", "x,,n=user,r=abc", "n,", "n,,",
            "n,b=x,n=user,r=abc", "n,,m=ext,n=user,r=abc", "n,,n=user", "n,,r=abc,n=user", "n,,n=,r=abc",
            "n,,n=us=er,r=abc", "n,,n=user,r=", "n,,n=user,r=a,b", "n,,n=user,r=abc,1=x", "n,,n=u\u0001,r=abc",
            "n,a=x=y,n=user,r=abc"}) {
            assertFailure(server().start(Optional.of(bytes(message))), Reason.MALFORMED);
        }
        assertEquals(0, users.lookups.size(), "nothing malformed reaches the database");
    }

    @Test
    void malformedClientFinalMessages() {
        for (String message : new String[] {"c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0",
            "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=",
            "c=bi!s,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=",
            "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapW",
            "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=***"}) {
            SaslServer server = server();
            server.start(Optional.of(bytes(CLIENT_FIRST)));
            assertFailure(server.evaluate(bytes(message)), Reason.MALFORMED);
        }
    }

    @Test
    void nonEmptyAnswerToTheFinalChallengeIsMalformed() {
        SaslServer server = server();
        server.start(Optional.of(bytes(CLIENT_FIRST)));
        server.evaluate(bytes(CLIENT_FINAL));
        assertFailure(server.evaluate(bytes("x")), Reason.MALFORMED);
        assertComplete(server);
    }

    @Test
    void cancelAfterTheServerFirstMessage() {
        SaslServer server = server();
        server.start(Optional.of(bytes(CLIENT_FIRST)));
        assertEquals(Reason.CANCELLED, server.abort(Reason.CANCELLED).reason());
        assertThrows(IllegalStateException.class, () -> server.evaluate(bytes(CLIENT_FINAL)));
    }

    @Test
    void tooLongClientFinalIsMalformed() {
        context = context.withMaxResponseLength(CLIENT_FINAL.length() - 1);
        SaslServer server = server();
        server.start(Optional.of(bytes(CLIENT_FIRST)));
        assertFailure(server.evaluate(bytes(CLIENT_FINAL)), Reason.MALFORMED);
    }

    @Test
    void databaseExceptionIsATemporaryFailure() {
        users.failWith(new IllegalStateException("down"));
        assertFailure(server().start(Optional.of(bytes(CLIENT_FIRST))), Reason.TEMPORARY_FAILURE);
    }

    @Test
    void unsupportedHashOrBadSettingsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new ScramMechanism("MD4", () -> "n", FAKE_SALT_KEY, 1));
        assertThrows(IllegalArgumentException.class, () -> new ScramMechanism("SHA-256", () -> "n", new byte[0], 1));
        assertThrows(IllegalArgumentException.class, () -> new ScramMechanism("SHA-256", () -> "n", FAKE_SALT_KEY, 0));
    }

    /** The client side of RFC 5802 §3, written from the RFC for these tests. */
    static final class ScramClient {
        private ScramClient() {
        }

        static String clientFinal(String hash, String password, String clientFirstBare, String serverFirst,
                String channelBinding) {
            String withoutProof = "c=" + channelBinding + "," + serverFirst.substring(0, serverFirst.indexOf(','));
            byte[] salted = salted(hash, password, serverFirst);
            byte[] clientKey = hmac(hash, salted, bytes("Client Key"));
            byte[] storedKey = digest(hash, clientKey);
            byte[] signature = hmac(hash, storedKey, bytes(clientFirstBare + "," + serverFirst + "," + withoutProof));
            byte[] proof = clientKey.clone();
            for (int i = 0; i < proof.length; i++) {
                proof[i] ^= signature[i];
            }
            return withoutProof + ",p=" + Base64.getEncoder().encodeToString(proof);
        }

        static String serverFinal(String hash, String password, String clientFirstBare, String serverFirst,
                String clientFinal) {
            byte[] serverKey = hmac(hash, salted(hash, password, serverFirst), bytes("Server Key"));
            String withoutProof = clientFinal.substring(0, clientFinal.lastIndexOf(",p="));
            return "v=" + Base64.getEncoder().encodeToString(
                    hmac(hash, serverKey, bytes(clientFirstBare + "," + serverFirst + "," + withoutProof)));
        }

        private static byte[] salted(String hash, String password, String serverFirst) {
            String[] attributes = serverFirst.split(",");
            byte[] salt = Base64.getDecoder().decode(attributes[1].substring(2));
            int iterations = Integer.parseInt(attributes[2].substring(2));
            try {
                SecretKeyFactory factory = SecretKeyFactory.getInstance("PBKDF2WithHmac" + hash.replace("-", ""));
                return factory.generateSecret(new PBEKeySpec(password.toCharArray(), salt, iterations,
                        MessageDigest.getInstance(hash).getDigestLength() * 8)).getEncoded();
            } catch (GeneralSecurityException e) {
                throw new AssertionError(e);
            }
        }

        private static byte[] hmac(String hash, byte[] key, byte[] data) {
            try {
                String name = "Hmac" + hash.replace("-", "");
                Mac mac = Mac.getInstance(name);
                mac.init(new SecretKeySpec(key, name));
                return mac.doFinal(data);
            } catch (GeneralSecurityException e) {
                throw new AssertionError(e);
            }
        }

        private static byte[] digest(String hash, byte[] data) {
            try {
                return MessageDigest.getInstance(hash).digest(data);
            } catch (GeneralSecurityException e) {
                throw new AssertionError(e);
            }
        }
    }

    @Test
    void serverFinalOfTheTestClientMatchesTheRfc() {
        assertArrayEquals(bytes(SERVER_FINAL), bytes(ScramClient.serverFinal("SHA-256", "pencil",
                CLIENT_FIRST.substring(3), SERVER_FIRST, CLIENT_FINAL)));
    }
}
