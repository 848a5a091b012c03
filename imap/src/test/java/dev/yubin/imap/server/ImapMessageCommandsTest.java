package dev.yubin.imap.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.yubin.auth.InMemoryUserDatabase;
import dev.yubin.auth.UserDatabase;
import dev.yubin.auth.sasl.SaslContext;
import dev.yubin.core.message.MessageContent;
import dev.yubin.core.user.MailUser;
import dev.yubin.delivery.maildir.MaildirStore;
import dev.yubin.imap.fetch.StructureCache;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The selected-state commands (RFC 3501 §6.4, UIDPLUS, MOVE, IDLE) and AUTHENTICATE, two sessions at a time. */
class ImapMessageCommandsTest {
    private final UserDatabase users = InMemoryUserDatabase.builder().user("abe", "{PLAIN}password").build();

    @TempDir
    Path root;
    private MaildirStore store;
    private MailboxLocator locator;
    private Path spool;

    @BeforeEach
    void setUp() throws Exception {
        store = MaildirStore.builder().hostname("imap.example1.jp").mailRoot(root).fsync(false).build();
        locator = login -> Optional.of(new MailUser(login, root.resolve(login).toString()));
        spool = Files.createDirectories(root.resolve("spool"));
    }

    private ImapConfig config() {
        return ImapConfig.of("imap.example1.jp", SaslContext.of(users, "imap.example1.jp"));
    }

    private ImapConversation session() {
        ImapConversation c = ImapConversation.with(config(), store, locator, ImapConversation.tls(), spool);
        c.send("a login abe password").contains("a OK");
        return c;
    }

    private ImapConversation selected() {
        ImapConversation c = session();
        c.send("s select INBOX").contains("s OK [READ-WRITE]");
        return c;
    }

    private void deliver(int count) throws Exception {
        for (int i = 1; i <= count; i++) {
            String text = "From: kato@example1.jp\nSubject: message " + i + "\n\nBody " + i + ".\n";
            store.deliver(new MailUser("abe", root.resolve("abe").toString()),
                    MessageContent.ofBytes(text.getBytes(StandardCharsets.US_ASCII)));
        }
    }

    // ---- STORE ---------------------------------------------------------------------------------------------

    @Test
    void storeAnswersTheNewFlagsAndSilentDoesNot() throws Exception {
        deliver(3);
        ImapConversation c = selected();
        c.send("a store 1:2 +flags (\\Seen $Work)").wire(""
                + "* 1 FETCH (FLAGS (\\Seen $Work \\Recent))\r\n"
                + "* 2 FETCH (FLAGS (\\Seen $Work \\Recent))\r\n"
                + "a OK STORE completed.\r\n");
        c.send("b store 2 -flags.silent ($Work)").wire("b OK STORE completed.\r\n");
        c.send("c uid store 1:* flags (\\Flagged)").contains("* 3 FETCH (UID 3 FLAGS (\\Flagged \\Recent))\r\n")
                .tagged("c OK UID STORE completed.");
        c.send("d store 4 +flags (\\Seen)").tagged("d BAD Error in IMAP command STORE: Invalid messageset: 4 > 3.");
        c.send("e store 1 +flags (\\Recent)").tagged("e BAD Invalid flags in STORE.");
    }

    @Test
    void otherSessionsSeeFlagChangesAtCheckAndNoop() throws Exception {
        deliver(2);
        ImapConversation one = selected();
        ImapConversation two = selected();
        one.send("a store 1 +flags (\\Answered)").contains("* 1 FETCH (FLAGS (\\Answered");
        two.send("b check").wire("* 1 FETCH (FLAGS (\\Answered))\r\nb OK CHECK completed.\r\n");
        two.send("c noop").wire("c OK NOOP completed.\r\n");
    }

    @Test
    void examineRefusesStore() throws Exception {
        deliver(1);
        ImapConversation c = session();
        c.send("a examine INBOX").contains("[READ-ONLY]");
        c.send("b store 1 +flags (\\Seen)").wire("b NO [CANNOT] Mailbox is read-only.\r\n");
        c.send("c expunge").wire("c NO [CANNOT] Mailbox is read-only.\r\n");
    }

