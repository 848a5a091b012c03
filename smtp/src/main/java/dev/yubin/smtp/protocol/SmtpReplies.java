package dev.yubin.smtp.protocol;

import dev.yubin.core.message.DeliveryException;
import dev.yubin.core.message.QueueId;
import dev.yubin.core.store.StoreException;
import java.io.IOException;

/**
 * The catalogue of the replies the SMTP server sends, worded as Postfix words them, and the one place where
 * failures are mapped to reply codes ({@link #forFailure(Throwable)}). Thread-safe (constants and pure functions).
 *
 * <p>Factories that echo client text (addresses, parameters) replace control characters by {@code ?}, so a reply
 * can never be split or forged by its input.
 */
public final class SmtpReplies {
    /** {@code 334 <base64>}: a SASL challenge (RFC 4954 §4); an empty challenge is {@code "334 "}. */
    public static SmtpReply authChallenge(String base64) {
        return SmtpReply.of(334, base64);
    }

    /** {@code 221 2.0.0 Bye}: the answer to QUIT. */
    public static final SmtpReply SERVICE_CLOSING = SmtpReply.of(221, EnhancedStatus.OK, "Bye");
    /** {@code 250 2.0.0 Ok}: NOOP, RSET. */
    public static final SmtpReply OK = SmtpReply.of(250, EnhancedStatus.OK, "Ok");
    /** {@code 250 2.1.0 Ok}: MAIL accepted. */
    public static final SmtpReply SENDER_OK = SmtpReply.of(250, EnhancedStatus.SENDER_OK, "Ok");
    /** {@code 250 2.1.5 Ok}: RCPT accepted. */
    public static final SmtpReply RECIPIENT_OK = SmtpReply.of(250, EnhancedStatus.RECIPIENT_OK, "Ok");
    /** {@code 354 End data with <CR><LF>.<CR><LF>}: go ahead with the DATA text. */
    public static final SmtpReply START_MAIL_INPUT = SmtpReply.of(354, "End data with <CR><LF>.<CR><LF>");
    /** {@code 252 2.0.0}: VRFY is answered without disclosing users (RFC 5321 §3.5.3). */
    public static final SmtpReply CANNOT_VRFY = SmtpReply.of(252, EnhancedStatus.OK,
            "Cannot VRFY user, but will accept message and attempt delivery");
    /** {@code 214 2.0.0}: the answer to HELP. */
    public static final SmtpReply HELP = SmtpReply.of(214, EnhancedStatus.OK,
            "Commands: HELO EHLO MAIL RCPT DATA BDAT RSET NOOP VRFY HELP QUIT");

    /** {@code 500 5.5.2 Error: command not recognized}. */
    public static final SmtpReply UNKNOWN_COMMAND = SmtpReply.of(500, EnhancedStatus.SYNTAX_ERROR,
            "Error: command not recognized");
    /** {@code 500 5.5.2 Error: bad syntax}: an empty line or one with control characters. */
    public static final SmtpReply BAD_SYNTAX = SmtpReply.of(500, EnhancedStatus.SYNTAX_ERROR, "Error: bad syntax");
    /** {@code 500 5.5.2 Error: line too long} (RFC 5321 §4.5.3.1.4 and §4.5.3.1.6). */
    public static final SmtpReply LINE_TOO_LONG = SmtpReply.of(500, EnhancedStatus.SYNTAX_ERROR,
            "Error: line too long");

