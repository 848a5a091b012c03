package dev.yubin.pop3.server;

import dev.yubin.auth.Account;
import dev.yubin.auth.FailureDelay;
import dev.yubin.auth.sasl.PlainMechanism;
import dev.yubin.auth.sasl.SaslMechanism;
import dev.yubin.auth.sasl.SaslServer;
import dev.yubin.auth.sasl.SaslStep;
import dev.yubin.core.log.MailLog;
import dev.yubin.core.net.ConnectionInfo;
import dev.yubin.core.net.IpAddresses;
import dev.yubin.core.store.MailStore;
import dev.yubin.core.store.Maildrop;
import dev.yubin.core.store.StoreException;
import dev.yubin.core.store.StoredMessage;
import dev.yubin.core.user.MailUser;
import dev.yubin.core.message.DotStuffingEncoder;
import dev.yubin.pop3.protocol.Pop3Command;
import dev.yubin.pop3.protocol.Pop3CommandParser;
import dev.yubin.pop3.protocol.Pop3Replies;
import dev.yubin.pop3.protocol.Pop3Reply;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server side of one POP3 connection as a plain state machine (RFC 1939, with CAPA and RESP-CODES of RFC 2449,
 * AUTH of RFC 5034, STLS of RFC 2595): AUTHORIZATION → TRANSACTION → UPDATE. The I/O shell feeds it command lines
 * and writes the replies of the {@link Step}s it returns, streaming the {@link MessageTransfer} of RETR and TOP. It
 * knows nothing about sockets.
 *
 * <p>Not thread-safe: confined to the connection's serial executor. Store, user database and password calls (which
 * block) happen on the calling thread. Log lines go to {@link MailLog#pop3d()} of its configuration, in Dovecot's
 * format.
 *
 * <table>
 *   <caption>Rules</caption>
 *   <tr><th>case</th><th>behaviour</th></tr>
 *   <tr><td>plaintext login before TLS</td><td>USER and PLAIN/LOGIN get {@code -ERR [AUTH] Plaintext
 *     authentication disallowed on non-secure (SSL/TLS) connections.} unless allowed</td></tr>
 *   <tr><td>failed login</td><td>{@code -ERR [AUTH] Authentication failed.}, delayed by the
 *     {@link FailureDelay}; after {@link Pop3Auth#maxFailures()} the connection is closed</td></tr>
 *   <tr><td>maildrop of another session</td><td>{@code -ERR [IN-USE] Mailbox is locked by another POP3 session};
 *     the session stays in AUTHORIZATION</td></tr>
 *   <tr><td>DELE</td><td>only marks; the messages go at QUIT (UPDATE), never on a dropped connection or a
 *     timeout. A failure there is {@code -ERR [SYS/TEMP]}</td></tr>
 *   <tr><td>octet counts</td><td>{@link StoredMessage#wireSize()}: CRLF line endings, what RETR sends before
 *     byte-stuffing</td></tr>
 *   <tr><td>{@code maxErrors} bad commands</td><td>{@code -ERR Too many bad commands.}, then close</td></tr>
 * </table>
 */
public final class Pop3Session {
    private static final Logger LOG = LoggerFactory.getLogger(Pop3Session.class);
    private static final AtomicLong CLOCK = new AtomicLong();
    private static final PlainMechanism PLAIN = new PlainMechanism();
    private static final byte[] DUMMY_APOP_SECRET = "not a password".getBytes(StandardCharsets.US_ASCII);

    private enum State { AUTHORIZATION, TRANSACTION, UPDATE, CLOSED }

    private final Pop3Config config;
    private final Pop3Auth auth;
    private final MailStore store;
    private final MaildropLocator locator;
    private final MaildropLock lock;
    private ConnectionInfo connection;
    private final String apopTimestamp;
    private final long connectedAt = System.nanoTime();

    private State state = State.AUTHORIZATION;
    private boolean greeted;
    private boolean disconnected;
    private String closeReason = "Connection closed";
    private int badCommands;

    // AUTHORIZATION
    private String pendingUser;
    private SaslServer sasl;
    private String method;
    private String attemptedUser = "";
    private int authAttempts;
    private int authFailures;

    // TRANSACTION
    private String login;
    private MaildropLock.Lease lease;
    private SessionMaildrop maildrop;
    private int topCount;
    private long topOctets;
    private int retrCount;
    private long retrOctets;
    private int deletedCount;

    /**
     * A session for one connection; {@code lock} keeps two sessions from opening the same maildrop. Nothing happens
     * until {@link #greet()}.
     */
    public Pop3Session(Pop3Config config, MailStore store, MaildropLocator locator, MaildropLock lock,
            ConnectionInfo connection) {
        this.config = Objects.requireNonNull(config, "config");
        this.auth = config.auth();
        this.store = Objects.requireNonNull(store, "store");
        this.locator = Objects.requireNonNull(locator, "locator");
        this.lock = Objects.requireNonNull(lock, "lock");
        this.connection = Objects.requireNonNull(connection, "connection");
        this.apopTimestamp = auth.apop() ? "<" + ProcessHandle.current().pid() + "."
                + CLOCK.updateAndGet(last -> Math.max(last + 1, System.currentTimeMillis() * 1000))
                + "@" + config.hostname() + ">" : "";
    }

    /** The greeting {@code +OK Yubin ready.}, with the APOP timestamp when APOP is on (RFC 1939 §4). */
    public Step greet() {
        greeted = true;
        return Step.reply(Pop3Replies.greeting(config.banner(), apopTimestamp));
    }

    /** The APOP timestamp of the greeting, {@code <pid.clock@host>}, or {@code ""} when APOP is off. */
    public String apopTimestamp() {
        return apopTimestamp;
    }

    /** The connection as the session knows it now (TLS, authenticated user). */
    public ConnectionInfo connection() {
        return connection;
    }

    /** One command line (or SASL response) without its line ending, decoded as UTF-8. */
    public Step onCommandLine(String line) {
        if (state == State.CLOSED) {
            return Step.close();
        }
        if (!greeted) {
            throw new IllegalStateException("greet() must be called first");
        }
        if (sasl != null) {
            return onSaslResponse(line);
        }
        return onCommand(Pop3CommandParser.parse(line));
    }

    /** A line longer than the shell's limit: {@code -ERR Input line too long.}, counted as a bad command. */
    public Step onCommandLineTooLong() {
        if (state == State.CLOSED) {
            return Step.close();
        }
        if (sasl != null) {
            sasl.abort(SaslStep.Reason.MALFORMED);
            sasl = null;
        }
        return bad(Pop3Replies.LINE_TOO_LONG);
    }

    /** TLS is up after {@link Next#START_TLS} (the shell dropped what was sent in plaintext after STLS). */
    public void onTlsEstablished(String protocol, String cipher) {
        connection = connection.withTls(protocol, cipher);
    }

    /** The client was silent too long: {@code -ERR Disconnected for inactivity.}, then close; nothing is deleted. */
    public Step onTimeout() {
        return closeWith(Pop3Replies.DISCONNECTED_FOR_INACTIVITY, "Disconnected for inactivity");
    }

    /** The server is stopping: {@code -ERR [SYS/TEMP] Server shutting down.}, then close; nothing is deleted. */
    public Step onShutdown() {
        return closeWith(Pop3Replies.SHUTTING_DOWN, "Server shutting down");
    }

    /**
     * The connection is gone (or the shell gave up on it): releases the maildrop without deleting anything, unless
     * QUIT already did, and logs the disconnect line. Idempotent.
     */
    public void onDisconnect() {
        if (disconnected) {
            return;
        }
        disconnected = true;
        if (sasl != null && !sasl.isComplete()) {
            sasl.abort(SaslStep.Reason.CANCELLED);
        }
        sasl = null;
        if (login != null) {
            config.log().pop3d().info("pop3({}): Disconnected: {} top={}/{}, retr={}/{}, del={}/{}, size={}", login,
                    closeReason, topCount, topOctets, retrCount, retrOctets, deletedCount,
                    maildrop == null ? 0 : maildrop.size(), maildrop == null ? 0 : maildrop.totalOctets());
        } else if (authAttempts == 0) {
            config.log().pop3d().info("pop3-login: Disconnected (no auth attempts in {} secs): user=<>, {}", seconds(),
                    addresses());
        } else {
            config.log().pop3d().info("pop3-login: Disconnected (auth failed, {} attempts in {} secs): user=<{}>, "
                    + "method={}, {}", authAttempts, seconds(), attemptedUser, method, addresses());
        }
        release();
        state = State.CLOSED;
    }

    private Step onCommand(Pop3Command command) {
        if (command instanceof Pop3Command.Unknown) {
            return bad(Pop3Replies.UNKNOWN_COMMAND);
        }
        if (command instanceof Pop3Command.Invalid) {
            return bad(Pop3Replies.syntax(((Pop3Command.Invalid) command).reason()));
        }
        if (command instanceof Pop3Command.Capa) {
            return Step.reply(capabilities());
        }
        if (command instanceof Pop3Command.Quit) {
            return handleQuit();
        }
        return state == State.AUTHORIZATION ? onAuthorizationCommand(command) : onTransactionCommand(command);
    }

    // ---- AUTHORIZATION ----------------------------------------------------------------------------------------

    private Step onAuthorizationCommand(Pop3Command command) {
        if (command instanceof Pop3Command.User) {
            return handleUser(((Pop3Command.User) command).name());
        }
        if (command instanceof Pop3Command.Pass) {
            return handlePass(((Pop3Command.Pass) command).password());
        }
        if (command instanceof Pop3Command.Apop) {
            return handleApop((Pop3Command.Apop) command);
        }
        if (command instanceof Pop3Command.Auth) {
            return handleAuth((Pop3Command.Auth) command);
        }
        if (command instanceof Pop3Command.Stls) {
            return handleStls();
        }
        return bad(Pop3Replies.NOT_LOGGED_IN);
    }

    private Step handleUser(String name) {
        if (!auth.plaintextAllowed(connection.isTls())) {
            return bad(Pop3Replies.PLAINTEXT_DISALLOWED);
        }
        pendingUser = name;
        return Step.reply(Pop3Replies.USER_OK);
    }

    private Step handlePass(String password) {
        if (pendingUser == null) {
            return bad(Pop3Replies.NO_USERNAME);
        }
        String user = pendingUser;
        pendingUser = null;
        // USER/PASS is PLAIN with the login as authcid: the same checks, the same dummy hash for unknown users
        byte[] name = user.getBytes(StandardCharsets.UTF_8);
        byte[] secret = password.getBytes(StandardCharsets.UTF_8);
        byte[] message = new byte[name.length + secret.length + 2];
        System.arraycopy(name, 0, message, 1, name.length);
        System.arraycopy(secret, 0, message, name.length + 2, secret.length);
        Arrays.fill(secret, (byte) 0);
        try {
            method = "PLAIN";
            attemptedUser = printable(user);
            authAttempts++;
            return authenticated(PLAIN.newServer(auth.context()).start(Optional.of(message)));
        } finally {
            Arrays.fill(message, (byte) 0);
        }
    }

    private Step handleApop(Pop3Command.Apop apop) {
        if (!auth.apop()) {
            return bad(Pop3Replies.APOP_NOT_ENABLED);
        }
        method = "APOP";
        attemptedUser = printable(apop.name());
        authAttempts++;
        Optional<Account> account;
        try {
            account = Objects.requireNonNull(auth.context().users().find(apop.name()), "find returned null");
        } catch (RuntimeException e) {
            return authenticated(new SaslStep.Failure(SaslStep.Reason.TEMPORARY_FAILURE, "user lookup failed", e));
        }
        Optional<byte[]> secret = account.flatMap(a -> a.password().plaintext());
        // an unknown user or a hashed password costs the same digest as a wrong one
        byte[] expected = apopDigest(secret.orElse(DUMMY_APOP_SECRET));
        byte[] given = HexFormat.of().parseHex(apop.digest());
        boolean match = MessageDigest.isEqual(expected, given);
        secret.ifPresent(s -> Arrays.fill(s, (byte) 0));
        if (account.isEmpty() || secret.isEmpty() || !match) {
            return authenticated(new SaslStep.Failure(SaslStep.Reason.BAD_CREDENTIALS, account.isEmpty()
                    ? "unknown user" : secret.isEmpty() ? "no plaintext password for APOP" : "wrong digest"));
        }
        String canonical = account.get().login();
        return authenticated(new SaslStep.Success(canonical, canonical, new byte[0]));
    }

    private byte[] apopDigest(byte[] secret) {
        try {
            MessageDigest md5 = MessageDigest.getInstance("MD5");
            md5.update(apopTimestamp.getBytes(StandardCharsets.US_ASCII));
            md5.update(secret);
            return md5.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private Step handleAuth(Pop3Command.Auth command) {
        if (command.mechanism().isEmpty()) {
            // RFC 1734's listing form: Outlook and others still send a bare AUTH
            List<String> names = auth.offered(connection.isTls()).stream().map(SaslMechanism::name).toList();
            return Step.reply(Pop3Reply.multiline("", names));
        }
        Optional<SaslMechanism> mechanism = auth.mechanism(command.mechanism().get());
        if (mechanism.isEmpty()) {
            return bad(Pop3Replies.UNSUPPORTED_MECHANISM);
        }
        if (!auth.offered(connection.isTls()).contains(mechanism.get())) {
            return bad(Pop3Replies.PLAINTEXT_DISALLOWED);
        }
        pendingUser = null;
        method = mechanism.get().name();
        attemptedUser = "";
        authAttempts++;
        Optional<byte[]> initial = Optional.empty();
        if (command.initialResponse().isPresent()) {
            initial = decodeResponse(command.initialResponse().get());
            if (initial.isEmpty()) {
                return authenticated(new SaslStep.Failure(SaslStep.Reason.MALFORMED, "initial response not base64"));
            }
        }
        sasl = mechanism.get().newServer(auth.context());
        return saslStep(sasl.start(initial));
    }

    /** A line while a SASL exchange waits for the client: {@code *} cancels, anything else must be base64. */
    private Step onSaslResponse(String line) {
        if (line.equals("*")) {
            sasl.abort(SaslStep.Reason.CANCELLED);
            sasl = null;
            return Step.reply(Pop3Replies.AUTH_ABORTED);
        }
        Optional<byte[]> decoded = decodeResponse(line);
        if (decoded.isEmpty()) {
            sasl.abort(SaslStep.Reason.MALFORMED);
            sasl = null;
            return Step.reply(Pop3Replies.INVALID_BASE64);
        }
        return saslStep(sasl.evaluate(decoded.get()));
    }

    private Step saslStep(SaslStep step) {
        if (step instanceof SaslStep.Challenge) {
            return Step.reply(Pop3Replies.challenge(
                    Base64.getEncoder().encodeToString(((SaslStep.Challenge) step).data())));
        }
        if (attemptedUser.isEmpty()) { // for the log line of a failure, as Dovecot logs user=<abe>
            attemptedUser = sasl.attemptedLogin().map(Pop3Session::printable).orElse("");
        }
        sasl = null;
        return authenticated(step);
    }

    /** The end of a login attempt, whatever the method: opens the maildrop on success. */
    private Step authenticated(SaslStep step) {
        InetAddress client = connection.remote().getAddress();
        if (step instanceof SaslStep.Success) {
            SaslStep.Success success = (SaslStep.Success) step;
            if (client != null) {
                auth.failureDelay().success(client);
            }
            attemptedUser = printable(success.login());
            return openMaildrop(success.login());
        }
        SaslStep.Failure failure = (SaslStep.Failure) step;
        Pop3Reply reply;
        switch (failure.reason()) {
            case TEMPORARY_FAILURE:
                LOG.warn("{} authentication of {} failed temporarily: {}", method, connection.clientLabel(),
                        failure.detail(), failure.cause());
                return Step.reply(Pop3Replies.AUTH_TEMPORARY_FAILURE);
            case CANCELLED:
                return Step.reply(Pop3Replies.AUTH_ABORTED);
            case MALFORMED:
                reply = Pop3Replies.AUTH_MALFORMED;
                break;
            default:
                reply = Pop3Replies.AUTH_FAILED;
                break;
        }
        authFailures++;
        LOG.debug("{} authentication of {} failed: {}", method, connection.clientLabel(), failure.detail());
        Step out = authFailures >= auth.maxFailures() ? closeWith(reply, closeReason) : Step.reply(reply);
        if (failure.reason() == SaslStep.Reason.BAD_CREDENTIALS && client != null) {
            Duration delay = auth.failureDelay().failure(client);
            if (!delay.isZero() && !delay.isNegative()) {
                return out.delayed(delay);
            }
        }
        return out;
    }

    private Step openMaildrop(String user) {
        Optional<MailUser> mailUser;
        try {
            mailUser = Objects.requireNonNull(locator.locate(user), "locate returned null");
        } catch (RuntimeException e) {
            LOG.warn("pop3({}): cannot find the mailbox", user, e);
            return Step.reply(Pop3Replies.forFailure(new StoreException("locator failed", true, e)));
        }
        config.log().pop3d().info("pop3-login: Login: user=<{}>, method={}, {}", printable(user), method, addresses());
        if (mailUser.isEmpty()) {
            config.log().pop3d().warn("pop3({}): Error: no mailbox for this login", printable(user));
            return Step.reply(Pop3Replies.NO_MAILBOX);
        }
        Optional<MaildropLock.Lease> acquired = lock.tryAcquire(mailUser.get());
        if (acquired.isEmpty()) {
            config.log().pop3d().info("pop3({}): Couldn't open INBOX: Mailbox is locked by another POP3 session",
                    printable(user));
            return Step.reply(Pop3Replies.IN_USE);
        }
        Maildrop opened;
        try {
            opened = Objects.requireNonNull(store.openMaildrop(mailUser.get()), "openMaildrop returned null");
        } catch (StoreException | RuntimeException e) {
            acquired.get().close();
            config.log().pop3d().warn("pop3({}): Error: Couldn't open INBOX: {}", printable(user), e.getMessage());
            return Step.reply(Pop3Replies.forFailure(e));
        }
        try {
            maildrop = new SessionMaildrop(opened);
        } catch (RuntimeException e) {
            opened.close();
            acquired.get().close();
            LOG.warn("pop3({}): the store's maildrop failed", printable(user), e);
            return Step.reply(Pop3Replies.forFailure(e));
        }
        lease = acquired.get();
        login = printable(user);
        pendingUser = null;
        state = State.TRANSACTION;
        connection = connection.withAuthenticatedUser(user);
        return Step.reply(Pop3Replies.LOGGED_IN);
    }

    private Step handleStls() {
        if (!config.startTlsOffered()) {
            return bad(Pop3Replies.TLS_NOT_AVAILABLE);
        }
        if (connection.isTls()) {
            return bad(Pop3Replies.TLS_ALREADY_ACTIVE);
        }
        pendingUser = null; // RFC 2595 §4: nothing said in plaintext carries over
        return Step.startTls(Pop3Replies.BEGIN_TLS);
    }

    // ---- TRANSACTION ------------------------------------------------------------------------------------------

    private Step onTransactionCommand(Pop3Command command) {
        if (command instanceof Pop3Command.Stat) {
            return Step.reply(Pop3Replies.stat(maildrop.visibleCount(), maildrop.visibleOctets()));
        }
        if (command instanceof Pop3Command.List) {
            return handleList((Pop3Command.List) command);
        }
        if (command instanceof Pop3Command.Uidl) {
            return handleUidl((Pop3Command.Uidl) command);
        }
        if (command instanceof Pop3Command.Retr) {
            return handleRetr(((Pop3Command.Retr) command).message());
        }
        if (command instanceof Pop3Command.Top) {
            Pop3Command.Top top = (Pop3Command.Top) command;
            return handleTop(top.message(), top.lines());
        }
        if (command instanceof Pop3Command.Dele) {
            return handleDele(((Pop3Command.Dele) command).message());
        }
        if (command instanceof Pop3Command.Noop) {
            return Step.reply(Pop3Replies.OK);
        }
        if (command instanceof Pop3Command.Rset) {
            maildrop.unmarkAll();
            return Step.reply(Pop3Replies.reset(maildrop.visibleCount(), maildrop.visibleOctets()));
        }
        // USER, PASS, APOP, AUTH, STLS
        return bad(Pop3Replies.ALREADY_LOGGED_IN);
    }

    private Step handleList(Pop3Command.List list) {
        if (list.message().isPresent()) {
            int n = list.message().getAsInt();
            Optional<Pop3Reply> refusal = refuse(n);
            return Step.reply(refusal.orElseGet(() -> Pop3Reply.ok(n + " " + maildrop.get(n).wireSize())));
        }
        List<String> lines = new ArrayList<>(maildrop.visibleCount());
        for (int n = 1; n <= maildrop.size(); n++) {
            if (!maildrop.isDeleted(n)) {
                lines.add(n + " " + maildrop.get(n).wireSize());
            }
        }
        return Step.reply(Pop3Reply.multiline(Pop3Replies.listing(maildrop.visibleCount()),
                lines));
    }

    private Step handleUidl(Pop3Command.Uidl uidl) {
        if (uidl.message().isPresent()) {
            int n = uidl.message().getAsInt();
            Optional<Pop3Reply> refusal = refuse(n);
            return Step.reply(refusal.orElseGet(() -> Pop3Reply.ok(n + " " + maildrop.get(n).uid())));
        }
        List<String> lines = new ArrayList<>(maildrop.visibleCount());
        for (int n = 1; n <= maildrop.size(); n++) {
            if (!maildrop.isDeleted(n)) {
                lines.add(n + " " + maildrop.get(n).uid());
            }
        }
        return Step.reply(Pop3Reply.multiline("", lines));
    }

    private Step handleRetr(int n) {
        Optional<Pop3Reply> refusal = refuse(n);
        if (refusal.isPresent()) {
            return Step.reply(refusal.get());
        }
        StoredMessage message = maildrop.get(n);
        return transfer(n, Pop3Replies.retrieving(message.wireSize()), DotStuffingEncoder.whole(), octets -> {
            retrCount++;
            retrOctets += octets;
        });
    }

    private Step handleTop(int n, int lines) {
        Optional<Pop3Reply> refusal = refuse(n);
        if (refusal.isPresent()) {
            return Step.reply(refusal.get());
        }
        return transfer(n, Pop3Replies.OK, DotStuffingEncoder.top(lines), octets -> {
            topCount++;
            topOctets += octets;
        });
    }

    private Step transfer(int n, Pop3Reply reply, DotStuffingEncoder encoder, java.util.function.LongConsumer done) {
        InputStream content;
        try {
            content = Objects.requireNonNull(maildrop.store().open(maildrop.get(n)), "open returned null");
        } catch (StoreException e) {
            if (!e.isTemporary()) {
                return Step.reply(Pop3Replies.messageGone(n));
            }
            config.log().pop3d().warn("pop3({}): Error: Couldn't read message {}: {}", login, n, e.getMessage());
            return Step.reply(Pop3Replies.forFailure(e));
        } catch (RuntimeException e) {
            LOG.warn("pop3({}): the store failed to open message {}", login, n, e);
            return Step.reply(Pop3Replies.forFailure(e));
        }
        return Step.transfer(reply, new MessageTransfer(content, encoder, done));
    }

    private Step handleDele(int n) {
        Optional<Pop3Reply> refusal = refuse(n);
        if (refusal.isPresent()) {
            return Step.reply(refusal.get());
        }
        maildrop.markDeleted(n);
        return Step.reply(Pop3Replies.deleted(n));
    }

    /** Why message {@code n} cannot be used, if it cannot: out of range or marked as deleted. */
    private Optional<Pop3Reply> refuse(int n) {
        if (!maildrop.exists(n)) {
            return Optional.of(Pop3Replies.noSuchMessage(maildrop.size()));
        }
        if (maildrop.isDeleted(n)) {
            return Optional.of(Pop3Replies.alreadyDeleted(n));
        }
        return Optional.empty();
    }

    // ---- QUIT and UPDATE --------------------------------------------------------------------------------------

    private Step handleQuit() {
        if (state != State.TRANSACTION) {
            return closeWith(Pop3Replies.LOGGING_OUT, closeReason);
        }
        state = State.UPDATE;
        closeReason = "Logged out";
        List<StoredMessage> doomed = maildrop.marked();
        Pop3Reply reply = Pop3Replies.LOGGING_OUT;
        if (!doomed.isEmpty()) {
            try {
                maildrop.store().delete(doomed);
                deletedCount = doomed.size();
                reply = Pop3Replies.LOGGING_OUT_DELETED;
            } catch (StoreException | RuntimeException e) {
                config.log().pop3d().warn("pop3({}): Error: Couldn't delete {} messages: {}", login, doomed.size(),
                        e.getMessage());
                reply = Pop3Replies.DELETE_FAILED;
            }
        }
        release();
        state = State.CLOSED;
        return Step.close(reply);
    }

    // ---- shared -----------------------------------------------------------------------------------------------

    private Pop3Reply capabilities() {
        List<String> lines = new ArrayList<>();
        lines.add("CAPA");
        lines.add("TOP");
        lines.add("UIDL");
        lines.add("RESP-CODES");
        lines.add("PIPELINING");
        lines.add("AUTH-RESP-CODE");
        if (state == State.AUTHORIZATION) {
            boolean tls = connection.isTls();
            if (auth.plaintextAllowed(tls)) {
                lines.add("USER");
            }
            List<SaslMechanism> offered = auth.offered(tls);
            if (!offered.isEmpty()) {
                lines.add("SASL " + String.join(" ", offered.stream().map(SaslMechanism::name).toList()));
            }
            if (config.startTlsOffered() && !tls) {
                lines.add("STLS");
            }
        }
        lines.add("IMPLEMENTATION Yubin");
        return Pop3Reply.multiline("Capability list follows", lines);
    }

    /** A bad command: its reply, or {@code -ERR Too many bad commands.} and close once the limit is reached. */
    private Step bad(Pop3Reply reply) {
        badCommands++;
        if (badCommands >= config.limits().maxErrors()) {
            return closeWith(Pop3Replies.TOO_MANY_BAD_COMMANDS, "Too many bad commands");
        }
        return Step.reply(reply);
    }

    private Step closeWith(Pop3Reply reply, String reason) {
        if (state == State.CLOSED) {
            return Step.close();
        }
        closeReason = reason;
        if (sasl != null && !sasl.isComplete()) {
            sasl.abort(SaslStep.Reason.CANCELLED);
        }
        sasl = null;
        release();
        state = State.CLOSED;
        return Step.close(reply);
    }

    /** Closes the maildrop and releases its lock; deletes nothing. */
    private void release() {
        if (maildrop != null) {
            try {
                maildrop.store().close();
            } catch (RuntimeException e) {
                LOG.warn("pop3({}): the store failed to close the maildrop", login, e);
            }
        }
        if (lease != null) {
            lease.close();
            lease = null;
        }
    }

    /** The octets of a base64 SASL response; {@code =} is the empty response (RFC 5034 §4). */
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

    /** {@code rip=127.0.0.1, lip=127.0.0.1, TLS}, as Dovecot ends its login lines. */
    private String addresses() {
        String rip = connection.remoteIp();
        String lip = connection.local().getAddress() == null ? connection.local().getHostString()
                : IpAddresses.text(connection.local().getAddress());
        return "rip=" + rip + ", lip=" + lip + (connection.isTls() ? ", TLS" : "");
    }

    private long seconds() {
        return Duration.ofNanos(System.nanoTime() - connectedAt).toSeconds();
    }

    /** A user name fit for a log line: printable, at most 64 characters. */
    private static String printable(String text) {
        String cut = text.length() > 64 ? text.substring(0, 64) : text;
        StringBuilder out = new StringBuilder(cut.length());
        for (int i = 0; i < cut.length(); i++) {
            char c = cut.charAt(i);
            out.append(c < 0x20 || c == 0x7f || c == '<' || c == '>' ? '?' : c);
        }
        return out.toString();
    }
}