    // ---- EXPUNGE and sequence numbers ------------------------------------------------------------------------

    @Test
    void expungeAnnouncesHighestFirstAndRenumbers() throws Exception {
        deliver(5);
        ImapConversation c = selected();
        c.send("a store 2,4 +flags.silent (\\Deleted)");
        c.send("b expunge").wire("* 4 EXPUNGE\r\n* 2 EXPUNGE\r\nb OK EXPUNGE completed.\r\n");
        c.send("c uid store 5 +flags (\\Seen)").contains("* 3 FETCH (UID 5 FLAGS (\\Seen \\Recent))");
    }

    @Test
    void uidExpungeRemovesOnlyTheNamedDeletedMessages() throws Exception {
        deliver(3);
        ImapConversation c = selected();
        c.send("a store 1:3 +flags.silent (\\Deleted)");
        c.send("b uid expunge 2:3").wire("* 3 EXPUNGE\r\n* 2 EXPUNGE\r\nb OK UID EXPUNGE completed.\r\n");
        c.send("c expunge").wire("* 1 EXPUNGE\r\nc OK EXPUNGE completed.\r\n");
    }

    @Test
    void expungeElsewhereWaitsUntilAnExpungeMayBeSent() throws Exception {
        deliver(3);
        ImapConversation one = selected();
        ImapConversation two = selected();
        one.send("a store 1 +flags.silent (\\Deleted)");
        one.send("b expunge").contains("* 1 EXPUNGE");
        // RFC 3501 §7.4.1: not during FETCH, STORE or SEARCH; message 3 is still number 3 for session two
        two.send("c store 3 +flags (\\Flagged)").contains("* 3 FETCH (FLAGS (\\Flagged").lacks("EXPUNGE");
        two.send("d fetch 1 flags").lacks("EXPUNGE");
        two.send("e search all").contains("* SEARCH 1 2 3\r\n").lacks("EXPUNGE");
        two.send("f noop").wire("* 1 EXPUNGE\r\nf OK NOOP completed.\r\n");
        two.send("g fetch 2 (uid flags)").contains("* 2 FETCH (UID 3 FLAGS (\\Flagged");
    }

    @Test
    void fetchOfAMessageExpungedElsewhereSaysExpungeIssued() throws Exception {
        deliver(2);
        ImapConversation one = selected();
        ImapConversation two = selected();
        one.send("a store 1 +flags.silent (\\Deleted)");
        one.send("b expunge");
        two.send("c fetch 1:2 body.peek[]").contains("* 2 FETCH (BODY[] {")
                .tagged("c NO [EXPUNGEISSUED] Some of the requested messages no longer exist.");
    }

    @Test
    void aCachedEnvelopeIsStillAnsweredForAMessageExpungedElsewhere() throws Exception {
        deliver(2);
        StructureCache structures = new StructureCache(100);
        ImapConversation one = selected(structures);
        ImapConversation two = selected(structures);
        two.send("a fetch 1 envelope").contains("\"message 1\"");
        one.send("b store 1 +flags.silent (\\Deleted)");
        one.send("c expunge");
        two.send("d fetch 1 (envelope bodystructure)").contains("* 1 FETCH (ENVELOPE (").contains("\"message 1\"")
                .tagged("d OK FETCH completed.");
        two.send("e fetch 1 body.peek[text]")
                .tagged("e NO [EXPUNGEISSUED] Some of the requested messages no longer exist.");
    }

    @Test
    void headerSearchesUseTheSharedCacheAndBodySearchesStillReadTheBody() throws Exception {
        deliver(3);
        StructureCache structures = new StructureCache(100);
        ImapConversation one = selected(structures);
        one.send("a search subject \"message 2\"").contains("* SEARCH 2\r\n");
        ImapConversation two = selected(structures);
        two.send("b search or subject \"message 1\" from kato").contains("* SEARCH 1 2 3\r\n");
        two.send("c search subject \"message 3\"").contains("* SEARCH 3\r\n");
        two.send("d search body \"Body 2.\"").contains("* SEARCH 2\r\n");
        two.send("e search text \"Body 3.\"").contains("* SEARCH 3\r\n");
        two.send("f search header subject \"\" not body \"Body 1.\"").contains("* SEARCH 2 3\r\n");
    }

