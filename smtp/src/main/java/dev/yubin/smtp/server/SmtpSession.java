package dev.yubin.smtp.server;

import dev.yubin.auth.sasl.SaslMechanism;
import dev.yubin.auth.sasl.SaslServer;
import dev.yubin.auth.sasl.SaslStep;
import dev.yubin.core.address.AddressException;
import dev.yubin.core.address.Domain;
import dev.yubin.core.address.MailAddress;
import dev.yubin.core.address.ReversePath;
import dev.yubin.core.log.MailLog;
import dev.yubin.core.message.ContentSpool;
import dev.yubin.core.message.DeliveryException;
import dev.yubin.core.message.Envelope;
import dev.yubin.core.message.MessageContent;
import dev.yubin.core.message.QueueId;
import dev.yubin.core.message.Recipient;
import dev.yubin.core.net.ConnectionInfo;
import dev.yubin.smtp.protocol.EhloKeywords;
import dev.yubin.smtp.protocol.EnhancedStatus;
import dev.yubin.smtp.protocol.SmtpCommand;
import dev.yubin.smtp.protocol.SmtpCommandParser;
import dev.yubin.smtp.protocol.SmtpReplies;
import dev.yubin.smtp.protocol.SmtpReply;
import dev.yubin.smtp.protocol.SmtpSyntaxError;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server side of one SMTP connection as a plain state machine (RFC 5321, with PIPELINING, SIZE, 8BITMIME,
 * ENHANCEDSTATUSCODES, SMTPUTF8 and CHUNKING): the I/O shell feeds it command lines and message octets and
 * writes the replies of the {@link Step}s it returns. It knows nothing about sockets.
 *
 * <p>Not thread-safe: confined to the connection's serial executor. Calls into the {@link SmtpHandler.Session}
 * (which may block) happen on the calling thread. Log lines go to {@link MailLog#smtpd()} of its configuration,
 * in Postfix's format; the {@code qmgr} lines of an accepted message are the sink's.
 *
 * <table>
 *   <caption>Limits (from {@link SmtpServerConfig#limits()})</caption>
 *   <tr><th>limit</th><th>behaviour</th></tr>
 *   <tr><td>{@code maxMessageSize}</td><td>advertised as {@code SIZE}; a larger {@code SIZE=} at MAIL gets 552;
 *     content over it is discarded while reading and answered 552 5.3.4 at the end</td></tr>
 *   <tr><td>{@code maxRecipients}</td><td>further RCPTs get 452 4.5.3 (not counted as errors)</td></tr>
 *   <tr><td>{@code maxErrors}</td><td>after that many error replies the next command gets 421 4.7.0 and the
 *     connection is closed (Postfix {@code smtpd_hard_error_limit}); a delivered message resets the count</td></tr>
 * </table>
 */
public final class SmtpSession {
    private static final Logger LOG = LoggerFactory.getLogger(SmtpSession.class);
    private static final List<String> COUNTED_VERBS =
            List.of("HELO", "EHLO", "STARTTLS", "AUTH", "MAIL", "RCPT", "DATA", "BDAT", "RSET", "NOOP", "VRFY", "HELP",
                    "QUIT", "UNKNOWN");
    /** Verbs whose handling calls at most the handler's envelope checks. */
    private static final Set<String> ENVELOPE_VERBS =
            Set.of("HELO", "EHLO", "MAIL", "RCPT", "DATA", "RSET", "NOOP", "VRFY", "HELP", "QUIT");
    private static final List<String> BODY_TYPES = List.of("7BIT", "8BITMIME", "BINARYMIME");

    private final SmtpServerConfig config;
    private final SmtpHandler handler;
    private ConnectionInfo connection;
    private final EhloKeywords keywords;
    private final Optional<Domain> postmasterDomain;
    private final int[] succeeded = new int[COUNTED_VERBS.size()];
    private final int[] attempted = new int[COUNTED_VERBS.size()];

    private SmtpHandler.Session session;
    private String heloName = "";
    private boolean esmtp;
    private int errors;
    private String lastCommand = "CONNECT";
    private boolean closing;
    private boolean disconnected;
    private Transaction transaction;
    private boolean readingData;
    private boolean readingChunk;
    private long chunkSize;
    private boolean chunkLast;
    private SmtpReply chunkError;
    /** The SASL exchange in progress: the next command line is the client's response, not a command. */
    private SaslServer sasl;
    /** The mechanism of the exchange in progress or of the successful one. */
    private String saslMethod;

    /** A session for one connection; nothing happens until {@link #greet()}, which opens the handler's session. */
    public SmtpSession(SmtpServerConfig config, SmtpHandler handler, ConnectionInfo connection) {
        this.config = Objects.requireNonNull(config, "config");
        this.handler = Objects.requireNonNull(handler, "handler");
        this.connection = Objects.requireNonNull(connection, "connection");
        this.keywords = EhloKeywords.standard(config.limits().maxMessageSize());
        this.postmasterDomain = domainOf(config.hostname());
    }

    /** Opens the handler session and returns the greeting {@code 220 <hostname> <banner>}. */
    public Step greet() {
        config.log().smtpd().info("connect from {}", connection.clientLabel());
        try {
            session = Objects.requireNonNull(handler.open(connection), "handler.open returned null");
        } catch (RuntimeException e) {
            LOG.warn("SMTP handler failed to open a session for {}", connection.clientLabel(), e);
            session = new SmtpHandler.Session() {
                @Override
                public Verdict mail(ReversePath from, Map<String, String> parameters) {
                    throw new IllegalStateException("no session");
                }

                @Override
                public Verdict rcpt(MailAddress to, Map<String, String> parameters) {
                    throw new IllegalStateException("no session");
                }

                @Override
                public Verdict data(Envelope envelope, MessageContent content) {
                    throw new IllegalStateException("no session");
                }
            };
            closing = true;
            return Step.close(SmtpReplies.serviceUnavailable(config.hostname()));
        }
        return Step.reply(SmtpReplies.greeting(config.hostname(), config.banner()));
    }

    /**
     * One command line, without its line ending, decoded as UTF-8. Not allowed while DATA text or a BDAT chunk is
     * being read ({@link IllegalStateException}).
     */
    public Step onCommandLine(String line) {
        if (closing) {
            return Step.close();
        }
        if (errors >= config.limits().maxErrors()) {
            return tooManyErrors();
        }
        requireGreeted();
        requireNotReadingContent();
        if (sasl != null) {
            return onAuthResponse(line);
        }
        SmtpCommand command = postmasterDomain.isPresent()
                ? SmtpCommandParser.parse(line, postmasterDomain.get())
                : SmtpCommandParser.parse(line);
        return onCommand(command);
    }

    /**
     * Whether {@link #onCommandLine} with this line returns without blocking: the session is greeted, the verb is
     * one of HELO, EHLO, MAIL, RCPT, DATA, RSET, NOOP, VRFY, HELP, QUIT, and the handler's envelope checks are
     * {@linkplain SmtpHandler#envelopeChecksAreNonBlocking() non-blocking}. The I/O shell may then run the step on
     * its event loop.
     */
    public boolean handlesWithoutBlocking(String line) {
        if (session == null || closing || readingData || readingChunk || sasl != null
                || !handler.envelopeChecksAreNonBlocking()) {
            return false;
        }
        if (transaction != null && transaction.spool != null && transaction.spool.isInFile()) {
            return false; // ending this transaction deletes a spool file (BDAT chunks over 64 KiB so far)
        }
        int end = 0;
        while (end < line.length() && end < 5 && line.charAt(end) != ' ') {
            end++;
        }
        return end == 4 && ENVELOPE_VERBS.contains(line.substring(0, 4).toUpperCase(Locale.ROOT));
    }

    /** A command line longer than {@code maxCommandLineLength}: {@code 500 5.5.2 Error: line too long}. */
    public Step onCommandLineTooLong() {
        if (closing) {
            return Step.close();
        }
        if (errors >= config.limits().maxErrors()) {
            return tooManyErrors();
        }
        requireNotReadingContent();
        errors++;
        return Step.reply(SmtpReplies.LINE_TOO_LONG);
    }

    /** DATA text or BDAT octets: dot-unstuffed, LF line endings. Discarded when the transaction already failed. */
    public void onContent(byte[] bytes, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, bytes.length);
        if (transaction == null || !(readingData || readingChunk && chunkError == null)) {
            return;
        }
        transaction.write(bytes, offset, length, readingData, config.limits().maxMessageSize());
    }

    /** A DATA text line exceeded {@code maxTextLineLength}: the transaction fails with 500 5.5.2 at the end. */
    public void onContentLineTooLong() {
        if (readingData && transaction != null) {
            transaction.lineTooLong = true;
        }
    }

    /** The end of DATA ({@code CRLF.CRLF}): hands the message to the handler and answers 250 only if it is safe. */
    public Step onDataEnd() {
        if (!readingData) {
            throw new IllegalStateException("onDataEnd without DATA");
        }
        readingData = false;
        return Step.reply(deliver("DATA"));
    }

    /** All octets of the current BDAT chunk were passed to {@link #onContent}. */
    public Step onBdatChunkEnd() {
        if (!readingChunk) {
            throw new IllegalStateException("onBdatChunkEnd without BDAT");
        }
        readingChunk = false;
        return Step.reply(chunkReply());
    }

    /** The client was idle too long: {@code 421 4.4.2}, then close. */
    public Step onTimeout() {
        config.log().smtpd().info("timeout after {} from {}", lastCommand, connection.clientLabel());
        return closeWith(SmtpReplies.timeout(config.hostname()));
    }

    /** The server is stopping: {@code 421 4.3.2}, then close. */
    public Step onShutdown() {
        return closeWith(SmtpReplies.shuttingDown(config.hostname()));
    }

    /** The connection is gone: drops an unfinished message and logs the disconnect line. Idempotent. */
    public void onDisconnect() {
        if (disconnected) {
            return;
        }
        disconnected = true;
        if (!closing) {
            config.log().smtpd().info("lost connection after {} from {}", lastCommand, connection.clientLabel());
        }
        abandonContent();
        if (transaction != null) {
            transaction.abort();
            transaction = null;
            resetHandler();
        }
        if (session != null) {
            try {
                session.close();
            } catch (RuntimeException e) {
                LOG.warn("SMTP handler failed to close the session of {}", connection.clientLabel(), e);
            }
        }
        config.log().smtpd().info("disconnect from {}{}", connection.clientLabel(), counters());
    }

    private Step onCommand(SmtpCommand command) {
        lastCommand = command instanceof SmtpCommand.Unknown || command.verb().isEmpty() ? "UNKNOWN"
                : command.verb();
        if (command instanceof SmtpSyntaxError) {
            return respond(lastCommand, ((SmtpSyntaxError) command).reply());
        }
        if (command instanceof SmtpCommand.Helo) {
            return handleHelo(((SmtpCommand.Helo) command).domain(), false);
        }
        if (command instanceof SmtpCommand.Ehlo) {
            return handleHelo(((SmtpCommand.Ehlo) command).domain(), true);
        }
        if (command instanceof SmtpCommand.Mail) {
            return handleMail((SmtpCommand.Mail) command);
        }
        if (command instanceof SmtpCommand.Rcpt) {
            return handleRcpt((SmtpCommand.Rcpt) command);
        }
        if (command instanceof SmtpCommand.Data) {
            return handleData();
        }
        if (command instanceof SmtpCommand.Bdat) {
            return handleBdat((SmtpCommand.Bdat) command);
        }
        if (command instanceof SmtpCommand.Rset) {
            endTransaction();
            return respond("RSET", SmtpReplies.OK);
        }
        if (command instanceof SmtpCommand.Noop) {
            return respond("NOOP", SmtpReplies.OK);
        }
        if (command instanceof SmtpCommand.Vrfy) {
            return respond("VRFY", SmtpReplies.CANNOT_VRFY);
        }
        if (command instanceof SmtpCommand.Help) {
            return respond("HELP", SmtpReplies.HELP);
        }
        if (command instanceof SmtpCommand.Auth) {
            return handleAuth((SmtpCommand.Auth) command);
        }
        if (command instanceof SmtpCommand.StartTls) {
            return handleStartTls();
        }
        if (command instanceof SmtpCommand.Quit) {
            count("QUIT", true);
            closing = true;
            endTransaction();
            return Step.close(SmtpReplies.SERVICE_CLOSING);
        }
        return respond("UNKNOWN", SmtpReplies.UNKNOWN_COMMAND);
    }

    private Step handleStartTls() {
        if (!config.startTlsOffered()) {
            return respond("STARTTLS", SmtpReplies.NOT_IMPLEMENTED);
        }
        if (connection.isTls()) {
            return respond("STARTTLS", SmtpReplies.TLS_ALREADY_ACTIVE);
        }
        if (transaction != null) {
            return respond("STARTTLS", SmtpReplies.TRANSACTION_IN_PROGRESS);
        }
        if (connection.authenticatedUser().isPresent()) {
            return respond("STARTTLS", SmtpReplies.ALREADY_AUTHENTICATED);
        }
        record("STARTTLS", SmtpReplies.READY_TO_START_TLS);
        // RFC 3207 §4.2: forget what the client said before; it must say EHLO again.
        heloName = "";
        esmtp = false;
        return Step.startTls(SmtpReplies.READY_TO_START_TLS);
    }

    /**
     * TLS is established after {@link Next#START_TLS}: the connection is encrypted from now on (the I/O shell has
     * already dropped whatever the client sent in plaintext after STARTTLS).
     */
    public void onTlsEstablished(String protocol, String cipher) {
        connection = connection.withTls(protocol, cipher);
        notifyConnectionChanged();
        config.log().smtpd().info("Anonymous TLS connection established from {}: {} with cipher {}",
                connection.clientLabel(), protocol, cipher);
    }

    private Step handleAuth(SmtpCommand.Auth auth) {
        Optional<SmtpAuth> configured = config.auth();
        if (configured.isEmpty()) {
            return respond("AUTH", SmtpReplies.AUTH_NOT_ENABLED);
        }
        if (heloName.isEmpty() || !esmtp) {
            return respond("AUTH", SmtpReplies.SEND_EHLO_FIRST);
        }
        if (connection.authenticatedUser().isPresent()) {
            return respond("AUTH", SmtpReplies.ALREADY_AUTHENTICATED);
        }
        if (transaction != null) {
            return respond("AUTH", SmtpReplies.TRANSACTION_IN_PROGRESS);
        }
        Optional<SaslMechanism> mechanism = configured.get().mechanism(auth.mechanism());
        if (mechanism.isEmpty()) {
            return respond("AUTH", SmtpReplies.UNKNOWN_AUTH_MECHANISM);
        }
        if (!configured.get().offered(connection.isTls()).contains(mechanism.get())) {
            return respond("AUTH", SmtpReplies.ENCRYPTION_REQUIRED);
        }
        Optional<byte[]> initial = Optional.empty();
        if (auth.initialResponse().isPresent()) {
            Optional<byte[]> decoded = decodeResponse(auth.initialResponse().get());
            if (decoded.isEmpty()) {
                return respond("AUTH", SmtpReplies.CANNOT_DECODE_RESPONSE);
            }
            initial = decoded;
        }
        sasl = mechanism.get().newServer(configured.get().context());
        saslMethod = mechanism.get().name();
        return saslStep(sasl.start(initial));
    }

    /** A line while a SASL exchange waits for the client: {@code *} cancels, anything else must be base64. */
    private Step onAuthResponse(String line) {
        if (line.equals("*")) {
            sasl.abort(SaslStep.Reason.CANCELLED);
            sasl = null;
            return respond("AUTH", SmtpReplies.AUTHENTICATION_ABORTED);
        }
        Optional<byte[]> decoded = decodeResponse(line);
        if (decoded.isEmpty()) {
            sasl.abort(SaslStep.Reason.MALFORMED);
            sasl = null;
            return respond("AUTH", SmtpReplies.CANNOT_DECODE_RESPONSE);
        }
        return saslStep(sasl.evaluate(decoded.get()));
    }

    private Step saslStep(SaslStep step) {
        if (step instanceof SaslStep.Challenge) {
            // no count yet: the exchange goes on
            return Step.reply(SmtpReplies.authChallenge(
                    Base64.getEncoder().encodeToString(((SaslStep.Challenge) step).data())));
        }
        sasl = null;
        InetAddress client = connection.remote().getAddress();
        SmtpAuth auth = config.auth().orElseThrow();
        if (step instanceof SaslStep.Success) {
            SaslStep.Success success = (SaslStep.Success) step;
            if (client != null) {
                auth.failureDelay().success(client);
            }
            connection = connection.withAuthenticatedUser(success.login());
            notifyConnectionChanged();
            return respond("AUTH", SmtpReplies.AUTHENTICATION_SUCCESSFUL);
        }
        SaslStep.Failure failure = (SaslStep.Failure) step;
        SmtpReply reply;
        switch (failure.reason()) {
            case TEMPORARY_FAILURE:
                LOG.warn("SASL {} authentication of {} failed temporarily: {}", saslMethod, connection.clientLabel(),
                        failure.detail(), failure.cause());
                reply = SmtpReplies.AUTH_TEMPORARY_FAILURE;
                break;
            case MALFORMED:
                reply = SmtpReplies.AUTH_MALFORMED;
                break;
            case CANCELLED:
                reply = SmtpReplies.AUTHENTICATION_ABORTED;
                break;
            default:
                reply = SmtpReplies.AUTHENTICATION_FAILED;
                break;
        }
        config.log().smtpd().warn("warning: {}: SASL {} authentication failed: {}", connection.clientLabel(),
                saslMethod, failure.detail());
        saslMethod = null;
        Step out = respond("AUTH", reply);
        if (failure.reason() == SaslStep.Reason.BAD_CREDENTIALS && client != null) {
            Duration delay = auth.failureDelay().failure(client);
            if (!delay.isZero() && !delay.isNegative()) {
                return out.delayed(delay);
            }
        }
        return out;
    }

    /** The octets of a base64 SASL response; {@code =} is the empty response (RFC 4954 §4). */
    private static Optional<byte[]> decodeResponse(String text) {
        if (text.equals("=")) {
            return Optional.of(new byte[0]);
        }
        if (text.isEmpty() || text.length() % 4 != 0) {
            return Optional.empty();
        }
        try {
            return Optional.of(Base64.getDecoder().decode(text));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private void notifyConnectionChanged() {
        try {
            session.connectionChanged(connection);
        } catch (RuntimeException e) {
            LOG.warn("SMTP handler failed to take the new facts of {}", connection.clientLabel(), e);
        }
    }

    private Step handleHelo(String name, boolean extended) {
        String verb = extended ? "EHLO" : "HELO";
        Verdict verdict = ask(() -> session.helo(name));
        if (verdict instanceof Verdict.Reject) {
            SmtpReply reply = ((Verdict.Reject) verdict).reply();
            logReject(verb, reply, Optional.empty(), Optional.empty(), name);
            return respond(verb, reply);
        }
        endTransaction();
        heloName = name;
        esmtp = extended;
        EhloKeywords offered = config.startTlsOffered() && !connection.isTls()
                ? keywords.with(EhloKeywords.STARTTLS) : keywords;
        List<SaslMechanism> mechanisms = config.auth().map(a -> a.offered(connection.isTls())).orElse(List.of());
        if (!mechanisms.isEmpty() && connection.authenticatedUser().isEmpty()) {
            offered = offered.with(EhloKeywords.AUTH + " "
                    + String.join(" ", mechanisms.stream().map(SaslMechanism::name).toList()));
        }
        return respond(verb, extended ? offered.reply(config.hostname()) : SmtpReplies.helo(config.hostname()));
    }

    private Step handleMail(SmtpCommand.Mail mail) {
        if (transaction != null) {
            return respond("MAIL", SmtpReplies.NESTED_MAIL);
        }
        if (config.auth().map(SmtpAuth::required).orElse(false) && connection.authenticatedUser().isEmpty()) {
            return reject("MAIL", SmtpReplies.AUTHENTICATION_REQUIRED, Optional.of(mail.reversePath()),
                    Optional.empty());
        }
        boolean smtputf8 = false;
        boolean binary = false;
        for (Map.Entry<String, String> parameter : mail.parameters().entrySet()) {
            String value = parameter.getValue();
            switch (parameter.getKey()) {
                case "SIZE":
                    if (value.isEmpty() || value.length() > 18 || !value.chars().allMatch(c -> c >= '0' && c <= '9')) {
                        return respond("MAIL", SmtpReplies.BAD_SIZE);
                    }
                    if (Long.parseLong(value) > config.limits().maxMessageSize()) {
                        return reject("MAIL", SmtpReplies.MESSAGE_SIZE_EXCEEDS_LIMIT, Optional.of(mail.reversePath()),
                                Optional.empty());
                    }
                    break;
                case "BODY":
                    String body = value.toUpperCase(Locale.ROOT);
                    if (!BODY_TYPES.contains(body)) {
                        return respond("MAIL", SmtpReplies.BAD_BODY);
                    }
                    if (body.equals("BINARYMIME") && !keywords.lines().contains(EhloKeywords.BINARYMIME)) {
                        // not offered: the decoder stores LF line endings, which would corrupt binary content
                        return respond("MAIL", SmtpReplies.unsupportedParameter("BODY=BINARYMIME"));
                    }
                    binary = body.equals("BINARYMIME");
                    break;
                case "SMTPUTF8":
                    if (!value.isEmpty()) {
                        return respond("MAIL", SmtpReplies.BAD_SMTPUTF8);
                    }
                    smtputf8 = true;
                    break;
                default:
                    return respond("MAIL", SmtpReplies.unsupportedParameter(parameter.getKey()));
            }
        }
        if (!smtputf8 && mail.reversePath().address().map(MailAddress::isInternationalized).orElse(false)) {
            return reject("MAIL", SmtpReplies.SMTPUTF8_REQUIRED, Optional.of(mail.reversePath()), Optional.empty());
        }
        Verdict verdict = ask(() -> session.mail(mail.reversePath(), mail.parameters()));
        if (verdict instanceof Verdict.Reject) {
            return reject("MAIL", ((Verdict.Reject) verdict).reply(), Optional.of(mail.reversePath()),
                    Optional.empty());
        }
        transaction = new Transaction(QueueId.next(), mail.reversePath(), mail.parameters(), smtputf8, binary);
        return respond("MAIL", accepted(verdict, SmtpReplies.SENDER_OK));
    }

    private Step handleRcpt(SmtpCommand.Rcpt rcpt) {
        if (transaction == null) {
            return respond("RCPT", SmtpReplies.NEED_MAIL);
        }
        if (transaction.chunking) {
            return respond("RCPT", SmtpReplies.RCPT_AFTER_BDAT);
        }
        if (!rcpt.parameters().isEmpty()) {
            return respond("RCPT", SmtpReplies.unsupportedParameter(rcpt.parameters().keySet().iterator().next()));
        }
        transaction.recipientTried = true;
        if (transaction.recipients.size() >= config.limits().maxRecipients()) {
            return respond("RCPT", SmtpReplies.TOO_MANY_RECIPIENTS);
        }
        MailAddress to = rcpt.forwardPath();
        Optional<ReversePath> from = Optional.of(transaction.reversePath);
        if (!transaction.smtputf8 && to.isInternationalized()) {
            return reject("RCPT", SmtpReplies.SMTPUTF8_REQUIRED, from, Optional.of(to));
        }
        Verdict verdict = ask(() -> session.rcpt(to, rcpt.parameters()));
        if (verdict instanceof Verdict.Reject) {
            return reject("RCPT", ((Verdict.Reject) verdict).reply(), from, Optional.of(to));
        }
        transaction.recipients.add(new Recipient(to, rcpt.parameters()));
        if (transaction.recipients.size() == 1) {
            if (saslMethod != null && connection.authenticatedUser().isPresent()) {
                config.log().smtpd().info("{}: client={}, sasl_method={}, sasl_username={}", transaction.queueId,
                        connection.clientLabel(), saslMethod, connection.authenticatedUser().get());
            } else {
                config.log().smtpd().info("{}: client={}", transaction.queueId, connection.clientLabel());
            }
        }
        return respond("RCPT", accepted(verdict, SmtpReplies.RECIPIENT_OK));
    }

    private Step handleData() {
        Optional<SmtpReply> refusal = refuseContent();
        if (refusal.isPresent()) {
            return respond("DATA", refusal.get());
        }
        if (transaction.chunking) {
            return respond("DATA", SmtpReplies.DATA_AFTER_BDAT);
        }
        if (transaction.binary) {
            return respond("DATA", SmtpReplies.BDAT_REQUIRED);
        }
        transaction.openSpool(config.spoolDirectory());
        readingData = true;
        return Step.readData(SmtpReplies.START_MAIL_INPUT);
    }

    private Step handleBdat(SmtpCommand.Bdat bdat) {
        chunkError = refuseContent().orElse(null);
        chunkSize = bdat.size();
        chunkLast = bdat.last();
        if (chunkError == null) {
            if (!transaction.chunking) {
                transaction.chunking = true;
                transaction.openSpool(config.spoolDirectory());
            }
            transaction.declaredSize += bdat.size();
            if (transaction.declaredSize > config.limits().maxMessageSize()) {
                transaction.markTooBig();
            }
        }
        if (bdat.size() == 0 && (!bdat.last() || chunkError != null)) {
            return Step.reply(chunkReply());
        }
        // An empty LAST chunk is read too: the decoder may hold a CR from the chunk before, which ends the message.
        readingChunk = true;
        return Step.readBdat(bdat.size(), bdat.last());
    }

    /** Why DATA or BDAT cannot start now, if it cannot. */
    private Optional<SmtpReply> refuseContent() {
        if (transaction == null) {
            return Optional.of(SmtpReplies.NEED_MAIL);
        }
        if (transaction.recipients.isEmpty()) {
            return Optional.of(transaction.recipientTried ? SmtpReplies.NO_VALID_RECIPIENTS : SmtpReplies.NEED_RCPT);
        }
        return Optional.empty();
    }

    private SmtpReply chunkReply() {
        if (chunkError != null) {
            SmtpReply reply = chunkError;
            chunkError = null;
            record("BDAT", reply);
            return reply;
        }
        if (chunkLast || transaction.failed()) {
            return deliver("BDAT");
        }
        SmtpReply reply = SmtpReplies.chunkReceived(chunkSize);
        record("BDAT", reply);
        return reply;
    }

    /** Ends the transaction: hands the message over when nothing failed, and returns the reply for the end. */
    private SmtpReply deliver(String verb) {
        Transaction t = transaction;
        SmtpReply reply;
        if (t.tooBig) {
            reply = SmtpReplies.MESSAGE_TOO_BIG;
        } else if (t.lineTooLong) {
            reply = SmtpReplies.LINE_TOO_LONG;
        } else if (t.spoolError != null) {
            LOG.warn("{}: cannot spool message content", t.queueId, t.spoolError);
            reply = SmtpReplies.forFailure(t.spoolError);
        } else {
            reply = handOver(t);
        }
        if (!reply.isPositive()) {
            logReject("END-OF-MESSAGE", reply, Optional.of(t.reversePath), Optional.empty(), heloName);
        } else {
            errors = 0;
        }
        record(verb, reply);
        endTransaction();
        return reply;
    }

    private SmtpReply handOver(Transaction t) {
        MessageContent content;
        try {
            content = t.spool.finish();
        } catch (IOException e) {
            LOG.warn("{}: cannot spool message content", t.queueId, e);
            return SmtpReplies.forFailure(e);
        }
        try {
            Envelope envelope = new Envelope(t.queueId, t.reversePath, t.recipients, t.parameters, heloName,
                    protocol(), connection, Instant.now());
            Verdict verdict = Objects.requireNonNull(session.data(envelope, content), "data returned null");
            if (verdict instanceof Verdict.Reject) {
                return ((Verdict.Reject) verdict).reply();
            }
            return accepted(verdict, SmtpReplies.queued(t.queueId));
        } catch (DeliveryException e) {
            LOG.warn("{}: delivery failed: {}", t.queueId, e.getMessage());
            return SmtpReplies.forFailure(e);
        } catch (RuntimeException e) {
            LOG.warn("{}: SMTP handler failed to take the message", t.queueId, e);
            return SmtpReplies.forFailure(e);
        } finally {
            try {
                content.close();
            } catch (RuntimeException e) {
                LOG.warn("{}: cannot release spooled content", t.queueId, e);
            }
        }
    }

    private Step tooManyErrors() {
        config.log().smtpd().info("too many errors after {} from {}", lastCommand, connection.clientLabel());
        return closeWith(SmtpReplies.tooManyErrors(config.hostname()));
    }

    private Step closeWith(SmtpReply reply) {
        if (closing) {
            return Step.close();
        }
        closing = true;
        abandonContent();
        if (transaction != null) {
            endTransaction();
        }
        return Step.close(reply);
    }

    /** DATA or a BDAT chunk that will never end: counted as failed, as Postfix's {@code data=0/1} shows. */
    private void abandonContent() {
        if (readingData) {
            count("DATA", false);
        }
        if (readingChunk) {
            count("BDAT", false);
        }
        readingData = false;
        readingChunk = false;
        chunkError = null;
    }

    private void endTransaction() {
        if (transaction != null) {
            transaction.abort();
            transaction = null;
        }
        resetHandler();
    }

    private void resetHandler() {
        if (session == null) {
            return;
        }
        try {
            session.reset();
        } catch (RuntimeException e) {
            LOG.warn("SMTP handler failed to reset the session of {}", connection.clientLabel(), e);
        }
    }

    private Verdict ask(Supplier<Verdict> call) {
        try {
            return Objects.requireNonNull(call.get(), "the SMTP handler returned no verdict");
        } catch (RuntimeException e) {
            LOG.warn("SMTP handler failed for {}", connection.clientLabel(), e);
            return Verdict.reject(SmtpReplies.forFailure(e));
        }
    }

    private static SmtpReply accepted(Verdict verdict, SmtpReply standard) {
        Optional<String> text = ((Verdict.Accept) verdict).text();
        return text.isPresent() ? standard.withText(text.get()) : standard;
    }

    private Step reject(String verb, SmtpReply reply, Optional<ReversePath> from, Optional<MailAddress> to) {
        logReject(verb, reply, from, to, heloName);
        return respond(verb, reply);
    }

    /** {@code NOQUEUE: reject: RCPT from host[ip]: 550 5.1.1 <x@y>: ...; from=<a@b> to=<x@y> proto=ESMTP helo=<h>}. */
    private void logReject(String stage, SmtpReply reply, Optional<ReversePath> from, Optional<MailAddress> to,
            String helo) {
        String queue = transaction != null && !transaction.recipients.isEmpty()
                ? transaction.queueId.toString() : "NOQUEUE";
        StringBuilder fields = new StringBuilder();
        from.ifPresent(path -> fields.append("from=<").append(path).append("> "));
        to.ifPresent(address -> fields.append("to=<").append(address).append("> "));
        fields.append("proto=").append(protocol());
        if (!helo.isEmpty()) {
            fields.append(" helo=<").append(SmtpReplies.printable(helo)).append('>');
        }
        config.log().smtpd().info("{}: reject: {} from {}: {}; {}", queue, stage, connection.clientLabel(), reply,
                fields);
    }

    private Step respond(String verb, SmtpReply reply) {
        record(verb, reply);
        return Step.reply(reply);
    }

    /** Counts the command for the disconnect line, and an error unless it is the 452 of the recipient limit. */
    private void record(String verb, SmtpReply reply) {
        count(verb, reply.isPositive());
        if (!reply.isPositive() && !reply.equals(SmtpReplies.TOO_MANY_RECIPIENTS)) {
            errors++;
        }
    }

    private void count(String verb, boolean ok) {
        int index = COUNTED_VERBS.indexOf(verb);
        if (index < 0) {
            index = COUNTED_VERBS.size() - 1;
        }
        attempted[index]++;
        if (ok) {
            succeeded[index]++;
        }
    }

    /** Postfix's per-command counters: {@code " ehlo=1 mail=1 rcpt=0/1 quit=1 commands=3/4"}. */
    private String counters() {
        StringBuilder out = new StringBuilder();
        int ok = 0;
        int all = 0;
        for (int i = 0; i < COUNTED_VERBS.size(); i++) {
            if (attempted[i] > 0) {
                out.append(' ').append(COUNTED_VERBS.get(i).toLowerCase(Locale.ROOT)).append('=');
                appendRatio(out, succeeded[i], attempted[i]);
                ok += succeeded[i];
                all += attempted[i];
            }
        }
        out.append(" commands=");
        appendRatio(out, ok, all);
        return out.toString();
    }

    private static void appendRatio(StringBuilder out, int ok, int all) {
        out.append(ok);
        if (ok != all) {
            out.append('/').append(all);
        }
    }

    /** The RFC 3848 "with" keyword for the Received header and the log: SMTP, ESMTP, ESMTPS, ESMTPA, ESMTPSA. */
    private String protocol() {
        if (!esmtp) {
            return "SMTP";
        }
        return "ESMTP" + (connection.isTls() ? "S" : "") + (connection.authenticatedUser().isPresent() ? "A" : "");
    }

    private void requireGreeted() {
        if (session == null) {
            throw new IllegalStateException("greet() must be called first");
        }
    }

    private void requireNotReadingContent() {
        if (readingData || readingChunk) {
            throw new IllegalStateException("a command line while " + (readingData ? "DATA" : "a BDAT chunk")
                    + " is being read: call onDataEnd or onBdatChunkEnd first");
        }
    }

    private static Optional<Domain> domainOf(String hostname) {
        try {
            return Optional.of(Domain.parse(hostname));
        } catch (AddressException e) {
            return Optional.empty();
        }
    }

    /** One mail transaction: from MAIL to the end of DATA or BDAT LAST, RSET, or failure. */
    private static final class Transaction {
        final QueueId queueId;
        final ReversePath reversePath;
        final Map<String, String> parameters;
        final boolean smtputf8;
        final boolean binary;
        final List<Recipient> recipients = new ArrayList<>();
        boolean recipientTried;
        boolean chunking;
        long declaredSize;
        ContentSpool spool;
        long wireSize;
        boolean tooBig;
        boolean lineTooLong;
        IOException spoolError;

        Transaction(QueueId queueId, ReversePath reversePath, Map<String, String> parameters, boolean smtputf8,
                boolean binary) {
            this.queueId = queueId;
            this.reversePath = reversePath;
            this.parameters = parameters;
            this.smtputf8 = smtputf8;
            this.binary = binary;
        }

        void openSpool(Path directory) {
            spool = new ContentSpool(directory, ContentSpool.DEFAULT_MEMORY_THRESHOLD);
        }

        /** Appends content; {@code countLineEnds} adds one octet per LF, the CR the wire had (DATA). */
        void write(byte[] bytes, int offset, int length, boolean countLineEnds, long maxSize) {
            long octets = length;
            if (countLineEnds) {
                for (int i = offset; i < offset + length; i++) {
                    if (bytes[i] == '\n') {
                        octets++;
                    }
                }
            }
            wireSize += octets;
            if (failed()) {
                return;
            }
            if (wireSize > maxSize) {
                markTooBig();
                return;
            }
            try {
                spool.write(bytes, offset, length);
            } catch (IOException e) {
                spoolError = e;
                spool.abort();
            }
        }

        void markTooBig() {
            tooBig = true;
            if (spool != null) {
                spool.abort();
            }
        }

        boolean failed() {
            return tooBig || lineTooLong || spoolError != null;
        }

        void abort() {
            if (spool != null) {
                spool.abort();
            }
        }
    }
}
