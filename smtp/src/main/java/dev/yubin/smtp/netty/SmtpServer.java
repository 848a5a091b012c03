package dev.yubin.smtp.netty;

import dev.yubin.core.log.MailLog;
import dev.yubin.core.net.BlockingPool;
import dev.yubin.core.net.IpAddresses;
import dev.yubin.core.net.Limits;
import dev.yubin.core.net.ListenerConfig;
import dev.yubin.core.netty.ConnectionLimitHandler;
import dev.yubin.core.netty.NettyServer;
import dev.yubin.core.netty.ServerTls;
import dev.yubin.core.tls.TlsIdentity;
import dev.yubin.smtp.protocol.EnhancedStatus;
import dev.yubin.smtp.protocol.SmtpReply;
import dev.yubin.smtp.server.SmtpAuth;
import dev.yubin.smtp.server.SmtpHandler;
import dev.yubin.smtp.server.SmtpServerConfig;
import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.timeout.IdleStateHandler;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * An ESMTP server: Netty I/O around one {@link dev.yubin.smtp.server.SmtpSession} per connection, with the
 * connection limits, idle timeout and graceful shutdown of {@link NettyServer}.
 *
 * <pre>{@code
 * try (SmtpServer server = SmtpServer.builder()
 *         .hostname("mx.example1.jp")
 *         .listen(ListenerConfig.loopback(0))
 *         .handler(handler)
 *         .build()
 *         .start()) {
 *     int port = server.port();
 * }
 * }</pre>
 *
 * <table>
 *   <caption>Behaviour at the limits</caption>
 *   <tr><th>event</th><th>reply</th></tr>
 *   <tr><td>over {@code maxConnections} or {@code maxConnectionsPerClient}</td>
 *     <td>{@code 421 4.7.0 <hostname> Error: too many connections from <ip>}, then close</td></tr>
 *   <tr><td>client silent for {@code idleTimeout}</td>
 *     <td>{@code 421 4.4.2 <hostname> Error: timeout exceeded}</td></tr>
 *   <tr><td>{@link #closeGracefully}</td><td>a waiting session gets {@code 421 4.3.2 <hostname> Service shutting
 *     down}; a message being received is finished first</td></tr>
 *   <tr><td>blocking executor saturated</td><td>{@code 421 4.3.2 <hostname> Service temporarily
 *     unavailable}</td></tr>
 * </table>
 *
 * <p>Thread-safe.
 */
public final class SmtpServer extends NettyServer {
    private final SmtpServerConfig config;
    private final SmtpHandler handler;
    private final Executor executor;
    private final ExecutorService ownedExecutor;
    private final ServerTls tls;
    private final boolean implicitTls;

    private SmtpServer(Builder builder, SmtpServerConfig config, Executor executor, ExecutorService ownedExecutor) {
        super("smtpd", builder.listen, config.limits(), builder.eventLoopGroup);
        this.config = config;
        this.handler = builder.handler;
        this.executor = executor;
        this.ownedExecutor = ownedExecutor;
        this.tls = builder.tls;
        this.implicitTls = builder.implicitTls;
    }

    /** A builder; {@code hostname}, {@code listen} and {@code handler} are required. */
    public static Builder builder() {
        return new Builder();
    }

    /** Binds every listener address and returns once all are bound; throws if one cannot be bound. */
    @Override
    public synchronized SmtpServer start() throws IOException {
        super.start();
        return this;
    }

    /** The settings every session gets. */
    public SmtpServerConfig config() {
        return config;
    }

    @Override
    protected void initChannel(SocketChannel channel) {
        Limits limits = config.limits();
        SmtpCommandDecoder decoder =
                new SmtpCommandDecoder(limits.maxCommandLineLength(), limits.maxTextLineLength());
        if (implicitTls) {
            channel.pipeline().addLast("tls", tls.newHandler(channel.alloc()));
        }
        channel.pipeline()
                .addLast("idle", new IdleStateHandler(limits.idleTimeout().toMillis(), 0, 0, TimeUnit.MILLISECONDS))
                .addLast("decoder", decoder)
                .addLast("session", new SmtpServerHandler(config, handler, executor, decoder, tls, implicitTls));
    }

    @Override
    protected void refuse(SocketChannel channel, ConnectionLimitHandler.Admission reason) {
        String ip = IpAddresses.text(channel.remoteAddress().getAddress());
        config.log().smtpd().warn("Connection concurrency limit exceeded: {}from unknown[{}] for service smtp",
                reason == ConnectionLimitHandler.Admission.TOO_MANY_CONNECTIONS ? "all clients, " : "", ip);
        SmtpReply reply = SmtpReply.of(421, EnhancedStatus.SECURITY_TEMPORARY,
                config.hostname() + " Error: too many connections from " + ip);
        replyAndClose(channel, reply.toWire());
    }