    /** {@code 503 5.5.1 Error: bad sequence of commands}. */
    public static final SmtpReply BAD_SEQUENCE = SmtpReply.of(503, EnhancedStatus.INVALID_COMMAND,
            "Error: bad sequence of commands");
    /** {@code 503 5.5.1 Error: need MAIL command}: RCPT, DATA or BDAT outside a transaction. */
    public static final SmtpReply NEED_MAIL = SmtpReply.of(503, EnhancedStatus.INVALID_COMMAND,
            "Error: need MAIL command");
    /** {@code 503 5.5.1 Error: nested MAIL command}. */
    public static final SmtpReply NESTED_MAIL = SmtpReply.of(503, EnhancedStatus.INVALID_COMMAND,
            "Error: nested MAIL command");
    /** {@code 503 5.5.1 Error: need RCPT command}: DATA or BDAT without an accepted recipient. */
    public static final SmtpReply NEED_RCPT = SmtpReply.of(503, EnhancedStatus.INVALID_COMMAND,
            "Error: need RCPT command");
    /** {@code 554 5.5.1 Error: no valid recipients}: DATA or BDAT after every RCPT was rejected (RFC 2920 §3.1). */
    public static final SmtpReply NO_VALID_RECIPIENTS = SmtpReply.of(554, EnhancedStatus.INVALID_COMMAND,
            "Error: no valid recipients");
    /** {@code 503 5.5.1}: DATA after BDAT in one transaction (RFC 3030 §2). */
    public static final SmtpReply DATA_AFTER_BDAT = SmtpReply.of(503, EnhancedStatus.INVALID_COMMAND,
            "Error: DATA not allowed after BDAT");
    /** {@code 503 5.5.1}: RCPT after the first BDAT chunk. */
    public static final SmtpReply RCPT_AFTER_BDAT = SmtpReply.of(503, EnhancedStatus.INVALID_COMMAND,
            "Error: RCPT not allowed after BDAT");
    /** {@code 503 5.5.1}: DATA with {@code BODY=BINARYMIME} (RFC 3030 §3). */
    public static final SmtpReply BDAT_REQUIRED = SmtpReply.of(503, EnhancedStatus.INVALID_COMMAND,
            "Error: BODY=BINARYMIME requires BDAT");

