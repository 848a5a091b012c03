package dev.yubin.imap.protocol;

import dev.yubin.core.message.MessageContent;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Recursive descent over one complete command: its lines, with the literals between them. Package-private; used by
 * {@link ImapParser} once per command. Grammar errors unwind as a stackless {@link SyntaxError}.
 */
final class CommandReader {
    private static final String[] MONTHS = {"JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT",
        "NOV", "DEC"};
    private static final Map<String, String> SYSTEM_FLAGS = Map.of(
            "\\SEEN", "\\Seen", "\\ANSWERED", "\\Answered", "\\FLAGGED", "\\Flagged", "\\DELETED", "\\Deleted",
            "\\DRAFT", "\\Draft", "\\RECENT", "\\Recent");
    private static final Map<String, String> USAGE = Map.ofEntries(
            Map.entry("AUTHENTICATE", "AUTHENTICATE mechanism [initial-response]"),
            Map.entry("LOGIN", "LOGIN user password"),
            Map.entry("SELECT", "SELECT mailbox"),
            Map.entry("EXAMINE", "EXAMINE mailbox"),
            Map.entry("CREATE", "CREATE mailbox"),
            Map.entry("DELETE", "DELETE mailbox"),
            Map.entry("RENAME", "RENAME mailbox new-name"),
            Map.entry("SUBSCRIBE", "SUBSCRIBE mailbox"),
            Map.entry("UNSUBSCRIBE", "UNSUBSCRIBE mailbox"),
            Map.entry("LIST", "LIST [(options)] reference pattern [RETURN (options)]"),
            Map.entry("LSUB", "LSUB reference pattern"),
            Map.entry("STATUS", "STATUS mailbox (items)"),
            Map.entry("APPEND", "APPEND mailbox [(flags)] [\"date-time\"] {size}"),
            Map.entry("SEARCH", "SEARCH [CHARSET name] keys"),
            Map.entry("FETCH", "FETCH sequence-set items"),
            Map.entry("STORE", "STORE sequence-set [+|-]FLAGS[.SILENT] (flags)"),
            Map.entry("COPY", "COPY sequence-set mailbox"),
            Map.entry("MOVE", "MOVE sequence-set mailbox"),
            Map.entry("UID", "UID COPY|MOVE|FETCH|SEARCH|STORE|EXPUNGE ..."),
            Map.entry("EXPUNGE", "EXPUNGE"),
            Map.entry("ENABLE", "ENABLE capability..."),
            Map.entry("ID", "ID (\"field\" \"value\" ...) or ID NIL"));

    /** A grammar violation; stackless because it is control flow inside the parser. */
    /** A mailbox name that is not valid modified UTF-7; stackless, like {@link SyntaxError}. */
    static final class InvalidName extends RuntimeException {
        InvalidName(String message) {
            super(message, null, false, false);
        }
    }

    static final class SyntaxError extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final boolean limit;

