package dev.yubin.pop3.netty;

import dev.yubin.core.log.MailLog;
import dev.yubin.core.net.BlockingPool;
import dev.yubin.core.net.IpAddresses;
import dev.yubin.core.net.Limits;
import dev.yubin.core.net.ListenerConfig;
import dev.yubin.core.netty.ConnectionLimitHandler;
import dev.yubin.core.netty.NettyServer;
import dev.yubin.core.netty.ServerTls;
import dev.yubin.core.store.MailStore;
import dev.yubin.core.tls.TlsIdentity;
import dev.yubin.pop3.protocol.Pop3ResponseCode;
import dev.yubin.pop3.protocol.Pop3Reply;
import dev.yubin.pop3.server.MaildropLocator;
import dev.yubin.pop3.server.MaildropLock;
import dev.yubin.pop3.server.Pop3Auth;
import dev.yubin.pop3.server.Pop3Config;
import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.timeout.IdleStateHandler;
import java.io.IOException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A POP3 server (RFC 1939 with CAPA, RESP-CODES, PIPELINING, UIDL, TOP, USER, SASL, STLS, and POP3S on 995): Netty
 * I/O around one {@link dev.yubin.pop3.server.Pop3Session} per connection, reading mailboxes through the core
 * {@link MailStore} SPI, with the connection limits, idle timeout and graceful shutdown of {@link NettyServer}.
 *
 * <pre>{@code
 * try (Pop3Server server = Pop3Server.builder()
 *         .hostname("pop.example1.jp")
 *         .listen(ListenerConfig.loopback(110))
 *         .auth(Pop3Auth.builder().context(SaslContext.of(userDb, "pop.example1.jp"))
 *                 .mechanisms(new PlainMechanism(), new LoginMechanism()).build())
 *         .store(maildirStore)
 *         .locator(MaildropLocator.of(userDb, Domain.of("example1.jp")))
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
 *     <td>{@code -ERR [SYS/TEMP] Too many connections from <ip>.}, then close</td></tr>
 *   <tr><td>line over {@code maxCommandLineLength} (default 512; RFC 2449 asks 255)</td>
 *     <td>{@code -ERR Input line too long.}</td></tr>
 *   <tr><td>client silent for {@code idleTimeout}</td><td>{@code -ERR Disconnected for inactivity.}</td></tr>
 *   <tr><td>{@link #closeGracefully}</td><td>{@code -ERR [SYS/TEMP] Server shutting down.} at the session's next
 *     idle point (a message being sent is finished first); nothing is deleted</td></tr>
 *   <tr><td>blocking executor saturated</td><td>{@code -ERR [SYS/TEMP] Service temporarily unavailable.}</td></tr>
 * </table>
 *
 * <p>Thread-safe.
 */
public final class Pop3Server extends NettyServer {
    private final Pop3Config config;
    private final MailStore store;
    private final MaildropLocator locator;
    private final MaildropLock lock;
    private final Executor executor;
    private final ExecutorService ownedExecutor;
    private final ServerTls tls;
    private final boolean implicitTls;

    private Pop3Server(Builder builder, Pop3Config config, boolean implicitTls, Executor executor,
            ExecutorService ownedExecutor) {
        super("pop3d", builder.listen, config.limits(), builder.eventLoopGroup);
        this.config = config;
        this.store = builder.store;
        this.locator = builder.locator;
        this.lock = builder.lock;
        this.executor = executor;
        this.ownedExecutor = ownedExecutor;
        this.tls = builder.tls;
        this.implicitTls = implicitTls;
    }

    /** A builder; {@code hostname}, {@code listen}, {@code auth}, {@code store} and {@code locator} are required. */
    public static Builder builder() {
        return new Builder();
    }

    /** Binds every listener address and returns once all are bound; throws if one cannot be bound. */
    @Override
    public synchronized Pop3Server start() throws IOException {
        super.start();
        return this;
    }

    /** The settings every session gets. */
    public Pop3Config config() {
        return config;
    }

    /** The maildrop lock of this server's sessions. */
    public MaildropLock lock() {
        return lock;
    }

    @Override
    protected void initChannel(SocketChannel channel) {
        Limits limits = config.limits();
        Pop3CommandDecoder decoder = new Pop3CommandDecoder(limits.maxCommandLineLength());
        if (implicitTls) {
            channel.pipeline().addLast("tls", tls.newHandler(channel.alloc()));
        }
        channel.pipeline()
                .addLast("idle", new IdleStateHandler(limits.idleTimeout().toMillis(), 0, 0, TimeUnit.MILLISECONDS))
                .addLast("decoder", decoder)
                .addLast("session", new Pop3ServerHandler(config, store, locator, lock, executor, decoder,
                        implicitTls ? null : tls, implicitTls));
    }

    @Override
    protected void refuse(SocketChannel channel, ConnectionLimitHandler.Admission reason) {
        String ip = IpAddresses.text(channel.remoteAddress().getAddress());
        config.log().pop3d().warn("pop3-login: Maximum number of connections {}exceeded: rip={}",
                reason == ConnectionLimitHandler.Admission.TOO_MANY_CONNECTIONS ? "" : "from this IP ", ip);
        Pop3Reply reply = Pop3Reply.err(Pop3ResponseCode.SYS_TEMP, "Too many connections from " + ip + ".");
        replyAndClose(channel, reply.toWire());
    }

    @Override
    protected void onShutdown(Channel channel) {
        Pop3ServerHandler session = channel.pipeline().get(Pop3ServerHandler.class);
        if (session != null) {
            session.requestShutdown();
        }
    }

    /**
     * Stops accepting, tells waiting sessions {@code -ERR [SYS/TEMP] Server shutting down.} (nothing is deleted), lets
     * messages being sent finish for up to {@code timeout}, closes the rest, and stops the executor if this server
     * made it.
     */
    @Override
    public void closeGracefully(Duration timeout) {
        super.closeGracefully(timeout);
        if (ownedExecutor != null) {
            BlockingPool.shutdown(ownedExecutor, Duration.ofSeconds(5));
        }
    }

    /** Builds a {@link Pop3Server}. Not thread-safe. */
    public static final class Builder {
        private String hostname;
        private ListenerConfig listen;
        private Limits limits = Limits.defaults();
        private String banner = Pop3Config.DEFAULT_BANNER;
        private MailLog mailLog = MailLog.slf4j();
        private Pop3Auth auth;
        private MailStore store;
        private MaildropLocator locator;
        private MaildropLock lock = new MaildropLock();
        private Executor executor;
        private EventLoopGroup eventLoopGroup;
        private ServerTls tls;
        private boolean implicitTls;

        private Builder() {
        }

        /** The server's name, in the APOP timestamp (Postfix {@code myhostname}); required. */
        public Builder hostname(String value) {
            this.hostname = Objects.requireNonNull(value, "hostname");
            return this;
        }

        /** Where to listen ({@code pop3_listen}); required. Its {@code implicitTls} flag works as {@link #implicitTls}. */
        public Builder listen(ListenerConfig value) {
            this.listen = Objects.requireNonNull(value, "listen");
            return this;
        }

        /** Line length, errors, connections and idle timeout; default {@link Limits#defaults()}. */
        public Builder limits(Limits value) {
            this.limits = Objects.requireNonNull(value, "limits");
            return this;
        }

        /** The greeting text after {@code +OK}; default {@code Yubin ready.}. */
        public Builder banner(String value) {
            this.banner = Objects.requireNonNull(value, "banner");
            return this;
        }

        /** Where the sessions' maillog events go; default {@link MailLog#slf4j()}. */
        public Builder mailLog(MailLog value) {
            this.mailLog = Objects.requireNonNull(value, "mailLog");
            return this;
        }

        /** How clients log in (USER/PASS, APOP, SASL); required. */
        public Builder auth(Pop3Auth value) {
            this.auth = Objects.requireNonNull(value, "auth");
            return this;
        }

        /** Where mailboxes are read ({@link MailStore#openMaildrop}); required. */
        public Builder store(MailStore value) {
            this.store = Objects.requireNonNull(value, "store");
            return this;
        }

        /** From a login to its mailbox; required. {@link MaildropLocator#of} covers a {@code UserDirectory}. */
        public Builder locator(MaildropLocator value) {
            this.locator = Objects.requireNonNull(value, "locator");
            return this;
        }

        /**
         * The maildrop lock; default one of this server's own. Pass the same lock to the POP3 and POP3S servers
         * over one store, so that a user cannot open the maildrop through both at once.
         */
        public Builder lock(MaildropLock value) {
            this.lock = Objects.requireNonNull(value, "lock");
            return this;
        }

        /**
         * The executor for session steps and store reads, which block; default a {@link BlockingPool#create(String)}
         * named {@code pop3d}, stopped with the server. A caller's executor is not stopped.
         */
        public Builder executor(Executor value) {
            this.executor = Objects.requireNonNull(value, "executor");
            return this;
        }

        /** The event loops for connections; default a group of the server's own, stopped with it. */
        public Builder eventLoopGroup(EventLoopGroup value) {
            this.eventLoopGroup = Objects.requireNonNull(value, "eventLoopGroup");
            return this;
        }

        /** The certificate and key for STLS (RFC 2595), which CAPA then offers; default none. */
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

        /** TLS from the first byte (POP3S, port 995, RFC 8314); needs {@link #tls}. STLS is then not offered. */
        public Builder implicitTls(boolean value) {
            this.implicitTls = value;
            return this;
        }

        /** Checks the settings and builds the server, not yet started. */
        public Pop3Server build() {
            if (hostname == null) {
                throw new IllegalStateException("Pop3Server: hostname is required");
            }
            if (listen == null) {
                throw new IllegalStateException("Pop3Server: listen is required");
            }
            if (auth == null) {
                throw new IllegalStateException("Pop3Server: auth is required");
            }
            if (store == null) {
                throw new IllegalStateException("Pop3Server: store is required");
            }
            if (locator == null) {
                throw new IllegalStateException("Pop3Server: locator is required");
            }
            boolean implicit = implicitTls || listen.implicitTls();
            if (implicit && tls == null) {
                throw new IllegalStateException("Pop3Server: implicitTls needs a tls identity");
            }
            Pop3Config config;
            try {
                config = new Pop3Config(hostname, banner, limits, auth, tls != null && !implicit, mailLog);
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException("Pop3Server: " + e.getMessage(), e);
            }
            ExecutorService owned = executor == null ? BlockingPool.create("pop3d") : null;
            return new Pop3Server(this, config, implicit, executor == null ? owned : executor, owned);
        }
    }
}
