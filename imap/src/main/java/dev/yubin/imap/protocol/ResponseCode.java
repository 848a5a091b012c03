package dev.yubin.imap.protocol;

import java.util.List;
import java.util.Objects;

/**
 * A response code, the bracketed part after OK/NO/BAD/BYE/PREAUTH (RFC 3501 §7.1, RFC 5530, RFC 4315, RFC 9051
 * §7.1): {@code [TRYCREATE]}, {@code [UIDVALIDITY 3857529045]}, {@code [COPYUID 38505 304,319:320 3956:3958]}.
 * Build one with the constants and factories, which encode the arguments; {@link #wire()} is what goes between the
 * brackets. Immutable and thread-safe.
 *
 * @param name      the atom, upper case
 * @param arguments the encoded arguments after one space, or empty
 */
public record ResponseCode(String name, String arguments) {
    /** {@code ALERT}: the text must be shown to the user (RFC 3501 §7.1). */
    public static final ResponseCode ALERT = of("ALERT");
    /** {@code PARSE}: a message's header or MIME structure could not be parsed (RFC 3501 §7.1). */
    public static final ResponseCode PARSE = of("PARSE");
    /** {@code READ-ONLY}: the mailbox is selected read-only (RFC 3501 §7.1). */
    public static final ResponseCode READ_ONLY = of("READ-ONLY");
    /** {@code READ-WRITE}: the mailbox is selected read-write (RFC 3501 §7.1). */
    public static final ResponseCode READ_WRITE = of("READ-WRITE");
    /**
     * {@code TRYCREATE}: the target mailbox of APPEND, COPY or MOVE does not exist; CREATE may help (RFC 3501 §7.1).
     */
    public static final ResponseCode TRYCREATE = of("TRYCREATE");
    /** RFC 5530 codes. */
    public static final ResponseCode UNAVAILABLE = of("UNAVAILABLE");
    /** {@code AUTHENTICATIONFAILED}: wrong credentials or unknown user (RFC 5530). */
    public static final ResponseCode AUTHENTICATIONFAILED = of("AUTHENTICATIONFAILED");
    /** {@code AUTHORIZATIONFAILED}: the credentials are good but may not act as the requested identity (RFC 5530). */
    public static final ResponseCode AUTHORIZATIONFAILED = of("AUTHORIZATIONFAILED");
    /** {@code EXPIRED}: the credentials or account have expired (RFC 5530). */
    public static final ResponseCode EXPIRED = of("EXPIRED");
    /** {@code PRIVACYREQUIRED}: the operation needs an encrypted connection (RFC 5530). */
    public static final ResponseCode PRIVACYREQUIRED = of("PRIVACYREQUIRED");
    /** {@code CONTACTADMIN}: the user should contact the administrator (RFC 5530). */
    public static final ResponseCode CONTACTADMIN = of("CONTACTADMIN");
    /** {@code NOPERM}: no permission for the mailbox or operation (RFC 5530). */
    public static final ResponseCode NOPERM = of("NOPERM");
    /** {@code INUSE}: another session holds a resource the operation needs (RFC 5530). */
    public static final ResponseCode INUSE = of("INUSE");
    /** {@code EXPUNGEISSUED}: some of the messages were expunged meanwhile (RFC 5530). */
    public static final ResponseCode EXPUNGEISSUED = of("EXPUNGEISSUED");
    /** {@code CORRUPTION}: the server found corrupt data (RFC 5530). */
    public static final ResponseCode CORRUPTION = of("CORRUPTION");
    /** {@code SERVERBUG}: the server failed because of a bug; details are in its log (RFC 5530). */
    public static final ResponseCode SERVERBUG = of("SERVERBUG");
    /** {@code CLIENTBUG}: the command is legal but a client would not normally send it (RFC 5530). */
    public static final ResponseCode CLIENTBUG = of("CLIENTBUG");
    /** {@code CANNOT}: the operation violates an invariant of the server, e.g. deleting INBOX (RFC 5530). */
    public static final ResponseCode CANNOT = of("CANNOT");
    /** {@code LIMIT}: the operation would exceed a server limit (RFC 5530). */
    public static final ResponseCode LIMIT = of("LIMIT");
    /** {@code OVERQUOTA}: the user is over quota (RFC 5530). */
    public static final ResponseCode OVERQUOTA = of("OVERQUOTA");
    /** {@code ALREADYEXISTS}: the mailbox to create or rename to exists already (RFC 5530). */
    public static final ResponseCode ALREADYEXISTS = of("ALREADYEXISTS");
    /** {@code NONEXISTENT}: the mailbox does not exist (RFC 5530). */
    public static final ResponseCode NONEXISTENT = of("NONEXISTENT");
    /** RFC 4469/RFC 9051: the literal or message is larger than the server takes. */
    public static final ResponseCode TOOBIG = of("TOOBIG");
    /** RFC 4315 §3: the selected mailbox does not keep UIDs across sessions (UIDPLUS). */
    public static final ResponseCode UIDNOTSTICKY = of("UIDNOTSTICKY");
    /** RFC 7162 §3.2.11 (and RFC 9051): the previous mailbox is closed, sent when SELECT replaces it. */
    public static final ResponseCode CLOSED = of("CLOSED");

