package dev.yubin.smtp.client;

import dev.yubin.smtp.protocol.EhloKeywords;
import dev.yubin.smtp.protocol.SmtpReply;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * The client side of one SMTP session (RFC 5321 §3, §4.1) as plain Java: it is given the server's replies and the
 * connection's events, and answers with the commands to send next; the Netty shell ({@link dev.yubin.smtp.netty.SmtpClient}) only moves
 * bytes. One message to all its recipients per session, as Postfix's smtp(8) delivers.
 *
 * <table>
 *   <caption>Conversation</caption>
 *   <tr><th>Step</th><th>Behaviour</th></tr>
 *   <tr><td>greeting</td><td>not 2xx: every recipient deferred, the next MX host may be tried</td></tr>
 *   <tr><td>EHLO</td><td>5xx: HELO instead (no extensions); 4xx: deferred, next host</td></tr>
 *   <tr><td>STARTTLS (RFC 3207)</td><td>when offered and TLS is {@code may} or {@code encrypt}; refused or not
 *       offered under {@code encrypt}: deferred, next host; then EHLO again</td></tr>
 *   <tr><td>AUTH (RFC 4954)</td><td>with credentials, when offered, after TLS unless allowed before: PLAIN with
 *       an initial response, else LOGIN; a failure defers, next host</td></tr>
 *   <tr><td>before MAIL</td><td>bounced (5.3.4) if larger than the server's SIZE (RFC 1870); bounced (5.6.7) if an
 *       address needs SMTPUTF8 (RFC 6531) that the server lacks; bounced (5.6.3) if {@code BODY=8BITMIME} and the
 *       server lacks 8BITMIME (RFC 6152)</td></tr>
 *   <tr><td>MAIL, RCPT, DATA</td><td>in one batch with PIPELINING (RFC 2920), one by one without; each RCPT's
 *       reply decides its recipient (2xx waits for the data, 4xx deferred, 5xx bounced); MAIL 4xx: next host</td></tr>
 *   <tr><td>end of data</td><td>its reply decides every accepted recipient</td></tr>
 * </table>
 * A lost connection or a timeout defers every recipient not yet decided, with Postfix's words ("lost connection
 * with mx[192.0.2.1] while sending RCPT TO"). A decided recipient never changes.
 *
 * <p>Not thread-safe: the shell calls it from one thread at a time.
 */
public final class SmtpClientSession {
    /** What the shell does after writing a {@link Step}'s commands. */
    public enum Next {
        /** Wait for the next reply. */
        READ,
        /** Start the TLS handshake, then call {@link #onTlsEstablished()}. */
        START_TLS,
        /** Send the message content as DATA (CRLF, dot-stuffed, ended by {@code .}), then wait for the reply. */
        SEND_CONTENT,
        /** Close the connection: {@link #result()} is final. */
        CLOSE
    }

    /** Commands to write (without CRLF), then what to do. Immutable. */
    public record Step(List<String> commands, Next next) {
        /** Copies the commands. */
        public Step {
            commands = List.copyOf(commands);
            Objects.requireNonNull(next, "next");
        }
    }

    private enum Stage {
        GREETING("receiving the initial server greeting"),
        EHLO("performing the EHLO handshake"),
        HELO("performing the HELO handshake"),
        STARTTLS("sending STARTTLS"),
        TLS("performing the TLS handshake"),
        AUTH("performing SASL authentication"),
        AUTH_USER("performing SASL authentication"),
        AUTH_PASSWORD("performing SASL authentication"),
        MAIL("sending MAIL FROM"),
        RCPT("sending RCPT TO"),
        DATA("sending DATA command"),
        CONTENT("sending end of data -- message may be sent more than once"),
        DOT("sending end of data"),
        QUIT("sending QUIT");

        final String activity;

        Stage(String activity) {
            this.activity = activity;
        }
    }

    private final ClientSettings settings;
    private final OutboundMessage message;
    private final String peer;
    private final RecipientResult[] results;
    private final Deque<Stage> awaiting = new ArrayDeque<>();
    private final List<Integer> accepted = new ArrayList<>();
    private Stage stage = Stage.GREETING;
    private Set<String> extensions = Set.of();
    private long sizeLimit;
    private Set<String> authMechanisms = Set.of();
    private boolean tls;
    private boolean tlsDeclined;
    private boolean authenticated;
    private boolean pipelining;
    private int nextRcpt;
    private boolean mailRefused;
    private boolean tryNextHost;
    private boolean closing;

