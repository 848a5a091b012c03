package dev.yubin.imap.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.yubin.imap.protocol.FetchItem.Attribute;
import dev.yubin.imap.protocol.FetchItem.BodySection;
import dev.yubin.imap.protocol.FetchItem.Partial;
import dev.yubin.imap.protocol.FetchItem.Section;
import dev.yubin.imap.protocol.FetchItem.SectionText;
import dev.yubin.imap.protocol.ImapCommand.ListReturn;
import dev.yubin.imap.protocol.ImapCommand.ListSelection;
import dev.yubin.imap.protocol.ImapParser.Complete;
import dev.yubin.imap.protocol.SearchKey.DateRelation;
import dev.yubin.imap.protocol.SequenceSet.Range;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImapParserTest {

    private record Case(String wire, List<Object> events) {
        Case(String wire, String tag, ImapCommand command) {
            this(wire, List.of(new Complete(tag, command)));
        }
    }

    private static final long STAR = SequenceSet.STAR;

    private static SequenceSet seq(long... pairs) {
        Range[] ranges = new Range[pairs.length / 2];
        for (int i = 0; i < ranges.length; i++) {
            ranges[i] = new Range(pairs[2 * i], pairs[2 * i + 1]);
        }
        return SequenceSet.of(ranges);
    }

    private static SearchKey flag(String f) {
        return new SearchKey.HasFlag(f);
    }

    private static SearchKey not(SearchKey k) {
        return new SearchKey.Not(k);
    }

    private static SearchKey and(SearchKey... keys) {
        return new SearchKey.And(List.of(keys));
    }

    private static ImapCommand list(String reference, String pattern) {
        return new ImapCommand.List(reference, List.of(pattern), Set.of(), Set.of(), List.of(), false);
    }

    /** RFC 3501 §6–§8 example commands, RFC 9051 additions, the extensions, and Thunderbird's lines. */
    private static final List<Case> VALID = List.of(
            new Case("abcd CAPABILITY\r\n", "abcd", new ImapCommand.Capability()),
            new Case("a002 NOOP\r\n", "a002", new ImapCommand.Noop()),
            new Case("A023 LOGOUT\r\n", "A023", new ImapCommand.Logout()),
            new Case("a002 starttls\r\n", "a002", new ImapCommand.StartTls()),
            new Case("A001 AUTHENTICATE GSSAPI\r\n", "A001",
                    new ImapCommand.Authenticate("GSSAPI", Optional.empty())),
            new Case("a authenticate plain dGVzdAB0ZXN0AHRlc3Q=\r\n", "a",
                    new ImapCommand.Authenticate("PLAIN", Optional.of("dGVzdAB0ZXN0AHRlc3Q="))),
            new Case("a AUTHENTICATE EXTERNAL =\r\n", "a", new ImapCommand.Authenticate("EXTERNAL", Optional.of("="))),
            new Case("a001 LOGIN SMITH SESAME\r\n", "a001", new ImapCommand.Login("SMITH", "SESAME")),
            new Case("a LOGIN \"fred \\\"the\\\" foo\" \"pa\\\\ss word\"\r\n", "a",
                    new ImapCommand.Login("fred \"the\" foo", "pa\\ss word")),
            new Case("A001 LOGIN {11}\r\nFRED FOOBAR {7}\r\nfat man\r\n",
                    List.of("+", "+", new Complete("A001", new ImapCommand.Login("FRED FOOBAR", "fat man")))),
            new Case("A001 LOGIN {11+}\r\nFRED FOOBAR {7+}\r\nfat man\r\n",
                    List.of(new Complete("A001", new ImapCommand.Login("FRED FOOBAR", "fat man")))),
            new Case("A001 LOGIN abe {0}\r\n\r\n",
                    List.of("+", new Complete("A001", new ImapCommand.Login("abe", "")))),
            new Case("a LOGIN \"\u00e4be\" \"p\u00e4ss\"\r\n", "a", new ImapCommand.Login("\u00e4be", "p\u00e4ss")),
            new Case("A142 SELECT INBOX\r\n", "A142", new ImapCommand.Select("INBOX")),
            new Case("4 select \"inbox\"\r\n", "4", new ImapCommand.Select("INBOX")),
            new Case("a select &ZeVnLIqe-\r\n", "a", new ImapCommand.Select("日本語")),
            new Case("A932 EXAMINE blurdybloop\r\n", "A932", new ImapCommand.Examine("blurdybloop")),
            new Case("A003 CREATE owatagusiam/\r\n", "A003", new ImapCommand.Create("owatagusiam/")),
            new Case("A004 CREATE \"~peter/mail/&U,BTFw-/&ZeVnLIqe-\"\r\n", "A004",
                    new ImapCommand.Create("~peter/mail/台北/日本語")),
            new Case("A683 DELETE blurdybloop\r\n", "A683", new ImapCommand.Delete("blurdybloop")),
            new Case("A683 RENAME blurdybloop sarasota\r\n", "A683",
                    new ImapCommand.Rename("blurdybloop", "sarasota")),
            new Case("A002 SUBSCRIBE #news.comp.mail.mime\r\n", "A002",
                    new ImapCommand.Subscribe("#news.comp.mail.mime")),
            new Case("A002 UNSUBSCRIBE #news.comp.mail.mime\r\n", "A002",
                    new ImapCommand.Unsubscribe("#news.comp.mail.mime")),
            new Case("A101 LIST \"\" \"\"\r\n", "A101", list("", "")),
            new Case("A102 LIST #news.comp.mail.misc \"\"\r\n", "A102", list("#news.comp.mail.misc", "")),
            new Case("A202 LIST ~/Mail/ %\r\n", "A202", list("~/Mail/", "%")),
            new Case("A203 LIST \"\" *\r\n", "A203", list("", "*")),
            new Case("A204 LIST \"\" INBOX.%]\r\n", "A204", list("", "INBOX.%]")),
            new Case("A01 LIST (SUBSCRIBED) \"\" \"*\"\r\n", "A01", new ImapCommand.List("", List.of("*"),
                    Set.of(ListSelection.SUBSCRIBED), Set.of(), List.of(), true)),
            new Case("A02 LIST (SUBSCRIBED RECURSIVEMATCH) \"\" (\"INBOX\" \"Drafts\") RETURN (CHILDREN STATUS"
                    + " (MESSAGES UNSEEN))\r\n", "A02", new ImapCommand.List("", List.of("INBOX", "Drafts"),
                    Set.of(ListSelection.SUBSCRIBED, ListSelection.RECURSIVEMATCH), Set.of(ListReturn.CHILDREN),
                    List.of(StatusItem.MESSAGES, StatusItem.UNSEEN), true)),
            new Case("t1 LIST \"\" \"%\" RETURN (SPECIAL-USE)\r\n", "t1", new ImapCommand.List("", List.of("%"),
                    Set.of(), Set.of(ListReturn.SPECIAL_USE), List.of(), true)),
            new Case("t2 LIST () \"\" *\r\n", "t2", new ImapCommand.List("", List.of("*"), Set.of(), Set.of(),
                    List.of(), true)),
            new Case("t3 list (remote subscribed) \"\" (INBOX \"Sent\" %.%) return ()\r\n", "t3",
                    new ImapCommand.List("", List.of("INBOX", "Sent", "%.%"), Set.of(ListSelection.REMOTE,
                            ListSelection.SUBSCRIBED), Set.of(), List.of(), true)),
            new Case("t4 LIST \"\" (\"\") RETURN (SUBSCRIBED STATUS (MESSAGES) STATUS (UNSEEN MESSAGES)"
                    + " SUBSCRIBED)\r\n", "t4", new ImapCommand.List("", List.of(""), Set.of(),
                    Set.of(ListReturn.SUBSCRIBED), List.of(StatusItem.MESSAGES, StatusItem.UNSEEN), true)),
            new Case("t5 LIST \"\" ({5+}\r\nINBOX Lists.*)\r\n", "t5", new ImapCommand.List("",
                    List.of("INBOX", "Lists.*"), Set.of(), Set.of(), List.of(), true)),
            new Case("A002 LSUB \"#news.\" \"comp.mail.*\"\r\n", "A002",
                    new ImapCommand.Lsub("#news.", "comp.mail.*")),
            new Case("A042 STATUS blurdybloop (UIDNEXT MESSAGES)\r\n", "A042", new ImapCommand.Status("blurdybloop",
                    List.of(StatusItem.UIDNEXT, StatusItem.MESSAGES))),
            new Case("A043 STATUS Sent (messages recent uidnext uidvalidity unseen size deleted)\r\n", "A043",
                    new ImapCommand.Status("Sent", List.of(StatusItem.MESSAGES, StatusItem.RECENT,
                            StatusItem.UIDNEXT, StatusItem.UIDVALIDITY, StatusItem.UNSEEN, StatusItem.SIZE,
                            StatusItem.DELETED))),
            new Case("FXXZ CHECK\r\n", "FXXZ", new ImapCommand.Check()),
            new Case("A341 CLOSE\r\n", "A341", new ImapCommand.Close()),
            new Case("A342 UNSELECT\r\n", "A342", new ImapCommand.Unselect()),
            new Case("A202 EXPUNGE\r\n", "A202", new ImapCommand.Expunge()),
            new Case("A003 UID EXPUNGE 3000:3002\r\n", "A003", new ImapCommand.UidExpunge(seq(3000, 3002))),
            new Case("A282 SEARCH FLAGGED SINCE 1-Feb-1994 NOT FROM \"Smith\"\r\n", "A282",
                    new ImapCommand.Search(Optional.empty(), and(flag("\\Flagged"),
                            new SearchKey.InternalDate(DateRelation.SINCE, LocalDate.of(1994, 2, 1)),
                            not(new SearchKey.Header("FROM", "Smith"))), false)),
            new Case("A283 SEARCH TEXT \"string not in mailbox\"\r\n", "A283", new ImapCommand.Search(
                    Optional.empty(), new SearchKey.Text("string not in mailbox"), false)),
            new Case("A284 SEARCH CHARSET UTF-8 TEXT {6}\r\nsecret\r\n", List.of("+", new Complete("A284",
                    new ImapCommand.Search(Optional.of("UTF-8"), new SearchKey.Text("secret"), false)))),
            new Case("A285 SEARCH CHARSET utf-8 SUBJECT {4+}\r\n\u65e5\u672c\r\n".replace("{4+}", "{6+}"),
                    List.of(new Complete("A285", new ImapCommand.Search(Optional.of("UTF-8"),
                            new SearchKey.Header("SUBJECT", "日本"), false)))),
            new Case("a SEARCH 2,4:7,9,12:* (OR SEEN (NEW)) UID 1:* $\r\n", "a", new ImapCommand.Search(
                    Optional.empty(), and(new SearchKey.SequenceNumbers(seq(2, 2, 4, 7, 9, 9, 12, STAR)),
                            new SearchKey.Or(flag("\\Seen"), and(flag("\\Recent"), not(flag("\\Seen")))),
                            new SearchKey.Uid(seq(1, STAR)), new SearchKey.SequenceNumbers(SequenceSet.SAVED)),
                    false)),
            new Case("a UID SEARCH ALL ANSWERED BCC b BEFORE 1-Jan-2020 BODY x CC c DELETED DRAFT FLAGGED FROM f"
                    + " HEADER X-Spam yes KEYWORD $Junk LARGER 100 NEW NOT SEEN OLD ON \"31-Dec-2019\" OR TO t RECENT"
                    + " SEEN SENTBEFORE 2-Feb-2020 SENTON 3-Mar-2020 SENTSINCE 04-Apr-2020 SINCE 5-May-2020"
                    + " SMALLER 5000000000 SUBJECT s TEXT t TO t UID 5 UNANSWERED UNDELETED UNDRAFT UNFLAGGED"
                    + " UNKEYWORD $Forwarded UNSEEN\r\n", "a", new ImapCommand.Search(Optional.empty(), and(
                            new SearchKey.All(), flag("\\Answered"), new SearchKey.Header("BCC", "b"),
                            new SearchKey.InternalDate(DateRelation.BEFORE, LocalDate.of(2020, 1, 1)),
                            new SearchKey.Body("x"), new SearchKey.Header("CC", "c"), flag("\\Deleted"),
                            flag("\\Draft"), flag("\\Flagged"), new SearchKey.Header("FROM", "f"),
                            new SearchKey.Header("X-SPAM", "yes"), flag("$Junk"), new SearchKey.Larger(100),
                            and(flag("\\Recent"), not(flag("\\Seen"))), not(flag("\\Seen")),
                            not(flag("\\Recent")),
                            new SearchKey.InternalDate(DateRelation.ON, LocalDate.of(2019, 12, 31)),
                            new SearchKey.Or(new SearchKey.Header("TO", "t"), flag("\\Recent")), flag("\\Seen"),
                            new SearchKey.SentDate(DateRelation.BEFORE, LocalDate.of(2020, 2, 2)),
                            new SearchKey.SentDate(DateRelation.ON, LocalDate.of(2020, 3, 3)),
                            new SearchKey.SentDate(DateRelation.SINCE, LocalDate.of(2020, 4, 4)),
                            new SearchKey.InternalDate(DateRelation.SINCE, LocalDate.of(2020, 5, 5)),
                            new SearchKey.Smaller(5_000_000_000L), new SearchKey.Header("SUBJECT", "s"),
                            new SearchKey.Text("t"), new SearchKey.Header("TO", "t"), new SearchKey.Uid(seq(5, 5)),
                            not(flag("\\Answered")), not(flag("\\Deleted")), not(flag("\\Draft")),
                            not(flag("\\Flagged")), not(flag("$Forwarded")), not(flag("\\Seen"))), true)),
            new Case("A654 FETCH 2:4 (FLAGS BODY[HEADER.FIELDS (DATE FROM)])\r\n", "A654", new ImapCommand.Fetch(
                    seq(2, 4), List.of(Attribute.FLAGS, new BodySection(false, new Section(List.of(),
                            SectionText.HEADER_FIELDS, List.of("DATE", "FROM")), Optional.empty())), false)),
            new Case("a FETCH 1 ALL\r\n", "a", new ImapCommand.Fetch(seq(1, 1), FetchItem.ALL, false)),
            new Case("a FETCH 1 fast\r\n", "a", new ImapCommand.Fetch(seq(1, 1), FetchItem.FAST, false)),
            new Case("a FETCH 1:* FULL\r\n", "a", new ImapCommand.Fetch(seq(1, STAR), FetchItem.FULL, false)),
            new Case("A005 fetch 2 RFC822\r\n", "A005", new ImapCommand.Fetch(seq(2, 2), List.of(Attribute.RFC822),
                    false)),
            new Case("a FETCH *:4 (UID RFC822.SIZE BODY.PEEK[1.2.MIME] BODY[]<0.1024> BODYSTRUCTURE ENVELOPE"
                    + " INTERNALDATE RFC822 RFC822.HEADER RFC822.TEXT BODY BODY[TEXT] BODY[1] BODY[3.HEADER]"
                    + " body.peek[2.header.fields.not (X-A \"x-b\")]<10.20>)\r\n", "a", new ImapCommand.Fetch(
                    seq(STAR, 4), List.of(Attribute.UID, Attribute.RFC822_SIZE,
                    new BodySection(true, new Section(List.of(1, 2), SectionText.MIME, List.of()), Optional.empty()),
                    new BodySection(false, Section.WHOLE, Optional.of(new Partial(0, 1024))),
                    Attribute.BODYSTRUCTURE, Attribute.ENVELOPE, Attribute.INTERNALDATE, Attribute.RFC822,
                    Attribute.RFC822_HEADER, Attribute.RFC822_TEXT, Attribute.BODY,
                    new BodySection(false, new Section(List.of(), SectionText.TEXT, List.of()), Optional.empty()),
                    new BodySection(false, new Section(List.of(1), SectionText.ALL, List.of()), Optional.empty()),
                    new BodySection(false, new Section(List.of(3), SectionText.HEADER, List.of()), Optional.empty()),
                    new BodySection(true, new Section(List.of(2), SectionText.HEADER_FIELDS_NOT,
                            List.of("X-A", "X-B")), Optional.of(new Partial(10, 20)))), false)),
            new Case("A999 UID FETCH 4827313:4828442 FLAGS\r\n", "A999", new ImapCommand.Fetch(
                    seq(4827313, 4828442), List.of(Attribute.UID, Attribute.FLAGS), true)),
            new Case("A003 STORE 2:4 +FLAGS (\\Deleted)\r\n", "A003", new ImapCommand.Store(seq(2, 4),
                    new StoreAction(StoreAction.Mode.ADD, false, List.of("\\Deleted")), false)),
            new Case("a STORE 1 -FLAGS.SILENT \\seen $Label1\r\n", "a", new ImapCommand.Store(seq(1, 1),
                    new StoreAction(StoreAction.Mode.REMOVE, true, List.of("\\Seen", "$Label1")), false)),
            new Case("a UID STORE 7 FLAGS ()\r\n", "a", new ImapCommand.Store(seq(7, 7),
                    new StoreAction(StoreAction.Mode.REPLACE, false, List.of()), true)),
            new Case("A003 COPY 2:4 MEETING\r\n", "A003", new ImapCommand.Copy(seq(2, 4), "MEETING", false)),
            new Case("a UID COPY 42,45 Trash\r\n", "a", new ImapCommand.Copy(seq(42, 42, 45, 45), "Trash", true)),
            new Case("a MOVE 2:4 Trash\r\n", "a", new ImapCommand.Move(seq(2, 4), "Trash", false)),
            new Case("a UID MOVE 42:69 foo\r\n", "a", new ImapCommand.Move(seq(42, 69), "foo", true)),
            new Case("a IDLE\r\n", "a", new ImapCommand.Idle()),
            new Case("DONE\r\n", "", new ImapCommand.Done()),
            new Case("done\r\n", "", new ImapCommand.Done()),
            new Case("DONE NOOP\r\n", "DONE", new ImapCommand.Noop()),
            new Case("A001 NAMESPACE\r\n", "A001", new ImapCommand.Namespace()),
            new Case("a023 ID (\"name\" \"sodr\" \"version\" \"19.34\" \"vendor\" \"Pink Floyd Music Limited\""
                    + " \"os\" NIL)\r\n", "a023", new ImapCommand.Id(Map.of("name", "sodr", "version", "19.34",
                    "vendor", "Pink Floyd Music Limited"))),
            new Case("a ID NIL\r\n", "a", new ImapCommand.Id(Map.of())),
            new Case("t1 ENABLE CONDSTORE X-GOOD-IDEA\r\n", "t1", new ImapCommand.Enable(List.of("CONDSTORE",
                    "X-GOOD-IDEA"))),
            new Case("a XYZZY\r\n", "a", new ImapCommand.Unknown("XYZZY")),
            new Case("a1]x NOOP\r\n", "a1]x", new ImapCommand.Noop()),
            new Case("A003 APPEND saved-messages (\\Seen) {31}\r\nDate: x\r\nSubject: y\r\n\r\nHello!\r\n\r\n",
                    List.of("+", new ParserShell.AppendView("A003", "saved-messages", List.of("\\Seen"),
                            "Optional.empty", "Date: x\r\nSubject: y\r\n\r\nHello!\r\n"))),
            new Case("a APPEND {5+}\r\nINBOX \"17-Jul-1996 02:44:25 -0700\" {3+}\r\nhi\n\r\n",
                    List.of(new ParserShell.AppendView("a", "INBOX", List.of(), Optional.of(OffsetDateTime.of(
                            1996, 7, 17, 2, 44, 25, 0, ZoneOffset.ofHours(-7))).toString(), "hi\n"))),
            new Case("a APPEND Drafts (\\Draft \\Seen $MDNSent) \" 7-Jul-2026 12:00:00 +0900\" {0}\r\n\r\n",
                    List.of("+", new ParserShell.AppendView("a", "Drafts", List.of("\\Draft", "\\Seen", "$MDNSent"),
                            Optional.of(OffsetDateTime.of(2026, 7, 7, 12, 0, 0, 0, ZoneOffset.ofHours(9)))
                                    .toString(), ""))));

    /** Bad input gives BAD with a reason that names what was expected. */
    private static final List<Case> INVALID = List.of(
            invalid("\r\n", "*", "Syntax error: expected a tag"),
            invalid("a\r\n", "a", "Syntax error: missing arguments (expected a space after the tag)"),
            invalid("+a NOOP\r\n", "*", "Syntax error: expected a tag"),
            invalid("a NOOP extra\r\n", "a", "Syntax error in NOOP: unexpected \" extra\" at the end of the"
                    + " command"),
            invalid("a LOGIN fred\r\n", "a", "Syntax error in LOGIN: missing arguments (expected a space before the"
                    + " password) (usage: LOGIN user password)"),
            invalid("a LOGIN \"a\\b\" x\r\n", "a", "Syntax error in LOGIN: in a quoted string, '\\' may only escape"
                    + " '\"' or '\\' (usage: LOGIN user password)"),
            invalid("a SELECT \"INBOX\r\n", "a", "Syntax error in SELECT: unterminated quoted string (usage: SELECT"
                    + " mailbox)"),
            new Case("a SELECT &Jjo\r\n", List.of(new Complete("a", new ImapCommand.Refused(ResponseCode.CANNOT,
                    "Mailbox name is not valid mUTF-7: Unterminated &.")))),
            invalid("a SELECT caf\u00e9\r\n", "a", "Syntax error in SELECT: unexpected \"??\" at the end of the command"
                    + " (usage: SELECT mailbox)"),
            invalid("a FETCH 0 FLAGS\r\n", "a", "Syntax error in FETCH: invalid sequence number 0 (usage: FETCH"
                    + " sequence-set items)"),
            invalid("a FETCH 4294967296 FLAGS\r\n", "a", "Syntax error in FETCH: a sequence number is too large"
                    + " (usage: FETCH sequence-set items)"),
            invalid("a FETCH 1 (FLAGS\r\n", "a", "Syntax error in FETCH: expected ')' (usage: FETCH sequence-set"
                    + " items)"),
            invalid("a FETCH 1 BODY[1.]\r\n", "a", "Syntax error in FETCH: expected a section after '.' (usage:"
                    + " FETCH sequence-set items)"),
            invalid("a FETCH 1 BODY[MIME]\r\n", "a", "Syntax error in FETCH: MIME needs a part number (usage: FETCH"
                    + " sequence-set items)"),
            invalid("a FETCH 1 BODY[]<0.0>\r\n", "a", "Syntax error in FETCH: the partial count must not be 0"
                    + " (usage: FETCH sequence-set items)"),
            invalid("a FETCH 1 FLAGZ\r\n", "a", "Syntax error in FETCH: unknown fetch item FLAGZ (usage: FETCH"
                    + " sequence-set items)"),
            invalid("a SEARCH BOGUS\r\n", "a", "Syntax error in SEARCH: unknown search key BOGUS (usage: SEARCH"
                    + " [CHARSET name] keys)"),
            invalid("a SEARCH NOT\r\n", "a", "Syntax error in SEARCH: missing arguments (expected a space after"
                    + " NOT) (usage: SEARCH [CHARSET name] keys)"),
            invalid("a SEARCH SINCE 30-Feb-2020\r\n", "a", "Syntax error in SEARCH: no such date (usage: SEARCH"
                    + " [CHARSET name] keys)"),
            invalid("a SEARCH ON 1-Foo-2020\r\n", "a", "Syntax error in SEARCH: expected a month name (Jan…Dec)"
                    + " (usage: SEARCH [CHARSET name] keys)"),
            invalid("a STORE 1 FLAGZ (\\Seen)\r\n", "a", "Syntax error in STORE: expected FLAGS, +FLAGS or -FLAGS,"
                    + " optionally .SILENT (usage: STORE sequence-set [+|-]FLAGS[.SILENT] (flags))"),
            invalid("a UID NOOP\r\n", "a", "Syntax error in UID: UID NOOP is not a UID command; expected COPY, MOVE,"
                    + " FETCH, SEARCH, STORE or EXPUNGE (usage: UID COPY|MOVE|FETCH|SEARCH|STORE|EXPUNGE ...)"),
            invalid("a APPEND INBOX \"32-Jan-2020 00:00:00 +0000\" {1}\r\nx\r\n", "a", "Syntax error in APPEND: no such"
                    + " date (usage: APPEND mailbox [(flags)] [\"date-time\"] {size})", "+"),
            invalid("a APPEND INBOX hello\r\n", "a", "Syntax error in APPEND: expected the message as a literal"
                    + " (usage: APPEND mailbox [(flags)] [\"date-time\"] {size})"),
            invalid("a STATUS INBOX (MESSAGES BOGUS)\r\n", "a", "Syntax error in STATUS: unknown status item BOGUS"
                    + " (usage: STATUS mailbox (items))"),
            invalid("a LIST (BOGUS) \"\" *\r\n", "a", "Syntax error in LIST: unknown LIST selection option BOGUS"
                    + " (usage: LIST [(options)] reference pattern [RETURN (options)])"),
            listInvalid("a LIST (RECURSIVEMATCH) \"\" *\r\n", "RECURSIVEMATCH needs the SUBSCRIBED selection"
                    + " option"),
            listInvalid("a LIST (REMOTE RECURSIVEMATCH) \"\" *\r\n", "RECURSIVEMATCH needs the SUBSCRIBED"
                    + " selection option"),
            listInvalid("a LIST (SPECIAL-USE RECURSIVEMATCH) \"\" *\r\n", "RECURSIVEMATCH needs the SUBSCRIBED"
                    + " selection option"),
            listInvalid("a LIST (SUBSCRIBED \"\" *\r\n", "expected a LIST selection option"),
            listInvalid("a LIST (SUBSCRIBED)\"\" *\r\n", "expected a space before the reference"),
            listInvalid("a LIST \"\" ()\r\n", "expected a mailbox pattern"),
            listInvalid("a LIST \"\" (INBOX \r\n", "expected a mailbox pattern"),
            listInvalid("a LIST \"\" * RETURN (BOGUS)\r\n", "unknown LIST return option BOGUS"),
            listInvalid("a LIST \"\" * RETURN (SUBSCRIBED )\r\n", "expected a LIST return option"),
            listInvalid("a LIST \"\" * RETURN (STATUS ())\r\n", "expected a status item"),
            listInvalid("a LIST \"\" * RETURN (STATUS (MESSAGES BOGUS))\r\n", "unknown status item BOGUS"),
            listInvalid("a LIST \"\" * RETURN (STATUS)\r\n", "expected a space after STATUS"),
            listInvalid("a LIST \"\" * RETURN\r\n", "missing arguments (expected a space after RETURN)"),
            listInvalid("a LIST \"\" * FOO ()\r\n", "expected RETURN"),
            invalid("a AUTHENTICATE PLAIN not*base64\r\n", "a", "Syntax error in AUTHENTICATE: the initial response"
                    + " is not base64 (usage: AUTHENTICATE mechanism [initial-response])"));

    private static Case listInvalid(String wire, String reason) {
        return invalid(wire, "a", "Syntax error in LIST: " + reason + " (usage: LIST [(options)] reference pattern"
                + " [RETURN (options)])");
    }

    private static Case invalid(String wire, String tag, String reason, Object... before) {
        List<Object> events = new java.util.ArrayList<>(List.of(before));
        events.add(new Complete(tag, new ImapCommand.Invalid(reason)));
        return new Case(wire, events);
    }

    @Test
    void rfcExamplesParseWholeSplitAtEveryByteAndBytewise() {
        runAll(VALID);
    }

    @Test
    void badSyntaxGivesReasonsWholeSplitAtEveryByteAndBytewise() {
        runAll(INVALID);
    }

    @Test
    void invalidUtf8InAQuotedStringIsBad() {
        byte[] wire = "a LOGIN \"\u00ff\" x\r\n".getBytes(StandardCharsets.ISO_8859_1);
        ParserShell shell = new ParserShell().receive(wire);
        assertEquals(List.of(new Complete("a", new ImapCommand.Invalid("Syntax error in LOGIN: a string is not"
                + " valid UTF-8 (usage: LOGIN user password)"))), shell.events);
    }

    private static void runAll(List<Case> cases) {
        for (Case c : cases) {
            byte[] wire = c.wire().getBytes(StandardCharsets.UTF_8);
            assertEquals(c.events(), new ParserShell().receive(wire).events, "whole: " + c.wire());
            assertEquals(c.events(), new ParserShell().receiveBytewise(wire).events, "bytewise: " + c.wire());
            for (int cut = 1; cut < wire.length; cut++) {
                assertEquals(c.events(), new ParserShell().receive(wire, cut).events, "cut " + cut + ": " + c.wire());
            }
        }
    }

    @Test
    void aPipelineOfCommandsComesOutInOrder() {
        String wire = "1 capability\r\n2 login abe {8+}\r\npassword\r\n3 select INBOX\r\n4 UID fetch 1:* (FLAGS)\r\n"
                + "5 IDLE\r\nDONE\r\n6 logout\r\n";
        List<Object> events = new ParserShell().receive(wire.getBytes(StandardCharsets.UTF_8)).events;
        assertEquals(List.of(new Complete("1", new ImapCommand.Capability()),
                new Complete("2", new ImapCommand.Login("abe", "password")),
                new Complete("3", new ImapCommand.Select("INBOX")),
                new Complete("4", new ImapCommand.Fetch(seq(1, STAR), List.of(Attribute.UID, Attribute.FLAGS), true)),
                new Complete("5", new ImapCommand.Idle()), new Complete("", new ImapCommand.Done()),
                new Complete("6", new ImapCommand.Logout())), events);
    }

    @Test
    void enableUtf8TakesMailboxNamesAsUtf8() {
        ParserShell shell = new ParserShell();
        shell.parser.enableUtf8();
        shell.receive("a SELECT \"Entw\u00fcrfe\"\r\nb SELECT &Jjo-\r\n".getBytes(StandardCharsets.UTF_8));
        assertEquals(List.of(new Complete("a", new ImapCommand.Select("Entwürfe")),
                new Complete("b", new ImapCommand.Select("&Jjo-"))), shell.events);
    }

    @Test
    void appendUtf8Literal8IsTakenOnlyAfterEnableWholeSplitAndBytewise() {
        byte[] wire = ("a APPEND INBOX (\\Seen) UTF8 (~{15}\r\nSubject: \u00fc\r\n\r\n)\r\n"
                + "b APPEND \"\u53f0\" UTF8 (~{2+}\r\nhi)\r\n").getBytes(StandardCharsets.UTF_8);
        List<Object> expected = List.of("+", new ParserShell.AppendView("a", "INBOX", List.of("\\Seen"),
                "Optional.empty", "Subject: \u00fc\r\n\r\n"), new ParserShell.AppendView("b", "\u53f0", List.of(),
                "Optional.empty", "hi"));
        for (int cut = 0; cut < wire.length; cut++) {
            ParserShell shell = new ParserShell();
            shell.parser.enableUtf8();
            assertEquals(expected, (cut == 0 ? shell.receiveBytewise(wire) : shell.receive(wire, cut)).events,
                    "cut " + cut);
        }
        List<Object> before = new ParserShell().receive("a APPEND INBOX UTF8 (~{2+}\r\nhi)\r\n"
                .getBytes(StandardCharsets.UTF_8)).events;
        assertEquals(List.of(new Complete("a", new ImapCommand.Invalid("Syntax error in APPEND: APPEND UTF8 needs"
                + " ENABLE UTF8=ACCEPT (usage: APPEND mailbox [(flags)] [\"date-time\"] {size})"))), before);
    }

    @Test
    void loginToStringHidesThePassword() {
        assertEquals("Login[user=abe, password=<redacted>]", new ImapCommand.Login("abe", "secret").toString());
        assertFalse(new ImapCommand.Authenticate("PLAIN", Optional.of("AGFiZQBzZWNyZXQ=")).toString()
                .contains("AGFi"));
    }

    // ---- literals and limits ----------------------------------------------------------------------------------

    @Test
    void aSynchronizingLiteralOverTheLimitIsRefusedAtOnceAndTheNextLineIsANewCommand() {
        ParserShell shell = new ParserShell(ImapLimits.defaults().withMaxLiteralSize(10));
        shell.receive("a LOGIN {11}\r\nb NOOP\r\n".getBytes(StandardCharsets.UTF_8));
        assertEquals(List.of(new Complete("a", new ImapCommand.Invalid("Literal too large (max 10 octets)")),
                new Complete("b", new ImapCommand.Noop())), shell.events);
    }

    @Test
    void aNonSynchronizingLiteralOverTheLimitIsDrainedThenRefused() {
        ParserShell shell = new ParserShell(ImapLimits.defaults().withMaxLiteralSize(10));
        shell.receive("a LOGIN {11+}\r\nFRED FOOBAR {7+}\r\nfat man\r\nb NOOP\r\n".getBytes(StandardCharsets.UTF_8));
        assertEquals(List.of("discard 11", "discard 7",
                new Complete("a", new ImapCommand.Invalid("Literal too large (max 10 octets)")),
                new Complete("b", new ImapCommand.Noop())), shell.events);
    }

    @Test
    void tooManyLiteralsIsBad() {
        ParserShell shell = new ParserShell(ImapLimits.defaults().withMaxLiterals(1));
        shell.receive("a LOGIN {3}\r\nabe {3}\r\nb NOOP\r\n".getBytes(StandardCharsets.UTF_8));
        assertEquals(List.of("+", new Complete("a", new ImapCommand.Invalid("Too many literals (max 1)")),
                new Complete("b", new ImapCommand.Noop())), shell.events);
    }

    @Test
    void lineAndCommandLengthLimits() {
        ParserShell shell = new ParserShell(ImapLimits.defaults().withMaxLineLength(20).withMaxCommandLength(30));
        shell.receive(("a SELECT 123456789012345\r\nb NOOP\r\nc LOGIN {5+}\r\n12345 12345678901234\r\n")
                .getBytes(StandardCharsets.UTF_8));
        assertEquals(List.of(new Complete("a", new ImapCommand.Invalid("Line too long (max 20 octets)")),
                new Complete("b", new ImapCommand.Noop()),
                new Complete("c", new ImapCommand.Invalid("Command too long (max 30 octets)"))), shell.events);
    }

    @Test
    void nestingDepthIsLimitedForGroupsNotAndOr() {
        ImapLimits limits = ImapLimits.defaults().withMaxNestingDepth(5);
        String deep = "a SEARCH " + "(".repeat(6) + "ALL" + ")".repeat(6) + "\r\n";
        String nots = "b SEARCH " + "NOT ".repeat(10_000) + "ALL\r\n";
        String ok = "c SEARCH " + "(".repeat(5) + "ALL" + ")".repeat(5) + "\r\n";
        ParserShell shell = new ParserShell(limits.withMaxLineLength(100_000).withMaxCommandLength(100_000))
                .receive((deep + nots + ok).getBytes(StandardCharsets.UTF_8));
        assertEquals(List.of(new Complete("a", new ImapCommand.Invalid("Too deeply nested (max 5 levels)")),
                new Complete("b", new ImapCommand.Invalid("Too deeply nested (max 5 levels)")),
                new Complete("c", new ImapCommand.Search(Optional.empty(), new SearchKey.All(), false))),
                shell.events);
    }

    @Test
    void sequenceRangesAreLimited() {
        StringBuilder set = new StringBuilder("1");
        for (int i = 2; i <= 101; i++) {
            set.append(',').append(i);
        }
        ParserShell shell = new ParserShell(ImapLimits.unauthenticated())
                .receive(("a FETCH " + set + " FLAGS\r\n").getBytes(StandardCharsets.UTF_8));
        assertEquals(List.of(new Complete("a", new ImapCommand.Invalid("Too many sequence ranges (max 100)"))),
                shell.events);
    }

    @Test
    void appendOverTheLimitIsNoTooBigAndNoSinkIsOpened() {
        ParserShell shell = new ParserShell(ImapLimits.defaults().withMaxAppendSize(100));
        shell.receive("a APPEND INBOX {101}\r\nb APPEND INBOX {101+}\r\n".getBytes(StandardCharsets.UTF_8));
        byte[] body = new byte[101];
        java.util.Arrays.fill(body, (byte) 'x');
        shell.receive(body).receive("\r\n".getBytes(StandardCharsets.UTF_8));
        ImapCommand tooBig = new ImapCommand.Refused(ResponseCode.TOOBIG, "Message too large (max 100 octets)");
        assertEquals(List.of(new Complete("a", tooBig), "discard 101", new Complete("b", tooBig)), shell.events);
        assertTrue(shell.sinks.isEmpty());
    }

    @Test
    void aMailboxLiteralIsKeptInMemoryAndOnlyTheMessageGoesToTheSink() {
        ParserShell shell = new ParserShell();
        shell.receive("a APPEND {5}\r\nINBOX {4}\r\nabcd\r\n".getBytes(StandardCharsets.UTF_8));
        assertEquals(1, shell.sinks.size());
        assertEquals("abcd", shell.sinks.get(0).bytes.toString(StandardCharsets.UTF_8));
        assertEquals(List.of("+", "+", new ParserShell.AppendView("a", "INBOX", List.of(), "Optional.empty",
                "abcd")), shell.events);
    }

    @Test
    void aBadAppendCommandAfterItsMessageClosesTheContent() {
        ParserShell shell = new ParserShell();
        shell.receive("a APPEND INBOX {3}\r\nabc trailing\r\n".getBytes(StandardCharsets.UTF_8));
        assertEquals(List.of("+", new Complete("a", new ImapCommand.Invalid("Syntax error in APPEND: unexpected"
                + " \" trailing\" at the end of the command (usage: APPEND mailbox [(flags)] [\"date-time\"]"
                + " {size})"))), shell.events);
        assertTrue(shell.sinks.get(0).finished);
    }

    @Test
    void abortDiscardsAMessageInProgress() {
        ParserShell shell = new ParserShell();
        shell.receive("a APPEND INBOX {10}\r\nabc".getBytes(StandardCharsets.UTF_8));
        assertTrue(shell.parser.isInCommand());
        assertEquals(7, shell.parser.literalRemaining());
        shell.parser.abort();
        assertTrue(shell.sinks.get(0).aborted);
        assertFalse(shell.parser.isInCommand());
        shell.receive("b NOOP\r\n".getBytes(StandardCharsets.UTF_8));
        assertEquals(List.of("+", new Complete("b", new ImapCommand.Noop())), shell.events);
    }

    @Test
    void aFailingSinkGivesNoUnavailableAfterTheLiteral() {
        ImapParser parser = new ImapParser(ImapLimits.defaults(), size -> new LiteralSink() {
            @Override
            public void write(byte[] bytes, int offset, int length) throws java.io.IOException {
                throw new java.io.IOException("disk full");
            }

            @Override
            public dev.yubin.core.message.MessageContent finish() {
                throw new AssertionError("not after a failed write");
            }

            @Override
            public void abort() {
            }
        });
        assertEquals(new ImapParser.NeedLiteral(3, false, false), parser.feedLine("a APPEND INBOX {3+}"));
        assertEquals(3, parser.feedLiteral("abc".getBytes(StandardCharsets.UTF_8), 0, 3));
        assertEquals(new Complete("a", new ImapCommand.Refused(ResponseCode.UNAVAILABLE,
                "Cannot store the message now")), parser.feedLine(""));
    }

    @Test
    void feedingOutOfTurnIsAShellBug() {
        ImapParser parser = new ImapParser(ImapLimits.defaults(), size -> new ParserShell.RecordingSink());
        assertThrows(IllegalStateException.class, () -> parser.feedLiteral(new byte[1], 0, 1));
        parser.feedLine("a LOGIN {3}");
        assertThrows(IllegalStateException.class, () -> parser.feedLine("abe"));
    }

    @Test
    void aLargeAppendStreamsThroughAContentSpoolToAFile(@TempDir Path spool) throws Exception {
        ImapParser parser = new ImapParser(ImapLimits.defaults(), LiteralSink.spooling(spool, 64 * 1024));
        int size = 5 << 20;
        ImapParser.Result need = parser.feedLine("A1 APPEND INBOX (\\Seen) {" + size + "}");
        assertEquals(new ImapParser.NeedLiteral(size, true, false), need);
        byte[] chunk = new byte[64 * 1024];
        for (int i = 0; i < chunk.length; i++) {
            chunk[i] = (byte) ('a' + i % 26);
        }
        long fed = 0;
        while (parser.literalRemaining() > 0) {
            fed += parser.feedLiteral(chunk, 0, chunk.length);
        }
        assertEquals(size, fed);
        try (var files = Files.list(spool)) {
            assertEquals(1, files.count(), "spooled to a file, not kept in the heap");
        }
        Complete done = (Complete) parser.feedLine("");
        ImapCommand.Append append = assertInstanceOf(ImapCommand.Append.class, done.command());
        assertEquals(size, append.message().size());
        try (InputStream in = append.message().openStream()) {
            byte[] head = in.readNBytes(3);
            assertEquals("abc", new String(head, StandardCharsets.US_ASCII));
        }
        append.message().close();
    }
}