    private ImapConversation selected(StructureCache structures) {
        ImapConversation c = ImapConversation.with(config(), store, locator, ImapConversation.tls(), spool,
                structures);
        c.send("a login abe password").contains("a OK");
        c.send("s select INBOX").contains("s OK [READ-WRITE]");
        return c;
    }

    @Test
    void newMessagesAreAnnouncedWithExistsAndRecent() throws Exception {
        deliver(1);
        ImapConversation c = selected();
        deliver(2);
        c.send("a noop").wire("* 3 EXISTS\r\n* 3 RECENT\r\na OK NOOP completed.\r\n");
        c.send("b fetch 3 uid").wire("* 3 FETCH (UID 3)\r\nb OK FETCH completed.\r\n");
    }

    // ---- FETCH and SEARCH -------------------------------------------------------------------------------------

    @Test
    void fetchBodySetsSeenAndReportsTheFlags() throws Exception {
        deliver(1);
        ImapConversation c = selected();
        String body = "From: kato@example1.jp\r\nSubject: message 1\r\n\r\nBody 1.\r\n";
        c.send("a fetch 1 body[]").contains("BODY[] {" + body.length() + "}\r\n" + body)
                .contains("FLAGS (\\Seen \\Recent)").tagged("a OK FETCH completed.");
        c.send("b fetch 1 flags").wire("* 1 FETCH (FLAGS (\\Seen \\Recent))\r\nb OK FETCH completed.\r\n");
    }

    @Test
    void searchBySequenceAndUid() throws Exception {
        deliver(4);
        ImapConversation c = selected();
        c.send("a store 2 +flags.silent (\\Seen)");
        c.send("b search unseen").wire("* SEARCH 1 3 4\r\nb OK SEARCH completed.\r\n");
        c.send("c uid search subject \"message 3\"").wire("* SEARCH 3\r\nc OK UID SEARCH completed.\r\n");
        c.send("d search charset KOI8-R all").tagged("d NO [BADCHARSET (UTF-8 US-ASCII)] Unsupported charset KOI8-R.");
    }

    @Test
    void fetchOfAnEmptyMailbox() {
        ImapConversation c = selected();
        c.send("a fetch 1:* flags").tagged("a BAD Error in IMAP command FETCH: No messages.");
        c.send("b uid fetch 1:* flags").wire("b OK UID FETCH completed.\r\n");
    }

    // ---- COPY, MOVE, APPEND ------------------------------------------------------------------------------------

    @Test
    void copyAnswersCopyUidAndKeepsTheSource() throws Exception {
        deliver(3);
        ImapConversation c = selected();
        String reply = c.send("a copy 2:3 Trash").text();
        Matcher m = Pattern.compile("a OK \\[COPYUID (\\d+) 2:3 1:2\\] COPY completed\\.\r\n").matcher(reply);
        assertTrue(m.matches(), reply);
        c.send("b copy 1 Nowhere").wire("b NO [TRYCREATE] Mailbox doesn't exist.\r\n");
        c.send("c status Trash (messages)").contains("* STATUS Trash (MESSAGES 2)");
        c.send("d noop").wire("d OK NOOP completed.\r\n");
    }

    @Test
    void moveSendsCopyUidThenExpunges() throws Exception {
        deliver(3);
        ImapConversation c = selected();
        String reply = c.send("a uid move 1,3 Trash").text();
        assertTrue(Pattern.compile("\\* OK \\[COPYUID \\d+ 1,3 1:2\\] Moved UIDs\\.\r\n"
                + "\\* 3 EXPUNGE\r\n\\* 1 EXPUNGE\r\na OK UID MOVE completed\\.\r\n").matcher(reply).matches(), reply);
        c.send("b fetch 1 uid").wire("* 1 FETCH (UID 2)\r\nb OK FETCH completed.\r\n");
    }