    /**
     * Checks that the name is a non-empty atom of upper-case letters, digits, {@code -} and {@code .}, and the
     * arguments have no control characters or {@code ]}.
     */
    public ResponseCode {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(arguments, "arguments");
        if (name.isEmpty()) {
            throw new IllegalArgumentException("empty response code");
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!(c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '.')) {
                throw new IllegalArgumentException("not a response code atom: " + name);
            }
        }
        for (int i = 0; i < arguments.length(); i++) {
            char c = arguments.charAt(i);
            if (c < 0x20 || c == ']' || c == 0x7f) {
                throw new IllegalArgumentException("bad response code arguments: " + arguments);
            }
        }
    }

    /** A code without arguments. */
    public static ResponseCode of(String name) {
        return new ResponseCode(name, "");
    }

    /** {@code [UIDVALIDITY n]}. */
    public static ResponseCode uidValidity(long uidValidity) {
        return new ResponseCode("UIDVALIDITY", Long.toString(number(uidValidity)));
    }

    /** {@code [UIDNEXT n]}. */
    public static ResponseCode uidNext(long uidNext) {
        return new ResponseCode("UIDNEXT", Long.toString(number(uidNext)));
    }

    /** {@code [UNSEEN n]}: the first unseen message's sequence number. */
    public static ResponseCode unseen(long sequenceNumber) {
        return new ResponseCode("UNSEEN", Long.toString(number(sequenceNumber)));
    }

    /** {@code [HIGHESTMODSEQ n]} (RFC 7162). */
    public static ResponseCode highestModSeq(long modSeq) {
        return new ResponseCode("HIGHESTMODSEQ", Long.toString(modSeq));
    }

    /** {@code [PERMANENTFLAGS (\Deleted \Seen \*)]}. */
    public static ResponseCode permanentFlags(List<String> flags) {
        return new ResponseCode("PERMANENTFLAGS", "(" + String.join(" ", flags) + ")");
    }

    /** {@code [CAPABILITY IMAP4rev1 ...]}. */
    public static ResponseCode capability(List<String> capabilities) {
        return new ResponseCode("CAPABILITY", String.join(" ", capabilities));
    }

    /** {@code [BADCHARSET (UTF-8 US-ASCII)]}. */
    public static ResponseCode badCharset(List<String> supported) {
        return new ResponseCode("BADCHARSET", supported.isEmpty() ? "" : "(" + String.join(" ", supported) + ")");
    }

    /** {@code [APPENDUID uidvalidity uid]} (RFC 4315 §3). */
    public static ResponseCode appendUid(long uidValidity, long uid) {
        return new ResponseCode("APPENDUID", number(uidValidity) + " " + number(uid));
    }

    /** {@code [COPYUID uidvalidity source-uids destination-uids]} (RFC 4315 §3). */
    public static ResponseCode copyUid(long uidValidity, SequenceSet source, SequenceSet destination) {
        if (source.saved() || destination.saved()) {
            throw new IllegalArgumentException("COPYUID needs explicit UIDs");
        }
        return new ResponseCode("COPYUID", number(uidValidity) + " " + source + " " + destination);
    }

    private static long number(long n) {
        if (n < 0 || n > SequenceSet.MAX_NUMBER) {
            throw new IllegalArgumentException("not a 32-bit number: " + n);
        }
        return n;
    }

    /** What goes between the brackets: {@code UIDNEXT 4392}. */
    public String wire() {
        return arguments.isEmpty() ? name : name + " " + arguments;
    }

    @Override
    public String toString() {
        return "[" + wire() + "]";
    }
}
