package dev.yubin.imap.server;

import dev.yubin.auth.sasl.PlainMechanism;
import dev.yubin.auth.sasl.SaslMechanism;
import dev.yubin.auth.sasl.SaslServer;
import dev.yubin.auth.sasl.SaslStep;
import dev.yubin.core.log.MailLog;
import dev.yubin.core.net.ConnectionInfo;
import dev.yubin.core.message.MessageContent;
import dev.yubin.core.store.AppendResult;
import dev.yubin.core.store.CopyResult;
import dev.yubin.core.store.Flag;
import dev.yubin.core.store.FlagOperation;
import dev.yubin.core.store.Flags;
import dev.yubin.core.store.Mailbox;
import dev.yubin.core.store.MailboxAttribute;
import dev.yubin.core.store.MailboxException;
import dev.yubin.core.store.MailboxInfo;
import dev.yubin.core.store.MailboxStatus;
import dev.yubin.core.store.MailboxStore;
import dev.yubin.core.store.MessageInfo;
import dev.yubin.core.store.StoreException;
import dev.yubin.core.store.UserMailboxes;
import dev.yubin.core.user.MailUser;
import dev.yubin.imap.fetch.FetchResponder;
import dev.yubin.imap.fetch.StructureCache;
import dev.yubin.imap.protocol.FetchItem;
import dev.yubin.imap.protocol.ImapCommand;
import dev.yubin.imap.protocol.ImapWriter;
import dev.yubin.imap.protocol.ResponseCode;
import dev.yubin.imap.protocol.SequenceSet;
import dev.yubin.imap.protocol.StatusItem;
import dev.yubin.imap.protocol.StatusResponse;
import dev.yubin.imap.search.MessageSearch;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server side of one IMAP4rev1 connection as a plain state machine (RFC 3501 §3): NOT_AUTHENTICATED →
 * AUTHENTICATED → SELECTED → LOGOUT. The I/O shell parses lines with {@code ImapParser}, hands each
 * {@code (tag, command)} to {@link #onCommand}, and writes the {@link Step}'s octets. It knows nothing about
 * sockets.
 *
 * <p>Not thread-safe: confined to the connection's serial executor. Password checks and store calls block on the
 * calling thread, so the shell runs them off the event loop. Log lines go to {@link MailLog#imapd()} of its
 * configuration.
 *
 * <table>
 *   <caption>Rules</caption>
 *   <tr><th>case</th><th>behaviour</th></tr>
 *   <tr><td>a command in the wrong state</td><td>{@code BAD}, the state is unchanged</td></tr>
 *   <tr><td>LOGIN before TLS</td><td>{@code NO [PRIVACYREQUIRED]} unless plaintext is allowed; CAPABILITY then
 *     says {@code LOGINDISABLED} instead of {@code AUTH=PLAIN}</td></tr>
 *   <tr><td>failed LOGIN</td><td>{@code NO [AUTHENTICATIONFAILED] Authentication failed.}, delayed by the
 *     failure delay; after {@link ImapConfig#maxFailures()} failures {@code * BYE} and close</td></tr>
 *   <tr><td>first login of a user (only INBOX exists)</td><td>Sent, Drafts, Trash and Junk are created and
 *     subscribed</td></tr>
 *   <tr><td>another session expunged a message</td><td>it keeps its sequence number until an EXPUNGE may be
 *     sent (not during FETCH, STORE, SEARCH); FETCH of its content answers {@code NO [EXPUNGEISSUED]}</td></tr>
 *   <tr><td>updates</td><td>at the end of every command in the selected state, EXISTS/RECENT, FETCH FLAGS of
 *     others' changes, and EXPUNGE where allowed; during IDLE as they happen</td></tr>
 *   <tr><td>store failures</td><td>one mapping, {@code [NONEXISTENT] [ALREADYEXISTS] [CANNOT] [UNAVAILABLE]
 *     [SERVERBUG]}</td></tr>
 *   <tr><td>LIST</td><td>LIST-EXTENDED (RFC 5258) and LIST-STATUS (RFC 5819), as {@code MailboxListing} computes
 *     it; a STATUS item the store cannot count is {@code BAD}</td></tr>
 *   <tr><td>{@code ENABLE UTF8=ACCEPT}</td><td>{@code * ENABLED UTF8=ACCEPT} the first time; names go out in UTF-8
 *     and the shell switches its parser ({@link #acceptsUtf8()})</td></tr>
 * </table>
 */
public final class ImapSession {
    private static final Logger LOG = LoggerFactory.getLogger(ImapSession.class);
    private static final PlainMechanism PLAIN = new PlainMechanism();
    private static final List<String> BASE_CAPABILITIES = List.of("IMAP4rev1", "LITERAL+", "SASL-IR", "ID",
            "ENABLE", "IDLE", "NAMESPACE", "UNSELECT", "CHILDREN", "LIST-EXTENDED", "LIST-STATUS", "SPECIAL-USE",
            "UIDPLUS", "MOVE", "UTF8=ACCEPT");
    private static final List<String> CHILDINFO_SUBSCRIBED = List.of("SUBSCRIBED");
    private static final List<String> SEARCH_CHARSETS = List.of("UTF-8", "US-ASCII");
    private static final Map<String, Flag> SYSTEM_FLAG_NAMES = Map.of("\\seen", Flag.SEEN, "\\answered",
            Flag.ANSWERED, "\\flagged", Flag.FLAGGED, "\\deleted", Flag.DELETED, "\\draft", Flag.DRAFT);
    private static final List<String> SYSTEM_FLAGS = List.of("\\Answered", "\\Flagged", "\\Deleted", "\\Seen",
            "\\Draft");

    /** The states of RFC 3501 §3. */
    public enum State {
        /** Before LOGIN or AUTHENTICATE succeeded. */
        NOT_AUTHENTICATED,
        /** Logged in, no mailbox selected. */
        AUTHENTICATED,
        /** A mailbox is selected (SELECT or EXAMINE). */
        SELECTED,
        /** LOGOUT, a BYE or a failure: the connection is being closed. */
        LOGOUT
    }

    private final ImapConfig config;
    private final MailboxStore store;
    private final MailboxLocator locator;
    private ConnectionInfo connection;
    private final ImapWriter writer = new ImapWriter();
    private FetchResponder fetcher;
    private final StructureCache structures;

    private State state = State.NOT_AUTHENTICATED;
    private int authFailures;
    private String login;
    private UserMailboxes mailboxes;
    private SelectedMailbox selected;
    /** Whether {@code ENABLE UTF8=ACCEPT} was done (RFC 6855 §3). */
    private boolean utf8;
    /** The tag of the IDLE command in progress, or null. */
    private String idleTag;
    /** The AUTHENTICATE exchange in progress, or null. */
    private SaslServer sasl;
    private String saslTag;
    private String saslMethod;

    /** A session without a structure cache; nothing happens until {@link #greet()}. */
    public ImapSession(ImapConfig config, MailboxStore store, MailboxLocator locator, ConnectionInfo connection) {
        this(config, store, locator, connection, null);
    }

    /**
     * As {@link #ImapSession(ImapConfig, MailboxStore, MailboxLocator, ConnectionInfo)}, with a structure cache the
     * sessions of a server share (null: none), so that ENVELOPE and BODYSTRUCTURE are parsed once per message.
     */
    public ImapSession(ImapConfig config, MailboxStore store, MailboxLocator locator, ConnectionInfo connection,
            StructureCache structures) {
        this.fetcher = new FetchResponder(false, structures);
        this.structures = structures;
        this.config = Objects.requireNonNull(config, "config");
        this.store = Objects.requireNonNull(store, "store");
        this.locator = Objects.requireNonNull(locator, "locator");
        this.connection = Objects.requireNonNull(connection, "connection");
    }

    /** {@code * OK [CAPABILITY ...] Yubin ready.} (RFC 3501 §7.1.1). */
    public Step greet() {
        writer.status(StatusResponse.ok(StatusResponse.UNTAGGED, ResponseCode.capability(capabilities()),
                "Yubin ready."));
        return flush(Next.READ_COMMAND);
    }

    /** The session's current state. */
    public State state() {
        return state;
    }

    /** The connection as the session knows it now (TLS, authenticated user). */
    public ConnectionInfo connection() {
        return connection;
    }

    /** TLS is up after {@link Next#START_TLS}. */
    public void onTlsEstablished(String protocol, String cipher) {
        connection = connection.withTls(protocol, cipher);
    }

    /**
     * Whether the client enabled UTF8=ACCEPT (RFC 6855): the shell then switches its parser to UTF-8 mailbox names
     * with {@code ImapParser.enableUtf8()} before it parses the next command.
     */
    public boolean acceptsUtf8() {
        return utf8;
    }

    /** The capabilities to announce now (RFC 3501 §6.1.1). */
    public List<String> capabilities() {
        List<String> caps = new ArrayList<>(BASE_CAPABILITIES);
        if (state == State.NOT_AUTHENTICATED) {
            if (config.startTlsOffered() && !connection.isTls()) {
                caps.add("STARTTLS");
            }
            boolean plaintext = config.plaintextAllowed(connection.isTls());
            for (SaslMechanism mechanism : config.mechanisms().usable(plaintext)) {
                caps.add("AUTH=" + mechanism.name());
            }
            if (!plaintext) {
                caps.add("LOGINDISABLED");
            }
        }
        return caps;
    }

    /** One parsed command with its tag. */
    public Step onCommand(String tag, ImapCommand command) {
        Objects.requireNonNull(tag, "tag");
        Objects.requireNonNull(command, "command");
        if (state == State.LOGOUT) {
            return flush(Next.CLOSE);
        }
        Optional<StatusResponse> verdict = StatusResponse.forVerdict(tag, command);
        if (verdict.isPresent()) {
            writer.status(verdict.get());
            return flush(Next.READ_COMMAND);
        }
        try {
            return dispatch(tag, command);
        } catch (RuntimeException e) {
            writer.clear();
            writer.status(ImapResponses.forFailure(tag, name(command), e, false));
            return flush(Next.READ_COMMAND);
        } finally {
            if (command instanceof ImapCommand.Append) {
                // handled or refused, the spooled message is not needed any more (close is idempotent)
                ((ImapCommand.Append) command).message().close();
            }
        }
    }

    /** The client's line after an AUTHENTICATE continuation ({@link Next#SASL_RESPONSE}). */
    public Step onSaslResponse(String line) {
        Objects.requireNonNull(line, "line");
        if (sasl == null) {
            return bad("*", "No authentication in progress.");
        }
        String tag = saslTag;
        if (line.equals("*")) {
            sasl.abort(SaslStep.Reason.CANCELLED);
            sasl = null;
            return bad(tag, "Authentication aborted by client.");
        }
        Optional<byte[]> decoded = decodeBase64(line);
        if (decoded.isEmpty()) {
            sasl.abort(SaslStep.Reason.MALFORMED);
            sasl = null;
            return bad(tag, "Invalid base64 data in continued response.");
        }
        return saslStep(tag, sasl.evaluate(decoded.get()));
    }

    /** A line the client sent during IDLE ({@link Next#IDLE}): {@code DONE} ends it, anything else is an error. */
    public Step onIdleLine(String line) {
        Objects.requireNonNull(line, "line");
        if (idleTag == null) {
            return bad("*", "Not idling.");
        }
        String tag = idleTag;
        idleTag = null;
        if (!line.trim().equalsIgnoreCase("DONE")) {
            return bad(tag, "Expected DONE.");
        }
        return completed(tag, "IDLE completed.", true, false);
    }

    /**
     * During IDLE: the untagged updates since the last check (the output may be empty). Outside IDLE (a check
     * that raced with DONE) nothing, and {@link Next#READ_COMMAND}.
     */
    public Step onIdleCheck() {
        if (idleTag == null) {
            return flush(Next.READ_COMMAND);
        }
        if (selected != null) {
            try {
                selected.sync(writer, true, false);
            } catch (StoreException | RuntimeException e) {
                LOG.warn("imap({}): refresh during IDLE failed", login, e);
            }
        }
        return flush(Next.IDLE);
    }

    /** The client was silent too long (RFC 3501 §5.4 autologout): {@code * BYE Disconnected for inactivity.}. */
    public Step onTimeout() {
        return bye(StatusResponse.bye("Disconnected for inactivity."), "Disconnected for inactivity");
    }

    /** The server is stopping: {@code * BYE [UNAVAILABLE] Server shutting down.}; nothing is expunged. */
    public Step onShutdown() {
        return bye(StatusResponse.bye(ResponseCode.UNAVAILABLE, "Server shutting down."),
                "Disconnected: Server shutting down");
    }

    private Step bye(StatusResponse bye, String logText) {
        closeSelected();
        idleTag = null;
        if (sasl != null && !sasl.isComplete()) {
            sasl.abort(SaslStep.Reason.CANCELLED);
        }
        sasl = null;
        writer.status(bye);
        if (state != State.LOGOUT) {
            if (login != null) {
                config.log().imapd().info("imap({}): {}", login, logText);
            } else {
                config.log().imapd().info("imap-login: {}, user=<>, {}", logText, addresses());
            }
        }
        state = State.LOGOUT;
        return flush(Next.CLOSE);
    }

    /**
     * Registers {@code onChange} to run when this process changes the selected mailbox, for IDLE; the shell
     * closes the registration when IDLE ends. Empty when no mailbox is selected. The callback runs on the
     * changer's thread and must only schedule {@link #onIdleCheck} on the session's executor.
     */
    public Optional<Mailbox.Watch> watchSelected(Runnable onChange) {
        Objects.requireNonNull(onChange, "onChange");
        return selected == null ? Optional.empty() : Optional.of(selected.mailbox().watch(onChange));
    }

    /**
     * The connection is gone, or the shell gave up on it: closes the selected mailbox (without expunging) and logs
     * the disconnect. Idempotent.
     */
    public void onDisconnect() {
        if (sasl != null && !sasl.isComplete()) {
            sasl.abort(SaslStep.Reason.CANCELLED);
        }
        sasl = null;
        idleTag = null;
        closeSelected();
        if (state != State.LOGOUT) {
            if (login != null) {
                config.log().imapd().info("imap({}): Disconnected: Connection closed", login);
            } else {
                config.log().imapd().info("imap-login: Disconnected: user=<>, {}", addresses());
            }
            state = State.LOGOUT;
        }
    }

    // ---- dispatch -------------------------------------------------------------------------------------------

    private Step dispatch(String tag, ImapCommand command) {
        // any state
        if (command instanceof ImapCommand.Capability) {
            writer.capability(capabilities());
            return ok(tag, "CAPABILITY completed.");
        }
        if (command instanceof ImapCommand.Noop) {
            return completed(tag, "NOOP completed.", true, false);
        }
        if (command instanceof ImapCommand.Logout) {
            return handleLogout(tag);
        }
        if (command instanceof ImapCommand.Id) {
            return handleId(tag, (ImapCommand.Id) command);
        }
        if (command instanceof ImapCommand.Done) {
            return bad(tag, "DONE without IDLE.");
        }
        switch (state) {
            case NOT_AUTHENTICATED:
                return notAuthenticated(tag, command);
            case AUTHENTICATED:
                return authenticated(tag, command);
            default:
                return selected(tag, command);
        }
    }

    private Step notAuthenticated(String tag, ImapCommand command) {
        if (command instanceof ImapCommand.StartTls) {
            return handleStartTls(tag);
        }
        if (command instanceof ImapCommand.Login) {
            return handleLogin(tag, (ImapCommand.Login) command);
        }
        if (command instanceof ImapCommand.Authenticate) {
            return handleAuthenticate(tag, (ImapCommand.Authenticate) command);
        }
        return bad(tag, name(command) + " is not valid before login.");
    }

    private Step authenticated(String tag, ImapCommand command) {
        if (command instanceof ImapCommand.Enable) {
            return handleEnable(tag, (ImapCommand.Enable) command);
        }
        return mailboxCommand(tag, command).orElseGet(() -> wrongState(tag, command));
    }

    private Step selected(String tag, ImapCommand command) {
        if (command instanceof ImapCommand.Close) {
            return handleClose(tag, true);
        }
        if (command instanceof ImapCommand.Unselect) {
            return handleClose(tag, false);
        }
        if (command instanceof ImapCommand.Check) {
            return completed(tag, "CHECK completed.", true, false);
        }
        try {
            if (command instanceof ImapCommand.Fetch) {
                return handleFetch(tag, (ImapCommand.Fetch) command);
            }
            if (command instanceof ImapCommand.Search) {
                return handleSearch(tag, (ImapCommand.Search) command);
            }
            if (command instanceof ImapCommand.Store) {
                return handleStore(tag, (ImapCommand.Store) command);
            }
            if (command instanceof ImapCommand.Copy) {
                ImapCommand.Copy copy = (ImapCommand.Copy) command;
                return handleCopy(tag, copy.set(), copy.uid(), copy.mailbox(), false);
            }
            if (command instanceof ImapCommand.Move) {
                ImapCommand.Move move = (ImapCommand.Move) command;
                return handleCopy(tag, move.set(), move.uid(), move.mailbox(), true);
            }
            if (command instanceof ImapCommand.Expunge) {
                return handleExpunge(tag, Optional.empty());
            }
            if (command instanceof ImapCommand.UidExpunge) {
                return handleExpunge(tag, Optional.of(((ImapCommand.UidExpunge) command).uids()));
            }
        } catch (SelectedMailbox.InvalidSequence e) {
            writer.clear();
            return bad(tag, "Error in IMAP command " + name(command) + ": " + e.getMessage());
        } catch (StoreException e) {
            writer.clear();
            writer.status(ImapResponses.forFailure(tag, name(command), e, false));
            return flush(Next.READ_COMMAND);
        }
        return mailboxCommand(tag, command).orElseGet(() -> wrongState(tag, command));
    }

    /** The commands of the authenticated state, also valid when a mailbox is selected. */
    private Optional<Step> mailboxCommand(String tag, ImapCommand command) {
        if (command instanceof ImapCommand.Select) {
            return Optional.of(handleSelect(tag, ((ImapCommand.Select) command).mailbox(), false));
        }
        if (command instanceof ImapCommand.Examine) {
            return Optional.of(handleSelect(tag, ((ImapCommand.Examine) command).mailbox(), true));
        }
        if (command instanceof ImapCommand.Create) {
            return Optional.of(handleCreate(tag, ((ImapCommand.Create) command).mailbox()));
        }
        if (command instanceof ImapCommand.Delete) {
            String name = ((ImapCommand.Delete) command).mailbox();
            return Optional.of(storeCall(tag, "DELETE", () -> mailboxes.delete(name)));
        }
        if (command instanceof ImapCommand.Rename) {
            ImapCommand.Rename rename = (ImapCommand.Rename) command;
            return Optional.of(storeCall(tag, "RENAME", () -> mailboxes.rename(rename.from(), rename.to())));
        }
        if (command instanceof ImapCommand.Subscribe) {
            String name = ((ImapCommand.Subscribe) command).mailbox();
            return Optional.of(storeCall(tag, "SUBSCRIBE", () -> mailboxes.subscribe(name)));
        }
        if (command instanceof ImapCommand.Unsubscribe) {
            String name = ((ImapCommand.Unsubscribe) command).mailbox();
            return Optional.of(storeCall(tag, "UNSUBSCRIBE", () -> mailboxes.unsubscribe(name)));
        }
        if (command instanceof ImapCommand.List) {
            return Optional.of(handleList(tag, (ImapCommand.List) command));
        }
        if (command instanceof ImapCommand.Lsub) {
            return Optional.of(handleLsub(tag, (ImapCommand.Lsub) command));
        }
        if (command instanceof ImapCommand.Status) {
            return Optional.of(handleStatus(tag, (ImapCommand.Status) command));
        }
        if (command instanceof ImapCommand.Namespace) {
            return Optional.of(handleNamespace(tag));
        }
        if (command instanceof ImapCommand.Append) {
            return Optional.of(handleAppend(tag, (ImapCommand.Append) command));
        }
        if (command instanceof ImapCommand.Idle) {
            return Optional.of(handleIdle(tag));
        }
        return Optional.empty();
    }

    private Step wrongState(String tag, ImapCommand command) {
        if (command instanceof ImapCommand.Login || command instanceof ImapCommand.Authenticate
                || command instanceof ImapCommand.StartTls) {
            return bad(tag, "Already logged in.");
        }
        if (command instanceof ImapCommand.Enable) {
            return bad(tag, "ENABLE is not valid while a mailbox is selected.");
        }
        return bad(tag, name(command) + " needs a selected mailbox.");
    }

    // ---- not authenticated ----------------------------------------------------------------------------------

    private Step handleStartTls(String tag) {
        if (!config.startTlsOffered()) {
            return bad(tag, "STARTTLS is not available.");
        }
        if (connection.isTls()) {
            return bad(tag, "TLS is already active.");
        }
        writer.status(StatusResponse.ok(tag, "Begin TLS negotiation now."));
        return flush(Next.START_TLS);
    }

    private Step handleLogin(String tag, ImapCommand.Login command) {
        if (!config.plaintextAllowed(connection.isTls())) {
            writer.status(StatusResponse.no(tag, ResponseCode.PRIVACYREQUIRED,
                    "Plaintext authentication disallowed on non-secure (SSL/TLS) connections."));
            return flush(Next.READ_COMMAND);
        }
        // LOGIN is PLAIN with the user as authcid: the same checks, the same dummy hash for unknown users
        byte[] name = command.user().getBytes(StandardCharsets.UTF_8);
        byte[] secret = command.password().getBytes(StandardCharsets.UTF_8);
        byte[] message = new byte[name.length + secret.length + 2];
        System.arraycopy(name, 0, message, 1, name.length);
        System.arraycopy(secret, 0, message, name.length + 2, secret.length);
        Arrays.fill(secret, (byte) 0);
        SaslStep step;
        try {
            step = PLAIN.newServer(config.sasl()).start(Optional.of(message));
        } finally {
            Arrays.fill(message, (byte) 0);
        }
        return loggedIn(tag, "PLAIN", command.user(), step);
    }

    private Step handleAuthenticate(String tag, ImapCommand.Authenticate command) {
        Optional<SaslMechanism> mechanism = config.mechanisms().find(command.mechanism());
        if (mechanism.isEmpty()) {
            writer.status(StatusResponse.no(tag, "Unsupported authentication mechanism."));
            return flush(Next.READ_COMMAND);
        }
        if (!config.mechanisms().usable(config.plaintextAllowed(connection.isTls())).contains(mechanism.get())) {
            writer.status(StatusResponse.no(tag, ResponseCode.PRIVACYREQUIRED,
                    "Plaintext authentication disallowed on non-secure (SSL/TLS) connections."));
            return flush(Next.READ_COMMAND);
        }
        Optional<byte[]> initial = Optional.empty();
        if (command.initialResponse().isPresent()) {
            initial = decodeBase64(command.initialResponse().get());
            if (initial.isEmpty()) {
                return bad(tag, "Invalid base64 data in initial response.");
            }
        }
        sasl = mechanism.get().newServer(config.sasl());
        saslTag = tag;
        saslMethod = mechanism.get().name();
        return saslStep(tag, sasl.start(initial));
    }

    private Step saslStep(String tag, SaslStep step) {
        if (step instanceof SaslStep.Challenge) {
            writer.continuation(Base64.getEncoder().encodeToString(((SaslStep.Challenge) step).data()));
            return flush(Next.SASL_RESPONSE);
        }
        String attempted = sasl.attemptedLogin().orElse("");
        sasl = null;
        if (step instanceof SaslStep.Failure && ((SaslStep.Failure) step).reason() == SaslStep.Reason.MALFORMED) {
            return bad(tag, "Invalid authentication data.");
        }
        String user = step instanceof SaslStep.Success ? ((SaslStep.Success) step).login() : attempted;
        return loggedIn(tag, saslMethod, user, step);
    }

    /** Base64 per RFC 4648 (SASL in IMAP, RFC 3501 §6.2.2); {@code =} alone is an empty response (RFC 4959). */
    private static Optional<byte[]> decodeBase64(String text) {
        if (text.equals("=")) {
            return Optional.of(new byte[0]);
        }
        try {
            return Optional.of(Base64.getDecoder().decode(text));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private Step loggedIn(String tag, String method, String user, SaslStep step) {
        InetAddress client = connection.remote().getAddress();
        if (step instanceof SaslStep.Success) {
            if (client != null) {
                config.failureDelay().success(client);
            }
            return openMailboxes(tag, method, ((SaslStep.Success) step).login());
        }
        SaslStep.Failure failure = step instanceof SaslStep.Failure ? (SaslStep.Failure) step
                : new SaslStep.Failure(SaslStep.Reason.MALFORMED, "PLAIN asked for more");
        if (failure.reason() == SaslStep.Reason.TEMPORARY_FAILURE) {
            LOG.warn("LOGIN of {} failed temporarily: {}", connection.clientLabel(), failure.detail(),
                    failure.cause());
            writer.status(StatusResponse.no(tag, ResponseCode.UNAVAILABLE, "Temporary authentication failure."));
            return flush(Next.READ_COMMAND);
        }
        authFailures++;
        LOG.debug("LOGIN of {} failed: {}", connection.clientLabel(), failure.detail());
        config.log().imapd().info("imap-login: Login failed: user=<{}>, method={}, {}", printable(user), method,
                addresses());
        writer.status(StatusResponse.no(tag, ResponseCode.AUTHENTICATIONFAILED, "Authentication failed."));
        Next next = Next.READ_COMMAND;
        if (authFailures >= config.maxFailures()) {
            writer.status(StatusResponse.bye("Too many invalid authentication attempts."));
            state = State.LOGOUT;
            next = Next.CLOSE;
        }
        Step out = flush(next);
        if (failure.reason() == SaslStep.Reason.BAD_CREDENTIALS && client != null) {
            Duration delay = config.failureDelay().failure(client);
            if (!delay.isZero() && !delay.isNegative()) {
                return out.delayed(delay);
            }
        }
        return out;
    }

    private Step openMailboxes(String tag, String method, String user) {
        Optional<MailUser> mailUser;
        try {
            mailUser = Objects.requireNonNull(locator.locate(user), "locate returned null");
        } catch (RuntimeException e) {
            LOG.warn("imap({}): cannot find the mailboxes", printable(user), e);
            writer.status(StatusResponse.no(tag, ResponseCode.UNAVAILABLE, "Temporary failure, try again later."));
            return flush(Next.READ_COMMAND);
        }
        if (mailUser.isEmpty()) {
            config.log().imapd().warn("imap({}): Error: no mailbox for this login", printable(user));
            writer.status(StatusResponse.no(tag, ResponseCode.CONTACTADMIN, "No mailbox for this login."));
            return flush(Next.READ_COMMAND);
        }
        try {
            UserMailboxes opened = Objects.requireNonNull(store.openMailboxes(mailUser.get()),
                    "openMailboxes returned null");
            // a fresh account has only INBOX: give it the special-use folders once, not again after a user
            // deleted one of them
            if (opened.list().size() <= 1) {
                opened.ensureSpecialUse();
            }
            mailboxes = opened;
        } catch (StoreException | RuntimeException e) {
            writer.status(ImapResponses.forFailure(tag, "LOGIN", e, false));
            return flush(Next.READ_COMMAND);
        }
        login = printable(user);
        state = State.AUTHENTICATED;
        connection = connection.withAuthenticatedUser(user);
        config.log().imapd().info("imap-login: Login: user=<{}>, method={}, {}", login, method, addresses());
        writer.status(StatusResponse.ok(tag, ResponseCode.capability(capabilities()), "Logged in"));
        return flush(Next.READ_COMMAND);
    }

    // ---- any state ------------------------------------------------------------------------------------------

    private Step handleLogout(String tag) {
        closeSelected();
        writer.status(StatusResponse.bye("Logging out"));
        writer.status(StatusResponse.ok(tag, "Logout completed."));
        if (login != null) {
            config.log().imapd().info("imap({}): Logged out", login);
        } else {
            config.log().imapd().info("imap-login: Disconnected: Logged out, user=<>, {}", addresses());
        }
        state = State.LOGOUT;
        return flush(Next.CLOSE);
    }

    private Step handleId(String tag, ImapCommand.Id command) {
        if (!command.fields().isEmpty()) {
            LOG.debug("ID from {}: {}", connection.clientLabel(), command.fields());
        }
        writer.untagged().raw("ID (").string("name").sp().string("Yubin").raw(")").crlf();
        return ok(tag, "ID completed.");
    }

    // ---- authenticated --------------------------------------------------------------------------------------

    /** RFC 5161; of the extensions it can turn on (CONDSTORE, QRESYNC, UTF8=ACCEPT) only UTF8=ACCEPT is offered. */
    private Step handleEnable(String tag, ImapCommand.Enable command) {
        writer.untagged().raw("ENABLED");
        if (command.capabilities().contains("UTF8=ACCEPT") && !utf8) {
            // RFC 6855 §3: from here on, mailbox names are UTF-8 both ways and header text may be 8-bit
            utf8 = true;
            writer.enableUtf8();
            fetcher = new FetchResponder(true, structures);
            writer.sp().atom("UTF8=ACCEPT");
        }
        writer.crlf();
        return ok(tag, "ENABLE completed.");
    }

    private Step handleNamespace(String tag) {
        writer.untagged().raw("NAMESPACE ((").string("").sp().string(String.valueOf(mailboxes.delimiter()))
                .raw(")) NIL NIL").crlf();
        return ok(tag, "NAMESPACE completed.");
    }

    private Step handleCreate(String tag, String name) {
        char delimiter = mailboxes.delimiter();
        // RFC 3501 §6.3.3: a trailing delimiter only says the client means to create children
        String trimmed = name;
        while (trimmed.length() > 1 && trimmed.charAt(trimmed.length() - 1) == delimiter) {
            trimmed = trimmed.substring(0, trimmed.length() - 1);
        }
        String target = trimmed;
        return storeCall(tag, "CREATE", () -> mailboxes.create(target));
    }

    private Step handleList(String tag, ImapCommand.List command) {
        char delimiter = mailboxes.delimiter();
        if (!command.extended() && command.patterns().get(0).isEmpty()) {
            // RFC 3501 §6.3.8: the delimiter and the root of the reference (not in the extended syntax, RFC 5258 §3)
            writer.list("LIST", List.of("\\Noselect"), delimiter, root(command.reference(), delimiter));
            return ok(tag, "LIST completed.");
        }
        Optional<StatusItem> unsupported = unsupportedStatusItem(command.status());
        if (unsupported.isPresent()) {
            return bad(tag, "LIST RETURN (STATUS (" + unsupported.get() + ")) is not supported.");
        }
        try {
            List<MailboxListing.Entry> entries = MailboxListing.of(command, mailboxes.list(),
                    MailboxListing.needsSubscriptions(command) ? mailboxes.subscriptions() : Set.of(), delimiter);
            for (MailboxListing.Entry entry : entries) {
                writer.list("LIST", entry.attributes(), delimiter, entry.name(),
                        entry.childInfo() ? CHILDINFO_SUBSCRIBED : List.of());
                if (!command.status().isEmpty() && entry.selectable()) {
                    listStatus(entry.name(), command.status());
                }
            }
        } catch (StoreException | RuntimeException e) {
            writer.clear();
            writer.status(ImapResponses.forFailure(tag, "LIST", e, false));
            return flush(Next.READ_COMMAND);
        }
        return ok(tag, "LIST completed.");
    }

    /** The {@code * STATUS} after a LIST response (RFC 5819 §2); none for a mailbox deleted in between. */
    private void listStatus(String name, List<StatusItem> items) throws StoreException {
        MailboxStatus status;
        try {
            status = mailboxes.status(name);
        } catch (MailboxException e) {
            if (e.reason() == MailboxException.Reason.NONEXISTENT) {
                return;
            }
            throw e;
        }
        writeStatus(name, items, status);
    }

    private Step handleLsub(String tag, ImapCommand.Lsub command) {
        char delimiter = mailboxes.delimiter();
        if (command.pattern().isEmpty()) {
            writer.list("LSUB", List.of("\\Noselect"), delimiter, root(command.reference(), delimiter));
            return ok(tag, "LSUB completed.");
        }
        MailboxPattern pattern = MailboxPattern.of(command.reference(), command.pattern(), delimiter);
        try {
            Set<String> selectable = new LinkedHashSet<>();
            for (MailboxInfo info : mailboxes.list()) {
                if (!info.is(MailboxAttribute.NOSELECT)) {
                    selectable.add(info.name());
                }
            }
            Set<String> subscribed = new LinkedHashSet<>();
            for (String name : mailboxes.subscriptions()) {
                subscribed.add(name.equalsIgnoreCase("INBOX") ? "INBOX" : name);
            }
            // RFC 3501 §6.3.9: with %, an unsubscribed parent of a subscribed mailbox is listed as \Noselect
            boolean parents = command.pattern().indexOf('%') >= 0;
            Map<String, Boolean> shown = new LinkedHashMap<>(); // name -> \Noselect
            for (String name : subscribed) {
                if (pattern.matches(name)) {
                    shown.put(name, !selectable.contains(name));
                } else if (parents) {
                    for (int i = name.indexOf(delimiter); i > 0; i = name.indexOf(delimiter, i + 1)) {
                        String parent = name.substring(0, i);
                        if (!subscribed.contains(parent) && pattern.matches(parent)) {
                            shown.putIfAbsent(parent, true);
                        }
                    }
                }
            }
            shown.forEach((name, noselect) -> writer.list("LSUB", noselect ? List.of("\\Noselect") : List.of(),
                    delimiter, name));
        } catch (StoreException | RuntimeException e) {
            writer.clear();
            writer.status(ImapResponses.forFailure(tag, "LSUB", e, false));
            return flush(Next.READ_COMMAND);
        }
        return ok(tag, "LSUB completed.");
    }

    private Step handleStatus(String tag, ImapCommand.Status command) {
        Optional<StatusItem> unsupported = unsupportedStatusItem(command.items());
        if (unsupported.isPresent()) {
            return bad(tag, "STATUS " + unsupported.get() + " is not supported.");
        }
        MailboxStatus status;
        try {
            status = mailboxes.status(command.mailbox());
        } catch (StoreException | RuntimeException e) {
            writer.status(ImapResponses.forFailure(tag, "STATUS", e, false));
            return flush(Next.READ_COMMAND);
        }
        writeStatus(command.mailbox(), command.items(), status);
        return ok(tag, "STATUS completed.");
    }

    /** The first item the store cannot count (SIZE, DELETED of RFC 9051; HIGHESTMODSEQ needs CONDSTORE). */
    private static Optional<StatusItem> unsupportedStatusItem(List<StatusItem> items) {
        for (StatusItem item : items) {
            if (item == StatusItem.SIZE || item == StatusItem.DELETED || item == StatusItem.HIGHESTMODSEQ) {
                return Optional.of(item);
            }
        }
        return Optional.empty();
    }

    private void writeStatus(String name, List<StatusItem> items, MailboxStatus status) {
        writer.untagged().raw("STATUS ").mailbox(canonical(name)).raw(" (");
        for (int i = 0; i < items.size(); i++) {
            StatusItem item = items.get(i);
            if (i > 0) {
                writer.sp();
            }
            writer.raw(item.name()).sp().number(value(status, item));
        }
        writer.raw(")").crlf();
    }

    private static long value(MailboxStatus status, StatusItem item) {
        switch (item) {
            case MESSAGES:
                return status.messages();
            case RECENT:
                return status.recent();
            case UIDNEXT:
                return status.uidNext();
            case UIDVALIDITY:
                return status.uidValidity();
            default:
                return status.unseen();
        }
    }

    private Step handleSelect(String tag, String name, boolean readOnly) {
        String command = readOnly ? "EXAMINE" : "SELECT";
        // RFC 3501 §6.3.1: a SELECT deselects first, also when it fails
        closeSelected();
        Mailbox opened;
        try {
            opened = Objects.requireNonNull(mailboxes.open(name, readOnly), "open returned null");
        } catch (StoreException | RuntimeException e) {
            writer.status(ImapResponses.forFailure(tag, command, e, false));
            return flush(Next.READ_COMMAND);
        }
        try {
            SelectedMailbox chosen = new SelectedMailbox(opened);
            List<MessageInfo> view = chosen.messages();
            List<String> flags = new ArrayList<>(SYSTEM_FLAGS);
            flags.addAll(opened.keywords());
            writer.flags(flags);
            writer.exists(view.size());
            writer.recent(view.stream().filter(MessageInfo::recent).count());
            for (int i = 0; i < view.size(); i++) {
                if (!view.get(i).flags().contains(Flag.SEEN)) {
                    writer.status(StatusResponse.ok(StatusResponse.UNTAGGED, ResponseCode.unseen(i + 1),
                            "First unseen."));
                    break;
                }
            }
            List<String> permanent = new ArrayList<>();
            if (!opened.isReadOnly()) {
                permanent.addAll(flags);
                if (opened.canCreateKeywords()) {
                    permanent.add("\\*");
                }
            }
            writer.status(StatusResponse.ok(StatusResponse.UNTAGGED, ResponseCode.permanentFlags(permanent),
                    opened.isReadOnly() ? "Read-only mailbox." : "Flags permitted."));
            writer.status(StatusResponse.ok(StatusResponse.UNTAGGED, ResponseCode.uidValidity(opened.uidValidity()),
                    "UIDs valid"));
            writer.status(StatusResponse.ok(StatusResponse.UNTAGGED, ResponseCode.uidNext(opened.uidNext()),
                    "Predicted next UID"));
            writer.status(StatusResponse.ok(tag, opened.isReadOnly() ? ResponseCode.READ_ONLY
                    : ResponseCode.READ_WRITE, command + " completed."));
            selected = chosen;
            state = State.SELECTED;
            return flush(Next.READ_COMMAND);
        } catch (RuntimeException e) {
            opened.close();
            throw e;
        }
    }

    // ---- selected -------------------------------------------------------------------------------------------

    private Step handleClose(String tag, boolean expunge) {
        String command = expunge ? "CLOSE" : "UNSELECT";
        try {
            if (expunge && !selected.isReadOnly()) {
                // RFC 3501 §6.4.2: expunged silently, no untagged EXPUNGE
                selected.mailbox().expunge();
            }
        } catch (StoreException | RuntimeException e) {
            closeSelected();
            writer.status(ImapResponses.forFailure(tag, command, e, false));
            return flush(Next.READ_COMMAND);
        }
        closeSelected();
        return ok(tag, command + " completed.");
    }

    // ---- selected: messages ---------------------------------------------------------------------------------

    private Step handleFetch(String tag, ImapCommand.Fetch command)
            throws SelectedMailbox.InvalidSequence, StoreException {
        int[] indexes = selected.resolve(command.set(), command.uid());
        List<FetchItem> items = command.items();
        Set<Long> seenNow = Set.of();
        if (FetchResponder.setsSeen(items) && !selected.isReadOnly()) {
            List<Long> unseen = new ArrayList<>();
            for (int i : indexes) {
                MessageInfo info = selected.get(i);
                if (!info.flags().contains(Flag.SEEN) && !selected.isVanished(info.uid())) {
                    unseen.add(info.uid());
                }
            }
            if (!unseen.isEmpty()) {
                selected.updated(selected.mailbox().setFlags(unseen, FlagOperation.ADD, Flags.of(Flag.SEEN)));
                seenNow = new HashSet<>(unseen);
            }
        }
        FetchStream stream = new FetchStream(selected, indexes, items, seenNow, fetcher, login,
                missing -> fetchTail(tag, command.uid(), missing));
        if (!FetchResponder.needsContent(items)) {
            // flags, UIDs, sizes, dates: all in memory, so one buffer and no hand-off
            try (stream) {
                for (byte[] chunk = stream.next(); chunk != null; chunk = stream.next()) {
                    writer.append(chunk);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return flush(Next.READ_COMMAND);
        }
        return Step.streaming(new byte[0], stream);
    }

    /** The end of a FETCH response: updates, then the tagged status. */
    private byte[] fetchTail(String tag, boolean uid, int missing) {
        try {
            selected.sync(writer, uid, uid);
        } catch (StoreException | RuntimeException e) {
            LOG.warn("imap({}): refresh after FETCH failed", login, e);
        }
        if (missing > 0) {
            writer.status(StatusResponse.no(tag, ResponseCode.EXPUNGEISSUED,
                    "Some of the requested messages no longer exist."));
        } else {
            writer.status(StatusResponse.ok(tag, (uid ? "UID " : "") + "FETCH completed."));
        }
        byte[] out = writer.toByteArray();
        writer.clear();
        return out;
    }

    /** Octets of a header read for SEARCH above which the whole message is searched instead (and not kept). */
    private static final int MAX_SEARCH_HEADER = 256 * 1024;

    /**
     * A message's top-level header alone, for a SEARCH that looks no further: from the cache, or read up to the
     * empty line and kept there.
     */
    private MessageContent headerContent(MessageInfo info) throws StoreException, IOException {
        Mailbox mailbox = selected.mailbox();
        String key = StructureCache.key(login, mailbox.name(), mailbox.uidValidity(), info.uid());
        Optional<byte[]> cached = structures == null ? Optional.empty() : structures.header(key);
        if (cached.isPresent()) {
            return MessageContent.ofBytes(cached.get());
        }
        byte[] header;
        try (MessageContent content = mailbox.content(info.uid());
                java.io.InputStream in = new java.io.BufferedInputStream(content.openStream(), 4096)) {
            header = readHeader(in);
        }
        if (header == null) {
            return mailbox.content(info.uid());
        }
        if (structures != null) {
            structures.putHeader(key, header);
        }
        return MessageContent.ofBytes(header);
    }

    /** The octets up to and including the first empty line (LF or CRLF), all if none; null if over the bound. */
    private static byte[] readHeader(java.io.InputStream in) throws IOException {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(2048);
        boolean lineStart = true;
        for (int b = in.read(); b >= 0; b = in.read()) {
            out.write(b);
            if (b == '\n') {
                if (lineStart) {
                    break;
                }
                lineStart = true;
            } else if (b != '\r' || !lineStart) {
                lineStart = false;
            }
            if (out.size() > MAX_SEARCH_HEADER) {
                return null;
            }
        }
        return out.toByteArray();
    }

    private Step handleSearch(String tag, ImapCommand.Search command) throws StoreException {
        if (command.charset().isPresent() && !SEARCH_CHARSETS.contains(command.charset().get())) {
            writer.status(StatusResponse.no(tag, ResponseCode.badCharset(SEARCH_CHARSETS),
                    "Unsupported charset " + command.charset().get() + "."));
            return flush(Next.READ_COMMAND);
        }
        List<MessageInfo> view = selected.messages();
        boolean headersOnly = MessageSearch.readsOnlyHeaders(command.key());
        int[] found;
        try {
            found = MessageSearch.search(command.key(), view, info -> {
                try {
                    return headersOnly ? headerContent(info) : selected.mailbox().content(info.uid());
                } catch (MailboxException e) {
                    if (e.reason() == MailboxException.Reason.NONEXISTENT) {
                        return null; // expunged by another session: Dovecot's rule, it matches nothing
                    }
                    throw new IOException(e.getMessage(), e);
                } catch (StoreException e) {
                    throw new IOException(e.getMessage(), e);
                }
            });
        } catch (IOException e) {
            if (e.getCause() instanceof StoreException) {
                throw (StoreException) e.getCause();
            }
            throw new UncheckedIOException(e);
        }
        long[] numbers = new long[found.length];
        for (int k = 0; k < found.length; k++) {
            numbers[k] = command.uid() ? view.get(found[k]).uid() : found[k] + 1;
        }
        writer.search(numbers);
        return completed(tag, (command.uid() ? "UID " : "") + "SEARCH completed.", command.uid(), command.uid());
    }

    private Step handleStore(String tag, ImapCommand.Store command)
            throws SelectedMailbox.InvalidSequence, StoreException {
        int[] indexes = selected.resolve(command.set(), command.uid());
        Optional<Flags> flags = toFlags(command.action().flags());
        if (flags.isEmpty()) {
            return bad(tag, "Invalid flags in STORE.");
        }
        if (selected.isReadOnly()) {
            writer.status(StatusResponse.no(tag, ResponseCode.CANNOT, "Mailbox is read-only."));
            return flush(Next.READ_COMMAND);
        }
        if (!flags.get().keywords().isEmpty() && !selected.mailbox().canCreateKeywords()
                && !selected.mailbox().keywords().containsAll(flags.get().keywords())) {
            writer.status(StatusResponse.no(tag, ResponseCode.LIMIT, "Too many keywords in this mailbox."));
            return flush(Next.READ_COMMAND);
        }
        FlagOperation operation;
        switch (command.action().mode()) {
            case ADD:
                operation = FlagOperation.ADD;
                break;
            case REMOVE:
                operation = FlagOperation.REMOVE;
                break;
            default:
                operation = FlagOperation.REPLACE;
                break;
        }
        List<Long> uids = new ArrayList<>();
        for (int i : indexes) {
            if (!selected.isVanished(selected.get(i).uid())) {
                uids.add(selected.get(i).uid());
            }
        }
        List<MessageInfo> changed = uids.isEmpty() ? List.of()
                : selected.mailbox().setFlags(uids, operation, flags.get());
        selected.updated(changed);
        if (!command.action().silent()) {
            for (MessageInfo info : changed) {
                int i = selected.indexOf(info.uid());
                writer.untagged().number(i + 1).raw(" FETCH (");
                if (command.uid()) {
                    writer.raw("UID ").number(info.uid()).sp();
                }
                writer.raw("FLAGS ").flagList(FetchResponder.flagNames(info)).raw(")").crlf();
            }
        }
        if (uids.size() < indexes.length) {
            writer.status(StatusResponse.no(tag, ResponseCode.EXPUNGEISSUED,
                    "Some of the messages no longer exist."));
            return flush(Next.READ_COMMAND);
        }
        return completed(tag, (command.uid() ? "UID " : "") + "STORE completed.", command.uid(), command.uid());
    }

    private Step handleCopy(String tag, SequenceSet set, boolean uid, String target, boolean move)
            throws SelectedMailbox.InvalidSequence {
        String command = (uid ? "UID " : "") + (move ? "MOVE" : "COPY");
        int[] indexes = selected.resolve(set, uid);
        if (move && selected.isReadOnly()) {
            writer.status(StatusResponse.no(tag, ResponseCode.CANNOT, "Mailbox is read-only."));
            return flush(Next.READ_COMMAND);
        }
        List<Long> uids = new ArrayList<>();
        for (int i : indexes) {
            if (!selected.isVanished(selected.get(i).uid())) {
                uids.add(selected.get(i).uid());
            }
        }
        CopyResult result;
        try {
            if (uids.isEmpty()) {
                // nothing to copy, but the target must still exist (RFC 3501 §6.4.7: [TRYCREATE])
                mailboxes.status(target);
                return completed(tag, indexes.length > 0 ? StatusResponse.no(tag, ResponseCode.EXPUNGEISSUED,
                        "Some of the messages no longer exist.")
                        : StatusResponse.ok(tag, "No messages found."), uid);
            }
            result = move ? selected.mailbox().move(uids, target) : selected.mailbox().copy(uids, target);
        } catch (StoreException | RuntimeException e) {
            writer.clear();
            writer.status(ImapResponses.forFailure(tag, command, e, true));
            return flush(Next.READ_COMMAND);
        }
        ResponseCode copyUid = ResponseCode.copyUid(result.uidValidity(), uidSet(result.sourceUids()),
                uidSet(result.targetUids()));
        if (move) {
            // RFC 6851 §4.3: COPYUID goes in an untagged OK, before the EXPUNGEs
            writer.status(StatusResponse.ok(StatusResponse.UNTAGGED, copyUid, "Moved UIDs."));
            selected.expunged(result.sourceUids(), writer);
            return completed(tag, StatusResponse.ok(tag, (uid ? "UID " : "") + "MOVE completed."), true);
        }
        return completed(tag, StatusResponse.ok(tag, copyUid, (uid ? "UID " : "") + "COPY completed."), true);
    }

    private Step handleExpunge(String tag, Optional<SequenceSet> uidSet) throws StoreException {
        if (selected.isReadOnly()) {
            writer.status(StatusResponse.no(tag, ResponseCode.CANNOT, "Mailbox is read-only."));
            return flush(Next.READ_COMMAND);
        }
        List<Long> removed;
        if (uidSet.isPresent()) {
            int[] indexes;
            try {
                indexes = selected.resolve(uidSet.get(), true);
            } catch (SelectedMailbox.InvalidSequence e) {
                return bad(tag, e.getMessage());
            }
            removed = indexes.length == 0 ? List.of() : selected.mailbox().expunge(selected.uids(indexes));
        } else {
            removed = selected.mailbox().expunge();
        }
        selected.expunged(removed, writer);
        return completed(tag, (uidSet.isPresent() ? "UID " : "") + "EXPUNGE completed.", true, true);
    }

    private Step handleAppend(String tag, ImapCommand.Append command) {
        try (MessageContent content = command.message()) {
            Optional<Flags> flags = toFlags(command.flags());
            if (flags.isEmpty()) {
                return bad(tag, "Invalid flags in APPEND.");
            }
            if (content.size() == 0) {
                writer.status(StatusResponse.no(tag, "Can't save a zero byte message."));
                return flush(Next.READ_COMMAND);
            }
            Instant date = command.internalDate().map(OffsetDateTime::toInstant).orElseGet(Instant::now);
            AppendResult result;
            try {
                result = mailboxes.append(command.mailbox(), content, flags.get(), date);
            } catch (StoreException | RuntimeException e) {
                writer.status(ImapResponses.forFailure(tag, "APPEND", e, true));
                return flush(Next.READ_COMMAND);
            }
            return completed(tag, StatusResponse.ok(tag, ResponseCode.appendUid(result.uidValidity(),
                    result.uid()), "APPEND completed."), true);
        }
    }

    private Step handleIdle(String tag) {
        idleTag = tag;
        if (selected != null) {
            try {
                selected.sync(writer, true, false);
            } catch (StoreException | RuntimeException e) {
                LOG.warn("imap({}): refresh at IDLE failed", login, e);
            }
        }
        writer.continuation("idling");
        return flush(Next.IDLE);
    }

    /** The tagged OK of a command, after the updates it may carry (RFC 3501 §5.2, §7.4.1). */
    private Step completed(String tag, String text, boolean expungesAllowed, boolean withUid) {
        return completed(tag, StatusResponse.ok(tag, text), expungesAllowed, withUid);
    }

    private Step completed(String tag, StatusResponse status, boolean expungesAllowed) {
        return completed(tag, status, expungesAllowed, false);
    }

    private Step completed(String tag, StatusResponse status, boolean expungesAllowed, boolean withUid) {
        if (selected != null) {
            try {
                selected.sync(writer, expungesAllowed, withUid);
            } catch (StoreException | RuntimeException e) {
                // the command itself succeeded; the updates come with the next one
                LOG.warn("imap({}): refresh of {} failed", login, selected.mailbox().name(), e);
            }
        }
        writer.status(status);
        return flush(Next.READ_COMMAND);
    }

    /** The flags a client named, or empty when one is neither a system flag nor a valid keyword. */
    private static Optional<Flags> toFlags(List<String> names) {
        Set<Flag> system = EnumSet.noneOf(Flag.class);
        Set<String> keywords = new LinkedHashSet<>();
        for (String name : names) {
            if (name.startsWith("\\")) {
                Flag flag = SYSTEM_FLAG_NAMES.get(name.toLowerCase(Locale.ROOT));
                if (flag == null) {
                    return Optional.empty();
                }
                system.add(flag);
            } else if (Flags.isKeyword(name)) {
                keywords.add(name);
            } else {
                return Optional.empty();
            }
        }
        return Optional.of(new Flags(system, keywords));
    }

    private static SequenceSet uidSet(List<Long> uids) {
        List<SequenceSet.Range> ranges = new ArrayList<>();
        // COPYUID pairs source and target UIDs by position, so the order stays as given
        long first = -1;
        long last = -1;
        for (long uid : uids) {
            if (first < 0) {
                first = uid;
                last = uid;
            } else if (uid == last + 1) {
                last = uid;
            } else {
                ranges.add(new SequenceSet.Range(first, last));
                first = uid;
                last = uid;
            }
        }
        if (first >= 0) {
            ranges.add(new SequenceSet.Range(first, last));
        }
        return new SequenceSet(ranges, false);
    }

    // ---- helpers --------------------------------------------------------------------------------------------

    private void closeSelected() {
        if (selected != null) {
            try {
                selected.close();
            } catch (RuntimeException e) {
                LOG.warn("imap({}): closing {} failed", login, selected.mailbox().name(), e);
            }
            selected = null;
        }
        if (state == State.SELECTED) {
            state = State.AUTHENTICATED;
        }
    }

    /** A store call that answers OK or the mapped failure. */
    private Step storeCall(String tag, String command, StoreCall call) {
        try {
            call.run();
        } catch (StoreException | RuntimeException e) {
            writer.status(ImapResponses.forFailure(tag, command, e, false));
            return flush(Next.READ_COMMAND);
        }
        return ok(tag, command + " completed.");
    }

    @FunctionalInterface
    private interface StoreCall {
        void run() throws StoreException;
    }

    private Step ok(String tag, String text) {
        writer.status(StatusResponse.ok(tag, text));
        return flush(Next.READ_COMMAND);
    }

    private Step bad(String tag, String text) {
        writer.status(StatusResponse.bad(tag, text));
        return flush(Next.READ_COMMAND);
    }

    private Step flush(Next next) {
        Step step = Step.of(writer.toByteArray(), next);
        writer.clear();
        return step;
    }

    /** The part of {@code reference} up to and including its first delimiter, for {@code LIST ref ""}. */
    private static String root(String reference, char delimiter) {
        int i = reference.indexOf(delimiter);
        return i < 0 ? "" : reference.substring(0, i + 1);
    }

    private static String canonical(String name) {
        return name.equalsIgnoreCase("INBOX") ? "INBOX" : name;
    }

    /** The command's name for messages: {@code FETCH}, {@code UID FETCH} where it matters. */
    private static String name(ImapCommand command) {
        String simple = command.getClass().getSimpleName().toUpperCase(Locale.ROOT);
        if (command instanceof ImapCommand.Fetch && ((ImapCommand.Fetch) command).uid()
                || command instanceof ImapCommand.Search && ((ImapCommand.Search) command).uid()
                || command instanceof ImapCommand.Store && ((ImapCommand.Store) command).uid()
                || command instanceof ImapCommand.Copy && ((ImapCommand.Copy) command).uid()
                || command instanceof ImapCommand.Move && ((ImapCommand.Move) command).uid()) {
            return "UID " + simple;
        }
        if (command instanceof ImapCommand.UidExpunge) {
            return "UID EXPUNGE";
        }
        return simple;
    }

    private static String printable(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            out.append(c < 0x20 || c == 0x7f ? '?' : c);
        }
        return out.toString();
    }

    private String addresses() {
        String lip = connection.local().getAddress() == null ? connection.local().getHostString()
                : connection.local().getAddress().getHostAddress();
        return "rip=" + connection.remoteIp() + ", lip=" + lip + (connection.isTls() ? ", TLS" : "");
    }
}