    @Test
    void appendAnswersAppendUidAndTheSelectedMailboxGrows() {
        ImapConversation c = selected();
        String message = "Subject: appended\r\n\r\nhi\r\n";
        String reply = c.sendLiteral("a append INBOX (\\Seen) \"05-Dec-2026 10:00:00 +0900\" {" + message.length()
                + "+}", message, "").text();
        assertTrue(Pattern.compile("\\* 1 EXISTS\r\n\\* 1 RECENT\r\na OK \\[APPENDUID \\d+ 1\\] APPEND completed\\.\r\n")
                .matcher(reply).matches(), reply);
        c.send("b fetch 1 (flags internaldate rfc822.size)")
                .contains("FLAGS (\\Seen \\Recent)").contains("RFC822.SIZE " + message.length());
        c.sendLiteral("c append Nowhere {" + message.length() + "+}", message, "")
                .wire("c NO [TRYCREATE] Mailbox doesn't exist.\r\n");
    }

    // ---- IDLE -----------------------------------------------------------------------------------------------

    @Test
    void idleReportsDeliveriesAndEndsWithDone() throws Exception {
        ImapConversation c = selected();
        AtomicInteger wakeups = new AtomicInteger();
        c.send("a idle").wire("+ idling\r\n").next(Next.IDLE);
        try (var watch = c.session.watchSelected(wakeups::incrementAndGet).orElseThrow()) {
            deliver(1);
            assertTrue(wakeups.get() > 0, "a delivery in this process wakes IDLE");
            c.idleCheck().wire("* 1 EXISTS\r\n* 1 RECENT\r\n").next(Next.IDLE);
            c.idleCheck().wire("").next(Next.IDLE);
        }
        c.idleLine("done").wire("a OK IDLE completed.\r\n").next(Next.READ_COMMAND);
        c.idleCheck().wire("").next(Next.READ_COMMAND);
    }

    @Test
    void anythingButDoneEndsIdleWithBad() {
        ImapConversation c = selected();
        c.send("a idle");
        c.idleLine("b noop").wire("a BAD Expected DONE.\r\n").next(Next.READ_COMMAND);
    }

    // ---- AUTHENTICATE ----------------------------------------------------------------------------------------

    private static String plain(String user, String password) {
        return Base64.getEncoder().encodeToString(("\0" + user + "\0" + password).getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void authenticatePlainWithInitialResponse() {
        ImapConversation c = ImapConversation.with(config(), store, locator, ImapConversation.tls(), spool);
        c.send("a authenticate plain " + plain("abe", "password")).contains("a OK [CAPABILITY");
        assertEquals(ImapSession.State.AUTHENTICATED, c.session.state());
    }

    @Test
    void authenticatePlainWithContinuation() {
        ImapConversation c = ImapConversation.with(config(), store, locator, ImapConversation.tls(), spool);
        c.send("a authenticate PLAIN").wire("+ \r\n").next(Next.SASL_RESPONSE);
        c.saslLine(plain("abe", "wrong")).wire("a NO [AUTHENTICATIONFAILED] Authentication failed.\r\n");
        c.send("b authenticate PLAIN").next(Next.SASL_RESPONSE);
        c.saslLine("*").wire("b BAD Authentication aborted by client.\r\n");
        c.send("c authenticate PLAIN").next(Next.SASL_RESPONSE);
        c.saslLine("not base64!").wire("c BAD Invalid base64 data in continued response.\r\n");
        c.send("d authenticate CRAM-MD5").wire("d NO Unsupported authentication mechanism.\r\n");
        c.send("e authenticate PLAIN").next(Next.SASL_RESPONSE);
        c.saslLine(plain("abe", "password")).contains("e OK [CAPABILITY");
    }

    @Test
    void authenticatePlainNeedsTls() {
        ImapConversation c = ImapConversation.with(config(), store, locator, ImapConversation.plaintext(), spool);
        c.send("a authenticate PLAIN " + plain("abe", "password"))
                .wire("a NO [PRIVACYREQUIRED] Plaintext authentication disallowed on non-secure (SSL/TLS) "
                        + "connections.\r\n");
    }
}
