package dev.yubin.pop3.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.yubin.auth.FailureDelay;
import dev.yubin.auth.InMemoryUserDatabase;
import dev.yubin.auth.UserDatabase;
import dev.yubin.auth.password.PasswordHasher;
import dev.yubin.auth.sasl.CramMd5Mechanism;
import dev.yubin.auth.sasl.LoginMechanism;
import dev.yubin.auth.sasl.PlainMechanism;
import dev.yubin.auth.sasl.SaslContext;
import dev.yubin.core.net.ConnectionInfo;
import dev.yubin.core.net.Limits;
import dev.yubin.core.store.StoreException;
import dev.yubin.core.user.MailUser;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class Pop3SessionTest {
    private static final String MESSAGE_1 = "From: kato@example1.jp\nSubject: hello\n\nHi Abe.\n";
    private static final String MESSAGE_2 = "From: sato@example1.jp\nSubject: dots\n\n.leading dot\n..two\nend\n";

    private final UserDatabase users = InMemoryUserDatabase.builder()
            .user("abe", "{PLAIN}password")
            .user("kato", PasswordHasher.hash("SHA512-CRYPT", "secret".getBytes(StandardCharsets.UTF_8)))
            .user("nobox", "{PLAIN}password")
            .build();
    private final MaildropLocator locator = login -> login.equals("nobox") ? Optional.empty()
            : Optional.of(new MailUser(login, "/mail/" + login));
    private final MaildropLock lock = new MaildropLock();
    private final RecordingDelay delay = new RecordingDelay();
    private MemoryStore store;
    private String uid1;
    private String uid2;

    /** Records failures and successes; delays each failure by one second. */
    static final class RecordingDelay implements FailureDelay {
        final List<String> events = new ArrayList<>();

        @Override
        public Duration failure(InetAddress client) {
            events.add("failed " + client.getHostAddress());
            return Duration.ofSeconds(1);
        }

        @Override
        public void success(InetAddress client) {
            events.add("succeeded " + client.getHostAddress());
        }
    }

    @BeforeEach
    void fill() {
        store = new MemoryStore();
        uid1 = store.add("/mail/abe", MESSAGE_1);
        uid2 = store.add("/mail/abe", MESSAGE_2);
    }

    private Pop3Auth.Builder authBuilder() {
        return Pop3Auth.builder()
                .context(SaslContext.of(users, "pop.example1.jp"))
                .mechanisms(new PlainMechanism(), new LoginMechanism(), new CramMd5Mechanism())
                .failureDelay(delay);
    }

    private Pop3Config config(Pop3Auth auth) {
        return new Pop3Config("pop.example1.jp", Pop3Config.DEFAULT_BANNER, Limits.defaults().withMaxErrors(5), auth,
                true);
    }

    /** The textbook classroom setting: plaintext allowed without TLS. */
    private Pop3Conversation classroom() {
        return Pop3Conversation.with(config(authBuilder().plaintextWithoutTls(true).build()), store, locator, lock,
                Pop3Conversation.plaintext());
    }

    private Pop3Conversation secure() {
        return Pop3Conversation.with(config(authBuilder().build()), store, locator, lock, Pop3Conversation.tls());
    }

    private Pop3Conversation plaintextDefault() {
        return Pop3Conversation.with(config(authBuilder().build()), store, locator, lock,
                Pop3Conversation.plaintext());
    }

    private Pop3Conversation loggedIn() {
        Pop3Conversation c = secure();
        c.send("USER abe").ok();
        c.send("PASS password").line("+OK Logged in.");
        return c;
    }

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    // ---- the textbook dialogue ---------------------------------------------------------------------------------

    @Test
    void textbookTelnetDialogueInLowerCase() {
        Pop3Conversation c = Pop3Conversation.with(config(authBuilder().plaintextWithoutTls(true).build()), store,
                locator, lock, Pop3Conversation.plaintext());
        c.send("user abe").wire("+OK\r\n");
        c.send("pass password").wire("+OK Logged in.\r\n");
        long size1 = MESSAGE_1.length() + 4;
        long size2 = MESSAGE_2.length() + 6;
        c.send("list").wire("+OK 2 messages:\r\n1 " + size1 + "\r\n2 " + size2
                + "\r\n.\r\n");
        c.send("retr 1").wire("+OK " + size1 + " octets\r\n"
                + "From: kato@example1.jp\r\nSubject: hello\r\n\r\nHi Abe.\r\n.\r\n");
        c.send("quit").wire("+OK Logging out.\r\n").next(Next.CLOSE);
        c.disconnect();
        assertEquals(2, store.count("/mail/abe"));
        assertFalse(lock.isLocked(new MailUser("abe", "/mail/abe")));
    }

    @Test
    void greetingHasNoTimestampWithoutApop() {
        Pop3Conversation c = plaintextDefault();
        assertEquals("+OK Yubin ready.\r\n", c.greet().wire());
        assertEquals("", c.session().apopTimestamp());
    }

    // ---- USER / PASS ---------------------------------------------------------------------------------------------

    @Test
    void userBeforeTlsIsRefusedAsDovecotDoes() {
        Pop3Conversation c = plaintextDefault();
        c.send("USER abe").wire("-ERR [AUTH] Plaintext authentication disallowed on non-secure (SSL/TLS)"
                + " connections.\r\n");
        c.send("PASS password").line("-ERR No username given.");
    }

    @Test
    void userAndPassOverTls() {
        Pop3Conversation c = secure();
        c.send("USER abe").line("+OK");
        c.send("PASS password").line("+OK Logged in.");
        assertEquals(Optional.of("abe"), c.session().connection().authenticatedUser());
        assertEquals(List.of("succeeded 127.0.0.1"), delay.events);
        assertTrue(store.events.contains("open /mail/abe"));
    }

    @Test
    void passWithoutUserIsRefused() {
        secure().send("PASS password").line("-ERR No username given.");
    }

    @Test
    void wrongPasswordIsDelayedAndTheThirdFailureCloses() {
        Pop3Conversation c = secure();
        c.send("USER abe").ok();
        c.send("PASS wrong").line("-ERR [AUTH] Authentication failed.").delayed(Duration.ofSeconds(1))
                .next(Next.READ_COMMAND);
        c.send("USER abe").ok();
        c.send("PASS wrong").err();
        c.send("USER abe").ok();
        c.send("PASS wrong").line("-ERR [AUTH] Authentication failed.").delayed(Duration.ofSeconds(1))
                .next(Next.CLOSE);
        assertEquals(List.of("failed 127.0.0.1", "failed 127.0.0.1", "failed 127.0.0.1"), delay.events);
    }

    @Test
    void unknownUserFailsLikeAWrongPassword() {
        Pop3Conversation c = secure();
        c.send("USER nosuchuser").line("+OK");
        c.send("PASS password").line("-ERR [AUTH] Authentication failed.").delayed(Duration.ofSeconds(1));
    }

    @Test
    void hashedPasswordsWorkWithUserPass() {
        Pop3Conversation c = secure();
        c.send("USER kato").ok();
        c.send("PASS secret").line("+OK Logged in.");
        c.send("STAT").line("+OK 0 0");
    }

    @Test
    void passwordMayContainSpaces() {
        UserDatabase spaced = InMemoryUserDatabase.builder().user("abe", "{PLAIN}pass word ").build();
        Pop3Auth auth = Pop3Auth.builder().context(SaslContext.of(spaced, "pop.example1.jp")).build();
        Pop3Conversation c = Pop3Conversation.with(config(auth), store, locator, lock, Pop3Conversation.tls());
        c.send("USER abe").ok();
        c.send("PASS pass word ").line("+OK Logged in.");
    }

    // ---- APOP ------------------------------------------------------------------------------------------------------

    private Pop3Conversation apop() {
        return Pop3Conversation.with(config(authBuilder().apop(true).build()), store, locator, lock,
                Pop3Conversation.plaintext());
    }

    private static String digest(String timestamp, String secret) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("MD5")
                .digest((timestamp + secret).getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void apopGreetingCarriesATimestampBanner() {
        Pop3Conversation c = apop();
        String timestamp = c.session().apopTimestamp();
        assertTrue(timestamp.matches("<\\d+\\.\\d+@pop\\.example1\\.jp>"), timestamp);
        assertEquals("+OK Yubin ready. " + timestamp + "\r\n", c.greet().wire());
        Pop3Conversation other = apop();
        assertFalse(timestamp.equals(other.session().apopTimestamp()), "timestamps must differ per connection");
    }

    @Test
    void apopWithTheRightDigestLogsInEvenWithoutTls() throws Exception {
        Pop3Conversation c = apop();
        c.send("APOP abe " + digest(c.session().apopTimestamp(), "password")).line("+OK Logged in.");
        c.send("STAT").line("+OK 2 " + (MESSAGE_1.length() + 4 + MESSAGE_2.length() + 6));
    }

    @Test
    void apopWithAWrongDigestOrAHashedPasswordFails() throws Exception {
        Pop3Conversation c = apop();
        c.send("APOP abe " + digest(c.session().apopTimestamp(), "wrong")).line("-ERR [AUTH] Authentication failed.")
                .delayed(Duration.ofSeconds(1));
        c.send("APOP kato " + digest(c.session().apopTimestamp(), "secret"))
                .line("-ERR [AUTH] Authentication failed.");
    }

    @Test
    void apopIsRefusedWhenNotEnabled() throws Exception {
        Pop3Conversation c = secure();
        c.send("APOP abe " + digest("<1.2@x>", "password")).line("-ERR APOP is not enabled.");
    }

    // ---- AUTH ------------------------------------------------------------------------------------------------------

    @Test
    void authPlainWithInitialResponse() {
        Pop3Conversation c = secure();
        c.send("AUTH PLAIN " + base64("\0abe\0password")).line("+OK Logged in.");
    }

    @Test
    void authPlainWithAnEmptyContinuation() {
        Pop3Conversation c = secure();
        c.send("AUTH PLAIN").wire("+ \r\n");
        c.send(base64("\0abe\0password")).line("+OK Logged in.");
    }

    @Test
    void authLoginAsksForUsernameAndPassword() {
        Pop3Conversation c = secure();
        c.send("AUTH LOGIN").wire("+ " + base64("Username:") + "\r\n");
        c.send(base64("abe")).wire("+ " + base64("Password:") + "\r\n");
        c.send(base64("password")).line("+OK Logged in.");
    }

    @Test
    void authCramMd5WorksBeforeTls() throws Exception {
        Pop3Conversation c = plaintextDefault();
        Pop3Conversation.Exchange challenge = c.send("AUTH CRAM-MD5").continuation();
        String nonce = new String(Base64.getDecoder().decode(challenge.reply().text()), StandardCharsets.UTF_8);
        javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacMD5");
        mac.init(new javax.crypto.spec.SecretKeySpec("password".getBytes(StandardCharsets.UTF_8), "HmacMD5"));
        String response = "abe " + HexFormat.of().formatHex(mac.doFinal(nonce.getBytes(StandardCharsets.UTF_8)));
        c.send(base64(response)).line("+OK Logged in.");
    }

    @Test
    void authWithWrongPasswordFailsWithAuthCode() {
        Pop3Conversation c = secure();
        c.send("AUTH PLAIN " + base64("\0abe\0nope")).line("-ERR [AUTH] Authentication failed.")
                .delayed(Duration.ofSeconds(1));
    }

    @Test
    void authCancelledWithStar() {
        Pop3Conversation c = secure();
        c.send("AUTH PLAIN").continuation();
        c.send("*").line("-ERR Authentication aborted by client.");
        c.send("USER abe").ok(); // back to commands
    }

    @Test
    void authResponseThatIsNotBase64() {
        Pop3Conversation c = secure();
        c.send("AUTH PLAIN").continuation();
        c.send("not base64!").line("-ERR Invalid base64 data in continued response.");
        c.send("NOOP").line("-ERR Unknown command or not logged in.");
    }

    @Test
    void bareAuthListsTheMechanismsUsableNow() {
        secure().send("AUTH").wire("+OK\r\nPLAIN\r\nLOGIN\r\nCRAM-MD5\r\n.\r\n");
        plaintextDefault().send("AUTH").wire("+OK\r\nCRAM-MD5\r\n.\r\n");
    }

    @Test
    void authPlainBeforeTlsIsRefused() {
        plaintextDefault().send("AUTH PLAIN " + base64("\0abe\0password"))
                .line("-ERR [AUTH] Plaintext authentication disallowed on non-secure (SSL/TLS) connections.");
    }

    @Test
    void authWithAnUnknownMechanism() {
        secure().send("AUTH GSSAPI").line("-ERR Unsupported authentication mechanism.");
    }

    // ---- CAPA ------------------------------------------------------------------------------------------------------

    @Test
    void capaBeforeTlsOffersStlsButNotUser() {
        plaintextDefault().send("CAPA").wire("+OK Capability list follows\r\nCAPA\r\nTOP\r\nUIDL\r\nRESP-CODES\r\n"
                + "PIPELINING\r\nAUTH-RESP-CODE\r\nSASL CRAM-MD5\r\nSTLS\r\nIMPLEMENTATION Yubin\r\n.\r\n");
    }

    @Test
    void capaOverTlsOffersUserAndEveryMechanism() {
        secure().send("capa").wire("+OK Capability list follows\r\nCAPA\r\nTOP\r\nUIDL\r\nRESP-CODES\r\n"
                + "PIPELINING\r\nAUTH-RESP-CODE\r\nUSER\r\nSASL PLAIN LOGIN CRAM-MD5\r\nIMPLEMENTATION Yubin\r\n.\r\n");
    }

    @Test
    void capaAfterLoginListsTransactionCapabilities() {
        loggedIn().send("CAPA").wire("+OK Capability list follows\r\nCAPA\r\nTOP\r\nUIDL\r\nRESP-CODES\r\n"
                + "PIPELINING\r\nAUTH-RESP-CODE\r\nIMPLEMENTATION Yubin\r\n.\r\n");
    }

    // ---- STLS ------------------------------------------------------------------------------------------------------

    @Test
    void stlsStartsTlsAndForgetsThePlaintextUser() {
        Pop3Conversation c = Pop3Conversation.with(config(authBuilder().plaintextWithoutTls(true).build()), store,
                locator, lock, Pop3Conversation.plaintext());
        c.send("USER abe").ok();
        c.send("STLS").line("+OK Begin TLS negotiation now.").next(Next.START_TLS);
        c.session().onTlsEstablished("TLSv1.3", "TLS_AES_128_GCM_SHA256");
        c.send("PASS password").line("-ERR No username given.");
        c.send("STLS").line("-ERR TLS is already active.");
        c.send("CAPA").ok();
        assertFalse(c.send("CAPA").wire().contains("STLS"));
    }

    @Test
    void stlsWithoutTlsConfigured() {
        Pop3Config noTls = new Pop3Config("pop.example1.jp", "Yubin ready.", Limits.defaults(), authBuilder().build(),
                false);
        Pop3Conversation c = Pop3Conversation.with(noTls, store, locator, lock, Pop3Conversation.plaintext());
        c.send("STLS").line("-ERR TLS support isn't enabled.");
        assertFalse(c.send("CAPA").wire().contains("STLS"));
    }

    @Test
    void stlsAfterLoginIsRefused() {
        loggedIn().send("STLS").line("-ERR Already logged in.");
    }

    // ---- TRANSACTION -----------------------------------------------------------------------------------------------

    @Test
    void statListAndUidlCountCrlfOctets() {
        Pop3Conversation c = loggedIn();
        long size1 = MESSAGE_1.length() + 4;
        long size2 = MESSAGE_2.length() + 6;
        c.send("STAT").line("+OK 2 " + (size1 + size2));
        c.send("LIST 2").line("+OK 2 " + size2);
        c.send("UIDL").wire("+OK\r\n1 " + uid1 + "\r\n2 " + uid2 + "\r\n.\r\n");
        c.send("UIDL 1").line("+OK 1 " + uid1);
    }

    @Test
    void retrSendsExactlyTheAnnouncedOctetsPlusStuffing() {
        Pop3Conversation c = loggedIn();
        String wire = c.send("RETR 2").ok().wire();
        String status = "+OK " + (MESSAGE_2.length() + 6) + " octets\r\n";
        String body = "From: sato@example1.jp\r\nSubject: dots\r\n\r\n..leading dot\r\n...two\r\nend\r\n";
        assertEquals(status + body + ".\r\n", wire);
        assertEquals(MESSAGE_2.length() + 6 + 2, body.length()); // two stuffed dots
    }

    @Test
    void topSendsTheHeaderAndNLines() {
        Pop3Conversation c = loggedIn();
        c.send("TOP 2 0").wire("+OK\r\nFrom: sato@example1.jp\r\nSubject: dots\r\n\r\n.\r\n");
        c.send("top 2 1").wire("+OK\r\nFrom: sato@example1.jp\r\nSubject: dots\r\n\r\n..leading dot\r\n.\r\n");
    }

    @Test
    void deletedMessagesAreHiddenUntilRset() {
        Pop3Conversation c = loggedIn();
        long size1 = MESSAGE_1.length() + 4;
        long size2 = MESSAGE_2.length() + 6;
        c.send("DELE 1").line("+OK message 1 deleted");
        c.send("DELE 1").line("-ERR message 1 already deleted");
        c.send("STAT").line("+OK 1 " + size2);
        c.send("LIST").wire("+OK 1 messages:\r\n2 " + size2 + "\r\n.\r\n");
        c.send("LIST 1").line("-ERR message 1 already deleted");
        c.send("UIDL").wire("+OK\r\n2 " + uid2 + "\r\n.\r\n");
        c.send("UIDL 1").line("-ERR message 1 already deleted");
        c.send("RETR 1").line("-ERR message 1 already deleted");
        c.send("TOP 1 0").line("-ERR message 1 already deleted");
        c.send("RSET").line("+OK maildrop has 2 messages (" + (size1 + size2) + " octets)");
        c.send("STAT").line("+OK 2 " + (size1 + size2));
    }

    @Test
    void messageNumbersOutOfRange() {
        Pop3Conversation c = loggedIn();
        c.send("RETR 3").line("-ERR no such message, only 2 messages in maildrop");
        c.send("LIST 99").line("-ERR no such message, only 2 messages in maildrop");
        c.send("DELE 3").err();
        c.send("RETR 0").line("-ERR Invalid message number: 0");
        c.send("TOP 1").line("-ERR Syntax: TOP <message> <lines>");
    }

    @Test
    void noopAnswersOk() {
        loggedIn().send("NOOP").wire("+OK\r\n");
    }

    @Test
    void transactionCommandsBeforeLoginAreRefused() {
        Pop3Conversation c = secure();
        for (String command : List.of("STAT", "LIST", "RETR 1", "NOOP")) {
            c.send(command).line("-ERR Unknown command or not logged in.");
        }
    }

    @Test
    void loginCommandsAfterLoginAreRefused() {
        Pop3Conversation c = loggedIn();
        c.send("USER abe").line("-ERR Already logged in.");
        c.send("AUTH PLAIN").line("-ERR Already logged in.");
    }

    @Test
    void messageRemovedMeanwhileIsGone() {
        Pop3Conversation c = loggedIn();
        store.boxes.get("/mail/abe").remove(uid1);
        c.send("RETR 1").line("-ERR message 1 is gone");
    }

    @Test
    void unreadableStoreIsSysTemp() {
        Pop3Conversation c = loggedIn();
        store.failOpen = new StoreException("EIO", true, null);
        c.send("RETR 1").line("-ERR [SYS/TEMP] Mailbox is temporarily unavailable.");
    }

    // ---- UPDATE ----------------------------------------------------------------------------------------------------

    @Test
    void quitAppliesDeletionsInUpdate() {
        Pop3Conversation c = loggedIn();
        c.send("DELE 1").ok();
        c.send("QUIT").line("+OK Logging out, messages deleted.").next(Next.CLOSE);
        assertEquals(1, store.count("/mail/abe"));
        assertTrue(store.events.contains("delete " + uid1));
        c.disconnect();
        assertFalse(lock.isLocked(new MailUser("abe", "/mail/abe")));
    }

    @Test
    void aDroppedConnectionDeletesNothing() {
        Pop3Conversation c = loggedIn();
        c.send("DELE 1").ok();
        c.send("DELE 2").ok();
        c.disconnect();
        assertEquals(2, store.count("/mail/abe"));
        assertTrue(store.events.contains("close /mail/abe"));
        assertFalse(lock.isLocked(new MailUser("abe", "/mail/abe")));
    }

    @Test
    void aTimeoutDeletesNothing() {
        Pop3Conversation c = loggedIn();
        c.send("DELE 1").ok();
        c.timeout().line("-ERR Disconnected for inactivity.").next(Next.CLOSE);
        c.disconnect();
        assertEquals(2, store.count("/mail/abe"));
    }

    @Test
    void shutdownDeletesNothing() {
        Pop3Conversation c = loggedIn();
        c.send("DELE 1").ok();
        c.shutdown().line("-ERR [SYS/TEMP] Server shutting down.").next(Next.CLOSE);
        assertEquals(2, store.count("/mail/abe"));
    }

    @Test
    void aFailedUpdateIsSysTemp() {
        Pop3Conversation c = loggedIn();
        c.send("DELE 1").ok();
        store.failDelete = new StoreException("disk full", true, null);
        c.send("QUIT").line("-ERR [SYS/TEMP] Some deleted messages were not removed; they are kept for the next"
                + " session.").next(Next.CLOSE);
        assertEquals(2, store.count("/mail/abe"));
        c.disconnect();
        assertFalse(lock.isLocked(new MailUser("abe", "/mail/abe")));
    }

    @Test
    void quitWithoutLogin() {
        secure().send("QUIT").line("+OK Logging out.").next(Next.CLOSE);
    }

    @Test
    void afterCloseEverythingCloses() {
        Pop3Conversation c = loggedIn();
        c.send("QUIT").next(Next.CLOSE);
        assertTrue(c.send("STAT").step().reply().isEmpty());
        assertEquals(Next.CLOSE, c.send("STAT").step().next());
    }

    // ---- the lock and the mailbox ----------------------------------------------------------------------------------

    @Test
    void aSecondSessionOfTheSameUserGetsInUse() {
        Pop3Conversation first = loggedIn();
        Pop3Conversation second = secure();
        second.send("USER abe").ok();
        second.send("PASS password").line("-ERR [IN-USE] Mailbox is locked by another POP3 session")
                .next(Next.READ_COMMAND);
        first.send("QUIT").ok();
        first.disconnect();
        second.send("USER abe").ok();
        second.send("PASS password").line("+OK Logged in.");
    }

    @Test
    void differentUsersDoNotBlockEachOther() {
        loggedIn();
        Pop3Conversation kato = secure();
        kato.send("USER kato").ok();
        kato.send("PASS secret").line("+OK Logged in.");
    }

    @Test
    void aLoginWithoutMailboxIsSysPerm() {
        Pop3Conversation c = secure();
        c.send("USER nobox").ok();
        c.send("PASS password").line("-ERR [SYS/PERM] No mailbox for this user.");
    }

    @Test
    void aStoreThatCannotOpenIsSysTempAndReleasesTheLock() {
        store.failOpenMaildrop = new StoreException("EIO", true, null);
        Pop3Conversation c = secure();
        c.send("USER abe").ok();
        c.send("PASS password").line("-ERR [SYS/TEMP] Mailbox is temporarily unavailable.");
        assertFalse(lock.isLocked(new MailUser("abe", "/mail/abe")));
    }

    @Test
    void aFailingLocatorIsSysTemp() {
        MaildropLocator broken = login -> {
            throw new IllegalStateException("directory down");
        };
        Pop3Conversation c = Pop3Conversation.with(config(authBuilder().build()), store, broken, lock,
                Pop3Conversation.tls());
        c.send("USER abe").ok();
        c.send("PASS password").line("-ERR [SYS/TEMP] Mailbox is temporarily unavailable.");
    }

    // ---- bad input -------------------------------------------------------------------------------------------------

    @Test
    void unknownCommandsAndTooLongLines() {
        Pop3Conversation c = secure();
        c.send("XYZZY").line("-ERR Unknown command.");
        c.sendTooLong().line("-ERR Input line too long.");
        c.send("RETR x").line("-ERR Invalid message number: x");
    }

    @Test
    void tooManyBadCommandsClose() {
        Pop3Conversation c = secure();
        for (int i = 0; i < 4; i++) {
            c.send("XYZZY").line("-ERR Unknown command.").next(Next.READ_COMMAND);
        }
        c.send("XYZZY").line("-ERR Too many bad commands.").next(Next.CLOSE);
    }

    @Test
    void theLocatorOfAUserDirectoryMapsBareLoginsToTheDefaultDomain() {
        dev.yubin.core.user.UserDirectory directory = address -> address.toString().equals("abe@example1.jp")
                ? Optional.of(new MailUser("abe", "/mail/abe")) : Optional.empty();
        MaildropLocator of = MaildropLocator.of(directory, dev.yubin.core.address.Domain.of("example1.jp"));
        assertEquals(Optional.of(new MailUser("abe", "/mail/abe")), of.locate("abe"));
        assertEquals(Optional.of(new MailUser("abe", "/mail/abe")), of.locate("abe@example1.jp"));
        assertEquals(Optional.empty(), of.locate("kato"));
        assertEquals(Optional.empty(), of.locate("not an address@@"));
    }

    @Test
    void logLinesAreDovecots() {
        String log = capturingStderr(() -> {
            Pop3Conversation c = loggedIn();
            c.send("RETR 1").ok();
            c.send("TOP 2 0").ok();
            c.send("DELE 1").ok();
            c.send("QUIT").ok();
            c.disconnect();
            Pop3Conversation failed = secure();
            failed.send("AUTH PLAIN " + base64("\0kato\0wrong")).err();
            failed.disconnect();
            plaintextDefault().disconnect();
        });
        long size1 = MESSAGE_1.length() + 4;
        long size2 = MESSAGE_2.length() + 6;
        long top = "From: sato@example1.jp\r\nSubject: dots\r\n\r\n".length();
        assertTrue(log.contains("pop3-login: Login: user=<abe>, method=PLAIN, rip=127.0.0.1, lip=127.0.0.1, TLS"),
                log);
        assertTrue(log.contains("pop3(abe): Disconnected: Logged out top=1/" + top + ", retr=1/" + size1
                + ", del=1/2, size=" + (size1 + size2)), log);
        assertTrue(log.matches("(?s).*pop3-login: Disconnected \\(auth failed, 1 attempts in \\d+ secs\\): "
                + "user=<kato>, method=PLAIN, rip=127.0.0.1, lip=127.0.0.1, TLS.*"), log);
        assertTrue(log.matches("(?s).*pop3-login: Disconnected \\(no auth attempts in \\d+ secs\\): user=<>, "
                + "rip=127.0.0.1, lip=127.0.0.1\n.*"), log);
        assertFalse(log.contains("wrong"), "no password in the log");
    }

    private static String capturingStderr(Runnable body) {
        java.io.PrintStream old = System.err;
        java.io.ByteArrayOutputStream buffer = new java.io.ByteArrayOutputStream();
        System.setErr(new java.io.PrintStream(buffer, true, StandardCharsets.UTF_8));
        try {
            body.run();
        } finally {
            System.setErr(old);
        }
        return buffer.toString(StandardCharsets.UTF_8);
    }

    @Test
    void connectionInfoIsKeptForTheLog() {
        ConnectionInfo info = loggedIn().session().connection();
        assertTrue(info.isTls());
        assertEquals("127.0.0.1", info.remoteIp());
    }
}