    /** {@code 501 5.5.4 Syntax: HELO hostname}. */
    public static final SmtpReply SYNTAX_HELO = syntax("HELO hostname");
    /** {@code 501 5.5.4 Syntax: EHLO hostname}. */
    public static final SmtpReply SYNTAX_EHLO = syntax("EHLO hostname");
    /** {@code 501 5.5.4 Syntax: MAIL FROM:<address>}. */
    public static final SmtpReply SYNTAX_MAIL = syntax("MAIL FROM:<address>");
    /** {@code 501 5.5.4 Syntax: RCPT TO:<address>}. */
    public static final SmtpReply SYNTAX_RCPT = syntax("RCPT TO:<address>");
    /** {@code 501 5.5.4 Syntax: DATA}. */
    public static final SmtpReply SYNTAX_DATA = syntax("DATA");
    /** {@code 501 5.5.4 Syntax: BDAT size [LAST]}. */
    public static final SmtpReply SYNTAX_BDAT = syntax("BDAT size [LAST]");
    /** {@code 501 5.5.4 Syntax: AUTH mechanism}. */
    public static final SmtpReply SYNTAX_AUTH = syntax("AUTH mechanism");
    /** {@code 501 5.5.4 Syntax: STARTTLS}. */
    public static final SmtpReply SYNTAX_STARTTLS = syntax("STARTTLS");
    /** {@code 503 5.5.1 Error: authentication not enabled}, as Postfix answers AUTH without SASL configured. */
    public static final SmtpReply AUTH_NOT_ENABLED = SmtpReply.of(503, EnhancedStatus.INVALID_COMMAND,
            "Error: authentication not enabled");
    /** {@code 502 5.5.1 Error: command not implemented}, as Postfix answers STARTTLS without TLS configured. */
    public static final SmtpReply NOT_IMPLEMENTED = SmtpReply.of(502, EnhancedStatus.INVALID_COMMAND,
            "Error: command not implemented");
    /** {@code 220 2.0.0 Ready to start TLS} (RFC 3207). */
    public static final SmtpReply READY_TO_START_TLS = SmtpReply.of(220, EnhancedStatus.OK, "Ready to start TLS");
    /** {@code 554 5.5.1 Error: TLS already active}, as Postfix answers a second STARTTLS. */
    public static final SmtpReply TLS_ALREADY_ACTIVE = SmtpReply.of(554, EnhancedStatus.INVALID_COMMAND,
            "Error: TLS already active");
    /** {@code 503 5.5.1 Error: MAIL transaction in progress}: STARTTLS inside a transaction. */
    public static final SmtpReply TRANSACTION_IN_PROGRESS = SmtpReply.of(503, EnhancedStatus.INVALID_COMMAND,
            "Error: MAIL transaction in progress");
    /** {@code 503 5.5.1 Error: send HELO/EHLO first}: AUTH before EHLO. */
    public static final SmtpReply SEND_EHLO_FIRST = SmtpReply.of(503, EnhancedStatus.INVALID_COMMAND,
            "Error: send EHLO first");
    /** {@code 503 5.5.1 Error: already authenticated} (RFC 4954 §4). */
    public static final SmtpReply ALREADY_AUTHENTICATED = SmtpReply.of(503, EnhancedStatus.INVALID_COMMAND,
            "Error: already authenticated");
    /** {@code 504 5.5.4 Unrecognized authentication type} (RFC 4954 §4). */
    public static final SmtpReply UNKNOWN_AUTH_MECHANISM = SmtpReply.of(504, EnhancedStatus.INVALID_ARGUMENTS,
            "Unrecognized authentication type");
    /** {@code 538 5.7.11 Encryption required for requested authentication mechanism} (RFC 4954 §6). */
    public static final SmtpReply ENCRYPTION_REQUIRED = SmtpReply.of(538, new EnhancedStatus(5, 7, 11),
            "Encryption required for requested authentication mechanism");
    /** {@code 501 5.5.2 Cannot decode response}: a SASL response that is not base64, as Postfix says. */
    public static final SmtpReply CANNOT_DECODE_RESPONSE = SmtpReply.of(501, EnhancedStatus.SYNTAX_ERROR,
            "Cannot decode response");
    /** {@code 501 5.7.0 Authentication aborted}: the client sent {@code *} (RFC 4954 §4). */
    public static final SmtpReply AUTHENTICATION_ABORTED = SmtpReply.of(501, new EnhancedStatus(5, 7, 0),
            "Authentication aborted");
    /** {@code 235 2.7.0 Authentication successful} (RFC 4954 §6). */
    public static final SmtpReply AUTHENTICATION_SUCCESSFUL = SmtpReply.of(235, new EnhancedStatus(2, 7, 0),
            "Authentication successful");
    /** {@code 535 5.7.8 Error: authentication failed: authentication failure} (RFC 4954 §6, Postfix's words). */
    public static final SmtpReply AUTHENTICATION_FAILED = SmtpReply.of(535, new EnhancedStatus(5, 7, 8),
            "Error: authentication failed: authentication failure");
    /** {@code 501 5.5.2 Error: authentication failed: malformed response}: the SASL exchange's syntax was wrong. */
    public static final SmtpReply AUTH_MALFORMED = SmtpReply.of(501, EnhancedStatus.SYNTAX_ERROR,
            "Error: authentication failed: malformed response");
    /** {@code 454 4.7.0 Temporary authentication failure} (RFC 4954 §6): the user database failed. */
    public static final SmtpReply AUTH_TEMPORARY_FAILURE = SmtpReply.of(454, EnhancedStatus.SECURITY_TEMPORARY,
            "Temporary authentication failure");
    /** {@code 530 5.7.0 Authentication required} (RFC 4954 §6): MAIL on the submission port before AUTH. */
    public static final SmtpReply AUTHENTICATION_REQUIRED = SmtpReply.of(530, new EnhancedStatus(5, 7, 0),
            "Authentication required");
    /** {@code 501 5.5.4 Syntax: RSET}. */
    public static final SmtpReply SYNTAX_RSET = syntax("RSET");
    /** {@code 501 5.5.4 Syntax: VRFY address}. */
    public static final SmtpReply SYNTAX_VRFY = syntax("VRFY address");
    /** {@code 501 5.5.4 Bad message size syntax}: {@code SIZE=} not a number. */
    public static final SmtpReply BAD_SIZE = SmtpReply.of(501, EnhancedStatus.INVALID_ARGUMENTS,
            "Bad message size syntax");
    /** {@code 501 5.5.4}: {@code BODY=} other than 7BIT, 8BITMIME or BINARYMIME. */
    public static final SmtpReply BAD_BODY = SmtpReply.of(501, EnhancedStatus.INVALID_ARGUMENTS,
            "Bad BODY parameter value");
    /** {@code 501 5.5.4}: {@code SMTPUTF8} with a value (RFC 6531 §3.4). */
    public static final SmtpReply BAD_SMTPUTF8 = SmtpReply.of(501, EnhancedStatus.INVALID_ARGUMENTS,
            "SMTPUTF8 takes no value");

