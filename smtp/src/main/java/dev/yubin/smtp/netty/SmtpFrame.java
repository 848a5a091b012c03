package dev.yubin.smtp.netty;

import java.util.Objects;

/**
 * What {@link SmtpCommandDecoder} passes to the next handler: a command line, a chunk of message content, or a
 * signal. Immutable (a {@link Content}'s array is handed over and must not be changed afterwards).
 */
public sealed interface SmtpFrame permits SmtpFrame.CommandLine, SmtpFrame.Content, SmtpFrame.Signal {

    /**
     * One command line, decoded as UTF-8 (malformed bytes become U+FFFD), without its line ending.
     *
     * @param line the text of the line
     * @param barrier whether the decoder stopped after this line until told how to go on (its verb is one that may
     *     change the framing: DATA, BDAT, QUIT, STARTTLS); see {@link SmtpCommandDecoder#readCommands()}
     */
    record CommandLine(String line, boolean barrier) implements SmtpFrame {
        /** Checks that {@code line} is not {@code null}. */
        public CommandLine {
            Objects.requireNonNull(line, "line");
        }
    }

    /**
     * Message content, already dot-unstuffed (DATA) and with LF line endings: the bytes {@code [0, length)} of
     * {@code bytes}. At most {@link SmtpCommandDecoder#MAX_CHUNK} bytes.
     */
    record Content(byte[] bytes, int length) implements SmtpFrame {
        /** Checks that {@code length} is within the array, which is kept, not copied. */
        public Content {
            Objects.requireNonNull(bytes, "bytes");
            if (length < 0 || length > bytes.length) {
                throw new IllegalArgumentException("length " + length + " outside the array of " + bytes.length);
            }
        }
    }

    /** Events without data. */
    enum Signal implements SmtpFrame {
        /** A command line exceeded the limit; the rest of it is discarded. */
        COMMAND_LINE_TOO_LONG,
        /** A DATA text line exceeded the limit; the content of the message is dropped from here on. */
        CONTENT_LINE_TOO_LONG,
        /** The end-of-data line was read; the decoder reads commands again. */
        DATA_END,
        /** All octets of a BDAT chunk were passed on; the decoder reads commands again. */
        BDAT_CHUNK_END
    }
}
