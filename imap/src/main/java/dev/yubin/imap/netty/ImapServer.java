package dev.yubin.imap.netty;

import dev.yubin.core.log.MailLog;
import dev.yubin.core.net.BlockingPool;
import dev.yubin.core.net.IpAddresses;
import dev.yubin.core.net.Limits;
import dev.yubin.core.net.ListenerConfig;
import dev.yubin.core.netty.ConnectionLimitHandler;
import dev.yubin.core.netty.NettyServer;
import dev.yubin.core.netty.ServerTls;
import dev.yubin.core.store.MailboxStore;
import dev.yubin.core.tls.TlsIdentity;
import dev.yubin.imap.fetch.StructureCache;
import dev.yubin.imap.protocol.ImapLimits;
import dev.yubin.imap.protocol.LiteralSink;
import dev.yubin.imap.server.ImapConfig;
import dev.yubin.imap.server.MailboxLocator;
import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.timeout.IdleStateHandler;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * An IMAP4rev1 server (RFC 3501 with LITERAL+, SASL-IR, IDLE, UIDPLUS, MOVE, SPECIAL-USE, STARTTLS, and IMAPS on
 * 993): Netty I/O around one {@link dev.yubin.imap.server.ImapSession} per connection over the core
 * {@link MailboxStore} SPI, with the connection limits and graceful shutdown of {@link NettyServer}.
 *
 * <pre>{@code
 * try (ImapServer server = ImapServer.builder()
 *         .config(ImapConfig.of("mail.example1.jp", SaslContext.of(userDb, "mail.example1.jp")))
 *         .listen(ListenerConfig.loopback(143))
 *         .tls(identity)                                   // offers STARTTLS
 *         .store(maildirStore)
 *         .locator(MailboxLocator.of(userDb, Domain.of("example1.jp")))
 *         .build()
 *         .start()) {
 *     int port = server.port();
 * }
 * }</pre>
 *
 * <table>
 *   <caption>Behaviour at the limits</caption>
 *   <tr><th>event</th><th>response</th></tr>
 *   <tr><td>over {@code maxConnections} or {@code maxConnectionsPerClient}</td>
 *     <td>{@code * BYE [UNAVAILABLE] Too many connections from <ip>.}, then close</td></tr>
 *   <tr><td>a line or literal over the {@link ImapLimits} (smaller before login)</td>
 *     <td>tagged {@code BAD} naming the limit, or {@code NO [TOOBIG]} for an APPEND</td></tr>
 *   <tr><td>client silent for the {@link Limits#idleTimeout()} before login, or for {@code autologout} (default 30
 *     minutes, RFC 3501 §5.4) after</td><td>{@code * BYE Disconnected for inactivity.}</td></tr>
 *   <tr><td>{@link #closeGracefully}</td><td>{@code * BYE [UNAVAILABLE] Server shutting down.} at the session's
 *     next idle point (a FETCH being sent is finished first); nothing is expunged</td></tr>
 *   <tr><td>blocking executor saturated</td><td>{@code * BYE [UNAVAILABLE] Server is busy, try again
 *     later.}</td></tr>
 * </table>
 *
 * <p>Thread-safe.
 */
public final class ImapServer extends NettyServer {
    /** RFC 3501 §5.4: an autologout timer of at least 30 minutes. */
    public static final Duration DEFAULT_AUTOLOGOUT = Duration.ofMinutes(30);

    private final ImapConfig config;
    private final Limits limits;
    private final ImapLimits imapLimits;
    private final Duration autologout;
    private final MailboxStore store;
    private final MailboxLocator locator;
    private final LiteralSink.Factory sinks;
    private final StructureCache structures;
    private final Executor executor;
    private final ExecutorService ownedExecutor;
    private final ServerTls tls;
    private final boolean implicitTls;

    private ImapServer(Builder builder, ImapConfig config, boolean implicitTls, Executor executor,
            ExecutorService ownedExecutor) {
        super("imapd", builder.listen, builder.limits, builder.eventLoopGroup);
        this.config = config;
        this.limits = builder.limits;
        this.imapLimits = builder.imapLimits;
        this.autologout = builder.autologout;
        this.store = builder.store;
        this.locator = builder.locator;
        this.sinks = LiteralSink.spooling(builder.spoolDirectory, builder.spoolMemoryThreshold);
        this.structures = builder.structures != null ? builder.structures : StructureCache.defaultSize();
        this.executor = executor;
        this.ownedExecutor = ownedExecutor;
        this.tls = builder.tls;
        this.implicitTls = implicitTls;
    }

    /** A builder; {@code config}, {@code listen}, {@code store} and {@code locator} are required. */
    public static Builder builder() {
        return new Builder();
    }

    /** Binds every listener address and returns once all are bound; throws if one cannot be bound. */
    @Override
    public synchronized ImapServer start() throws IOException {
        super.start();
        return this;
    }

    /** The settings every session gets (STARTTLS offered when the server has a certificate and is not IMAPS). */
    public ImapConfig config() {
        return config;
    }

    @Override
    protected void initChannel(SocketChannel channel) {
        if (implicitTls) {
            channel.pipeline().addLast("tls", tls.newHandler(channel.alloc()));
        }
        long check = Math.min(limits.idleTimeout().toMillis(), autologout.toMillis());
        channel.pipeline()
                .addLast("idle", new IdleStateHandler(check, 0, 0, TimeUnit.MILLISECONDS))
                .addLast("session", new ImapServerHandler(config, store, locator, imapLimits, sinks, structures,
                        limits.idleTimeout(), autologout, executor, implicitTls ? null : tls, implicitTls));
    }

    @Override
    protected void refuse(SocketChannel channel, ConnectionLimitHandler.Admission reason) {
        String ip = IpAddresses.text(channel.remoteAddress().getAddress());
        config.log().imapd().warn("imap-login: Maximum number of connections {}exceeded: rip={}",
                reason == ConnectionLimitHandler.Admission.TOO_MANY_CONNECTIONS ? "" : "from this IP ", ip);
        replyAndClose(channel, "* BYE [UNAVAILABLE] Too many connections from " + ip + ".\r\n");
    }

    @Override
    protected void onShutdown(Channel channel) {
        ImapServerHandler session = channel.pipeline().get(ImapServerHandler.class);
        if (session != null) {
            session.requestShutdown();
        }
    }

    /**
     * Stops accepting, tells waiting sessions {@code * BYE [UNAVAILABLE] Server shutting down.}, lets responses
     * being sent finish for up to {@code timeout}, closes the rest, and stops the executor if this server made it.
     */
    @Override
    public void closeGracefully(Duration timeout) {
        super.closeGracefully(timeout);
        if (ownedExecutor != null) {
            BlockingPool.shutdown(ownedExecutor, Duration.ofSeconds(5));
        }
    }

    /** Builds an {@link ImapServer}. Not thread-safe. */
    public static final class Builder {
        private ImapConfig config;
        private ListenerConfig listen;
        private Limits limits = Limits.defaults();
        private ImapLimits imapLimits = ImapLimits.defaults();
        private Duration autologout = DEFAULT_AUTOLOGOUT;
        private MailboxStore store;
        private MailboxLocator locator;
        private Path spoolDirectory = Path.of(System.getProperty("java.io.tmpdir"));
        private int spoolMemoryThreshold = 64 * 1024;
        private Executor executor;
        private EventLoopGroup eventLoopGroup;
        private ServerTls tls;
        private boolean implicitTls;
        private StructureCache structures;

        private Builder() {
        }

        /**
         * The session settings (host name, user database, plaintext rule, failure delay, SASL mechanisms);
         * required. Its {@code startTlsOffered} is set by the server: true when it has {@link #tls} and is not
         * IMAPS.
         */
        public Builder config(ImapConfig value) {
            this.config = Objects.requireNonNull(value, "config");
            return this;
        }

        /** Where to listen ({@code imap_listen}); required. Its {@code implicitTls} flag works as {@link #implicitTls}. */
        public Builder listen(ListenerConfig value) {
            this.listen = Objects.requireNonNull(value, "listen");
            return this;
        }

        /**
         * Connections per server and per client, and the idle timeout before login; default {@link Limits#defaults()}
         * (the line and message limits of IMAP are {@link #imapLimits}).
         */
        public Builder limits(Limits value) {
            this.limits = Objects.requireNonNull(value, "limits");
            return this;
        }

        /** The bounds on one command once logged in; default {@link ImapLimits#defaults()}. */
        public Builder imapLimits(ImapLimits value) {
            this.imapLimits = Objects.requireNonNull(value, "imapLimits");
            return this;
        }

        /** How long a logged-in client may be silent, IDLE included; default 30 minutes (RFC 3501 §5.4). */
        public Builder autologout(Duration value) {
            Objects.requireNonNull(value, "autologout");
            if (value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException("autologout must be positive, got " + value);
            }
            this.autologout = value;
            return this;
        }

        /** Where mailboxes are; required. */
        public Builder store(MailboxStore value) {
            this.store = Objects.requireNonNull(value, "store");
            return this;
        }

        /** From a login to its mailboxes; required. {@link MailboxLocator#of} covers a {@code UserDirectory}. */
        public Builder locator(MailboxLocator value) {
            this.locator = Objects.requireNonNull(value, "locator");
            return this;
        }

        /**
         * Where APPEND messages over {@code memoryThreshold} octets are spooled while they arrive; default the
         * system temporary directory and 64 KiB. Put it on the mail store's file system to save a copy.
         */
        public Builder spool(Path directory, int memoryThreshold) {
            this.spoolDirectory = Objects.requireNonNull(directory, "directory");
            if (memoryThreshold < 0) {
                throw new IllegalArgumentException("memoryThreshold must not be negative, got " + memoryThreshold);
            }
            this.spoolMemoryThreshold = memoryThreshold;
            return this;
        }

        /**
         * The executor for session steps, which block (store, password checks, spooling); default a
         * {@link BlockingPool#create(String)} named {@code imapd}, stopped with the server. A caller's executor is
         * not stopped.
         */
        public Builder executor(Executor value) {
            this.executor = Objects.requireNonNull(value, "executor");
            return this;
        }

        /**
         * Where parsed ENVELOPE/BODYSTRUCTURE and searched headers are kept; default a cache of this server's own
         * ({@link StructureCache#defaultSize()}). Pass one cache to the IMAP and IMAPS servers over one store.
         */
        public Builder structureCache(StructureCache value) {
            this.structures = Objects.requireNonNull(value, "structureCache");
            return this;
        }

        /** The event loops for connections; default a group of the server's own, stopped with it. */
        public Builder eventLoopGroup(EventLoopGroup value) {
            this.eventLoopGroup = Objects.requireNonNull(value, "eventLoopGroup");
            return this;
        }

        /** The certificate and key for STARTTLS (RFC 3501 §6.2.1), which CAPABILITY then offers; default none. */
        public Builder tls(TlsIdentity value) {
            this.tls = ServerTls.eager(Objects.requireNonNull(value, "tls"));
            return this;
        }

        /**
         * TLS from a {@link ServerTls}, which several servers may share (one context for one certificate); a
         * {@link ServerTls#lazy} one is built at the first handshake.
         */
        public Builder tls(ServerTls value) {
            this.tls = Objects.requireNonNull(value, "tls");
            return this;
        }

        /** TLS from the first byte (IMAPS, port 993, RFC 8314); needs {@link #tls}. STARTTLS is then not offered. */
        public Builder implicitTls(boolean value) {
            this.implicitTls = value;
            return this;
        }

        /** Checks the settings and builds the server, not yet started. */
        public ImapServer build() {
            if (config == null) {
                throw new IllegalStateException("ImapServer: config is required");
            }
            if (listen == null) {
                throw new IllegalStateException("ImapServer: listen is required");
            }
            if (store == null) {
                throw new IllegalStateException("ImapServer: store is required");
            }
            if (locator == null) {
                throw new IllegalStateException("ImapServer: locator is required");
            }
            boolean implicit = implicitTls || listen.implicitTls();
            if (implicit && tls == null) {
                throw new IllegalStateException("ImapServer: implicitTls needs a tls identity");
            }
            ImapConfig effective = config.withStartTlsOffered(tls != null && !implicit);
            ExecutorService owned = executor == null ? BlockingPool.create("imapd") : null;
            return new ImapServer(this, effective, implicit, executor == null ? owned : executor, owned);
        }
    }
}