    @Override
    protected void onShutdown(Channel channel) {
        SmtpServerHandler session = channel.pipeline().get(SmtpServerHandler.class);
        if (session != null) {
            session.requestShutdown();
        }
    }

    /**
     * Stops accepting, lets sessions finish (a waiting session is told {@code 421}; a message being received is
     * completed first) for up to {@code timeout}, closes the rest, and stops the executor if this server made it.
     */
    @Override
    public void closeGracefully(Duration timeout) {
        super.closeGracefully(timeout);
        if (ownedExecutor != null) {
            BlockingPool.shutdown(ownedExecutor, Duration.ofSeconds(5));
        }
    }

    /** Builds an {@link SmtpServer}. Not thread-safe. */
    public static final class Builder {
        private String hostname;
        private ListenerConfig listen;
        private Limits limits = Limits.defaults();
        private SmtpHandler handler;
        private Path spoolDirectory = Path.of(System.getProperty("java.io.tmpdir"));
        private String banner = SmtpServerConfig.DEFAULT_BANNER;
        private MailLog mailLog = MailLog.slf4j();
        private Executor executor;
        private EventLoopGroup eventLoopGroup;
        private ServerTls tls;
        private boolean implicitTls;
        private SmtpAuth auth;

        private Builder() {
        }

        /** The server's name in the greeting and replies (Postfix {@code myhostname}); required. */
        public Builder hostname(String value) {
            this.hostname = Objects.requireNonNull(value, "hostname");
            return this;
        }

        /** Where to listen (Postfix {@code inet_interfaces} with a port); required. */
        public Builder listen(ListenerConfig value) {
            this.listen = Objects.requireNonNull(value, "listen");
            return this;
        }

        /** Line, size, recipient, connection and time limits; default {@link Limits#defaults()}. */
        public Builder limits(Limits value) {
            this.limits = Objects.requireNonNull(value, "limits");
            return this;
        }

        /** The policy and delivery SPI; required. */
        public Builder handler(SmtpHandler value) {
            this.handler = Objects.requireNonNull(value, "handler");
            return this;
        }

        /** Where message content above 64 KiB is spooled; default {@code java.io.tmpdir}. */
        public Builder spoolDirectory(Path value) {
            this.spoolDirectory = Objects.requireNonNull(value, "spoolDirectory");
            return this;
        }

        /** The greeting text after the hostname; default {@code ESMTP Yubin}. */
        public Builder banner(String value) {
            this.banner = Objects.requireNonNull(value, "banner");
            return this;
        }

        /** Where the sessions' maillog events go; default {@link MailLog#slf4j()}. */
        public Builder mailLog(MailLog value) {
            this.mailLog = Objects.requireNonNull(value, "mailLog");
            return this;
        }

        /**
         * The executor for session steps and handler calls, which may block; default a
         * {@link BlockingPool#create(String)} named {@code smtpd}, stopped with the server. A caller's executor is
         * not stopped.
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

        /**
         * The certificate and key for STARTTLS (RFC 3207), which EHLO then offers; default none (STARTTLS answers
         * {@code 502}). {@link TlsIdentity#selfSigned(String)} serves development.
         */
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

        /**
         * TLS from the first byte, before the greeting (the submissions service on port 465, RFC 8314); needs
         * {@link #tls}. STARTTLS is then not offered. Default false.
         */
        public Builder implicitTls(boolean value) {
            this.implicitTls = value;
            return this;
        }

        /** SMTP AUTH (RFC 4954) offered in EHLO; default none (AUTH answers {@code 503 5.5.1}). */
        public Builder auth(SmtpAuth value) {
            this.auth = Objects.requireNonNull(value, "auth");
            return this;
        }

        /** Checks the settings and builds the server, not yet started. */
        public SmtpServer build() {
            if (hostname == null) {
                throw new IllegalStateException("SmtpServer: hostname is required");
            }
            if (listen == null) {
                throw new IllegalStateException("SmtpServer: listen is required");
            }
            if (handler == null) {
                throw new IllegalStateException("SmtpServer: handler is required");
            }
            if (implicitTls && tls == null) {
                throw new IllegalStateException("SmtpServer: implicitTls needs a tls identity");
            }
            SmtpServerConfig config;
            try {
                config = new SmtpServerConfig(hostname, limits, spoolDirectory, banner,
                        tls != null && !implicitTls, Optional.ofNullable(auth), mailLog);
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException("SmtpServer: " + e.getMessage(), e);
            }
            ExecutorService owned = executor == null ? BlockingPool.create("smtpd") : null;
            return new SmtpServer(this, config, executor == null ? owned : executor, owned);
        }
    }
}
