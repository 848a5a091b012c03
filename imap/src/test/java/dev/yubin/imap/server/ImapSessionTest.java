package dev.yubin.imap.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.yubin.auth.InMemoryUserDatabase;
import dev.yubin.auth.UserDatabase;
import dev.yubin.auth.sasl.SaslContext;
import dev.yubin.core.message.MessageContent;
import dev.yubin.core.user.MailUser;
import dev.yubin.delivery.maildir.MaildirStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImapSessionTest {
    private static final String CAPS = "IMAP4rev1 LITERAL+ SASL-IR ID ENABLE IDLE NAMESPACE UNSELECT CHILDREN "
            + "LIST-EXTENDED LIST-STATUS SPECIAL-USE UIDPLUS MOVE UTF8=ACCEPT";

    private final UserDatabase users = InMemoryUserDatabase.builder()
            .user("abe", "{PLAIN}password")
            .user("nobox", "{PLAIN}password")
            .build();

    @TempDir
    Path root;
    private MaildirStore store;
    private MailboxLocator locator;
    private Path spool;

    @BeforeEach
    void setUp() throws Exception {
        store = MaildirStore.builder().hostname("imap.example1.jp").mailRoot(root).fsync(false).build();
        locator = login -> login.equals("nobox") ? Optional.empty()
                : Optional.of(new MailUser(login, root.resolve(login).toString()));
        spool = Files.createDirectories(root.resolve("spool"));
    }

    private ImapConfig config() {
        return ImapConfig.of("imap.example1.jp", SaslContext.of(users, "imap.example1.jp"));
    }

    private ImapConversation classroom() {
        return ImapConversation.with(config().withPlaintextWithoutTls(true), store, locator,
                ImapConversation.plaintext(), spool);
    }

    private ImapConversation loggedIn() {
        ImapConversation c = ImapConversation.with(config(), store, locator, ImapConversation.tls(), spool);
        c.send("a login abe password").tagged("a OK [CAPABILITY " + CAPS + "] Logged in");
        return c;
    }

    private void deliver(String text) throws Exception {
        store.deliver(new MailUser("abe", root.resolve("abe").toString()),
                MessageContent.ofBytes(text.getBytes(StandardCharsets.US_ASCII)));
    }

    // ---- the textbook dialogue -------------------------------------------------------------------------------

    @Test
    void textbookDialogueFirstSteps() throws Exception {
        deliver("From: kato@example1.jp\nSubject: hello\n\nHi Abe.\n");
        deliver("From: sato@example1.jp\nSubject: again\n\nHi again.\n");
        ImapConversation c = classroom();
        assertEquals("* OK [CAPABILITY " + CAPS + " AUTH=PLAIN] Yubin ready.\r\n", c.greeting.text());
        c.send("A01 login abe password").wire("A01 OK [CAPABILITY " + CAPS + "] Logged in\r\n");
        c.send("A02 list \"\" *").wire(""
                + "* LIST (\\HasNoChildren) \".\" INBOX\r\n"
                + "* LIST (\\HasNoChildren \\Drafts) \".\" Drafts\r\n"
                + "* LIST (\\HasNoChildren \\Junk) \".\" Junk\r\n"
                + "* LIST (\\HasNoChildren \\Sent) \".\" Sent\r\n"
                + "* LIST (\\HasNoChildren \\Trash) \".\" Trash\r\n"
                + "A02 OK LIST completed.\r\n");
        ImapConversation.Reply select = c.send("A03 select INBOX");
        String text = select.text();
        assertTrue(text.startsWith("* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft)\r\n"
                + "* 2 EXISTS\r\n* 2 RECENT\r\n* OK [UNSEEN 1] First unseen.\r\n"
                + "* OK [PERMANENTFLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft \\*)] Flags permitted.\r\n"
                + "* OK [UIDVALIDITY "), text);
        select.contains("* OK [UIDNEXT 3] Predicted next UID\r\n").tagged("A03 OK [READ-WRITE] SELECT completed.");
        assertEquals(ImapSession.State.SELECTED, c.session.state());
        c.send("A06 logout").wire("* BYE Logging out\r\nA06 OK Logout completed.\r\n").next(Next.CLOSE);
        assertEquals(ImapSession.State.LOGOUT, c.session.state());
    }

    @Test
    void examineIsReadOnlyAndClaimsNoRecent() throws Exception {
        deliver("Subject: one\n\nx\n");
        ImapConversation c = loggedIn();
        c.send("b examine inbox").contains("* 1 EXISTS\r\n")
                .contains("* OK [PERMANENTFLAGS ()] Read-only mailbox.\r\n")
                .tagged("b OK [READ-ONLY] EXAMINE completed.");
        c.send("c select INBOX").contains("* 1 RECENT\r\n").tagged("c OK [READ-WRITE] SELECT completed.");
        c.send("d select INBOX").contains("* 0 RECENT\r\n");
    }

    @Test
    void selectOfAMissingMailboxLeavesNothingSelected() {
        ImapConversation c = loggedIn();
        c.send("a select INBOX").tagged("a OK [READ-WRITE] SELECT completed.");
        c.send("b select Nope").wire("b NO [NONEXISTENT] Mailbox doesn't exist.\r\n");
        assertEquals(ImapSession.State.AUTHENTICATED, c.session.state());
        c.send("c close").wire("c BAD CLOSE needs a selected mailbox.\r\n");
    }

    @Test
    void closeAndUnselectReturnToAuthenticated() {
        ImapConversation c = loggedIn();
        c.send("a select INBOX");
        c.send("b close").wire("b OK CLOSE completed.\r\n");
        assertEquals(ImapSession.State.AUTHENTICATED, c.session.state());
        c.send("c examine INBOX");
        c.send("d unselect").wire("d OK UNSELECT completed.\r\n");
        assertEquals(ImapSession.State.AUTHENTICATED, c.session.state());
    }

    // ---- capability and login ---------------------------------------------------------------------------------

    @Test
    void capabilityBeforeTlsSaysLoginDisabledAndStartTls() {
        ImapConversation c = ImapConversation.with(config().withStartTlsOffered(true), store, locator,
                ImapConversation.plaintext(), spool);
        c.send("a capability").wire("* CAPABILITY " + CAPS + " STARTTLS LOGINDISABLED\r\na OK CAPABILITY "
                + "completed.\r\n");
        c.send("b login abe password").wire("b NO [PRIVACYREQUIRED] Plaintext authentication disallowed on "
                + "non-secure (SSL/TLS) connections.\r\n");
        c.send("c starttls").wire("c OK Begin TLS negotiation now.\r\n").next(Next.START_TLS);
        c.session.onTlsEstablished("TLSv1.3", "TLS_AES_128_GCM_SHA256");
        c.send("d capability").contains(CAPS + " AUTH=PLAIN\r\n").lacks("STARTTLS");
        c.send("e starttls").wire("e BAD TLS is already active.\r\n");
        c.send("f login abe password").tagged("f OK [CAPABILITY " + CAPS + "] Logged in");
    }

    @Test
    void starttlsNotOfferedIsBad() {
        classroom().send("a starttls").wire("a BAD STARTTLS is not available.\r\n");
    }

    @Test
    void wrongPasswordAndUnknownUserFailAlike() {
        ImapConversation c = classroom();
        c.send("a login abe wrong").wire("a NO [AUTHENTICATIONFAILED] Authentication failed.\r\n");
        c.send("b login nobody password").wire("b NO [AUTHENTICATIONFAILED] Authentication failed.\r\n");
        assertEquals(ImapSession.State.NOT_AUTHENTICATED, c.session.state());
        c.send("c login abe wrong").wire("c NO [AUTHENTICATIONFAILED] Authentication failed.\r\n"
                + "* BYE Too many invalid authentication attempts.\r\n").next(Next.CLOSE);
    }

    @Test
    void failedLoginsNameTheUserInTheMaillogAsDovecotDoes() {
        java.util.List<String> log = new java.util.concurrent.CopyOnWriteArrayList<>();
        ImapConversation c = ImapConversation.with(config().withPlaintextWithoutTls(true)
                .withLog(dev.yubin.core.log.MailLog.tee(e -> log.add(e.message()))), store, locator,
                ImapConversation.plaintext(), spool);
        c.send("a login abe wrong").tagged("a NO [AUTHENTICATIONFAILED] Authentication failed.");
        String plain = java.util.Base64.getEncoder().encodeToString("\0kato\0wrong".getBytes(StandardCharsets.UTF_8));
        c.send("b authenticate plain " + plain).tagged("b NO [AUTHENTICATIONFAILED] Authentication failed.");
        assertTrue(log.get(0).startsWith("imap-login: Login failed: user=<abe>, method=PLAIN, "), log.toString());
        assertTrue(log.get(1).startsWith("imap-login: Login failed: user=<kato>, method=PLAIN, "), log.toString());
    }

    @Test
    void loginWithoutMailboxIsContactAdmin() {
        classroom().send("a login nobox password").wire("a NO [CONTACTADMIN] No mailbox for this login.\r\n");
    }

    @Test
    void specialUseFoldersAreMadeOnlyForAFreshAccount() {
        ImapConversation c = loggedIn();
        c.send("a delete Junk").wire("a OK DELETE completed.\r\n");
        c.send("b logout");
        ImapConversation again = loggedIn();
        again.send("c list \"\" Junk").wire("c OK LIST completed.\r\n");
        again.send("d lsub \"\" *").contains("* LSUB () \".\" Sent\r\n")
                .contains("* LSUB (\\Noselect) \".\" Junk\r\n");
    }

    // ---- any state -------------------------------------------------------------------------------------------

    @Test
    void noopIdAndLogoutWorkBeforeLogin() {
        ImapConversation c = classroom();
        c.send("a noop").wire("a OK NOOP completed.\r\n");
        c.send("b id (\"name\" \"Thunderbird\")").wire("* ID (\"name\" \"Yubin\")\r\nb OK ID completed.\r\n");
        c.send("c id nil").tagged("c OK ID completed.");
        c.send("d logout").wire("* BYE Logging out\r\nd OK Logout completed.\r\n").next(Next.CLOSE);
    }

    @Test
    void unknownAndInvalidCommandsAreBad() {
        ImapConversation c = classroom();
        c.send("a frobnicate").contains("a BAD ");
        c.send("b select").contains("b BAD ");
        assertEquals(ImapSession.State.NOT_AUTHENTICATED, c.session.state());
    }

    // ---- state errors ----------------------------------------------------------------------------------------

    @Test
    void commandsBeforeLoginAreBad() {
        ImapConversation c = classroom();
        for (String command : new String[] {"select INBOX", "examine INBOX", "create x", "delete x",
            "rename x y", "subscribe x", "unsubscribe x", "list \"\" *", "lsub \"\" *", "status INBOX (MESSAGES)",
            "namespace", "enable CONDSTORE", "close", "unselect", "check", "expunge", "fetch 1 flags",
            "search all", "store 1 +flags (\\Seen)", "copy 1 x", "move 1 x", "idle", "uid fetch 1 flags"}) {
            String name = command.startsWith("uid ") ? "UID FETCH" : command.split(" ")[0].toUpperCase();
            c.send("t " + command).wire("t BAD " + name + " is not valid before login.\r\n");
        }
        assertEquals(ImapSession.State.NOT_AUTHENTICATED, c.session.state());
    }

    @Test
    void loginAfterLoginIsBad() {
        ImapConversation c = loggedIn();
        c.send("b login abe password").wire("b BAD Already logged in.\r\n");
        c.send("c starttls").wire("c BAD Already logged in.\r\n");
        c.send("d authenticate PLAIN").wire("d BAD Already logged in.\r\n");
    }

    @Test
    void selectedStateCommandsWithoutSelectionAreBad() {
        ImapConversation c = loggedIn();
        for (String command : new String[] {"close", "unselect", "check", "expunge", "fetch 1 flags", "search all",
            "store 1 +flags (\\Seen)", "copy 1 x", "move 1 x", "uid expunge 1"}) {
            String name = command.startsWith("uid ") ? "UID EXPUNGE" : command.split(" ")[0].toUpperCase();
            c.send("t " + command).wire("t BAD " + name + " needs a selected mailbox.\r\n");
        }
    }

    @Test
    void enableWhileSelectedIsBad() {
        ImapConversation c = loggedIn();
        c.send("a enable CONDSTORE").wire("* ENABLED\r\na OK ENABLE completed.\r\n");
        c.send("b select INBOX");
        c.send("c enable CONDSTORE").wire("c BAD ENABLE is not valid while a mailbox is selected.\r\n");
    }

    @Test
    void doneOutsideIdleIsBad() {
        ImapConversation c = loggedIn();
        assertEquals("x BAD DONE without IDLE.\r\n", c.session.onCommand("x",
                new dev.yubin.imap.protocol.ImapCommand.Done()).text());
    }

    @Test
    void commandsAfterLogoutCloseSilently() {
        ImapConversation c = loggedIn();
        c.send("a logout");
        c.send("b noop").wire("").next(Next.CLOSE);
    }

    // ---- LIST and LSUB ---------------------------------------------------------------------------------------

    private ImapConversation withFolders() {
        ImapConversation c = loggedIn();
        c.send("a create Lists.yubin.dev").wire("a OK CREATE completed.\r\n");
        c.send("b create Work.").wire("b OK CREATE completed.\r\n");
        return c;
    }

    @Test
    void listPercentStopsAtTheDelimiter() {
        withFolders().send("l list \"\" %").wire(""
                + "* LIST (\\HasNoChildren) \".\" INBOX\r\n"
                + "* LIST (\\HasNoChildren \\Drafts) \".\" Drafts\r\n"
                + "* LIST (\\HasNoChildren \\Junk) \".\" Junk\r\n"
                + "* LIST (\\Noselect \\HasChildren) \".\" Lists\r\n"
                + "* LIST (\\HasNoChildren \\Sent) \".\" Sent\r\n"
                + "* LIST (\\HasNoChildren \\Trash) \".\" Trash\r\n"
                + "* LIST (\\HasNoChildren) \".\" Work\r\n"
                + "l OK LIST completed.\r\n");
    }

    @Test
    void listWithReferenceAndStar() {
        ImapConversation c = withFolders();
        c.send("l list Lists. *").wire("* LIST (\\Noselect \\HasChildren) \".\" Lists.yubin\r\n"
                + "* LIST (\\HasNoChildren) \".\" Lists.yubin.dev\r\nl OK LIST completed.\r\n");
        c.send("m list \"\" Lists.%").wire("* LIST (\\Noselect \\HasChildren) \".\" Lists.yubin\r\n"
                + "m OK LIST completed.\r\n");
        c.send("n list \"\" inbox").wire("* LIST (\\HasNoChildren) \".\" INBOX\r\nn OK LIST completed.\r\n");
        c.send("o list \"\" nothing*").wire("o OK LIST completed.\r\n");
    }

    @Test
    void listWithEmptyPatternGivesTheDelimiter() {
        ImapConversation c = loggedIn();
        c.send("a list \"\" \"\"").wire("* LIST (\\Noselect) \".\" \"\"\r\na OK LIST completed.\r\n");
        c.send("b list Lists.yubin \"\"").wire("* LIST (\\Noselect) \".\" Lists.\r\nb OK LIST completed.\r\n");
    }

    @Test
    void listSpecialUseSelection() {
        withFolders().send("a list (special-use) \"\" *").wire(""
                + "* LIST (\\HasNoChildren \\Drafts) \".\" Drafts\r\n"
                + "* LIST (\\HasNoChildren \\Junk) \".\" Junk\r\n"
                + "* LIST (\\HasNoChildren \\Sent) \".\" Sent\r\n"
                + "* LIST (\\HasNoChildren \\Trash) \".\" Trash\r\n"
                + "a OK LIST completed.\r\n");
    }

    // ---- LIST-EXTENDED (RFC 5258) and LIST-STATUS (RFC 5819) -------------------------------------------------

    @Test
    void listSubscribedShowsSubscriptionsAlsoOfMissingMailboxes() {
        ImapConversation c = withFolders();
        c.send("a subscribe Lists.yubin.dev").tagged("a OK SUBSCRIBE completed.");
        c.send("b subscribe Gone").tagged("b OK SUBSCRIBE completed.");
        c.send("c list (subscribed) \"\" *").wire(""
                + "* LIST (\\HasNoChildren \\Drafts \\Subscribed) \".\" Drafts\r\n"
                + "* LIST (\\NonExistent \\Subscribed) \".\" Gone\r\n"
                + "* LIST (\\HasNoChildren \\Junk \\Subscribed) \".\" Junk\r\n"
                + "* LIST (\\HasNoChildren \\Subscribed) \".\" Lists.yubin.dev\r\n"
                + "* LIST (\\HasNoChildren \\Sent \\Subscribed) \".\" Sent\r\n"
                + "* LIST (\\HasNoChildren \\Trash \\Subscribed) \".\" Trash\r\n"
                + "c OK LIST completed.\r\n");
        c.send("d list (subscribed remote) \"\" Gone return (children)").wire(""
                + "* LIST (\\NonExistent \\HasNoChildren \\Subscribed) \".\" Gone\r\n"
                + "d OK LIST completed.\r\n");
    }

    @Test
    void listSubscribedTakesInboxInAnyCase() {
        ImapConversation c = loggedIn();
        c.send("a subscribe inbox").tagged("a OK SUBSCRIBE completed.");
        c.send("b list (subscribed) \"\" Inbox").wire("* LIST (\\HasNoChildren \\Subscribed) \".\" INBOX\r\n"
                + "b OK LIST completed.\r\n");
    }

    @Test
    void listReturnSubscribedWithSeveralPatternsListsEachNameOnce() {
        ImapConversation c = withFolders();
        c.send("a subscribe Lists.yubin.dev").tagged("a OK SUBSCRIBE completed.");
        c.send("b list \"\" (inbox Lists.* Li*) return (subscribed children)").wire(""
                + "* LIST (\\HasNoChildren) \".\" INBOX\r\n"
                + "* LIST (\\NonExistent \\HasChildren) \".\" Lists\r\n"
                + "* LIST (\\NonExistent \\HasChildren) \".\" Lists.yubin\r\n"
                + "* LIST (\\HasNoChildren \\Subscribed) \".\" Lists.yubin.dev\r\n"
                + "b OK LIST completed.\r\n");
        // the plain syntax keeps RFC 3501's \Noselect and says nothing of subscriptions
        c.send("c list \"\" Lists").wire("* LIST (\\Noselect \\HasChildren) \".\" Lists\r\nc OK LIST completed.\r\n");
    }

    @Test
    void listRecursiveMatchGivesChildInfoForSubscribedDescendants() {
        ImapConversation c = withFolders();
        c.send("a subscribe Lists.yubin.dev").tagged("a OK SUBSCRIBE completed.");
        c.send("b subscribe Work").tagged("b OK SUBSCRIBE completed.");
        c.send("c subscribe Work.Old.Notes").tagged("c OK SUBSCRIBE completed.");
        c.send("d list (subscribed recursivematch) \"\" %").wire(""
                + "* LIST (\\HasNoChildren \\Drafts \\Subscribed) \".\" Drafts\r\n"
                + "* LIST (\\HasNoChildren \\Junk \\Subscribed) \".\" Junk\r\n"
                + "* LIST (\\NonExistent \\HasChildren) \".\" Lists (\"CHILDINFO\" (\"SUBSCRIBED\"))\r\n"
                + "* LIST (\\HasNoChildren \\Sent \\Subscribed) \".\" Sent\r\n"
                + "* LIST (\\HasNoChildren \\Trash \\Subscribed) \".\" Trash\r\n"
                + "* LIST (\\HasNoChildren \\Subscribed) \".\" Work (\"CHILDINFO\" (\"SUBSCRIBED\"))\r\n"
                + "d OK LIST completed.\r\n");
        // Work.Old does not exist at all; its subscribed child is not returned by the pattern
        c.send("e list (subscribed recursivematch) \"\" Work.%").wire(""
                + "* LIST (\\NonExistent) \".\" Work.Old (\"CHILDINFO\" (\"SUBSCRIBED\"))\r\n"
                + "e OK LIST completed.\r\n");
        // with *, every subscribed descendant is returned itself: unsubscribed parents are not needed
        c.send("f list (subscribed recursivematch) \"\" Lists*").wire(""
                + "* LIST (\\HasNoChildren \\Subscribed) \".\" Lists.yubin.dev\r\n"
                + "f OK LIST completed.\r\n");
        c.send("g list (recursivematch) \"\" %").wire("g BAD Syntax error in LIST: RECURSIVEMATCH needs the"
                + " SUBSCRIBED selection option (usage: LIST [(options)] reference pattern [RETURN (options)])\r\n");
    }

    @Test
    void listExtendedEmptyPatternMatchesNothing() {
        ImapConversation c = loggedIn();
        c.send("a list \"\" \"\" return ()").wire("a OK LIST completed.\r\n");
        c.send("b list () \"\" (\"\" INBOX)").wire("* LIST (\\HasNoChildren) \".\" INBOX\r\nb OK LIST completed.\r\n");
    }

    @Test
    void listReturnSpecialUse() {
        withFolders().send("a list \"\" (Sent Work) return (special-use)").wire(""
                + "* LIST (\\HasNoChildren \\Sent) \".\" Sent\r\n"
                + "* LIST (\\HasNoChildren) \".\" Work\r\n"
                + "a OK LIST completed.\r\n");
    }

    @Test
    void listStatusFollowsEachSelectableMailbox() throws Exception {
        ImapConversation c = withFolders();
        deliver("Subject: one\r\n\r\nfirst\r\n");
        deliver("Subject: two\r\n\r\nsecond\r\n");
        c.send("b list \"\" (INBOX Lists Work) return (status (messages unseen uidnext))").wire(""
                + "* LIST (\\HasNoChildren) \".\" INBOX\r\n"
                + "* STATUS INBOX (MESSAGES 2 UNSEEN 2 UIDNEXT 3)\r\n"
                + "* LIST (\\NonExistent \\HasChildren) \".\" Lists\r\n"
                + "* LIST (\\HasNoChildren) \".\" Work\r\n"
                + "* STATUS Work (MESSAGES 0 UNSEEN 0 UIDNEXT 1)\r\n"
                + "b OK LIST completed.\r\n");
        c.send("c subscribe Gone").tagged("c OK SUBSCRIBE completed.");
        c.send("d list (subscribed) \"\" (Gone Sent) return (status (messages))").wire(""
                + "* LIST (\\NonExistent \\Subscribed) \".\" Gone\r\n"
                + "* LIST (\\HasNoChildren \\Sent \\Subscribed) \".\" Sent\r\n"
                + "* STATUS Sent (MESSAGES 0)\r\n"
                + "d OK LIST completed.\r\n");
    }

    @Test
    void listStatusWithAnUnsupportedItemIsBad() {
        loggedIn().send("a list \"\" * return (status (messages size))").wire("a BAD LIST RETURN (STATUS (SIZE)) is"
                + " not supported.\r\n");
    }

    // ---- UTF8=ACCEPT (RFC 6855) -------------------------------------------------------------------------------

    @Test
    void enableUtf8AcceptSwitchesMailboxNamesToUtf8() {
        ImapConversation c = loggedIn();
        // before ENABLE: modified UTF-7 only, as before
        c.send("a create \"Entw\u00fcrfe\"").wire("a NO [CANNOT] Mailbox name is not valid mUTF-7: Not 7-bit"
                + " printable.\r\n");
        c.send("b create Entw&APw-rfe").wire("b OK CREATE completed.\r\n");
        c.send("c list \"\" Entw*").wire("* LIST (\\HasNoChildren) \".\" Entw&APw-rfe\r\nc OK LIST completed.\r\n");
        c.send("d enable utf8=accept condstore").wire("* ENABLED UTF8=ACCEPT\r\nd OK ENABLE completed.\r\n");
        c.send("e enable UTF8=ACCEPT").wire("* ENABLED\r\ne OK ENABLE completed.\r\n");
        c.send("f list \"\" Entw*").wire("* LIST (\\HasNoChildren) \".\" \"Entw\u00fcrfe\"\r\n"
                + "f OK LIST completed.\r\n");
        c.send("g status \"Entw\u00fcrfe\" (messages)").wire("* STATUS \"Entw\u00fcrfe\" (MESSAGES 0)\r\n"
                + "g OK STATUS completed.\r\n");
        c.sendLiteral("h create {6+}", "\u53f0\u5317", "").wire("h OK CREATE completed.\r\n");
        // '&' is only a character now
        c.send("i create R&D").wire("i OK CREATE completed.\r\n");
        c.send("j list \"\" (\"\u53f0*\" R*) return (status (messages))").wire(""
                + "* LIST (\\HasNoChildren) \".\" R&D\r\n* STATUS R&D (MESSAGES 0)\r\n"
                + "* LIST (\\HasNoChildren) \".\" \"\u53f0\u5317\"\r\n* STATUS \"\u53f0\u5317\" (MESSAGES 0)\r\n"
                + "j OK LIST completed.\r\n");
        c.send("k select \"\u53f0\u5317\"").tagged("k OK [READ-WRITE] SELECT completed.");
        c.send("l enable UTF8=ACCEPT").wire("l BAD ENABLE is not valid while a mailbox is selected.\r\n");
    }

    @Test
    void appendUtf8Literal8NeedsEnable() {
        ImapConversation c = loggedIn();
        String message = "Subject: Gr\u00fc\u00dfe\r\n\r\nHallo\r\n";
        int size = message.getBytes(StandardCharsets.UTF_8).length;
        c.sendLiteral("a append INBOX UTF8 (~{" + size + "+}", message, ")").wire("a BAD Syntax error in APPEND:"
                + " APPEND UTF8 needs ENABLE UTF8=ACCEPT (usage: APPEND mailbox [(flags)] [\"date-time\"] {size})\r\n");
        c.send("b enable UTF8=ACCEPT").tagged("b OK ENABLE completed.");
        c.sendLiteral("c append INBOX (\\Seen) UTF8 (~{" + size + "+}", message, ")")
                .contains("c OK [APPENDUID ").contains(" 1] APPEND completed.");
        c.sendLiteral("d append INBOX UTF8 (~{" + size + "+}", message, "").wire("d BAD Syntax error in APPEND:"
                + " expected ')' after the literal8 (usage: APPEND mailbox [(flags)] [\"date-time\"] {size})\r\n");
        c.sendLiteral("e append INBOX UTF8 ({" + size + "+}", message, ")").wire("e BAD Syntax error in APPEND:"
                + " expected a literal8 ~{n} after UTF8 ( (usage: APPEND mailbox [(flags)] [\"date-time\"]"
                + " {size})\r\n");
        c.sendLiteral("f append INBOX {" + size + "+}", message, "").contains("f OK [APPENDUID ");
        c.send("g select INBOX").tagged("g OK [READ-WRITE] SELECT completed.");
        c.send("h fetch 1 (flags body.peek[header.fields (subject)])").wire("* 1 FETCH (FLAGS (\\Seen \\Recent)"
                + " BODY[HEADER.FIELDS (SUBJECT)] {" + (size - 7) + "}\r\nSubject: Gr\u00fc\u00dfe\r\n\r\n)\r\n"
                + "h OK FETCH completed.\r\n");
    }

    @Test
    void lsubListsSubscriptions() {
        ImapConversation c = withFolders();
        c.send("a subscribe Lists.yubin.dev").wire("a OK SUBSCRIBE completed.\r\n");
        c.send("b lsub \"\" Lists.*").wire("* LSUB () \".\" Lists.yubin.dev\r\nb OK LSUB completed.\r\n");
        c.send("b2 lsub \"\" Lists.%").wire("* LSUB (\\Noselect) \".\" Lists.yubin\r\nb2 OK LSUB completed.\r\n");
        c.send("c unsubscribe Lists.yubin.dev").wire("c OK UNSUBSCRIBE completed.\r\n");
        c.send("d lsub \"\" Lists.*").wire("d OK LSUB completed.\r\n");
    }

    @Test
    void namespaceIsPersonalOnly() {
        loggedIn().send("a namespace").wire("* NAMESPACE ((\"\" \".\")) NIL NIL\r\na OK NAMESPACE completed.\r\n");
    }

    // ---- mailbox commands and their errors ---------------------------------------------------------------------

    @Test
    void createExistingIsAlreadyExists() {
        ImapConversation c = loggedIn();
        c.send("a create Sent").wire("a NO [ALREADYEXISTS] Mailbox already exists.\r\n");
        c.send("b create inbox").wire("b NO [ALREADYEXISTS] Mailbox already exists.\r\n");
    }

    @Test
    void badNamesAreCannot() {
        ImapConversation c = loggedIn();
        c.send("a create a..b").wire("a NO [CANNOT] Invalid mailbox name.\r\n");
        c.send("b create ../escape").wire("b NO [CANNOT] Invalid mailbox name.\r\n");
    }

    @Test
    void deleteMissingIsNonexistentAndInboxIsCannot() {
        ImapConversation c = loggedIn();
        c.send("a delete Nope").wire("a NO [NONEXISTENT] Mailbox doesn't exist.\r\n");
        c.send("b delete INBOX").contains("b NO [CANNOT] ");
    }

    @Test
    void renameMovesChildrenAndRefusesClashes() {
        ImapConversation c = withFolders();
        c.send("a0 create Work.Sub").wire("a0 OK CREATE completed.\r\n");
        c.send("a rename Work Archive").wire("a OK RENAME completed.\r\n");
        c.send("b list \"\" Archive*").wire("* LIST (\\HasChildren) \".\" Archive\r\n"
                + "* LIST (\\HasNoChildren) \".\" Archive.Sub\r\nb OK LIST completed.\r\n");
        c.send("c rename Archive Sent").wire("c NO [ALREADYEXISTS] Mailbox already exists.\r\n");
        c.send("d rename Nope Other").wire("d NO [NONEXISTENT] Mailbox doesn't exist.\r\n");
    }

    @Test
    void statusCountsWithoutSelecting() throws Exception {
        deliver("Subject: one\n\nx\n");
        ImapConversation c = loggedIn();
        c.send("a status inbox (MESSAGES RECENT UIDNEXT UNSEEN)")
                .wire("* STATUS INBOX (MESSAGES 1 RECENT 1 UIDNEXT 2 UNSEEN 1)\r\na OK STATUS completed.\r\n");
        c.send("b status Nope (MESSAGES)").wire("b NO [NONEXISTENT] Mailbox doesn't exist.\r\n");
        c.send("c status INBOX (SIZE)").wire("c BAD STATUS SIZE is not supported.\r\n");
    }

    @Test
    void mailboxCommandsWorkWhileSelected() {
        ImapConversation c = loggedIn();
        c.send("a select INBOX");
        c.send("b create Projects").wire("b OK CREATE completed.\r\n");
        c.send("c list \"\" Projects").wire("* LIST (\\HasNoChildren) \".\" Projects\r\nc OK LIST completed.\r\n");
        c.send("d select Projects").contains("* 0 EXISTS\r\n").lacks("UNSEEN")
                .tagged("d OK [READ-WRITE] SELECT completed.");
    }

    @Test
    void disconnectIsIdempotent() {
        ImapConversation c = loggedIn();
        c.send("a select INBOX");
        c.session.onDisconnect();
        c.session.onDisconnect();
        assertEquals(ImapSession.State.LOGOUT, c.session.state());
    }
}