    /** {@code 552 5.3.4 Message size exceeds fixed limit}: MAIL with a SIZE over the limit (RFC 1870 §6). */
    public static final SmtpReply MESSAGE_SIZE_EXCEEDS_LIMIT = SmtpReply.of(552, EnhancedStatus.MESSAGE_TOO_BIG,
            "Message size exceeds fixed limit");
    /** {@code 552 5.3.4 Error: message file too big}: the limit was exceeded while receiving. */
    public static final SmtpReply MESSAGE_TOO_BIG = SmtpReply.of(552, EnhancedStatus.MESSAGE_TOO_BIG,
            "Error: message file too big");
    /** {@code 452 4.5.3 Error: too many recipients} (RFC 5321 §4.5.3.1.8). */
    public static final SmtpReply TOO_MANY_RECIPIENTS = SmtpReply.of(452, EnhancedStatus.TOO_MANY_RECIPIENTS,
            "Error: too many recipients");
    /** {@code 553 5.6.7}: a non-ASCII address in a transaction without SMTPUTF8 (RFC 6531 §3.5). */
    public static final SmtpReply SMTPUTF8_REQUIRED = SmtpReply.of(553, EnhancedStatus.NON_ASCII_ADDRESS,
            "Must declare SMTPUTF8 to send unicode address");
    /** {@code 451 4.3.0 Error: queue file write error}: the spool failed. */
    public static final SmtpReply QUEUE_WRITE_ERROR = SmtpReply.of(451, EnhancedStatus.SYSTEM_TEMPORARY,
            "Error: queue file write error");
    /** {@code 451 4.3.0 Error: internal error}: a bug or an unexpected exception; details go to the log only. */
    public static final SmtpReply INTERNAL_ERROR = SmtpReply.of(451, EnhancedStatus.SYSTEM_TEMPORARY,
            "Error: internal error");

    private static final int MAX_ECHO = 200;

    private SmtpReplies() {
    }

    /** {@code 220 <hostname> <banner>}, e.g. {@code 220 mx.example1.jp ESMTP Yubin}. */
    public static SmtpReply greeting(String hostname, String banner) {
        return SmtpReply.of(220, printable(hostname + " " + banner));
    }

    /** {@code 250 <hostname>}: the answer to HELO. */
    public static SmtpReply helo(String hostname) {
        return SmtpReply.of(250, printable(hostname));
    }

    /** {@code 250 2.0.0 Ok: queued as <queueid>}: the message is durable. */
    public static SmtpReply queued(QueueId queueId) {
        return SmtpReply.of(250, EnhancedStatus.OK, "Ok: queued as " + queueId);
    }

    /** {@code 250 2.0.0 Ok: <n> octets received}: a BDAT chunk that is not the last one. */
    public static SmtpReply chunkReceived(long octets) {
        return SmtpReply.of(250, EnhancedStatus.OK, "Ok: " + octets + " octets received");
    }

    /** {@code 555 5.5.4 Unsupported option: <KEY>} (RFC 5321 §4.1.1.11). */
    public static SmtpReply unsupportedParameter(String keyword) {
        return SmtpReply.of(555, EnhancedStatus.INVALID_ARGUMENTS, "Unsupported option: " + printable(keyword));
    }

    /** {@code 501 5.5.4 Bad parameter syntax: <token>}. */
    public static SmtpReply badParameter(String token) {
        return SmtpReply.of(501, EnhancedStatus.INVALID_ARGUMENTS, "Bad parameter syntax: " + printable(token));
    }

    /** {@code 501 5.5.4 Duplicate parameter: <KEY>}. */
    public static SmtpReply duplicateParameter(String keyword) {
        return SmtpReply.of(501, EnhancedStatus.INVALID_ARGUMENTS, "Duplicate parameter: " + printable(keyword));
    }

    /** {@code 501 5.1.7 Bad sender address syntax: <reason>}. */
    public static SmtpReply badSenderAddress(String reason) {
        return SmtpReply.of(501, EnhancedStatus.BAD_SENDER_SYNTAX, "Bad sender address syntax: " + printable(reason));
    }

    /** {@code 501 5.1.3 Bad recipient address syntax: <reason>}. */
    public static SmtpReply badRecipientAddress(String reason) {
        return SmtpReply.of(501, EnhancedStatus.BAD_DESTINATION_SYNTAX,
                "Bad recipient address syntax: " + printable(reason));
    }

    /** {@code 554 5.7.1 <address>: Relay access denied}: a non-local recipient that policy does not relay for. */
    public static SmtpReply relayDenied(String address) {
        return SmtpReply.of(554, EnhancedStatus.NOT_AUTHORIZED, "<" + printable(address) + ">: Relay access denied");
    }

    /** {@code 550 5.1.1 <address>: Recipient address rejected: User unknown in local recipient table}. */
    public static SmtpReply userUnknown(String address) {
        return SmtpReply.of(550, EnhancedStatus.BAD_DESTINATION_MAILBOX, "<" + printable(address)
                + ">: Recipient address rejected: User unknown in local recipient table");
    }

