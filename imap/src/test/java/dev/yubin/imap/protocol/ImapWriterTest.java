package dev.yubin.imap.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ImapWriterTest {

    private static String write(java.util.function.Consumer<ImapWriter> steps) {
        ImapWriter writer = new ImapWriter(16);
        steps.accept(writer);
        return writer.toString();
    }

    @Test
    void selectResponsesAsInRfc3501Section6_3_1() {
        String wire = write(w -> w
                .exists(172)
                .recent(1)
                .status(StatusResponse.ok("*", ResponseCode.unseen(12), "Message 12 is first unseen"))
                .status(StatusResponse.ok("*", ResponseCode.uidValidity(3857529045L), "UIDs valid"))
                .status(StatusResponse.ok("*", ResponseCode.uidNext(4392), "Predicted next UID"))
                .flags(List.of("\\Answered", "\\Flagged", "\\Deleted", "\\Seen", "\\Draft"))
                .status(StatusResponse.ok("*", ResponseCode.permanentFlags(List.of("\\Deleted", "\\Seen", "\\*")),
                        "Limited"))
                .status(StatusResponse.ok("A142", ResponseCode.READ_WRITE, "SELECT completed")));
        assertEquals("* 172 EXISTS\r\n* 1 RECENT\r\n* OK [UNSEEN 12] Message 12 is first unseen\r\n"
                + "* OK [UIDVALIDITY 3857529045] UIDs valid\r\n* OK [UIDNEXT 4392] Predicted next UID\r\n"
                + "* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft)\r\n"
                + "* OK [PERMANENTFLAGS (\\Deleted \\Seen \\*)] Limited\r\n"
                + "A142 OK [READ-WRITE] SELECT completed\r\n", wire);
    }

    @Test
    void taggedResponsesWithCodes() {
        String wire = write(w -> w
                .status(StatusResponse.ok("A003", ResponseCode.appendUid(38505, 3955), "APPEND completed"))
                .status(StatusResponse.ok("A004", ResponseCode.copyUid(38505,
                        SequenceSet.of(new SequenceSet.Range(304, 304), new SequenceSet.Range(319, 320)),
                        SequenceSet.of(new SequenceSet.Range(3956, 3958))), "Done"))
                .status(StatusResponse.no("A005", ResponseCode.TRYCREATE, "Mailbox does not exist"))
                .status(StatusResponse.no("a", ResponseCode.AUTHENTICATIONFAILED, "Authentication failed."))
                .status(StatusResponse.no("a", ResponseCode.UNAVAILABLE, "Try again later"))
                .status(StatusResponse.no("b", ResponseCode.NONEXISTENT, "No such mailbox"))
                .status(StatusResponse.no("c", ResponseCode.ALREADYEXISTS, "Mailbox exists"))
                .status(StatusResponse.no("d", ResponseCode.CANNOT, "Cannot rename INBOX's children"))
                .status(StatusResponse.no("e", ResponseCode.SERVERBUG, "Internal error"))
                .status(StatusResponse.ok("*", ResponseCode.ALERT, "System shutdown in 10 minutes"))
                .status(StatusResponse.ok("f", ResponseCode.READ_ONLY, "EXAMINE completed"))
                .status(StatusResponse.ok("g", ResponseCode.capability(List.of("IMAP4rev1", "IDLE", "LITERAL+")),
                        "Logged in"))
                .status(StatusResponse.no("h", ResponseCode.badCharset(List.of("US-ASCII", "UTF-8")), "Charset"))
                .status(StatusResponse.bad("*", "Syntax error: expected a tag"))
                .status(StatusResponse.bye(ResponseCode.UNAVAILABLE, "Server busy"))
                .status(StatusResponse.preauth("IMAP4rev1 server logged in as Smith"))
                .status(StatusResponse.ok("i", ResponseCode.CLOSED, "")));
        assertEquals("A003 OK [APPENDUID 38505 3955] APPEND completed\r\n"
                + "A004 OK [COPYUID 38505 304,319:320 3956:3958] Done\r\n"
                + "A005 NO [TRYCREATE] Mailbox does not exist\r\n"
                + "a NO [AUTHENTICATIONFAILED] Authentication failed.\r\n"
                + "a NO [UNAVAILABLE] Try again later\r\n"
                + "b NO [NONEXISTENT] No such mailbox\r\n"
                + "c NO [ALREADYEXISTS] Mailbox exists\r\n"
                + "d NO [CANNOT] Cannot rename INBOX's children\r\n"
                + "e NO [SERVERBUG] Internal error\r\n"
                + "* OK [ALERT] System shutdown in 10 minutes\r\n"
                + "f OK [READ-ONLY] EXAMINE completed\r\n"
                + "g OK [CAPABILITY IMAP4rev1 IDLE LITERAL+] Logged in\r\n"
                + "h NO [BADCHARSET (US-ASCII UTF-8)] Charset\r\n"
                + "* BAD Syntax error: expected a tag\r\n"
                + "* BYE [UNAVAILABLE] Server busy\r\n"
                + "* PREAUTH IMAP4rev1 server logged in as Smith\r\n"
                + "i OK [CLOSED]\r\n", wire);
    }

    @Test
    void verdictsOfTheParserBecomeBadOrNo() {
        assertEquals(Optional.of(StatusResponse.bad("a", "Literal too large (max 10 octets)")),
                StatusResponse.forVerdict("a", new ImapCommand.Invalid("Literal too large (max 10 octets)")));
        assertEquals(Optional.of(StatusResponse.bad("a", "Unknown command XYZZY")),
                StatusResponse.forVerdict("a", new ImapCommand.Unknown("XYZZY")));
        assertEquals("a NO [TOOBIG] Message too large\r\n", write(w -> w.status(StatusResponse.forVerdict("a",
                new ImapCommand.Refused(ResponseCode.TOOBIG, "Message too large")).orElseThrow())));
        assertEquals(Optional.empty(), StatusResponse.forVerdict("a", new ImapCommand.Noop()));
    }

    @Test
    void continuationsAndUntaggedData() {
        assertEquals("+ Ready for literal data\r\n+ \r\n* CAPABILITY IMAP4rev1 STARTTLS AUTH=PLAIN\r\n"
                + "* SEARCH 2 84 882\r\n* SEARCH\r\n* 44 EXPUNGE\r\n"
                + "* LIST (\\Noselect) \"/\" ~/Mail/foo\r\n* LIST () NIL INBOX\r\n"
                + "* LIST (\\HasNoChildren \\Drafts) \".\" &ZeVnLIqe-\r\n* LSUB () \".\" \"a b\"\r\n",
                write(w -> w.continuation("Ready for literal data").continuation("")
                        .capability(List.of("IMAP4rev1", "STARTTLS", "AUTH=PLAIN"))
                        .search(new long[] {2, 84, 882}).search(new long[0]).expunge(44)
                        .list("LIST", List.of("\\Noselect"), '/', "~/Mail/foo")
                        .list("LIST", List.of(), (char) 0, "INBOX")
                        .list("LIST", List.of("\\HasNoChildren", "\\Drafts"), '.', "日本語")
                        .list("LSUB", List.of(), '.', "a b")));
    }

    @Test
    void stringsChooseAtomQuotedOrLiteral() {
        assertEquals("INBOX \"\" \"a b\" \"say \\\"hi\\\"\" \"NIL\" NIL \"c:\\\\dir\" {4}\r\na\r\nb {5}\r\ncaf\u00e9"
                        + " {10}\r\n\"\"\"\"\"\"\"\"\"\" \"x\"",
                write(w -> w.astring("INBOX").sp().astring("").sp().astring("a b").sp().string("say \"hi\"").sp()
                        .astring("NIL").sp().nstring(Optional.empty()).sp().string("c:\\dir").sp().string("a\r\nb")
                        .sp().string("café").sp().string("\"".repeat(10)).sp().nstring(Optional.of("x"))));
        String longText = "x".repeat(2000);
        assertEquals("{2000}\r\n" + longText, write(w -> w.string(longText)));
        assertEquals("\"café\"", write(w -> w.enableUtf8().string("café")));
        assertEquals("\"Entwürfe\"", write(w -> w.enableUtf8().mailbox("Entwürfe")), "8-bit is no ATOM-CHAR");
        assertEquals("Entw&APw-rfe \"&Jjo- x\"", write(w -> w.mailbox("Entwürfe").sp().mailbox("☺ x")));
    }

    @Test
    void rfc3501FetchExampleFromSection7_4_2() {
        ImapWriter w = new ImapWriter();
        w.untagged().number(12).raw(" FETCH ").openList()
                .raw("FLAGS ").flagList(List.of("\\Seen"))
                .raw(" INTERNALDATE ").dateTime(OffsetDateTime.of(1996, 7, 17, 2, 44, 25, 0, ZoneOffset.ofHours(-7)))
                .raw(" RFC822.SIZE ").number(4286)
                .raw(" ENVELOPE ").openList()
                .string("Wed, 17 Jul 1996 02:23:25 -0700 (PDT)").sp()
                .string("IMAP4rev1 WG mtg summary and minutes").sp();
        for (int i = 0; i < 3; i++) {
            address(w.openList(), "Terry Gray", "gray", "cac.washington.edu").closeList().sp();
        }
        address(w.openList(), null, "imap", "cac.washington.edu").closeList().sp();
        address(w.openList(), null, "minutes", "CNRI.Reston.VA.US");
        address(w.separator(), "John Klensin", "KLENSIN", "MIT.EDU").closeList().sp()
                .nil().sp().nil().sp().string("<B27397-0100000@cac.washington.edu>").closeList()
                .raw(" BODY ").openList().string("TEXT").sp().string("PLAIN").sp()
                .openList().string("CHARSET").sp().string("US-ASCII").closeList()
                .sp().nil().sp().nil().sp().string("7BIT").sp().number(3028).sp().number(92).closeList()
                .closeList().crlf();
        assertEquals("* 12 FETCH (FLAGS (\\Seen) INTERNALDATE \"17-Jul-1996 02:44:25 -0700\" RFC822.SIZE 4286"
                + " ENVELOPE (\"Wed, 17 Jul 1996 02:23:25 -0700 (PDT)\" \"IMAP4rev1 WG mtg summary and minutes\""
                + " ((\"Terry Gray\" NIL \"gray\" \"cac.washington.edu\"))"
                + " ((\"Terry Gray\" NIL \"gray\" \"cac.washington.edu\"))"
                + " ((\"Terry Gray\" NIL \"gray\" \"cac.washington.edu\"))"
                + " ((NIL NIL \"imap\" \"cac.washington.edu\"))"
                + " ((NIL NIL \"minutes\" \"CNRI.Reston.VA.US\")"
                + " (\"John Klensin\" NIL \"KLENSIN\" \"MIT.EDU\")) NIL NIL"
                + " \"<B27397-0100000@cac.washington.edu>\")"
                + " BODY (\"TEXT\" \"PLAIN\" (\"CHARSET\" \"US-ASCII\") NIL NIL \"7BIT\" 3028 92))\r\n", w.toString());
        assertTrue(w.isAtLineStart());
    }

    private static ImapWriter address(ImapWriter w, String name, String mailbox, String host) {
        return w.openList().nstring(Optional.ofNullable(name)).sp().nil().sp().string(mailbox).sp().string(host)
                .closeList();
    }

    @Test
    void aStreamedBodyLeavesTheLiteralPrefixForTheShell() throws Exception {
        ImapWriter w = new ImapWriter();
        w.untagged().number(2).raw(" FETCH (UID 7 BODY[] ").literalPrefix(5_000_000);
        assertFalse(w.isAtLineStart());
        ByteArrayOutputStream socket = new ByteArrayOutputStream();
        w.drainTo(socket);
        assertEquals(0, w.length());
        socket.write("...".getBytes(StandardCharsets.US_ASCII));
        w.closeList().crlf().drainTo(socket);
        assertEquals("* 2 FETCH (UID 7 BODY[] {5000000}\r\n...)\r\n", socket.toString(StandardCharsets.US_ASCII));
    }

    @Test
    void internalDatesPadTheDayWithASpace() {
        assertEquals("\" 1-Feb-2026 09:05:07 +0930\"", write(w -> w.dateTime(OffsetDateTime.of(2026, 2, 1, 9, 5, 7, 0,
                ZoneOffset.ofHoursMinutes(9, 30)))));
        assertEquals("\"31-Dec-1999 23:59:59 -0330\"", write(w -> w.dateTime(OffsetDateTime.of(1999, 12, 31, 23, 59,
                59, 0, ZoneOffset.ofHoursMinutes(-3, -30)))));
    }

    @Test
    void refusesWhatWouldBreakTheFraming() {
        ImapWriter w = new ImapWriter();
        assertThrows(IllegalArgumentException.class, () -> w.raw("a\r\nb"));
        assertThrows(IllegalArgumentException.class, () -> w.atom("a b"));
        assertThrows(IllegalArgumentException.class, () -> StatusResponse.ok("a", "line\r\nbreak"));
        assertThrows(IllegalArgumentException.class, () -> new StatusResponse("a", StatusResponse.Condition.BYE,
                Optional.empty(), "x"));
        assertThrows(IllegalArgumentException.class, () -> new ResponseCode("X", "a]b"));
        assertEquals("a OK caf?\r\n", write(x -> x.status(StatusResponse.ok("a", "café"))));
    }

    @Test
    void sequenceSetsResolveStarAndPrint() {
        SequenceSet set = SequenceSet.of(new SequenceSet.Range(2, 2), new SequenceSet.Range(4, 7),
                new SequenceSet.Range(12, SequenceSet.STAR));
        assertEquals("2,4:7,12:*", set.toString());
        assertTrue(set.contains(15, 20));
        assertFalse(set.contains(3, 20));
        assertTrue(set.contains(10, 10), "12:* with 10 messages is 10:12");
        assertEquals(List.of(new SequenceSet.Range(2, 2), new SequenceSet.Range(4, 7), new SequenceSet.Range(10, 12)),
                set.resolve(10));
        assertEquals("$", SequenceSet.SAVED.toString());
    }
}
