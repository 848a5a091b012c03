package dev.yubin.imap.server;

import dev.yubin.auth.sasl.PlainMechanism;
import dev.yubin.auth.sasl.SaslStep;
import dev.yubin.core.log.MailLog;
import dev.yubin.core.net.ConnectionInfo;
import dev.yubin.core.store.Flag;
import dev.yubin.core.store.Mailbox;
import dev.yubin.core.store.MailboxAttribute;
import dev.yubin.core.store.MailboxInfo;
import dev.yubin.core.store.MailboxStatus;
import dev.yubin.core.store.MailboxStore;
import dev.yubin.core.store.MessageInfo;
import dev.yubin.core.store.StoreException;
import dev.yubin.core.store.UserMailboxes;
import dev.yubin.core.user.MailUser;
import dev.yubin.imap.protocol.ImapCommand;
import dev.yubin.imap.protocol.ImapWriter;
import dev.yubin.imap.protocol.ResponseCode;
import dev.yubin.imap.protocol.StatusItem;
import dev.yubin.imap.protocol.StatusResponse;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
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
 * calling thread, so the shell runs them off the event loop. Log lines go to {@link MailLog#IMAPD}.
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
 *   <tr><td>FETCH, SEARCH, STORE, COPY, MOVE, EXPUNGE, APPEND, IDLE, AUTHENTICATE</td><td>{@code NO [CANNOT]
 *     ... is not available yet}</td></tr>
 *   <tr><td>store failures</td><td>one mapping, {@code [NONEXISTENT] [ALREADYEXISTS] [CANNOT] [UNAVAILABLE]
 *     [SERVERBUG]}</td></tr>
 * </table>
 */
public final class ImapSession {
    private static final Logger LOG = LoggerFactory.getLogger(ImapSession.class);
    private static final PlainMechanism PLAIN = new PlainMechanism();
    private static final List<String> BASE_CAPABILITIES = List.of("IMAP4rev1", "LITERAL+", "SASL-IR", "ID",
            "ENABLE", "IDLE", "NAMESPACE", "UNSELECT", "CHILDREN", "SPECIAL-USE", "UIDPLUS", "MOVE");
    private static final List<String> SYSTEM_FLAGS = List.of("\\Answered", "\\Flagged", "\\Deleted", "\\Seen",
            "\\Draft");

    /** The states of RFC 3501 §3. */
    public enum State { NOT_AUTHENTICATED, AUTHENTICATED, SELECTED, LOGOUT }

    private final ImapConfig config;
    private final MailboxStore store;
    private final MailboxLocator locator;
    private ConnectionInfo connection;
    private final ImapWriter writer = new ImapWriter();

    private State state = State.NOT_AUTHENTICATED;
    private int authFailures;
    private String login;
    private UserMailboxes mailboxes;
    private Mailbox selected;
    private List<MessageInfo> messages = List.of();

    public ImapSession(ImapConfig config, MailboxStore store, MailboxLocator locator, ConnectionInfo connection) {
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

    /** The capabilities to announce now (RFC 3501 §6.1.1). */
    public List<String> capabilities() {
        List<String> caps = new ArrayList<>(BASE_CAPABILITIES);
        if (state == State.NOT_AUTHENTICATED) {
            if (config.startTlsOffered() && !connection.isTls()) {
                caps.add("STARTTLS");
            }
            caps.add(config.plaintextAllowed(connection.isTls()) ? "AUTH=PLAIN" : "LOGINDISABLED");
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
        }
    }

    /** The client's line after an AUTHENTICATE continuation ({@link Next#SASL_RESPONSE}). */
    public Step onSaslResponse(String line) {
        Objects.requireNonNull(line, "line");
        return bad("*", "No authentication in progress.");
    }

    /** A line the client sent during IDLE ({@link Next#IDLE}): {@code DONE} ends it, anything else is an error. */
    public Step onIdleLine(String line) {
        Objects.requireNonNull(line, "line");
        return bad("*", "Not idling.");
    }

    /** During IDLE: the untagged updates since the last check (the output may be empty). */
    public Step onIdleCheck() {
        return flush(Next.IDLE);
    }

    /**
     * Registers {@code onChange} to run when this process changes the selected mailbox, for IDLE; the shell
     * closes the registration when IDLE ends. Empty when no mailbox is selected. The callback runs on the
     * changer's thread and must only schedule {@link #onIdleCheck} on the session's executor.
     */
    public Optional<Mailbox.Watch> watchSelected(Runnable onChange) {
        Objects.requireNonNull(onChange, "onChange");
        return selected == null ? Optional.empty() : Optional.of(selected.watch(onChange));
    }

    /**
     * The connection is gone, or the shell gave up on it: closes the selected mailbox (without expunging) and logs
     * the disconnect. Idempotent.
     */
    public void onDisconnect() {
        closeSelected();
        if (state != State.LOGOUT) {
            if (login != null) {
                MailLog.IMAPD.info("imap({}): Disconnected: Connection closed", login);
            } else {
                MailLog.IMAPD.info("imap-login: Disconnected: user=<>, {}", addresses());
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
            return ok(tag, "NOOP completed.");
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
            return notYet(tag, "AUTHENTICATE");
        }
        return bad(tag, name(command) + " is not valid before login.");
    }

    private Step authenticated(String tag, ImapCommand command) {
        if (command instanceof ImapCommand.Enable) {
            return handleEnable(tag);
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
            return ok(tag, "CHECK completed.");
        }
        if (command instanceof ImapCommand.Fetch || command instanceof ImapCommand.Search
                || command instanceof ImapCommand.Store || command instanceof ImapCommand.Copy
                || command instanceof ImapCommand.Move || command instanceof ImapCommand.Expunge
                || command instanceof ImapCommand.UidExpunge) {
            return notYet(tag, name(command));
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
        if (command instanceof ImapCommand.Append || command instanceof ImapCommand.Idle) {
            return Optional.of(notYet(tag, name(command)));
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
        return loggedIn(tag, command.user(), step);
    }

    private Step loggedIn(String tag, String user, SaslStep step) {
        InetAddress client = connection.remote().getAddress();
        if (step instanceof SaslStep.Success) {
            if (client != null) {
                config.failureDelay().success(client);
            }
            return openMailboxes(tag, ((SaslStep.Success) step).login());
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
        MailLog.IMAPD.info("imap-login: Login failed: user=<{}>, method=PLAIN, {}", printable(user), addresses());
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

    private Step openMailboxes(String tag, String user) {
        Optional<MailUser> mailUser;
        try {
            mailUser = Objects.requireNonNull(locator.locate(user), "locate returned null");
        } catch (RuntimeException e) {
            LOG.warn("imap({}): cannot find the mailboxes", printable(user), e);
            writer.status(StatusResponse.no(tag, ResponseCode.UNAVAILABLE, "Temporary failure, try again later."));
            return flush(Next.READ_COMMAND);
        }
        if (mailUser.isEmpty()) {
            MailLog.IMAPD.warn("imap({}): Error: no mailbox for this login", printable(user));
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
        MailLog.IMAPD.info("imap-login: Login: user=<{}>, method=PLAIN, {}", login, addresses());
        writer.status(StatusResponse.ok(tag, ResponseCode.capability(capabilities()), "Logged in"));
        return flush(Next.READ_COMMAND);
    }

    // ---- any state ------------------------------------------------------------------------------------------

    private Step handleLogout(String tag) {
        closeSelected();
        writer.status(StatusResponse.bye("Logging out"));
        writer.status(StatusResponse.ok(tag, "Logout completed."));
        if (login != null) {
            MailLog.IMAPD.info("imap({}): Logged out", login);
        } else {
            MailLog.IMAPD.info("imap-login: Disconnected: Logged out, user=<>, {}", addresses());
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

    private Step handleEnable(String tag) {
        // none of the ENABLE-able extensions (CONDSTORE, QRESYNC, UTF8=ACCEPT) is offered yet
        writer.untagged().raw("ENABLED").crlf();
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
        if (command.patterns().size() == 1 && command.patterns().get(0).isEmpty()) {
            // RFC 3501 §6.3.8: the delimiter and the root of the reference
            writer.list("LIST", List.of("\\Noselect"), delimiter, root(command.reference(), delimiter));
            return ok(tag, "LIST completed.");
        }
        List<MailboxPattern> patterns = new ArrayList<>();
        for (String pattern : command.patterns()) {
            patterns.add(MailboxPattern.of(command.reference(), pattern, delimiter));
        }
        boolean subscribedOnly = command.selection().contains(ImapCommand.ListSelection.SUBSCRIBED);
        boolean specialUseOnly = command.selection().contains(ImapCommand.ListSelection.SPECIAL_USE);
        boolean showSubscribed = subscribedOnly || command.returns().contains(ImapCommand.ListReturn.SUBSCRIBED);
        List<MailboxInfo> all;
        try {
            all = mailboxes.list();
        } catch (StoreException | RuntimeException e) {
            writer.status(ImapResponses.forFailure(tag, "LIST", e, false));
            return flush(Next.READ_COMMAND);
        }
        for (MailboxInfo info : all) {
            if (patterns.stream().noneMatch(p -> p.matches(info.name()))
                    || (subscribedOnly && !info.subscribed())
                    || (specialUseOnly && info.attributes().stream().noneMatch(MailboxAttribute::isSpecialUse))) {
                continue;
            }
            List<String> attributes = attributes(info);
            if (showSubscribed && info.subscribed()) {
                attributes.add("\\Subscribed");
            }
            writer.list("LIST", attributes, delimiter, info.name());
        }
        return ok(tag, "LIST completed.");
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
            for (String name : mailboxes.subscriptions()) {
                String shown = name.equalsIgnoreCase("INBOX") ? "INBOX" : name;
                if (pattern.matches(shown)) {
                    writer.list("LSUB", selectable.contains(shown) ? List.of() : List.of("\\Noselect"), delimiter,
                            shown);
                }
            }
        } catch (StoreException | RuntimeException e) {
            writer.clear();
            writer.status(ImapResponses.forFailure(tag, "LSUB", e, false));
            return flush(Next.READ_COMMAND);
        }
        return ok(tag, "LSUB completed.");
    }

    private Step handleStatus(String tag, ImapCommand.Status command) {
        for (StatusItem item : command.items()) {
            if (item == StatusItem.SIZE || item == StatusItem.DELETED || item == StatusItem.HIGHESTMODSEQ) {
                return bad(tag, "STATUS " + item + " is not supported.");
            }
        }
        MailboxStatus status;
        try {
            status = mailboxes.status(command.mailbox());
        } catch (StoreException | RuntimeException e) {
            writer.status(ImapResponses.forFailure(tag, "STATUS", e, false));
            return flush(Next.READ_COMMAND);
        }
        writer.untagged().raw("STATUS ").mailbox(canonical(command.mailbox())).raw(" (");
        for (int i = 0; i < command.items().size(); i++) {
            StatusItem item = command.items().get(i);
            if (i > 0) {
                writer.sp();
            }
            writer.raw(item.name()).sp().number(value(status, item));
        }
        writer.raw(")").crlf();
        return ok(tag, "STATUS completed.");
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
            List<MessageInfo> view = List.copyOf(opened.messages());
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
            selected = opened;
            messages = view;
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
                selected.expunge();
            }
        } catch (StoreException | RuntimeException e) {
            closeSelected();
            writer.status(ImapResponses.forFailure(tag, command, e, false));
            return flush(Next.READ_COMMAND);
        }
        closeSelected();
        return ok(tag, command + " completed.");
    }

    // ---- helpers --------------------------------------------------------------------------------------------

    private void closeSelected() {
        if (selected != null) {
            try {
                selected.close();
            } catch (RuntimeException e) {
                LOG.warn("imap({}): closing {} failed", login, selected.name(), e);
            }
            selected = null;
            messages = List.of();
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

    private Step notYet(String tag, String command) {
        writer.status(StatusResponse.no(tag, ResponseCode.CANNOT, command + " is not available yet."));
        return flush(Next.READ_COMMAND);
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

    private static List<String> attributes(MailboxInfo info) {
        List<String> out = new ArrayList<>();
        for (MailboxAttribute attribute : MailboxAttribute.values()) {
            if (info.is(attribute)) {
                out.add(attribute.imapName());
            }
        }
        return out;
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
