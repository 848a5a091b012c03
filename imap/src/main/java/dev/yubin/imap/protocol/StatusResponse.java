package dev.yubin.imap.protocol;

import java.util.Objects;
import java.util.Optional;

/**
 * A status response (RFC 3501 §7.1): tagged or untagged {@code OK}, {@code NO}, {@code BAD}, or untagged
 * {@code BYE} and {@code PREAUTH}, with an optional {@link ResponseCode} and human-readable text. Written by
 * {@link ImapWriter#status(StatusResponse)}. Immutable.
 *
 * @param tag       the command's tag, or {@code *} for an untagged response
 * @param condition OK, NO, BAD, BYE or PREAUTH
 * @param code      the bracketed code, if any
 * @param text      the text, one line
 */
public record StatusResponse(String tag, Condition condition, Optional<ResponseCode> code, String text) {
    /** The tag of untagged responses. */
    public static final String UNTAGGED = "*";

    /**
     * Checks that nothing is {@code null}, the tag is not empty, BYE and PREAUTH are untagged, and the text has no CR,
     * LF or NUL.
     */
    public StatusResponse {
        Objects.requireNonNull(tag, "tag");
        Objects.requireNonNull(condition, "condition");
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(text, "text");
        if (tag.isEmpty()) {
            throw new IllegalArgumentException("empty tag");
        }
        if ((condition == Condition.BYE || condition == Condition.PREAUTH) && !tag.equals(UNTAGGED)) {
            throw new IllegalArgumentException(condition + " is always untagged");
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\r' || c == '\n' || c == 0) {
                throw new IllegalArgumentException("CR, LF or NUL in response text");
            }
        }
    }

    /** The response conditions (RFC 3501 §7.1). */
    public enum Condition {
        /** Success, or information. */
        OK,
        /** The command failed. */
        NO,
        /** The command was not understood or not allowed now. */
        BAD,
        /** The server is closing the connection. */
        BYE,
        /** The connection is authenticated already (a greeting only). */
        PREAUTH
    }

    /** {@code tag OK text}. */
    public static StatusResponse ok(String tag, String text) {
        return new StatusResponse(tag, Condition.OK, Optional.empty(), text);
    }

    /** {@code tag OK [code] text}. */
    public static StatusResponse ok(String tag, ResponseCode code, String text) {
        return new StatusResponse(tag, Condition.OK, Optional.of(code), text);
    }

    /** {@code tag NO text}: the command failed. */
    public static StatusResponse no(String tag, String text) {
        return new StatusResponse(tag, Condition.NO, Optional.empty(), text);
    }

    /** {@code tag NO [code] text}: the command failed. */
    public static StatusResponse no(String tag, ResponseCode code, String text) {
        return new StatusResponse(tag, Condition.NO, Optional.of(code), text);
    }

    /** {@code tag BAD text}: the command was not understood or not allowed now. */
    public static StatusResponse bad(String tag, String text) {
        return new StatusResponse(tag, Condition.BAD, Optional.empty(), text);
    }

    /** {@code tag BAD [code] text}: the command was not understood or not allowed now. */
    public static StatusResponse bad(String tag, ResponseCode code, String text) {
        return new StatusResponse(tag, Condition.BAD, Optional.of(code), text);
    }

    /** {@code * BYE text}: the server closes the connection. */
    public static StatusResponse bye(String text) {
        return new StatusResponse(UNTAGGED, Condition.BYE, Optional.empty(), text);
    }

    /** {@code * BYE [code] text}: the server closes the connection. */
    public static StatusResponse bye(ResponseCode code, String text) {
        return new StatusResponse(UNTAGGED, Condition.BYE, Optional.of(code), text);
    }

    /** {@code * PREAUTH text}: a greeting for a connection that is already authenticated. */
    public static StatusResponse preauth(String text) {
        return new StatusResponse(UNTAGGED, Condition.PREAUTH, Optional.empty(), text);
    }

    /** The answer to a command the parser rejected: BAD for {@link ImapCommand.Invalid} and unknown commands,
     *  NO with the code for {@link ImapCommand.Refused}; {@code null}-free: other commands are not verdicts. */
    public static Optional<StatusResponse> forVerdict(String tag, ImapCommand command) {
        if (command instanceof ImapCommand.Invalid) {
            return Optional.of(bad(tag, ((ImapCommand.Invalid) command).reason()));
        }
        if (command instanceof ImapCommand.Unknown) {
            return Optional.of(bad(tag, "Unknown command " + ((ImapCommand.Unknown) command).name()));
        }
        if (command instanceof ImapCommand.Refused) {
            ImapCommand.Refused refused = (ImapCommand.Refused) command;
            return Optional.of(no(tag, refused.code(), refused.text()));
        }
        return Optional.empty();
    }
}
