package dev.yubin.smtp.server;

import dev.yubin.core.address.MailAddress;
import dev.yubin.core.address.ReversePath;
import dev.yubin.core.message.DeliveryException;
import dev.yubin.core.message.Envelope;
import dev.yubin.core.message.MessageContent;
import dev.yubin.core.net.ConnectionInfo;
import java.util.Map;

/**
 * The policy and delivery SPI behind an SMTP server (the go-smtp {@code Backend} idea): the server does the
 * protocol, the handler decides who may send what to whom and where accepted mail goes.
 *
 * <p>Thread-safety: {@link #open} is called concurrently for many connections. Each {@link Session} is called by
 * one connection only, one method at a time, and (unless {@link #envelopeChecksAreNonBlocking()}) never on an
 * event loop: its methods may block (directory lookups, fsync). Protocol checks (syntax, sequence, SIZE, recipient count, SMTPUTF8) are done by the server before the
 * handler is asked.
 */
public interface SmtpHandler {

    /** A new session for a client connection, called before the greeting. */
    Session open(ConnectionInfo connection);

    /**
     * Whether {@link Session#helo}, {@link Session#mail}, {@link Session#rcpt} and {@link Session#reset} answer
     * promptly from memory, without I/O or waiting. When true, the server may call them on its event loop, which
     * saves two thread hand-offs per command; {@link #open}, {@link Session#data} and {@link Session#close} always
     * run on the blocking executor. Default false: every call may block.
     */
    default boolean envelopeChecksAreNonBlocking() {
        return false;
    }

    /**
     * One connection's view of the handler. A RuntimeException from any method is logged and answered
     * {@code 451 4.3.0}; the session continues.
     */
    interface Session {

        /**
         * The connection's facts changed: TLS started ({@link ConnectionInfo#tlsProtocol()}) or the client
         * authenticated ({@link ConnectionInfo#authenticatedUser()}). Later checks should use {@code connection}.
         */
        default void connectionChanged(ConnectionInfo connection) {
        }

        /** HELO or EHLO with the name the client gave. */
        default Verdict helo(String name) {
            return Verdict.accept();
        }

        /** MAIL FROM, after the server checked syntax, SIZE, BODY and SMTPUTF8; parameter names are upper case. */
        Verdict mail(ReversePath from, Map<String, String> parameters);

        /** RCPT TO, after the server checked syntax, sequence and the recipient limit. */
        Verdict rcpt(MailAddress to, Map<String, String> parameters);

        /**
         * The complete message for the accepted recipients. Return only once it is durable (the server answers 250
         * right after); throw to answer 4xx/5xx per {@link DeliveryException#isTemporary()}. The server closes
         * {@code content} after this returns, so keep no reference to it.
         */
        Verdict data(Envelope envelope, MessageContent content) throws DeliveryException;

        /** The transaction ended or was aborted (RSET, HELO/EHLO, after DATA/BDAT LAST, failure). */
        default void reset() {
        }

        /** The connection is gone; called once. */
        default void close() {
        }
    }
}