    /** {@code 421 4.7.0 <hostname> Error: too many errors} (Postfix {@code smtpd_hard_error_limit}). */
    public static SmtpReply tooManyErrors(String hostname) {
        return SmtpReply.of(421, EnhancedStatus.SECURITY_TEMPORARY, printable(hostname) + " Error: too many errors");
    }

    /** {@code 421 4.4.2 <hostname> Error: timeout exceeded}. */
    public static SmtpReply timeout(String hostname) {
        return SmtpReply.of(421, EnhancedStatus.BAD_CONNECTION, printable(hostname) + " Error: timeout exceeded");
    }

    /** {@code 421 4.3.2 <hostname> Service shutting down}. */
    public static SmtpReply shuttingDown(String hostname) {
        return SmtpReply.of(421, EnhancedStatus.SYSTEM_NOT_ACCEPTING, printable(hostname) + " Service shutting down");
    }

    /** {@code 421 4.3.2 <hostname> Service temporarily unavailable}: e.g. the blocking pool is saturated. */
    public static SmtpReply serviceUnavailable(String hostname) {
        return SmtpReply.of(421, EnhancedStatus.SYSTEM_NOT_ACCEPTING,
                printable(hostname) + " Service temporarily unavailable");
    }

    /** {@code 421 4.7.0 <hostname> Error: too many connections}: a connection limit was reached. */
    public static SmtpReply tooManyConnections(String hostname) {
        return SmtpReply.of(421, EnhancedStatus.SECURITY_TEMPORARY,
                printable(hostname) + " Error: too many connections");
    }

    /**
     * The reply for a failure: a {@link DeliveryException} or {@link StoreException} gives 4xx or 5xx as
     * {@code isTemporary()} says, with its enhanced status and message; an {@link IOException} gives
     * {@link #QUEUE_WRITE_ERROR}; anything else (a bug) gives {@link #INTERNAL_ERROR} and reveals nothing.
     */
    public static SmtpReply forFailure(Throwable failure) {
        if (failure instanceof DeliveryException) {
            DeliveryException e = (DeliveryException) failure;
            int klass = e.isTemporary() ? 4 : 5;
            EnhancedStatus status = EnhancedStatus.parse(e.enhancedStatus())
                    .filter(s -> s.klass() == klass)
                    .orElse(e.isTemporary() ? EnhancedStatus.SYSTEM_TEMPORARY : EnhancedStatus.SYSTEM_PERMANENT);
            String fallback = e.isTemporary() ? "Error: queue file write error" : "Error: transaction failed";
            return SmtpReply.of(codeFor(status), status, text(e.getMessage(), fallback));
        }
        if (failure instanceof StoreException) {
            StoreException e = (StoreException) failure;
            EnhancedStatus status = e.isTemporary() ? EnhancedStatus.SYSTEM_TEMPORARY
                    : EnhancedStatus.SYSTEM_PERMANENT;
            return SmtpReply.of(codeFor(status), status, text(e.getMessage(), "Error: mail store failure"));
        }
        if (failure instanceof IOException) {
            return QUEUE_WRITE_ERROR;
        }
        return INTERNAL_ERROR;
    }

    private static int codeFor(EnhancedStatus status) {
        String code = status.subject() + "." + status.detail();
        boolean storage = code.equals("2.2") || code.equals("3.1") || code.equals("3.4");
        if (status.klass() == 4) {
            return storage ? 452 : 451;
        }
        if (storage) {
            return 552;
        }
        return status.subject() == 1 || status.subject() == 2 ? 550 : 554;
    }

    private static String text(String message, String fallback) {
        if (message == null || message.isBlank()) {
            return fallback;
        }
        return printable(message.strip());
    }

    /** Replaces control characters by {@code ?} and shortens to 200 characters: safe to echo in a reply. */
    public static String printable(String text) {
        String shortened = text.length() > MAX_ECHO ? text.substring(0, MAX_ECHO) + "..." : text;
        StringBuilder out = null;
        for (int i = 0; i < shortened.length(); i++) {
            char c = shortened.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                if (out == null) {
                    out = new StringBuilder(shortened);
                }
                out.setCharAt(i, '?');
            }
        }
        return out == null ? shortened : out.toString();
    }

    private static SmtpReply syntax(String expected) {
        return SmtpReply.of(501, EnhancedStatus.INVALID_ARGUMENTS, "Syntax: " + expected);
    }
}