    /**
     * A session delivering {@code message} to {@code peer}, the server's name and address as logs show it:
     * {@code mail.example2.jp[127.0.0.2]:25}.
     */
    public SmtpClientSession(ClientSettings settings, OutboundMessage message, String peer) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.message = Objects.requireNonNull(message, "message");
        this.peer = Objects.requireNonNull(peer, "peer");
        this.results = new RecipientResult[message.recipients().size()];
        awaiting.add(Stage.GREETING);
    }

    /** What the session is doing, for timeout and lost-connection texts: {@code sending RCPT TO}. */
    public String activity() {
        return stage.activity;
    }

    /** Whether the content has been sent and its reply is due (a lost connection may then mean a duplicate). */
    public boolean awaitingEndOfData() {
        return stage == Stage.CONTENT;
    }

    /** Whether TLS is up. */
    public boolean isTls() {
        return tls;
    }

    /** The next reply from the server. */
    public Step onReply(SmtpReply reply) {
        Stage s = awaiting.poll();
        if (s == null) {
            return closing ? close() : quit(); // a reply nobody asked for: stop talking
        }
        switch (s) {
            case GREETING:
                if (reply.code() / 100 != 2) {
                    return hostFailed(reply, "refused to talk to me", null);
                }
                return ehlo();
            case EHLO:
                if (reply.code() / 100 == 2) {
                    readExtensions(reply);
                    return proceed();
                }
                if (reply.isPermanent()) {
                    return send(Stage.HELO, "HELO " + settings.heloName());
                }
                return hostFailed(reply, "said", "EHLO");
            case HELO:
                if (reply.code() / 100 != 2) {
                    return hostFailed(reply, "said", "HELO");
                }
                extensions = Set.of();
                return proceed();
            case STARTTLS:
                if (reply.code() / 100 == 2) {
                    stage = Stage.TLS;
                    return new Step(List.of(), Next.START_TLS);
                }
                if (settings.tls() == ClientSettings.TlsLevel.ENCRYPT) {
                    return hostFailed(reply, "said", "STARTTLS");
                }
                tlsDeclined = true;
                return proceed();
            case AUTH:
            case AUTH_USER:
            case AUTH_PASSWORD:
                return onAuthReply(s, reply);
            case MAIL:
                return onMailReply(reply);
            case RCPT:
                return onRcptReply(reply);
            case DATA:
                return onDataReply(reply);
            case CONTENT:
                for (int i : accepted) {
                    decide(i, reply, "end of DATA");
                }
                return quit();
            case DOT:
                return quit();
            case QUIT:
            default:
                return close();
        }
    }

    /** The TLS handshake after STARTTLS succeeded: EHLO again (RFC 3207 §4.2). */
    public Step onTlsEstablished() {
        tls = true;
        extensions = Set.of();
        authMechanisms = Set.of();
        return ehlo();
    }

    /** The reply could not be parsed: the server is broken; the rest is deferred. */
    public Step onMalformedReply(String why) {
        failUndecided("4.5.0", "host " + peer + " said: " + why + " (in reply to " + command(stage) + ")", true);
        return close();
    }

    /** The connection ended (or TLS failed) before the session did. Returns the final result. */
    public SessionResult onConnectionLost() {
        if (stage == Stage.QUIT || closing) {
            failUndecided("4.4.2", "lost connection with " + peer + " while " + stage.activity, false);
        } else {
            failUndecided("4.4.2", "lost connection with " + peer + " while " + stage.activity,
                    accepted.isEmpty() && !mailRefused);
        }
        closing = true;
        return result();
    }

    /** No reply in time. Returns the final result; the shell closes the connection. */
    public SessionResult onTimeout() {
        failUndecided("4.4.2", "conversation with " + peer + " timed out while " + stage.activity,
                accepted.isEmpty() && !mailRefused && stage != Stage.QUIT);
        closing = true;
        return result();
    }

    /** The outcome so far; final once {@link Next#CLOSE} was returned or the connection is gone. */
    public SessionResult result() {
        List<RecipientResult> list = new ArrayList<>(results.length);
        for (int i = 0; i < results.length; i++) {
            list.add(results[i] != null ? results[i] : new RecipientResult(message.recipients().get(i),
                    RecipientResult.Outcome.DEFERRED, "4.4.2", "lost connection with " + peer + " while "
                    + stage.activity));
        }
        return new SessionResult(list, tryNextHost);
    }

    // ---- the conversation ------------------------------------------------------------------------------------

    private Step ehlo() {
        return send(Stage.EHLO, "EHLO " + settings.heloName());
    }

    private void readExtensions(SmtpReply reply) {
        Set<String> found = new HashSet<>();
        Set<String> mechanisms = new HashSet<>();
        long size = 0;
        for (String line : reply.lines().subList(1, reply.lines().size())) {
            String[] words = line.trim().split("[ =]+");
            String keyword = words[0].toUpperCase(Locale.ROOT);
            found.add(keyword);
            if (keyword.equals(EhloKeywords.SIZE) && words.length > 1) {
                try {
                    size = Long.parseLong(words[1]);
                } catch (NumberFormatException e) {
                    size = 0; // no usable limit: none
                }
            } else if (keyword.equals(EhloKeywords.AUTH)) {
                for (int i = 1; i < words.length; i++) {
                    mechanisms.add(words[i].toUpperCase(Locale.ROOT));
                }
            }
        }
        extensions = found;
        sizeLimit = size;
        authMechanisms = mechanisms;
        pipelining = found.contains(EhloKeywords.PIPELINING);
    }

    /** After EHLO/HELO: TLS, then AUTH, then the checks, then the transaction. */
    private Step proceed() {
        boolean offered = extensions.contains(EhloKeywords.STARTTLS);
        if (!tls && !tlsDeclined && settings.tls() != ClientSettings.TlsLevel.NONE && offered) {
            return send(Stage.STARTTLS, "STARTTLS");
        }
        if (!tls && settings.tls() == ClientSettings.TlsLevel.ENCRYPT) {
            failUndecided("4.7.4", "TLS is required, but was not offered by host " + peer, true);
            return quit();
        }
        if (settings.credentials().isPresent() && !authenticated && !authMechanisms.isEmpty()
                && (tls || settings.authWithoutTls())) {
            return authenticate();
        }
        long size = message.content().size();
        if (sizeLimit > 0 && size > sizeLimit) {
            failUndecided("5.3.4", "message size " + size + " exceeds size limit " + sizeLimit + " of server "
                    + peer, false);
            return quit();
        }
        boolean utf8 = extensions.contains(EhloKeywords.SMTPUTF8);
        if (message.needsSmtpUtf8() && !utf8) {
            failUndecided("5.6.7", "SMTPUTF8 is required, but was not offered by host " + peer, false);
            return quit();
        }
        boolean eightBit = extensions.contains(EhloKeywords.EIGHT_BIT_MIME);
        if (message.eightBitMime() && !eightBit) {
            failUndecided("5.6.3", "message has 8-bit content, but host " + peer + " does not offer 8BITMIME",
                    false);
            return quit();
        }
        StringBuilder mail = new StringBuilder("MAIL FROM:<").append(message.sender()
                .address().map(Object::toString).orElse("")).append('>');
        if (sizeLimit > 0 || extensions.contains(EhloKeywords.SIZE)) {
            mail.append(" SIZE=").append(size);
        }
        if (message.eightBitMime() && eightBit) {
            mail.append(" BODY=8BITMIME");
        }
        if (utf8 && (message.smtpUtf8() || message.needsSmtpUtf8())) {
            mail.append(" SMTPUTF8");
        }
        if (!pipelining) {
            return send(Stage.MAIL, mail.toString());
        }
        List<String> batch = new ArrayList<>();
        batch.add(mail.toString());
        awaiting.add(Stage.MAIL);
        for (int i = 0; i < results.length; i++) {
            batch.add(rcpt(i));
            awaiting.add(Stage.RCPT);
        }
        batch.add("DATA");
        awaiting.add(Stage.DATA);
        stage = Stage.MAIL;
        return new Step(batch, Next.READ);
    }

    private Step authenticate() {
        ClientSettings.Credentials c = settings.credentials().orElseThrow();
        if (authMechanisms.contains("PLAIN")) {
            String response = base64("\0" + c.user() + "\0" + c.password());
            return send(Stage.AUTH, "AUTH PLAIN " + response);
        }
        if (authMechanisms.contains("LOGIN")) {
            return send(Stage.AUTH_USER, "AUTH LOGIN");
        }
        failUndecided("4.7.0", "SASL authentication failed: host " + peer + " offers no mechanism of PLAIN LOGIN",
                true);
        return quit();
    }

    private Step onAuthReply(Stage s, SmtpReply reply) {
        ClientSettings.Credentials c = settings.credentials().orElseThrow();
        if (reply.code() == 235) {
            authenticated = true;
            return proceed();
        }
        if (reply.code() == 334 && s == Stage.AUTH_USER) {
            return send(Stage.AUTH_PASSWORD, base64(c.user()));
        }
        if (reply.code() == 334 && s == Stage.AUTH_PASSWORD) {
            return send(Stage.AUTH, base64(c.password()));
        }
        if (reply.code() == 334) {
            return send(Stage.AUTH, "*"); // a challenge we cannot answer: cancel (RFC 4954 §4)
        }
        // even a 535 defers, as Postfix does: a wrong password is the admin's to fix, not the sender's
        failUndecided(reply.isPermanent() ? "4.7.8" : "4.7.0", "SASL authentication failed; server " + peer
                + " said: " + wire(reply), true);
        return quit();
    }

    private Step onMailReply(SmtpReply reply) {
        if (reply.code() / 100 != 2) {
            mailRefused = true;
            for (int i = 0; i < results.length; i++) {
                decide(i, reply, "MAIL FROM");
            }
            tryNextHost = reply.isTransient();
            return pipelining ? new Step(List.of(), Next.READ) : quit(); // the batch's other replies follow
        }
        if (pipelining) {
            stage = Stage.RCPT;
            return new Step(List.of(), Next.READ);
        }
        return send(Stage.RCPT, rcpt(nextRcpt));
    }

    private Step onRcptReply(SmtpReply reply) {
        int i = nextRcpt++;
        if (!mailRefused) {
            if (reply.code() / 100 == 2) {
                accepted.add(i);
            } else {
                decide(i, reply, "RCPT TO");
            }
        }
        if (pipelining) {
            stage = nextRcpt < results.length ? Stage.RCPT : Stage.DATA;
            return new Step(List.of(), Next.READ);
        }
        if (nextRcpt < results.length) {
            return send(Stage.RCPT, rcpt(nextRcpt));
        }
        return accepted.isEmpty() ? quit() : send(Stage.DATA, "DATA");
    }

    private Step onDataReply(SmtpReply reply) {
        if (reply.code() == 354) {
            if (accepted.isEmpty()) {
                return send(Stage.DOT, "."); // pipelined, every RCPT refused, yet 354: end the empty data
            }
            stage = Stage.CONTENT;
            awaiting.add(Stage.CONTENT);
            return new Step(List.of(), Next.SEND_CONTENT);
        }
        for (int i : accepted) {
            decide(i, reply, "DATA");
        }
        return quit();
    }

    private Step quit() {
        closing = true;
        awaiting.clear();
        return send(Stage.QUIT, "QUIT");
    }

    private Step close() {
        closing = true;
        awaiting.clear();
        return new Step(List.of(), Next.CLOSE);
    }

    private Step send(Stage next, String command) {
        stage = next;
        awaiting.add(next);
        return new Step(List.of(command), Next.READ);
    }

    private String rcpt(int i) {
        return "RCPT TO:<" + message.recipients().get(i) + ">";
    }

    // ---- outcomes --------------------------------------------------------------------------------------------

    /** Every recipient not yet decided fails with {@code reply}; the next host may be tried if it was 4xx. */
    private Step hostFailed(SmtpReply reply, String verb, String command) {
        String detail = "host " + peer + " " + verb + ": " + wire(reply)
                + (command == null ? "" : " (in reply to " + command + " command)");
        // a 5xx greeting or EHLO is the host's trouble, not the message's: defer, like smtp_skip_5xx_greeting
        failUndecided(reply.isPermanent() ? "4" + dsn(reply).substring(1) : dsn(reply), detail, true);
        return quit();
    }

    private void decide(int i, SmtpReply reply, String command) {
        if (results[i] != null) {
            return;
        }
        RecipientResult.Outcome outcome = RecipientResult.Outcome.of(reply.code());
        String detail = outcome == RecipientResult.Outcome.SENT ? wire(reply)
                : "host " + peer + " said: " + wire(reply) + " (in reply to " + command + " command)";
        results[i] = new RecipientResult(message.recipients().get(i), outcome, dsn(reply), detail);
    }

    private void failUndecided(String dsn, String detail, boolean nextHost) {
        RecipientResult.Outcome outcome = dsn.charAt(0) == '5' ? RecipientResult.Outcome.BOUNCED
                : RecipientResult.Outcome.DEFERRED;
        boolean any = false;
        for (int i = 0; i < results.length; i++) {
            if (results[i] == null) {
                results[i] = new RecipientResult(message.recipients().get(i), outcome, dsn, detail);
                any = true;
            }
        }
        if (any && nextHost) {
            tryNextHost = true;
        }
    }

    private static String dsn(SmtpReply reply) {
        return reply.status().map(Object::toString).orElse((reply.code() / 100) + ".0.0");
    }

    /** The reply as one line: {@code 550 5.1.1 <x@y>: User unknown}. */
    private static String wire(SmtpReply reply) {
        return reply.code() + reply.status().map(s -> " " + s).orElse("") + " " + reply.text();
    }

    private static String command(Stage stage) {
        switch (stage) {
            case GREETING:
                return "initial greeting";
            case CONTENT:
            case DOT:
                return "end of DATA command";
            default:
                return stage.name().replace('_', ' ') + " command";
        }
    }

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}
