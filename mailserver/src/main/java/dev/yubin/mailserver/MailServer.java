package dev.yubin.mailserver;

import dev.yubin.auth.AuthFailureThrottle;
import dev.yubin.auth.FailureDelay;
import dev.yubin.auth.UserDatabase;
import dev.yubin.auth.sasl.LoginMechanism;
import dev.yubin.auth.sasl.PlainMechanism;
import dev.yubin.auth.sasl.SaslContext;
import dev.yubin.auth.sasl.SaslMechanisms;
import dev.yubin.core.address.Domain;
import dev.yubin.core.address.MailAddress;
import dev.yubin.core.log.MailLog;
import dev.yubin.core.log.MailLogEvent;
import dev.yubin.core.message.ContentSpool;
import dev.yubin.core.message.MailSink;
import dev.yubin.core.message.MessageContent;
import dev.yubin.core.net.Limits;
import dev.yubin.core.net.ListenerConfig;
import dev.yubin.core.netty.NettyServer;
import dev.yubin.core.netty.ServerTls;
import dev.yubin.core.store.MailStore;
import dev.yubin.core.store.MailboxStore;
import dev.yubin.core.store.Maildrop;
import dev.yubin.core.store.StoreException;
import dev.yubin.core.store.StoredMessage;
import dev.yubin.core.tls.TlsIdentity;
import dev.yubin.core.user.MailUser;
import dev.yubin.core.user.UserDirectory;
import dev.yubin.delivery.local.LocalDeliveryAgent;
import dev.yubin.delivery.local.MissingHeaders;
import dev.yubin.delivery.memory.MemoryStore;
import dev.yubin.delivery.memory.MemoryUsers;
import dev.yubin.imap.fetch.StructureCache;
import dev.yubin.imap.netty.ImapServer;
import dev.yubin.imap.protocol.ImapLimits;
import dev.yubin.imap.server.ImapConfig;
import dev.yubin.imap.server.MailboxLocator;
import dev.yubin.pop3.netty.Pop3Server;
import dev.yubin.pop3.server.MaildropLock;
import dev.yubin.pop3.server.MaildropLocator;
import dev.yubin.pop3.server.Pop3Auth;
import dev.yubin.smtp.netty.SmtpServer;
import dev.yubin.smtp.policy.LocalDomains;
import dev.yubin.smtp.policy.StandardSmtpHandler;
import dev.yubin.smtp.server.SmtpAuth;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * A whole mail server in one object, for an application or a test: SMTP, submission, POP3 and IMAP over one store
 * and one user table, the modules of Yubin assembled as the example server assembles them.
 *
 * <pre>
 * try (MailServer server = MailServer.builder()
 *         .domain("example.test")
 *         .user("abe", "secret")                 // abe@example.test
 *         .smtp(0).submission(0).pop3(0).imap(0) // free ports on 127.0.0.1
 *         .build()
 *         .start()) {
 *     int smtp = server.port(MailServer.Service.SMTP);
 *     // … send mail, then:
 *     List&lt;byte[]&gt; inbox = server.awaitMessages("abe", 1, Duration.ofSeconds(5));
 * }
 * </pre>
 *
 * <table>
 *   <caption>Defaults</caption>
 *   <tr><th>What</th><th>Default</th></tr>
 *   <tr><td>host name, domains</td><td>{@code localhost}; the host name is the only local domain</td></tr>
 *   <tr><td>store, users</td><td>{@link MemoryStore} (every mailbox in memory, {@link #reset()} empties it),
 *       {@link MemoryUsers}</td></tr>
 *   <tr><td>listeners</td><td>none: each {@code smtp(port)}… adds one on 127.0.0.1 (port 0: a free one)</td></tr>
 *   <tr><td>TLS</td><td>STARTTLS with a self-signed certificate for the host name ({@link Builder#tls})</td></tr>
 *   <tr><td>AUTH</td><td>PLAIN and LOGIN, only after TLS unless {@link Builder#plaintextAuth}</td></tr>
 *   <tr><td>relaying</td><td>refused ({@code 554 5.7.1}): mail for other domains is not accepted</td></tr>
 * </table>
 *
 * <p>{@link #start()} returns once every listener is bound; {@link #close()} lets sessions in flight finish for
 * up to ten seconds. Thread-safe after {@link Builder#build()}.
 */
public final class MailServer implements AutoCloseable {
    /**
     * The listeners a server can have; {@code SMTPS}, {@code POP3S} and {@code IMAPS} start with TLS (RFC 8314),
     * {@code SUBMISSION} and {@code SMTPS} require AUTH before MAIL (RFC 6409).
     */
    public enum Service {
        /** SMTP (port 25): mail from other servers and local clients; AUTH offered unless {@code smtpAuth(false)}. */
        SMTP,
        /** Message submission (port 587, RFC 6409): STARTTLS, then AUTH before MAIL. */
        SUBMISSION,
        /** Submission over implicit TLS (port 465, RFC 8314). */
        SMTPS,
        /** POP3 (port 110) with STLS. */
        POP3,
        /** POP3 over implicit TLS (port 995). */
        POP3S,
        /** IMAP (port 143) with STARTTLS. */
        IMAP,
        /** IMAP over implicit TLS (port 993). */
        IMAPS;

        /** The lower-case name, as logs and the example server's {@code *_listen} keys say it. */
        public String key() {
            return name().toLowerCase(Locale.ROOT);
        }

        boolean implicitTls() {
            return this == SMTPS || this == POP3S || this == IMAPS;
        }
    }

    private static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(10);

    private final String hostname;
    private final List<Domain> domains;
    private final UserDirectory users;
    private final UserDatabase accounts;
    private final List<Credentials> credentials;
    private final MailStore store;
    private final Map<Service, ListenerConfig> wanted;
    private final ServerTls tls; // one context for every listener, made at the first handshake
    private final boolean plaintextAuth;
    private final boolean smtpPlaintextAuth;
    private final boolean smtpAuth;
    private final Limits limits;
    private final Domain loginDomain;
    private final String banner;
    private final Path spoolDirectory;
    private final FailureDelay failureDelay;
    private final java.util.function.Consumer<StandardSmtpHandler.Builder> policy;
    private final MailSink sink;
    private final Map<Service, NettyServer> servers = new EnumMap<>(Service.class);
    private final LocalDeliveryAgent local;
    private final EventLog events = new EventLog();
    private EventLoopGroup loops; // one group for every listener, made at start()
    private final MailLog log; // slf4j only, or teed into events
    private Path spool;

    private MailServer(Builder b) {
        this.hostname = b.hostname;
        this.domains = b.domains.isEmpty() ? List.of(Domain.of(b.hostname)) : List.copyOf(b.domains);
        if (b.users != null) {
            this.users = b.users;
            this.accounts = b.accounts;
            this.credentials = List.of();
        } else {
            MemoryUsers table = new MemoryUsers(domains.get(0));
            List<Credentials> made = new ArrayList<>();
            b.logins.forEach((login, password) -> made.add(
                    new Credentials(login, table.add(login, password).name(), password)));
            this.users = table;
            this.accounts = table;
            this.credentials = List.copyOf(made);
        }
        this.store = b.store != null ? b.store : MemoryStore.create();
        this.wanted = new EnumMap<>(b.wanted);
        String name = b.hostname;
        this.tls = b.tls != null ? ServerTls.lazy(b.tls) : ServerTls.lazy(() -> TlsIdentity.selfSigned(name));
        this.plaintextAuth = b.plaintextAuth;
        this.smtpPlaintextAuth = b.smtpPlaintextAuth != null ? b.smtpPlaintextAuth : b.plaintextAuth;
        this.smtpAuth = b.smtpAuth;
        this.limits = b.limits;
        this.loginDomain = b.loginDomain != null ? b.loginDomain : domains.get(0);
        this.banner = b.banner;
        this.spoolDirectory = b.spoolDirectory;
        this.failureDelay = b.failureDelay != null ? b.failureDelay : AuthFailureThrottle.withDefaults();
        this.policy = b.policy;
        this.log = b.keepMaillog ? MailLog.tee(events::add) : MailLog.slf4j();
        LocalDeliveryAgent agent = new LocalDeliveryAgent(users, store, hostname)
                .withMissingHeaders(b.missingHeaders).withMailLog(log);
        this.local = agent;
        this.sink = b.delivery.apply(agent);
    }

    /** A builder on the defaults in the table above. */
    public static Builder builder() {
        return new Builder();
    }

    /** Binds every listener; returns once all are bound. A failure closes the ones already bound. */
    public synchronized MailServer start() throws IOException {
        if (!servers.isEmpty()) {
            throw new IllegalStateException("already started");
        }
        spool = spoolDirectory != null ? Files.createDirectories(spoolDirectory)
                : Files.createTempDirectory("yubin-spool");
        SaslContext sasl = SaslContext.of(accounts, hostname);
        FailureDelay throttle = failureDelay; // one for every protocol: guessing over SMTP slows POP3 too
        LocalDomains localDomains = LocalDomains.of(domains.stream().map(Domain::ascii).toArray(String[]::new));
        StandardSmtpHandler.Builder handlerBuilder = StandardSmtpHandler.builder()
                .localDomains(localDomains)
                .users(users)
                .sink(sink);
        policy.accept(handlerBuilder);
        StandardSmtpHandler handler = handlerBuilder.build();
        SmtpAuth auth = SmtpAuth.builder()
                .mechanisms(new PlainMechanism(), new LoginMechanism())
                .context(sasl)
                .plaintextWithoutTls(smtpPlaintextAuth)
                .failureDelay(throttle)
                .build();
        Pop3Auth pop3Auth = Pop3Auth.builder().mechanisms(new PlainMechanism(), new LoginMechanism())
                .context(sasl).plaintextWithoutTls(plaintextAuth).failureDelay(throttle).build();
        MaildropLock lock = new MaildropLock(); // one IN-USE lock for POP3 and POP3S
        StructureCache structures = StructureCache.defaultSize(); // one for IMAP and IMAPS
        ImapConfig imap = ImapConfig.of(hostname, sasl).withPlaintextWithoutTls(plaintextAuth)
                .withFailureDelay(throttle)
                .withMechanisms(new SaslMechanisms(List.of(new PlainMechanism(), new LoginMechanism())))
                .withLog(log);
        loops = new MultiThreadIoEventLoopGroup(0, new DefaultThreadFactory("mailserver-io"),
                NioIoHandler.newFactory());
        try {
            for (Map.Entry<Service, ListenerConfig> listener : wanted.entrySet()) {
                Service service = listener.getKey();
                ListenerConfig at = listener.getValue();
                boolean implicit = service.implicitTls();
                NettyServer server;
                switch (service) {
                    case SMTP:
                        SmtpServer.Builder smtp = smtp(handler).listen(at);
                        if (smtpAuth) {
                            smtp.auth(auth);
                        }
                        server = smtp.build().start();
                        break;
                    case SUBMISSION:
                    case SMTPS:
                        server = smtp(handler).auth(auth.withRequired(true)).implicitTls(implicit).listen(at)
                                .build().start();
                        break;
                    case POP3:
                    case POP3S:
                        server = Pop3Server.builder().hostname(hostname).limits(limits).tls(tls).store(store)
                                .mailLog(log).eventLoopGroup(loops)
                                .auth(pop3Auth).locator(MaildropLocator.of(users, loginDomain)).lock(lock)
                                .implicitTls(implicit).listen(at).build().start();
                        break;
                    default:
                        server = ImapServer.builder()
                                .config(imap)
                                .limits(limits)
                                .imapLimits(ImapLimits.defaults().withMaxAppendSize(limits.maxMessageSize()))
                                .store(mailboxStore())
                                .locator(MailboxLocator.of(users, loginDomain))
                                .spool(spool, ContentSpool.DEFAULT_MEMORY_THRESHOLD)
                                .structureCache(structures)
                                .tls(tls)
                                .eventLoopGroup(loops)
                                .implicitTls(implicit)
                                .listen(at).build().start();
                        break;
                }
                servers.put(service, server);
            }
        } catch (IOException | RuntimeException e) {
            close(Duration.ZERO);
            throw e;
        }
        return this;
    }

    private SmtpServer.Builder smtp(StandardSmtpHandler handler) {
        SmtpServer.Builder b = SmtpServer.builder().hostname(hostname).limits(limits).spoolDirectory(spool)
                .handler(handler).tls(tls).mailLog(log).eventLoopGroup(loops);
        return banner == null ? b : b.banner(banner);
    }

    private MailboxStore mailboxStore() {
        if (!(store instanceof MailboxStore)) {
            throw new IllegalStateException("IMAP needs a store with folders (a MailboxStore); "
                    + store.getClass().getSimpleName() + " is not one");
        }
        return (MailboxStore) store;
    }

    /** The port of a listener that {@link #start()} bound. */
    public int port(Service service) {
        NettyServer server = servers.get(service);
        if (server == null) {
            throw new IllegalStateException(service + " is not listening (not configured, or not started)");
        }
        return server.port();
    }

    /** Every address a listener of {@code service} is bound to; empty when it has none. */
    public List<InetSocketAddress> addresses(Service service) {
        NettyServer server = servers.get(service);
        return server == null ? List.of() : server.localAddresses();
    }

    /** The listeners that {@link #start()} bound, in {@link Service} order. */
    public java.util.Set<Service> services() {
        return java.util.Collections.unmodifiableSet(servers.keySet());
    }

    /** The local delivery agent behind SMTP and {@link #deliver}. */
    public LocalDeliveryAgent localDeliveryAgent() {
        return local;
    }

    /** The host name the servers greet with, and the domain of addresses given without one. */
    public String hostname() {
        return hostname;
    }

    /** Whether POP3 and IMAP take passwords before TLS ({@link Builder#plaintextAuth}). */
    public boolean plaintextAuth() {
        return plaintextAuth;
    }

    /** Whether SMTP and submission take passwords before TLS ({@link Builder#smtpPlaintextAuth}). */
    public boolean smtpPlaintextAuth() {
        return smtpPlaintextAuth;
    }

    /** The users added with {@link Builder#user}, in that order; empty when the users come from elsewhere. */
    public List<Credentials> credentials() {
        return credentials;
    }

    /**
     * The user added with {@link Builder#user} whose login or address is {@code loginOrAddress} (case-insensitive).
     *
     * @throws IllegalArgumentException when there is none
     */
    public Credentials credentials(String loginOrAddress) {
        for (Credentials c : credentials) {
            if (c.login().equalsIgnoreCase(loginOrAddress) || c.address().equalsIgnoreCase(loginOrAddress)) {
                return c;
            }
        }
        throw new IllegalArgumentException("no user " + loginOrAddress + " was added with user(); the users are "
                + credentials);
    }

    /** The store behind every listener. */
    public MailStore store() {
        return store;
    }

    /**
     * Delivers {@code message} (header and body, LF or CRLF line ends) straight into {@code address}'s INBOX, as
     * the local delivery agent does after SMTP, without a connection.
     *
     * @throws IllegalArgumentException when the address is no user of this server
     */
    public void deliver(String address, String message) throws StoreException {
        MailUser user = user(address);
        byte[] bytes = message.replace("\r\n", "\n").getBytes(StandardCharsets.UTF_8);
        try (MessageContent content = MessageContent.ofBytes(bytes)) {
            store.deliver(user, content);
        }
    }

    /**
     * Empties every mailbox of a {@link MemoryStore} and the {@link #maillog()} (between tests); other stores are
     * refused.
     */
    public void reset() {
        if (!(store instanceof MemoryStore)) {
            throw new IllegalStateException("reset() empties a MemoryStore; this server uses "
                    + store.getClass().getSimpleName());
        }
        ((MemoryStore) store).clear();
        events.clear();
    }

    /**
     * This server's maillog events (its SMTP, POP3 and IMAP sessions and its local deliveries; not other servers'
     * in the same JVM), oldest first: the last 10,000 since {@link #start()}, {@link #reset()} or
     * {@link #clearMaillog()}; always empty with {@code keepMaillog(false)}. The events go to slf4j as well. A
     * session still open at a reset logs its last lines ({@code disconnect from …}) after it, so a test that wants a
     * clean log waits for them before it ends.
     */
    public List<MailLogEvent> maillog() {
        return events.snapshot();
    }

    /** Forgets the events {@link #maillog()} returns. */
    public void clearMaillog() {
        events.clear();
    }

    /**
     * Waits until a maillog event contains {@code text} (as {@link MailLogEvent#toString()} reads, e.g.
     * {@code "status=sent"} or {@code "smtpd: disconnect from"}) and returns the first such; fails with an
     * {@link IllegalStateException} listing the events when {@code timeout} passes. Events arrive a moment after
     * the client sees the reply, so tests wait for them rather than read them at once.
     */
    public MailLogEvent awaitMaillog(String text, Duration timeout) throws InterruptedException {
        return awaitMaillog(event -> event.toString().contains(text), timeout, "containing \"" + text + "\"");
    }

    /** Waits until a maillog event matches {@code wanted}; see {@link #awaitMaillog(String, Duration)}. */
    public MailLogEvent awaitMaillog(java.util.function.Predicate<MailLogEvent> wanted, Duration timeout)
            throws InterruptedException {
        return awaitMaillog(wanted, timeout, "matching");
    }

    private MailLogEvent awaitMaillog(java.util.function.Predicate<MailLogEvent> wanted, Duration timeout,
            String what) throws InterruptedException {
        return events.await(Objects.requireNonNull(wanted, "wanted"), Objects.requireNonNull(timeout, "timeout"),
                what);
    }

    /** The messages in {@code address}'s INBOX now, oldest first, as stored (LF line ends). */
    public List<byte[]> messages(String address) throws StoreException {
        MailUser user = user(address);
        try (Maildrop drop = store.openMaildrop(user)) {
            List<byte[]> out = new ArrayList<>();
            for (StoredMessage m : drop.messages()) {
                try (InputStream in = drop.open(m)) {
                    out.add(in.readAllBytes());
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            return out;
        }
    }

    /**
     * Waits until {@code address}'s INBOX holds at least {@code count} messages and returns them; fails with an
     * {@link AssertionError}-like {@link IllegalStateException} naming what arrived when {@code timeout} passes.
     */
    public List<byte[]> awaitMessages(String address, int count, Duration timeout)
            throws StoreException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            List<byte[]> now = messages(address);
            if (now.size() >= count) {
                return now;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("expected " + count + " messages for " + address + " within "
                        + timeout + ", found " + now.size());
            }
            Thread.sleep(10);
        }
    }

    private MailUser user(String address) {
        MailAddress parsed;
        try {
            parsed = MailAddress.parse(address.contains("@") ? address : address + "@" + domains.get(0).ascii());
        } catch (dev.yubin.core.address.AddressException e) {
            throw new IllegalArgumentException("not an address: " + address, e);
        }
        return users.lookup(parsed).orElseThrow(() -> new IllegalArgumentException("no user " + address));
    }

    /** Stops accepting and lets sessions in flight finish for up to ten seconds. */
    @Override
    public void close() {
        close(SHUTDOWN_GRACE);
    }

    /** Stops accepting and lets sessions in flight finish for up to {@code grace}. */
    public synchronized void close(Duration grace) {
        servers.values().forEach(server -> server.closeGracefully(grace));
        servers.clear();
        if (loops != null) {
            loops.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).awaitUninterruptibly();
            loops = null;
        }
        if (spoolDirectory == null) {
            deleteTree(spool); // only a spool of its own
        }
    }

    private static void deleteTree(Path root) {
        if (root == null || !Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temporary directory left behind
        }
    }

    /** Settings of a {@link MailServer}. Not thread-safe. */
    public static final class Builder {
        private String hostname = "localhost";
        private final List<Domain> domains = new ArrayList<>();
        private final Map<String, String> logins = new LinkedHashMap<>();
        private UserDirectory users;
        private UserDatabase accounts;
        private MailStore store;
        private final Map<Service, ListenerConfig> wanted = new EnumMap<>(Service.class);
        private TlsIdentity tls;
        private boolean plaintextAuth;
        private Boolean smtpPlaintextAuth;
        private boolean smtpAuth = true;
        private Limits limits = Limits.defaults();
        private Domain loginDomain;
        private String banner;
        private Path spoolDirectory;
        private FailureDelay failureDelay;
        private java.util.function.Consumer<StandardSmtpHandler.Builder> policy = b -> { };
        private java.util.function.Predicate<dev.yubin.core.message.Envelope> missingHeaders = MissingHeaders.ALWAYS;
        private java.util.function.Function<LocalDeliveryAgent, MailSink> delivery = agent -> agent;
        private boolean keepMaillog = true;

        private Builder() {
        }

        /** The server's name in greetings and trace headers (Postfix {@code myhostname}); default localhost. */
        public Builder hostname(String value) {
            this.hostname = Objects.requireNonNull(value, "hostname");
            return this;
        }

        /** A domain delivered here (Postfix {@code mydestination}); the first is the default for bare logins. */
        public Builder domain(String value) {
            domains.add(Domain.of(value));
            return this;
        }

        /**
         * A user with a clear-text password, in a {@link MemoryUsers} table: {@code abe} is
         * {@code abe@<first domain>}, {@code kato@example.test} that address; either logs in with the name given
         * or the whole address.
         */
        public Builder user(String address, String password) {
            logins.put(Objects.requireNonNull(address, "address"), Objects.requireNonNull(password, "password"));
            return this;
        }

        /** Users from elsewhere (a passwd file, a database) instead of {@link #user}: who receives, who logs in. */
        public Builder users(UserDirectory directory, UserDatabase logins) {
            this.users = Objects.requireNonNull(directory, "directory");
            this.accounts = Objects.requireNonNull(logins, "logins");
            return this;
        }

        /** The store (Maildir, mbox, your own); default a {@link MemoryStore}. */
        public Builder store(MailStore value) {
            this.store = Objects.requireNonNull(value, "store");
            return this;
        }

        /** An SMTP listener (25) on 127.0.0.1; port 0 takes a free one. */
        public Builder smtp(int port) {
            return listen(Service.SMTP, port);
        }

        /** A submission listener (587, RFC 6409: AUTH before MAIL) on 127.0.0.1. */
        public Builder submission(int port) {
            return listen(Service.SUBMISSION, port);
        }

        /** A POP3 listener (110) on 127.0.0.1. */
        public Builder pop3(int port) {
            return listen(Service.POP3, port);
        }

        /** An IMAP listener (143) on 127.0.0.1. */
        public Builder imap(int port) {
            return listen(Service.IMAP, port);
        }

        private Builder listen(Service service, int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("bad port " + port);
            }
            return listen(service, ListenerConfig.loopback(port));
        }

        /** A listener of {@code service} on the addresses of {@code at} (the example server's {@code *_listen}). */
        public Builder listen(Service service, ListenerConfig at) {
            wanted.put(Objects.requireNonNull(service, "service"), Objects.requireNonNull(at, "at"));
            return this;
        }

        /** Whether SMTP (not submission) offers AUTH (Postfix {@code smtpd_sasl_auth_enable}); default yes. */
        public Builder smtpAuth(boolean value) {
            this.smtpAuth = value;
            return this;
        }

        /** Whether SMTP AUTH may come before TLS, apart from POP3's and IMAP's {@link #plaintextAuth}. */
        public Builder smtpPlaintextAuth(boolean value) {
            this.smtpPlaintextAuth = value;
            return this;
        }

        /** The domain of POP3 and IMAP logins given without one; default the first {@link #domain}. */
        public Builder loginDomain(String value) {
            this.loginDomain = Domain.of(value);
            return this;
        }

        /** The SMTP greeting's text after the host name (Postfix {@code smtpd_banner}). */
        public Builder banner(String value) {
            this.banner = Objects.requireNonNull(value, "banner");
            return this;
        }

        /** Where DATA and large APPENDs spool; default a temporary directory of its own. */
        public Builder spoolDirectory(Path value) {
            this.spoolDirectory = Objects.requireNonNull(value, "spoolDirectory");
            return this;
        }

        /** The delay after failed logins, shared by every protocol; default {@link AuthFailureThrottle}. */
        public Builder failureDelay(FailureDelay value) {
            this.failureDelay = Objects.requireNonNull(value, "failureDelay");
            return this;
        }

        /**
         * SMTP relay control beyond the defaults (local domains, the users): {@code mynetworks}, recipient and
         * sender restrictions, … set on the handler's builder.
         */
        public Builder policy(java.util.function.Consumer<StandardSmtpHandler.Builder> value) {
            this.policy = Objects.requireNonNull(value, "policy");
            return this;
        }

        /** Which messages get a missing Message-Id, Date and From; default all ({@link MissingHeaders#ALWAYS}). */
        public Builder missingHeaders(java.util.function.Predicate<dev.yubin.core.message.Envelope> value) {
            this.missingHeaders = Objects.requireNonNull(value, "missingHeaders");
            return this;
        }

        /**
         * What accepted mail goes to: by default the local delivery agent; a function of it can put a
         * {@code RoutingSink} with a queue for remote recipients in front.
         */
        public Builder delivery(java.util.function.Function<LocalDeliveryAgent, MailSink> value) {
            this.delivery = Objects.requireNonNull(value, "delivery");
            return this;
        }

        /**
         * The certificate for STARTTLS and implicit TLS; default a self-signed one for the host name. Either is
         * turned into a TLS context at the first handshake, so a server whose clients never start TLS never pays for
         * it (in a fresh JVM most of a second).
         */
        public Builder tls(TlsIdentity value) {
            this.tls = Objects.requireNonNull(value, "tls");
            return this;
        }

        /** Whether AUTH and LOGIN may send passwords before TLS (default no: tests that use plain sockets say yes). */
        public Builder plaintextAuth(boolean value) {
            this.plaintextAuth = value;
            return this;
        }

        /**
         * Whether {@link MailServer#maillog()} keeps the events (default yes); a server whose events only go to a log
         * file says no, and logs through slf4j alone.
         */
        public Builder keepMaillog(boolean value) {
            this.keepMaillog = value;
            return this;
        }

        /** Connection, size, line and recipient limits; default {@link Limits#defaults()}. */
        public Builder limits(Limits value) {
            this.limits = Objects.requireNonNull(value, "limits");
            return this;
        }

        /**
         * The server, not started. Checks the settings; a self-signed certificate is made only at the first TLS
         * handshake.
         */
        public MailServer build() {
            return new MailServer(this);
        }
    }
}
