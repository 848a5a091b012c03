package dev.yubin.smtp.netty;

import dev.yubin.core.log.MailLog;
import dev.yubin.core.message.DotStuffingEncoder;
import dev.yubin.core.netty.TlsContexts;
import dev.yubin.smtp.client.ClientSettings;
import dev.yubin.smtp.client.OutboundMessage;
import dev.yubin.smtp.client.RecipientResult;
import dev.yubin.smtp.client.ReplyReader;
import dev.yubin.smtp.client.SessionResult;
import dev.yubin.smtp.client.SmtpClientSession;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.LineBasedFrameDecoder;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers a message to one SMTP server over Netty: the I/O shell around {@link SmtpClientSession}. The content is
 * read on a blocking executor, chunk by chunk, each chunk written only after the previous one left (never the whole
 * message in memory). If a TLS handshake fails under {@link ClientSettings.TlsLevel#MAY}, the host is tried once
 * more without TLS, as Postfix does.
 *
 * <table>
 *   <caption>Timeouts (Postfix's defaults)</caption>
 *   <tr><th>What</th><th>Builder</th><th>Default</th></tr>
 *   <tr><td>connecting</td><td>{@link Builder#connectTimeout}</td><td>30 s ({@code smtp_connect_timeout})</td></tr>
 *   <tr><td>each reply, and the TLS handshake</td><td>{@link Builder#replyTimeout}</td><td>300 s
 *       ({@code smtp_helo_timeout}, {@code smtp_rcpt_timeout}…)</td></tr>
 *   <tr><td>the reply to the end of data</td><td>{@link Builder#dataDoneTimeout}</td><td>600 s
 *       ({@code smtp_data_done_timeout})</td></tr>
 * </table>
 *
 * <p>Thread-safe: deliveries run concurrently. The returned stages complete on an event loop thread; do no
 * blocking work in their callbacks.
 */
public final class SmtpClient implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SmtpClient.class);
    private static final int CHUNK = 64 * 1024;

    private final ClientSettings settings;
    private final EventLoopGroup group;
    private final boolean ownsGroup;
    private final Executor executor;
    private final ExecutorService ownedExecutor;
    private final SslContext tls;
    private final Duration connectTimeout;
    private final Duration replyTimeout;
    private final Duration dataDoneTimeout;
    private final int maxLineLength;
    private final MailLog log;

    private SmtpClient(Builder b) {
        this.settings = Objects.requireNonNull(b.settings, "settings");
        this.ownsGroup = b.group == null;
        this.group = ownsGroup ? new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory()) : b.group;
        this.ownedExecutor = b.executor == null ? Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "smtp-client-io");
            t.setDaemon(true);
            return t;
        }) : null;
        this.executor = b.executor == null ? ownedExecutor : b.executor;
        this.tls = b.tls == null ? TlsContexts.unauthenticatedClient() : b.tls;
        this.log = b.log;
        this.connectTimeout = b.connectTimeout;
        this.replyTimeout = b.replyTimeout;
        this.dataDoneTimeout = b.dataDoneTimeout;
        this.maxLineLength = b.maxLineLength;
    }

    /** A builder with the defaults above; {@link Builder#settings} is required. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Delivers {@code message} to the server at {@code address}, named {@code hostName} (for logs and TLS SNI).
     * Never completes exceptionally: a refused connection defers every recipient with {@code tryNextHost}.
     */
    public CompletionStage<SessionResult> deliver(InetSocketAddress address, String hostName,
            OutboundMessage message) {
        String peer = hostName + "[" + address.getAddress().getHostAddress() + "]:" + address.getPort();
        return attempt(address, hostName, peer, message, settings).thenCompose(first -> {
            if (first.tlsFailed() && settings.tls() == ClientSettings.TlsLevel.MAY) {
                LOG.info("TLS with {} failed; trying again without TLS", peer);
                return attempt(address, hostName, peer, message, settings.withTls(ClientSettings.TlsLevel.NONE))
                        .thenApply(Attempt::result);
            }
            return CompletableFuture.completedFuture(first.result());
        });
    }

    private record Attempt(SessionResult result, boolean tlsFailed) {
    }

    private CompletionStage<Attempt> attempt(InetSocketAddress address, String hostName, String peer,
            OutboundMessage message, ClientSettings using) {
        CompletableFuture<Attempt> done = new CompletableFuture<>();
        SmtpClientSession session = new SmtpClientSession(using, message, peer);
        Conversation conversation = new Conversation(session, message, hostName, peer, address.getPort(), done);
        Bootstrap bootstrap = new Bootstrap().group(group).channel(NioSocketChannel.class)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE,
                        connectTimeout.toMillis()))
                .option(ChannelOption.TCP_NODELAY, true)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast("lines", new LineBasedFrameDecoder(maxLineLength, true, true));
                        ch.pipeline().addLast("smtp", conversation);
                    }
                });
        bootstrap.connect(address).addListener((ChannelFuture f) -> {
            if (!f.isSuccess()) {
                done.complete(new Attempt(refused(message, peer, f.cause()), false));
            }
        });
        return done;
    }

    /** Every recipient deferred after a failed connection, the next host to be tried (4.4.1, as Postfix). */
    private static SessionResult refused(OutboundMessage message, String peer, Throwable cause) {
        String why = cause instanceof ConnectException && cause.getMessage() != null
                && cause.getMessage().contains("refused") ? "Connection refused"
                : cause instanceof io.netty.channel.ConnectTimeoutException ? "Connection timed out"
                : String.valueOf(cause.getMessage());
        List<RecipientResult> results = new ArrayList<>();
        for (var r : message.recipients()) {
            results.add(new RecipientResult(r, RecipientResult.Outcome.DEFERRED, "4.4.1",
                    "connect to " + peer + ": " + why));
        }
        return new SessionResult(results, true, false);
    }

    @Override
    public void close() {
        if (ownsGroup) {
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        }
        if (ownedExecutor != null) {
            ownedExecutor.shutdownNow();
        }
    }

    /** One connection's events, on its event loop. */
    private final class Conversation extends SimpleChannelInboundHandler<ByteBuf> {
        private final SmtpClientSession session;
        private final OutboundMessage message;
        private final String hostName;
        private final String peer;
        private final int port;
        private final CompletableFuture<Attempt> done;
        private final ReplyReader replies = new ReplyReader();
        private ScheduledFuture<?> timer;
        /** Between the 220 to STARTTLS and the end of the handshake: plaintext still buffered is dropped. */
        private boolean discarding;
        private boolean tlsFailed;

        Conversation(SmtpClientSession session, OutboundMessage message, String hostName, String peer, int port,
                CompletableFuture<Attempt> done) {
            this.session = session;
            this.message = message;
            this.hostName = hostName;
            this.peer = peer;
            this.port = port;
            this.done = done;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            arm(ctx, replyTimeout);
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, ByteBuf frame) {
            if (discarding || done.isDone()) {
                return; // RFC 3207 §4: nothing the server sent before TLS may count after it
            }
            String line = frame.toString(StandardCharsets.UTF_8);
            SmtpClientSession.Step step;
            try {
                var reply = replies.line(line);
                if (reply.isEmpty()) {
                    return;
                }
                disarm();
                step = session.onReply(reply.get());
            } catch (ReplyReader.MalformedReply e) {
                disarm();
                step = session.onMalformedReply(e.getMessage());
            }
            perform(ctx, step);
        }

        private void perform(ChannelHandlerContext ctx, SmtpClientSession.Step step) {
            for (String command : step.commands()) {
                ctx.write(ctx.alloc().buffer(command.length() + 2).writeBytes(
                        (command + "\r\n").getBytes(StandardCharsets.UTF_8)));
            }
            ctx.flush();
            switch (step.next()) {
                case READ:
                    arm(ctx, replyTimeout);
                    break;
                case START_TLS:
                    startTls(ctx);
                    break;
                case SEND_CONTENT:
                    sendContent(ctx);
                    break;
                case CLOSE:
                default:
                    finish(ctx, session.result());
                    break;
            }
        }

        private void startTls(ChannelHandlerContext ctx) {
            discarding = true;
            SslHandler ssl = tls.newHandler(ctx.alloc(), hostName, port);
            ssl.setHandshakeTimeoutMillis(replyTimeout.toMillis());
            ctx.pipeline().replace("lines", "lines", new LineBasedFrameDecoder(maxLineLength, true, true));
            ctx.pipeline().addFirst("tls", ssl);
            ssl.handshakeFuture().addListener(f -> {
                if (f.isSuccess()) {
                    discarding = false;
                    javax.net.ssl.SSLSession tlsSession = ssl.engine().getSession();
                    // the certificate is not checked: "Untrusted", as Postfix's smtp says at level may or encrypt
                    log.smtp().info("Untrusted TLS connection established to {}: {} with cipher {}", peer,
                            tlsSession.getProtocol(), tlsSession.getCipherSuite());
                    perform(ctx, session.onTlsEstablished());
                } else {
                    LOG.debug("TLS handshake with {}:{} failed", hostName, port, f.cause());
                    tlsFailed = true;
                    finish(ctx, session.onConnectionLost());
                }
            });
        }

        /** Streams the content: read a chunk on the executor, encode, write; the next chunk once it is written. */
        private void sendContent(ChannelHandlerContext ctx) {
            InputStream in;
            try {
                in = message.content().openStream();
            } catch (IOException e) {
                LOG.warn("cannot read the message for {}: {}", hostName, e.toString());
                finish(ctx, session.onConnectionLost());
                return;
            }
            DotStuffingEncoder encoder = DotStuffingEncoder.whole();
            sendChunk(ctx, in, encoder, new byte[CHUNK]);
        }

        private void sendChunk(ChannelHandlerContext ctx, InputStream in, DotStuffingEncoder encoder, byte[] raw) {
            executor.execute(() -> {
                int n;
                try {
                    n = in.readNBytes(raw, 0, raw.length);
                } catch (IOException e) {
                    closeQuietly(in);
                    ctx.executor().execute(() -> {
                        LOG.warn("cannot read the message for {}: {}", hostName, e.toString());
                        finish(ctx, session.onConnectionLost());
                    });
                    return;
                }
                ctx.executor().execute(() -> {
                    if (done.isDone()) {
                        closeQuietly(in);
                        return;
                    }
                    ByteBuf out = ctx.alloc().heapBuffer(DotStuffingEncoder.maxEncodedLength(n)
                            + DotStuffingEncoder.MAX_TRAILER);
                    int base = out.arrayOffset() + out.writerIndex();
                    int length = encoder.encode(raw, 0, n, out.array(), base);
                    boolean last = n < raw.length;
                    if (last) {
                        length += encoder.finish(out.array(), base + length);
                        closeQuietly(in);
                    }
                    out.writerIndex(out.writerIndex() + length);
                    ctx.writeAndFlush(out).addListener(f -> {
                        if (!f.isSuccess()) {
                            closeQuietly(in);
                            return; // channelInactive reports it
                        }
                        if (last) {
                            arm(ctx, dataDoneTimeout);
                        } else {
                            sendChunk(ctx, in, encoder, raw);
                        }
                    });
                });
            });
        }

        private void arm(ChannelHandlerContext ctx, Duration timeout) {
            disarm();
            timer = ctx.executor().schedule(() -> {
                if (!done.isDone()) {
                    finish(ctx, session.onTimeout());
                }
            }, timeout.toMillis(), TimeUnit.MILLISECONDS);
        }

        private void disarm() {
            if (timer != null) {
                timer.cancel(false);
                timer = null;
            }
        }

        private void finish(ChannelHandlerContext ctx, SessionResult result) {
            disarm();
            done.complete(new Attempt(result, tlsFailed));
            ctx.close();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            disarm();
            if (!done.isDone()) {
                done.complete(new Attempt(session.onConnectionLost(), tlsFailed));
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            if (cause instanceof TooLongFrameException) {
                disarm();
                perform(ctx, session.onMalformedReply("reply line longer than " + maxLineLength + " octets"));
                return;
            }
            LOG.debug("SMTP client connection to {}:{} failed", hostName, port, cause);
            if (!done.isDone()) {
                finish(ctx, session.onConnectionLost());
            }
        }
    }

    private static void closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (IOException ignored) {
            // nothing to do
        }
    }

    /** Settings of an {@link SmtpClient}. Not thread-safe. */
    public static final class Builder {
        private ClientSettings settings;
        private EventLoopGroup group;
        private Executor executor;
        private SslContext tls;
        private Duration connectTimeout = Duration.ofSeconds(30);
        private Duration replyTimeout = Duration.ofSeconds(300);
        private Duration dataDoneTimeout = Duration.ofSeconds(600);
        private int maxLineLength = 4096;
        private MailLog log = MailLog.slf4j();

        private Builder() {
        }

        /** Where the {@code smtp} lines go (TLS established); default {@link MailLog#slf4j()}. */
        public Builder mailLog(MailLog value) {
            this.log = Objects.requireNonNull(value, "mailLog");
            return this;
        }

        /** EHLO name, TLS level, AUTH credentials (required). */
        public Builder settings(ClientSettings value) {
            this.settings = Objects.requireNonNull(value, "settings");
            return this;
        }

        /** The event loops to run on (not closed by {@link #close()}); default: one of its own. */
        public Builder eventLoopGroup(EventLoopGroup value) {
            this.group = value;
            return this;
        }

        /** Where message content is read (blocking); default: a pool of its own. */
        public Builder executor(Executor value) {
            this.executor = value;
            return this;
        }

        /** The TLS client context; default {@link TlsContexts#unauthenticatedClient()}. */
        public Builder tls(SslContext value) {
            this.tls = value;
            return this;
        }

        /** How long to wait for the TCP connection (default 30 s); must be positive. */
        public Builder connectTimeout(Duration value) {
            this.connectTimeout = positive(value);
            return this;
        }

        /** How long to wait for each reply and for the TLS handshake (default 300 s); must be positive. */
        public Builder replyTimeout(Duration value) {
            this.replyTimeout = positive(value);
            return this;
        }

        /** How long to wait for the reply to the end of data (default 600 s); must be positive. */
        public Builder dataDoneTimeout(Duration value) {
            this.dataDoneTimeout = positive(value);
            return this;
        }

        /** The longest reply line accepted (default 4096; RFC 5321 §4.5.3.1.5 says 512). */
        public Builder maxLineLength(int value) {
            if (value < 512) {
                throw new IllegalArgumentException("maxLineLength below 512: " + value);
            }
            this.maxLineLength = value;
            return this;
        }

        /**
         * The client; it owns (and {@link SmtpClient#close()} shuts down) the event loops and executor it made itself.
         *
         * @throws NullPointerException if no {@link #settings} were given
         */
        public SmtpClient build() {
            return new SmtpClient(this);
        }

        private static Duration positive(Duration d) {
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("not positive: " + d);
            }
            return d;
        }
    }
}