        SyntaxError(String message, boolean limit) {
            super(message, null, false, false);
            this.limit = limit;
        }
    }

    private final List<Object> segments;
    private final ImapLimits limits;
    private final boolean utf8;
    private int segment;
    private byte[] line;
    private int pos;
    private int depth;
    private String verb = "";

    CommandReader(List<Object> segments, ImapLimits limits, boolean utf8) {
        this.segments = segments;
        this.limits = limits;
        this.utf8 = utf8;
        this.line = (byte[]) segments.get(0);
    }

    ImapCommand command() {
        try {
            tag();
            sp("after the tag");
            verb = ImapParser.upper(atom("a command name"));
            ImapCommand command = dispatch(verb, false);
            end();
            return command;
        } catch (InvalidName e) {
            // well-formed, but no mailbox can have this name: NO, as Dovecot answers (BAD is for syntax)
            return new ImapCommand.Refused(ResponseCode.CANNOT, e.getMessage());
        } catch (SyntaxError e) {
            if (e.limit) {
                return new ImapCommand.Invalid(e.getMessage());
            }
            String usage = USAGE.get(verb);
            String where = verb.isEmpty() ? "" : " in " + verb;
            return new ImapCommand.Invalid("Syntax error" + where + ": " + e.getMessage()
                    + (usage == null ? "" : " (usage: " + usage + ")"));
        }
    }

    private ImapCommand dispatch(String name, boolean uid) {
        switch (name) {
            case "CAPABILITY":
                return new ImapCommand.Capability();
            case "NOOP":
                return new ImapCommand.Noop();
            case "LOGOUT":
                return new ImapCommand.Logout();
            case "STARTTLS":
                return new ImapCommand.StartTls();
            case "CHECK":
                return new ImapCommand.Check();
            case "CLOSE":
                return new ImapCommand.Close();
            case "UNSELECT":
                return new ImapCommand.Unselect();
            case "EXPUNGE":
                if (uid) {
                    sp("after UID EXPUNGE");
                    return new ImapCommand.UidExpunge(sequenceSet());
                }
                return new ImapCommand.Expunge();
            case "IDLE":
                return new ImapCommand.Idle();
            case "NAMESPACE":
                return new ImapCommand.Namespace();
            case "AUTHENTICATE":
                return authenticate();
            case "LOGIN": {
                sp("before the user name");
                String user = astring("a user name");
                sp("before the password");
                return new ImapCommand.Login(user, astring("a password"));
            }
            case "SELECT":
                sp("before the mailbox");
                return new ImapCommand.Select(mailbox());
            case "EXAMINE":
                sp("before the mailbox");
                return new ImapCommand.Examine(mailbox());
            case "CREATE":
                sp("before the mailbox");
                return new ImapCommand.Create(mailbox());
            case "DELETE":
                sp("before the mailbox");
                return new ImapCommand.Delete(mailbox());
            case "RENAME": {
                sp("before the mailbox");
                String from = mailbox();
                sp("before the new name");
                return new ImapCommand.Rename(from, mailbox());
            }
            case "SUBSCRIBE":
                sp("before the mailbox");
                return new ImapCommand.Subscribe(mailbox());
            case "UNSUBSCRIBE":
                sp("before the mailbox");
                return new ImapCommand.Unsubscribe(mailbox());
            case "LIST":
                return list();
            case "LSUB": {
                sp("before the reference");
                String reference = mailbox();
                sp("before the pattern");
                return new ImapCommand.Lsub(reference, listMailbox());
            }
            case "STATUS":
                return status();
            case "APPEND":
                return append();
            case "SEARCH":
                return search(uid);
            case "FETCH":
                return fetch(uid);
            case "STORE":
                return store(uid);
            case "COPY": {
                sp("before the sequence set");
                SequenceSet set = sequenceSet();
                sp("before the mailbox");
                return new ImapCommand.Copy(set, mailbox(), uid);
            }
            case "MOVE": {
                sp("before the sequence set");
                SequenceSet set = sequenceSet();
                sp("before the mailbox");
                return new ImapCommand.Move(set, mailbox(), uid);
            }
            case "UID":
                if (uid) {
                    throw error("UID UID");
                }
                return uidCommand();
            case "ENABLE":
                return enable();
            case "ID":
                return id();
            default:
                throw new UnknownCommand(name);
        }
    }

    /** Thrown up to {@link #command()} for a verb nobody knows; turned into {@link ImapCommand.Unknown}. */
    private static final class UnknownCommand extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final String name;

        UnknownCommand(String name) {
            super(name, null, false, false);
            this.name = name;
        }
    }

    ImapCommand commandOrUnknown() {
        try {
            return command();
        } catch (UnknownCommand e) {
            return new ImapCommand.Unknown(e.name);
        }
    }

    private ImapCommand uidCommand() {
        sp("after UID");
        String sub = ImapParser.upper(atom("COPY, MOVE, FETCH, SEARCH, STORE or EXPUNGE"));
        switch (sub) {
            case "COPY":
            case "MOVE":
            case "FETCH":
            case "SEARCH":
            case "STORE":
            case "EXPUNGE":
                verb = sub;
                return dispatch(sub, true);
            default:
                throw error("UID " + sub + " is not a UID command; expected COPY, MOVE, FETCH, SEARCH, STORE or"
                        + " EXPUNGE");
        }
    }

    private ImapCommand authenticate() {
        sp("before the mechanism");
        String mechanism = ImapParser.upper(atom("a SASL mechanism"));
        if (mechanism.length() > 20 || !mechanism.chars().allMatch(c -> c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
                || c == '-' || c == '_')) {
            throw error("invalid SASL mechanism name");
        }
        if (peek() != ' ') {
            return new ImapCommand.Authenticate(mechanism, Optional.empty());
        }
        pos++;
        int start = pos;
        while (pos < line.length && line[pos] != ' ') {
            pos++;
        }
        String response = ascii(start, pos);
        if (!response.equals("=") && !isBase64(response)) {
            throw error("the initial response is not base64");
        }
        return new ImapCommand.Authenticate(mechanism, Optional.of(response));
    }

    private static boolean isBase64(String s) {
        if (s.isEmpty() || s.length() % 4 != 0) {
            return false;
        }
        int padding = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '=') {
                padding++;
            } else if (padding > 0 || !(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9'
                    || c == '+' || c == '/')) {
                return false;
            }
        }
        return padding <= 2;
    }

    /**
     * {@code LIST}: the RFC 3501 form, or LIST-EXTENDED (RFC 5258 §6) with selection options, a parenthesised
     * pattern list and RETURN options, among them SPECIAL-USE (RFC 6154 §5.1) and STATUS (RFC 5819).
     */
    private ImapCommand list() {
        sp("before the reference");
        boolean extended = false;
        Set<ImapCommand.ListSelection> selection = EnumSet.noneOf(ImapCommand.ListSelection.class);
        if (peek() == '(') {
            extended = true;
            open();
            if (peek() != ')') {
                do {
                    selection.add(selectionOption());
                } while (nextInList());
            }
            close();
            if (selection.contains(ImapCommand.ListSelection.RECURSIVEMATCH)
                    && !selection.contains(ImapCommand.ListSelection.SUBSCRIBED)) {
                throw error("RECURSIVEMATCH needs the SUBSCRIBED selection option");
            }
            sp("before the reference");
        }
        String reference = mailbox();
        sp("before the pattern");
        List<String> patterns = new ArrayList<>();
        if (peek() == '(') {
            extended = true;
            open();
            do {
                patterns.add(listMailbox());
            } while (nextInList());
            close();
        } else {
            patterns.add(listMailbox());
        }
        Set<ImapCommand.ListReturn> returns = EnumSet.noneOf(ImapCommand.ListReturn.class);
        List<StatusItem> status = new ArrayList<>();
        if (peek() == ' ') {
            pos++;
            if (!ImapParser.upper(atom("RETURN")).equals("RETURN")) {
                throw error("expected RETURN");
            }
            extended = true;
            sp("after RETURN");
            open();
            if (peek() != ')') {
                do {
                    String option = ImapParser.upper(atom("a LIST return option"));
                    switch (option) {
                        case "SUBSCRIBED":
                            returns.add(ImapCommand.ListReturn.SUBSCRIBED);
                            break;
                        case "CHILDREN":
                            returns.add(ImapCommand.ListReturn.CHILDREN);
                            break;
                        case "SPECIAL-USE":
                            returns.add(ImapCommand.ListReturn.SPECIAL_USE);
                            break;
                        case "STATUS":
                            sp("after STATUS");
                            // an option given twice counts once (RFC 5258 §3); STATUS items add up
                            for (StatusItem item : statusItems()) {
                                if (!status.contains(item)) {
                                    status.add(item);
                                }
                            }
                            break;
                        default:
                            throw error("unknown LIST return option " + option);
                    }
                } while (nextInList());
            }
            close();
        }
        return new ImapCommand.List(reference, patterns, selection, returns, status, extended);
    }

    private ImapCommand.ListSelection selectionOption() {
        String option = ImapParser.upper(atom("a LIST selection option"));
        switch (option) {
            case "SUBSCRIBED":
                return ImapCommand.ListSelection.SUBSCRIBED;
            case "REMOTE":
                return ImapCommand.ListSelection.REMOTE;
            case "RECURSIVEMATCH":
                return ImapCommand.ListSelection.RECURSIVEMATCH;
            case "SPECIAL-USE":
                return ImapCommand.ListSelection.SPECIAL_USE;
            default:
                throw error("unknown LIST selection option " + option);
        }
    }

    /** Inside a list: consumes the space before another item and says whether one follows. */
    private boolean nextInList() {
        if (peek() != ' ') {
            return false;
        }
        pos++;
        return true;
    }

    private ImapCommand status() {
        sp("before the mailbox");
        String mailbox = mailbox();
        sp("before the status items");
        return new ImapCommand.Status(mailbox, statusItems());
    }

    private List<StatusItem> statusItems() {
        open();
        List<StatusItem> items = new ArrayList<>();
        do {
            if (!items.isEmpty()) {
                pos++;
            }
            String name = ImapParser.upper(atom("a status item"));
            try {
                items.add(StatusItem.valueOf(name));
            } catch (IllegalArgumentException e) {
                throw error("unknown status item " + name);
            }
        } while (peek() == ' ');
        close();
        return items;
    }

    private ImapCommand append() {
        sp("before the mailbox");
        String mailbox = mailbox();
        sp("before the message");
        List<String> flags = List.of();
        if (peek() == '(') {
            flags = flagList();
            sp("after the flags");
        }
        Optional<OffsetDateTime> date = Optional.empty();
        if (peek() == '"') {
            date = Optional.of(dateTime());
            sp("after the date-time");
        }
        if (peekWord("UTF8")) {
            return new ImapCommand.Append(mailbox, flags, date, utf8Message());
        }
        if (peek() != '{') {
            throw error("expected the message as a literal");
        }
        return new ImapCommand.Append(mailbox, flags, date, messageLiteral());
    }

    /** {@code UTF8 (~{n})}: a message with 8-bit headers (RFC 6855 §4), once UTF8=ACCEPT is enabled. */
    private MessageContent utf8Message() {
        if (!utf8) {
            throw error("APPEND UTF8 needs ENABLE UTF8=ACCEPT");
        }
        pos += "UTF8".length();
        sp("after UTF8");
        expect('(', "'(' after UTF8");
        expect('~', "a literal8 ~{n} after UTF8 (");
        if (peek() != '{') {
            throw error("expected a literal8 ~{n} after UTF8 (");
        }
        MessageContent message = messageLiteral(); // closed by the parser if the command turns out bad
        expect(')', "')' after the literal8");
        return message;
    }

    private ImapCommand search(boolean uid) {
        sp("before the search keys");
        Optional<String> charset = Optional.empty();
        if (peekWord("CHARSET ")) {
            pos += "CHARSET ".length();
            charset = Optional.of(ImapParser.upper(astring("a charset name")));
            sp("after the charset");
        }
        List<SearchKey> keys = new ArrayList<>();
        keys.add(searchKey());
        while (peek() == ' ') {
            pos++;
            keys.add(searchKey());
        }
        return new ImapCommand.Search(charset, keys.size() == 1 ? keys.get(0) : new SearchKey.And(keys), uid);
    }

    private SearchKey searchKey() {
        int c = peek();
        if (c == '(') {
            open();
            List<SearchKey> keys = new ArrayList<>();
            keys.add(searchKey());
            while (peek() == ' ') {
                pos++;
                keys.add(searchKey());
            }
            close();
            return keys.size() == 1 ? keys.get(0) : new SearchKey.And(keys);
        }
        if (c >= '0' && c <= '9' || c == '*' || c == '$') {
            return new SearchKey.SequenceNumbers(sequenceSet());
        }
        String key = ImapParser.upper(atom("a search key"));
        switch (key) {
            case "ALL":
                return new SearchKey.All();
            case "ANSWERED":
                return flag("\\Answered");
            case "DELETED":
                return flag("\\Deleted");
            case "DRAFT":
                return flag("\\Draft");
            case "FLAGGED":
                return flag("\\Flagged");
            case "RECENT":
                return flag("\\Recent");
            case "SEEN":
                return flag("\\Seen");
            case "UNANSWERED":
                return new SearchKey.Not(flag("\\Answered"));
            case "UNDELETED":
                return new SearchKey.Not(flag("\\Deleted"));
            case "UNDRAFT":
                return new SearchKey.Not(flag("\\Draft"));
            case "UNFLAGGED":
                return new SearchKey.Not(flag("\\Flagged"));
            case "UNSEEN":
                return new SearchKey.Not(flag("\\Seen"));
            case "NEW":
                return new SearchKey.And(List.of(flag("\\Recent"), new SearchKey.Not(flag("\\Seen"))));
            case "OLD":
                return new SearchKey.Not(flag("\\Recent"));
            case "KEYWORD":
                sp("after KEYWORD");
                return new SearchKey.HasFlag(atom("a keyword"));
            case "UNKEYWORD":
                sp("after UNKEYWORD");
                return new SearchKey.Not(new SearchKey.HasFlag(atom("a keyword")));
            case "BCC":
            case "CC":
            case "FROM":
            case "SUBJECT":
            case "TO":
                sp("after " + key);
                return new SearchKey.Header(key, astring("a string"));
            case "HEADER": {
                sp("after HEADER");
                String field = ImapParser.upper(astring("a header field name"));
                sp("after the header field name");
                return new SearchKey.Header(field, astring("a string"));
            }
            case "BODY":
                sp("after BODY");
                return new SearchKey.Body(astring("a string"));
            case "TEXT":
                sp("after TEXT");
                return new SearchKey.Text(astring("a string"));
            case "BEFORE":
                return new SearchKey.InternalDate(SearchKey.DateRelation.BEFORE, dateArgument(key));
            case "ON":
                return new SearchKey.InternalDate(SearchKey.DateRelation.ON, dateArgument(key));
            case "SINCE":
                return new SearchKey.InternalDate(SearchKey.DateRelation.SINCE, dateArgument(key));
            case "SENTBEFORE":
                return new SearchKey.SentDate(SearchKey.DateRelation.BEFORE, dateArgument(key));
            case "SENTON":
                return new SearchKey.SentDate(SearchKey.DateRelation.ON, dateArgument(key));
            case "SENTSINCE":
                return new SearchKey.SentDate(SearchKey.DateRelation.SINCE, dateArgument(key));
            case "LARGER":
                sp("after LARGER");
                return new SearchKey.Larger(number(Long.MAX_VALUE, "a size"));
            case "SMALLER":
                sp("after SMALLER");
                return new SearchKey.Smaller(number(Long.MAX_VALUE, "a size"));
            case "UID":
                sp("after UID");
                return new SearchKey.Uid(sequenceSet());
            case "NOT": {
                sp("after NOT");
                enter();
                SearchKey inner = searchKey();
                depth--;
                return new SearchKey.Not(inner);
            }
            case "OR": {
                sp("after OR");
                enter();
                SearchKey left = searchKey();
                sp("between the OR keys");
                SearchKey right = searchKey();
                depth--;
                return new SearchKey.Or(left, right);
            }
            default:
                throw error("unknown search key " + key);
        }
    }

    private static SearchKey flag(String flag) {
        return new SearchKey.HasFlag(flag);
    }

    private LocalDate dateArgument(String key) {
        sp("after " + key);
        boolean quoted = peek() == '"';
        if (quoted) {
            pos++;
        }
        LocalDate date = dateText();
        if (quoted) {
            expect('"', "the closing quote of the date");
        }
        return date;
    }

    /** {@code date-text}: {@code 1*2DIGIT "-" month "-" 4DIGIT}, e.g. {@code 1-Feb-1994}. */
    private LocalDate dateText() {
        int day = digits(1, 2, "the day of a date (d-Mon-yyyy)");
        expect('-', "'-' in the date (d-Mon-yyyy)");
        int month = month();
        expect('-', "'-' in the date (d-Mon-yyyy)");
        int year = digits(4, 4, "the year of a date (d-Mon-yyyy)");
        try {
            return LocalDate.of(year, month, day);
        } catch (DateTimeException e) {
            throw error("no such date");
        }
    }

    private int month() {
        if (pos + 3 > line.length) {
            throw error("expected a month name (Jan…Dec)");
        }
        String name = ImapParser.upper(ascii(pos, pos + 3));
        for (int i = 0; i < MONTHS.length; i++) {
            if (MONTHS[i].equals(name)) {
                pos += 3;
                return i + 1;
            }
        }
        throw error("expected a month name (Jan…Dec)");
    }

    /** {@code date-time}: {@code "dd-Mon-yyyy hh:mm:ss +zzzz"}; the day may have a leading space or one digit. */
    private OffsetDateTime dateTime() {
        expect('"', "a date-time");
        if (peek() == ' ') {
            pos++;
        }
        LocalDate date = dateText();
        expect(' ', "a space before the time");
        int hour = digits(2, 2, "the hour (hh:mm:ss)");
        expect(':', "':' in the time");
        int minute = digits(2, 2, "the minute (hh:mm:ss)");
        expect(':', "':' in the time");
        int second = digits(2, 2, "the second (hh:mm:ss)");
        expect(' ', "a space before the zone");
        int sign = peek();
        if (sign != '+' && sign != '-') {
            throw error("expected a zone (+hhmm or -hhmm)");
        }
        pos++;
        int zone = digits(4, 4, "a zone (+hhmm or -hhmm)");
        expect('"', "the closing quote of the date-time");
        try {
            ZoneOffset offset = ZoneOffset.ofHoursMinutes((sign == '-' ? -1 : 1) * (zone / 100),
                    (sign == '-' ? -1 : 1) * (zone % 100));
            return OffsetDateTime.of(LocalDateTime.of(date.getYear(), date.getMonth(), date.getDayOfMonth(), hour,
                    minute, second), offset);
        } catch (DateTimeException e) {
            throw error("no such date-time");
        }
    }

    private int digits(int min, int max, String what) {
        int start = pos;
        int value = 0;
        while (pos < line.length && pos - start < max && line[pos] >= '0' && line[pos] <= '9') {
            value = value * 10 + (line[pos++] - '0');
        }
        if (pos - start < min) {
            throw error("expected " + what);
        }
        return value;
    }

    private ImapCommand fetch(boolean uid) {
        sp("before the sequence set");
        SequenceSet set = sequenceSet();
        sp("before the fetch items");
        List<FetchItem> items = new ArrayList<>();
        if (peek() == '(') {
            open();
            items.add(fetchItem());
            while (peek() == ' ') {
                pos++;
                items.add(fetchItem());
            }
            close();
        } else {
            int mark = pos;
            String word = ImapParser.upper(fetchName());
            switch (word) {
                case "ALL":
                    items.addAll(FetchItem.ALL);
                    break;
                case "FAST":
                    items.addAll(FetchItem.FAST);
                    break;
                case "FULL":
                    items.addAll(FetchItem.FULL);
                    break;
                default:
                    pos = mark;
                    items.add(fetchItem());
            }
        }
        if (uid && !items.contains(FetchItem.Attribute.UID)) {
            items.add(0, FetchItem.Attribute.UID);
        }
        return new ImapCommand.Fetch(set, items, uid);
    }

    private String fetchName() {
        int start = pos;
        while (pos < line.length && (Character.isLetterOrDigit(line[pos]) || line[pos] == '.')) {
            pos++;
        }
        if (pos == start) {
            throw error("expected a fetch item");
        }
        return ascii(start, pos);
    }

    private FetchItem fetchItem() {
        String name = ImapParser.upper(fetchName());
        switch (name) {
            case "FLAGS":
                return FetchItem.Attribute.FLAGS;
            case "INTERNALDATE":
                return FetchItem.Attribute.INTERNALDATE;
            case "RFC822.SIZE":
                return FetchItem.Attribute.RFC822_SIZE;
            case "ENVELOPE":
                return FetchItem.Attribute.ENVELOPE;
            case "BODYSTRUCTURE":
                return FetchItem.Attribute.BODYSTRUCTURE;
            case "UID":
                return FetchItem.Attribute.UID;
            case "RFC822":
                return FetchItem.Attribute.RFC822;
            case "RFC822.HEADER":
                return FetchItem.Attribute.RFC822_HEADER;
            case "RFC822.TEXT":
                return FetchItem.Attribute.RFC822_TEXT;
            case "BODY":
                if (peek() != '[') {
                    return FetchItem.Attribute.BODY;
                }
                return bodySection(false);
            case "BODY.PEEK":
                if (peek() != '[') {
                    throw error("expected '[' after BODY.PEEK");
                }
                return bodySection(true);
            default:
                throw error("unknown fetch item " + name);
        }
    }

    private FetchItem bodySection(boolean peek) {
        expect('[', "'['");
        List<Integer> part = new ArrayList<>();
        FetchItem.SectionText text = FetchItem.SectionText.ALL;
        List<String> fields = List.of();
        int c = peek();
        while (c >= '0' && c <= '9') {
            long n = number(Integer.MAX_VALUE, "a part number");
            if (n == 0) {
                throw error("part numbers start at 1");
            }
            part.add((int) n);
            if (part.size() > limits.maxNestingDepth()) {
                throw limit("Too many part numbers (max " + limits.maxNestingDepth() + ")");
            }
            if (peek() != '.') {
                break;
            }
            pos++;
            c = peek();
            if (!(c >= '0' && c <= '9')) {
                break;
            }
        }
        if (peek() != ']') {
            if (!part.isEmpty() && line[pos - 1] != '.') {
                throw error("expected '.' or ']' after the part number");
            }
            String name = ImapParser.upper(fetchName());
            switch (name) {
                case "HEADER":
                    text = FetchItem.SectionText.HEADER;
                    break;
                case "TEXT":
                    text = FetchItem.SectionText.TEXT;
                    break;
                case "MIME":
                    if (part.isEmpty()) {
                        throw error("MIME needs a part number");
                    }
                    text = FetchItem.SectionText.MIME;
                    break;
                case "HEADER.FIELDS":
                case "HEADER.FIELDS.NOT":
                    text = name.length() == 13 ? FetchItem.SectionText.HEADER_FIELDS
                            : FetchItem.SectionText.HEADER_FIELDS_NOT;
                    sp("before the header list");
                    fields = headerList();
                    break;
                default:
                    throw error("unknown section " + name);
            }
        } else if (!part.isEmpty() && line[pos - 1] == '.') {
            throw error("expected a section after '.'");
        }
        expect(']', "']' to end the section");
        Optional<FetchItem.Partial> partial = Optional.empty();
        if (peek() == '<') {
            pos++;
            long origin = number(SequenceSet.MAX_NUMBER, "the partial origin");
            expect('.', "'.' in <origin.count>");
            long count = number(SequenceSet.MAX_NUMBER, "the partial count");
            if (count == 0) {
                throw error("the partial count must not be 0");
            }
            expect('>', "'>' to end the partial");
            partial = Optional.of(new FetchItem.Partial(origin, count));
        }
        return new FetchItem.BodySection(peek, new FetchItem.Section(part, text, fields), partial);
    }

    private List<String> headerList() {
        open();
        List<String> fields = new ArrayList<>();
        fields.add(ImapParser.upper(astring("a header field name")));
        while (peek() == ' ') {
            pos++;
            fields.add(ImapParser.upper(astring("a header field name")));
        }
        close();
        return fields;
    }

    private ImapCommand store(boolean uid) {
        sp("before the sequence set");
        SequenceSet set = sequenceSet();
        sp("before FLAGS");
        StoreAction.Mode mode = StoreAction.Mode.REPLACE;
        if (peek() == '+') {
            mode = StoreAction.Mode.ADD;
            pos++;
        } else if (peek() == '-') {
            mode = StoreAction.Mode.REMOVE;
            pos++;
        }
        String item = ImapParser.upper(fetchName());
        boolean silent;
        if (item.equals("FLAGS")) {
            silent = false;
        } else if (item.equals("FLAGS.SILENT")) {
            silent = true;
        } else {
            throw error("expected FLAGS, +FLAGS or -FLAGS, optionally .SILENT");
        }
        sp("before the flags");
        List<String> flags;
        if (peek() == '(') {
            flags = flagList();
        } else {
            flags = new ArrayList<>();
            flags.add(flagValue());
            while (peek() == ' ') {
                pos++;
                flags.add(flagValue());
            }
        }
        return new ImapCommand.Store(set, new StoreAction(mode, silent, flags), uid);
    }

    private List<String> flagList() {
        open();
        List<String> flags = new ArrayList<>();
        if (peek() != ')') {
            flags.add(flagValue());
            while (peek() == ' ') {
                pos++;
                flags.add(flagValue());
            }
        }
        close();
        return flags;
    }

    /** A flag: {@code \Seen} (system flags in canonical case), {@code \Extension} or a keyword atom. */
    private String flagValue() {
        if (peek() == '\\') {
            pos++;
            String name = "\\" + atom("a flag name after '\\'");
            String system = SYSTEM_FLAGS.get(ImapParser.upper(name));
            return system != null ? system : name;
        }
        return atom("a flag");
    }

    private ImapCommand enable() {
        List<String> capabilities = new ArrayList<>();
        do {
            sp("before a capability");
            capabilities.add(ImapParser.upper(atom("a capability name")));
        } while (peek() == ' ');
        return new ImapCommand.Enable(capabilities);
    }

    private ImapCommand id() {
        sp("before the parameter list");
        Map<String, String> fields = new LinkedHashMap<>();
        if (peek() != '(') {
            if (!ImapParser.upper(atom("( or NIL")).equals("NIL")) {
                throw error("expected ( or NIL");
            }
            return new ImapCommand.Id(fields);
        }
        open();
        int pairs = 0;
        while (peek() != ')') {
            if (pairs > 0) {
                sp("between ID fields");
            }
            if (++pairs > 30) {
                throw limit("Too many ID fields (max 30, RFC 2971 §3.3)");
            }
            String field = string("a field name");
            sp("after the field name");
            Optional<String> value = nstring("a value or NIL");
            value.ifPresent(v -> fields.put(field, v));
        }
        close();
        return new ImapCommand.Id(fields);
    }

    // ---- sequence sets -------------------------------------------------------------------------------------

    private SequenceSet sequenceSet() {
        if (peek() == '$') {
            pos++;
            return SequenceSet.SAVED;
        }
        List<SequenceSet.Range> ranges = new ArrayList<>();
        do {
            if (!ranges.isEmpty()) {
                pos++;
            }
            if (ranges.size() == limits.maxSequenceRanges()) {
                throw limit("Too many sequence ranges (max " + limits.maxSequenceRanges() + ")");
            }
            long first = sequenceNumber();
            long last = first;
            if (peek() == ':') {
                pos++;
                last = sequenceNumber();
            }
            ranges.add(new SequenceSet.Range(first, last));
        } while (peek() == ',');
        return new SequenceSet(ranges, false);
    }

    private long sequenceNumber() {
        if (peek() == '*') {
            pos++;
            return SequenceSet.STAR;
        }
        int c = peek();
        if (!(c >= '0' && c <= '9')) {
            throw error("expected a sequence set (e.g. 1:*, 2,4:7,9)");
        }
        long n = number(SequenceSet.MAX_NUMBER, "a sequence number");
        if (n == 0) {
            throw error("invalid sequence number 0");
        }
        return n;
    }

    private long number(long max, String what) {
        int start = pos;
        long value = 0;
        while (pos < line.length && line[pos] >= '0' && line[pos] <= '9') {
            value = value * 10 + (line[pos++] - '0');
            if (value > max || pos - start > 19) {
                throw error(what + " is too large");
            }
        }
        if (pos == start) {
            throw error("expected " + what);
        }
        return value;
    }

    // ---- strings -------------------------------------------------------------------------------------------

    private void tag() {
        int start = pos;
        while (pos < line.length && isTagChar(line[pos] & 0xff)) {
            pos++;
        }
        if (pos == start) {
            throw error("expected a tag");
        }
    }

    static boolean isTagChar(int c) {
        return isAtomChar(c) && c != '+' || c == ']';
    }

    /** {@code ATOM-CHAR}: any CHAR except {@code ( ) { SP CTL % * " \ ]} (RFC 3501 §9). */
    static boolean isAtomChar(int c) {
        if (c <= 0x20 || c >= 0x7f) {
            return false;
        }
        switch (c) {
            case '(':
            case ')':
            case '{':
            case '%':
            case '*':
            case '"':
            case '\\':
            case ']':
                return false;
            default:
                return true;
        }
    }

    private String atom(String what) {
        int start = pos;
        while (pos < line.length && isAtomChar(line[pos] & 0xff)) {
            pos++;
        }
        if (pos == start) {
            throw error("expected " + what);
        }
        return ascii(start, pos);
    }

    private String astring(String what) {
        int c = peek();
        if (c == '"' || c == '{') {
            return string(what);
        }
        int start = pos;
        while (pos < line.length && (isAtomChar(line[pos] & 0xff) || line[pos] == ']')) {
            pos++;
        }
        if (pos == start) {
            throw error("expected " + what);
        }
        return ascii(start, pos);
    }

    private String string(String what) {
        int c = peek();
        if (c == '"') {
            return quoted();
        }
        if (c == '{') {
            return utf8(inlineLiteral());
        }
        throw error("expected " + what + " as a quoted string or literal");
    }

    private Optional<String> nstring(String what) {
        if (peekWord("NIL")) {
            pos += 3;
            return Optional.empty();
        }
        return Optional.of(string(what));
    }

    private String quoted() {
        pos++;
        byte[] out = new byte[line.length - pos];
        int n = 0;
        while (true) {
            if (pos >= line.length) {
                throw error("unterminated quoted string");
            }
            byte b = line[pos++];
            if (b == '"') {
                break;
            }
            if (b == '\\') {
                if (pos >= line.length || line[pos] != '"' && line[pos] != '\\') {
                    throw error("in a quoted string, '\\' may only escape '\"' or '\\'");
                }
                b = line[pos++];
            } else if (b == 0 || b == '\r' || b == '\n') {
                throw error("NUL, CR or LF in a quoted string (send a literal)");
            }
            out[n++] = b;
        }
        return utf8(java.util.Arrays.copyOf(out, n));
    }

    /** Consumes {@code {n}} or {@code {n+}} at the end of a line and returns the literal after it. */
    private byte[] inlineLiteral() {
        Object next = literalSegment();
        if (!(next instanceof ImapParser.Inline)) {
            throw error("a message literal is only allowed as the APPEND message");
        }
        return ((ImapParser.Inline) next).bytes();
    }

    private MessageContent messageLiteral() {
        Object next = literalSegment();
        if (!(next instanceof MessageContent)) {
            throw error("expected the message as a literal");
        }
        return (MessageContent) next;
    }

    private Object literalSegment() {
        // ImapParser guarantees line, literal, line, ...: a line ending in {n} is followed by its literal and a line
        if (ImapParser.trailingLiteralStart(line) != pos || segment + 2 >= segments.size()) {
            throw error("a literal {n} must end the line");
        }
        Object literal = segments.get(segment + 1);
        segment += 2;
        line = (byte[]) segments.get(segment);
        pos = 0;
        return literal;
    }

    private String mailbox() {
        String name = astring("a mailbox name");
        if (!utf8) {
            StringBuilder decoded = new StringBuilder(name.length());
            String error = ModifiedUtf7.decode(name, decoded);
            if (error != null) {
                throw new InvalidName("Mailbox name is not valid mUTF-7: " + error + ".");
            }
            name = decoded.toString();
        }
        return name.equalsIgnoreCase("INBOX") ? "INBOX" : name;
    }

    /** {@code list-mailbox}: like a mailbox, but {@code %} and {@code *} are allowed unquoted. */
    private String listMailbox() {
        int c = peek();
        String pattern;
        if (c == '"' || c == '{') {
            pattern = string("a mailbox pattern");
        } else {
            int start = pos;
            while (pos < line.length && (isAtomChar(line[pos] & 0xff) || line[pos] == '%' || line[pos] == '*'
                    || line[pos] == ']')) {
                pos++;
            }
            if (pos == start) {
                throw error("expected a mailbox pattern");
            }
            pattern = ascii(start, pos);
        }
        if (!utf8) {
            StringBuilder decoded = new StringBuilder(pattern.length());
            if (ModifiedUtf7.decode(pattern, decoded) == null) {
                pattern = decoded.toString();
            }
        }
        return pattern.equalsIgnoreCase("INBOX") ? "INBOX" : pattern;
    }

    // ---- low level -----------------------------------------------------------------------------------------

    private int peek() {
        return pos < line.length ? line[pos] & 0xff : -1;
    }

    private boolean peekWord(String word) {
        if (pos + word.length() > line.length) {
            return false;
        }
        for (int i = 0; i < word.length(); i++) {
            int c = line[pos + i];
            if (c >= 'a' && c <= 'z') {
                c -= 32;
            }
            if (c != word.charAt(i)) {
                return false;
            }
        }
        int after = pos + word.length();
        return word.endsWith(" ") || after >= line.length || !isAtomChar(line[after] & 0xff);
    }

    private void sp(String where) {
        if (peek() != ' ') {
            throw error(pos >= line.length ? "missing arguments (expected a space " + where + ")"
                    : "expected a space " + where);
        }
        pos++;
    }

    private void expect(char c, String what) {
        if (peek() != c) {
            throw error("expected " + what);
        }
        pos++;
    }

    private void open() {
        expect('(', "'('");
        enter();
    }

    private void enter() {
        if (++depth > limits.maxNestingDepth()) {
            throw limit("Too deeply nested (max " + limits.maxNestingDepth() + " levels)");
        }
    }

    private void close() {
        expect(')', "')'");
        depth--;
    }

    private void end() {
        if (pos < line.length) {
            throw error("unexpected \"" + printable(ascii(pos, Math.min(line.length, pos + 20)))
                    + "\" at the end of the command");
        }
        if (segment != segments.size() - 1) {
            throw error("unexpected literal");
        }
    }

    private String ascii(int from, int to) {
        return new String(line, from, to - from, StandardCharsets.ISO_8859_1);
    }

    private String utf8(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw error("a string is not valid UTF-8");
        }
    }

    private static String printable(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            out.append(c >= 0x20 && c < 0x7f ? c : '?');
        }
        return out.toString();
    }

    private static SyntaxError error(String message) {
        return new SyntaxError(message, false);
    }

    private static SyntaxError limit(String message) {
        return new SyntaxError(message, true);
    }
}
