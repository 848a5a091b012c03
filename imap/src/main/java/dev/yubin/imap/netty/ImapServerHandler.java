package dev.yubin.imap.netty;

import dev.yubin.core.log.MailLog;
import dev.yubin.core.net.ConnectionInfo;
import dev.yubin.core.net.IpAddresses;
import dev.yubin.core.net.SerialExecutor;
import dev.yubin.core.netty.ChannelConnections;
import dev.yubin.core.netty.ServerTls;
import dev.yubin.core.netty.WriteStall;
import dev.yubin.core.store.Mailbox;
import dev.yubin.core.store.MailboxStore;
import dev.yubin.imap.fetch.StructureCache;
import dev.yubin.imap.protocol.ImapLimits;
import dev.yubin.imap.protocol.ImapParser;
import dev.yubin.imap.protocol.LiteralSink;
import dev.yubin.imap.protocol.ResponseStream;
import dev.yubin.imap.server.ImapConfig;
import dev.yubin.imap.server.ImapSession;
import dev.yubin.imap.server.MailboxLocator;
import dev.yubin.imap.server.Next;
import dev.yubin.imap.server.Step;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.nio.NioChannelOption;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bridges one channel and one {@link ImapSession}. The event loop only queues the octets it reads; one task at a
 * time on the connection's {@link SerialExecutor} frames them into lines and literals, feeds the {@link ImapParser}
 * and the session, and writes the steps' output, because parsing spools APPEND literals to disk and every command
 * may block on the store or a password check. The rules:
 *
 * <ul>
 *   <li><b>Pipelining</b>: the responses of commands that arrived together go out with one flush.</li>
 *   <li><b>Reads are pulled</b> ({@code AUTO_READ} off): {@code ctx.read()} only while fewer than
 *     {@value #MAX_QUEUED_BYTES} octets wait and the channel is writable, so a 50 MB APPEND flows to its spool
 *     file at the disk's pace and never piles up in the heap.</li>
 *   <li><b>Literals</b>: a synchronizing literal the parser accepts gets {@code + OK} at once; one it refuses
 *     gets the tagged verdict instead and its octets never come; a refused LITERAL+ literal is read and
 *     dropped.</li>
 *   <li><b>Lines too long</b> for the parser's limit are not buffered: the rest is dropped as it comes and the
 *     command is answered {@code BAD}.</li>
 *   <li><b>Streams</b> (FETCH bodies): pulled on the executor a chunk at a time while the channel is writable and
 *     fewer than {@value #MAX_CHUNKS_IN_FLIGHT} chunks are unwritten; later commands wait.</li>
 *   <li><b>Delayed responses</b> (failed logins) are scheduled on the event loop, never slept.</li>
 *   <li><b>STARTTLS</b>: the tagged OK is written and the TLS handler put in front in one event-loop task;
 *     whatever the client sent before that is dropped, never read as commands (RFC 3501 §6.2.1).</li>
 *   <li><b>IDLE</b>: lines go to {@link ImapSession#onIdleLine}; changes of this process to the mailbox and a
 *     timer every {@link ImapConfig#idleCheckInterval()} call {@link ImapSession#onIdleCheck}.</li>
 *   <li><b>Autologout</b>: a client silent for the pre-login idle timeout, or for the autologout time once
 *     logged in (RFC 3501 §5.4: at least 30 minutes), gets {@code * BYE Disconnected for inactivity.}.</li>
 *   <li><b>Failures</b>: logged once at WARN, answered {@code * BYE Internal error occurred.} (unless a literal
 *     is half written), then close.</li>
 * </ul>
 *
 * <p>Thread-safety: Netty callbacks run on the event loop; everything touching the session, the parser and the
 * framing state runs on the serial executor, one task at a time, with {@code busy} marking a drain in progress.
 */
final class ImapServerHandler extends ChannelInboundHandlerAdapter {
    /** Octets read and not yet framed above which reading pauses. */
    static final int MAX_QUEUED_BYTES = 64 * 1024;
    /** Stream chunks written and not yet flushed to the socket above which the stream is not pulled. */
    static final int MAX_CHUNKS_IN_FLIGHT = 4;

    private static final Logger LOG = LoggerFactory.getLogger(ImapServerHandler.class);
    private static final byte[] LITERAL_CONTINUATION = "+ OK\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] INTERNAL_ERROR =
            "* BYE Internal error occurred. Refer to server log for more information.\r\n"
                    .getBytes(StandardCharsets.US_ASCII);
    private static final byte[] BUSY = "* BYE [UNAVAILABLE] Server is busy, try again later.\r\n"
            .getBytes(StandardCharsets.US_ASCII);

    /**
     * Linux's TCP_QUICKACK, or null where the JDK lacks it. Clients that send a literal and its closing CRLF in two
     * writes (Python's imaplib) have the CRLF held by Nagle's algorithm until the literal is acknowledged, and a
     * delayed ACK costs 40 ms per APPEND; while a command waits for more octets, the server acknowledges at once.
     */
    private static final ChannelOption<Boolean> TCP_QUICKACK = quickAckOption();

    private static ChannelOption<Boolean> quickAckOption() {
        try {
            return NioChannelOption.of(jdk.net.ExtendedSocketOptions.TCP_QUICKACK);
        } catch (RuntimeException | LinkageError e) {
            return null;
        }
    }

    /** How the next line is read. */
    private enum Mode { COMMAND, LITERAL, SASL, IDLE }

    private final ImapConfig config;
    private final MailboxStore store;
    private final MailboxLocator locator;
    private final ImapLimits authenticatedLimits;
    private final LiteralSink.Factory sinks;
    private final StructureCache structures;
    private final Duration preLoginTimeout;
    private final Duration autologout;
    private final ServerTls tls;
    private final boolean implicitTls;
    private final SerialExecutor serial;
    private final WriteStall writeStall; // event loop only

    private final Queue<ByteBuf> inbound = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queuedBytes = new AtomicInteger();
    /** A drain owns the session: running, or waiting for a stream, a delayed response or the TLS handshake. */
    private final AtomicBoolean busy = new AtomicBoolean();
    private final AtomicInteger chunksInFlight = new AtomicInteger();
    private final AtomicBoolean awaitingWritable = new AtomicBoolean();
    private final AtomicBoolean failureLogged = new AtomicBoolean();
    private final AtomicBoolean idleCheckQueued = new AtomicBoolean();

    private volatile ChannelHandlerContext ctx;
    private volatile ImapSession session;
    private volatile boolean closing;
    private volatile boolean disconnected;
    private volatile boolean shutdownRequested;
    private volatile boolean loggedIn;
    private volatile boolean tlsStarting;
    private volatile long lastInputNanos = System.nanoTime();

    // event loop only
    private boolean readPending;
    private boolean shutdownStarted;
    private boolean disconnectSubmitted;
    private ScheduledFuture<?> idleTimer;

    // serial executor only
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream(512);
    private ByteBuf cumulation = Unpooled.buffer(1024);
    private ImapParser parser;
    private Mode mode = Mode.COMMAND;
    /** The start of a line over the limit whose rest is being dropped, or null. */
    private byte[] overlongPrefix;
    private boolean sessionEnded;
    private ResponseStream stream;
    private Mailbox.Watch idleWatch;

    ImapServerHandler(ImapConfig config, MailboxStore store, MailboxLocator locator, ImapLimits authenticatedLimits,
            LiteralSink.Factory sinks, StructureCache structures, Duration preLoginTimeout, Duration autologout,
            Executor blockingExecutor, ServerTls tls, boolean implicitTls) {
        this.structures = structures;
        this.config = config;
        this.store = store;
        this.locator = locator;
        this.authenticatedLimits = authenticatedLimits;
        this.sinks = sinks;
        this.preLoginTimeout = preLoginTimeout;
        this.autologout = autologout;
        this.tls = tls;
        this.implicitTls = implicitTls;
        this.serial = new SerialExecutor(blockingExecutor);
        // a client that does not read what is sent is dropped after the autologout time, like a silent one
        this.writeStall = new WriteStall(autologout, () -> {
            LOG.debug("{}: output not read for {}; closing", ctx.channel(), autologout);
            closing = true;
            ctx.close();
        });
        this.parser = new ImapParser(ImapLimits.unauthenticated(), sinks);
    }

    /** Ends the session ({@code * BYE [UNAVAILABLE] Server shutting down.}) at its next idle point; any thread. */
    void requestShutdown() {
        shutdownRequested = true;
        ChannelHandlerContext context = ctx;
        if (context != null) {
            context.executor().execute(this::tryShutdown);
        }
    }

    // ---- event loop -------------------------------------------------------------------------------------------

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        ChannelConnections.whenReady(ctx, implicitTls, connection -> {
            readPending = false; // reads during a TLS handshake were the TLS handler's
            open(connection);
        }, this::handshakeFailed);
        ctx.fireChannelActive();
    }

    private void open(ConnectionInfo connection) {
        ImapSession created = new ImapSession(config, store, locator, connection, structures);
        session = created;
        busy.set(true);
        submit(() -> runStep(created::greet));
        maybeRead();
    }

    private void handshakeFailed(Throwable cause) {
        LOG.debug("TLS handshake with {} failed: {}", ctx.channel(), cause.toString());
        config.log().imapd().info("imap-login: Disconnected: TLS handshaking failed: {}: rip={}", cause.getMessage(),
                IpAddresses.text(ChannelConnections.remote(ctx.channel()).getAddress()));
        closing = true;
        ctx.close();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf) || closing || session == null) {
            ReferenceCountUtil.release(msg);
            return;
        }
        ByteBuf data = (ByteBuf) msg;
        lastInputNanos = System.nanoTime();
        queuedBytes.addAndGet(data.readableBytes());
        inbound.add(data);
        schedule();
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        readPending = false;
        maybeRead();
        ctx.fireChannelReadComplete();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        writeStall.writabilityChanged(ctx);
        if (ctx.channel().isWritable()) {
            resumeStream();
        }
        maybeRead();
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof IdleStateEvent) {
            onIdle();
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }

    private void onIdle() {
        // Only the client's silence counts: while the server works or sends, the client waits.
        ImapSession s = session;
        Duration limit = loggedIn ? autologout : preLoginTimeout;
        if (closing || s == null || System.nanoTime() - lastInputNanos < limit.toNanos() || !inbound.isEmpty()
                || !busy.compareAndSet(false, true)) {
            return;
        }
        closing = true;
        submit(() -> runStep(s::onTimeout));
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        closing = true;
        disconnected = true;
        writeStall.cancel();
        cancelIdleTimer();
        releaseInbound();
        ImapSession s = session;
        if (s != null && !disconnectSubmitted) {
            disconnectSubmitted = true;
            Runnable disconnect = () -> {
                try {
                    endStream();
                    closeIdleWatch(); // the timer was cancelled on the event loop
                    parser.abort();
                    releaseInbound();
                    cumulation.release(); // no drain touches it once disconnected is set
                    s.onDisconnect();
                } catch (RuntimeException e) {
                    LOG.warn("IMAP session of {} failed on disconnect", ctx.channel(), e);
                }
            };
            try {
                serial.execute(disconnect);
            } catch (RejectedExecutionException e) {
                ForkJoinPool.commonPool().execute(disconnect); // nothing of this session is queued: order is kept
            }
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof IOException || cause.getCause() instanceof SSLException) {
            LOG.debug("I/O error on {}: {}", ctx.channel(), cause.toString());
        } else if (failureLogged.compareAndSet(false, true)) {
            LOG.warn("IMAP connection {} failed", ctx.channel(), cause);
        }
        closing = true;
        ctx.close();
    }

    /** Asks for more octets if the session keeps up. */
    private void maybeRead() {
        if (readPending || closing || tlsStarting || !ctx.channel().isActive() || !ctx.channel().isWritable()
                || queuedBytes.get() >= MAX_QUEUED_BYTES) {
            return;
        }
        readPending = true;
        ctx.read();
    }

    private void tryShutdown() {
        ImapSession s = session;
        if (!shutdownRequested || shutdownStarted || closing || s == null || !busy.compareAndSet(false, true)) {
            return; // busy: tried again when the session is idle
        }
        shutdownStarted = true;
        closing = true;
        submit(() -> runStep(s::onShutdown));
    }

    /** Event loop, after the executor went idle. */
    private void afterIdle() {
        maybeRead();
        tryShutdown();
    }

    private void releaseInbound() {
        ByteBuf buf;
        while ((buf = inbound.poll()) != null) {
            queuedBytes.addAndGet(-buf.readableBytes());
            buf.release();
        }
    }

    // ---- hand-off -----------------------------------------------------------------------------------------------

    /** Starts a drain of the queued octets unless a task already owns the session. Any thread. */
    private void schedule() {
        if (busy.compareAndSet(false, true)) {
            submit(this::drain);
        }
    }

    private void submit(Runnable task) {
        try {
            serial.execute(() -> {
                try {
                    task.run();
                } catch (Throwable t) {
                    failed(t);
                }
            });
        } catch (RejectedExecutionException e) {
            LOG.warn("blocking executor saturated; refusing {}", ctx.channel());
            closing = true;
            ctx.writeAndFlush(Unpooled.wrappedBuffer(BUSY)).addListener(ChannelFutureListener.CLOSE);
        }
    }

    // ---- serial executor ----------------------------------------------------------------------------------------

    private void runStep(Supplier<Step> call) {
        if (sessionEnded || disconnected) {
            return;
        }
        if (apply(call.get())) {
            drain();
        }
    }

    /** Frames and handles the queued octets until more are needed or a step takes over (stream, TLS, close). */
    private void drain() {
        while (!sessionEnded && !disconnected) {
            ByteBuf buf;
            while ((buf = inbound.poll()) != null) {
                queuedBytes.addAndGet(-buf.readableBytes());
                cumulation.writeBytes(buf);
                buf.release();
            }
            if (!handleInput()) {
                return; // the step's continuation goes on
            }
            if (inbound.isEmpty()) {
                break;
            }
        }
        flush();
        if (sessionEnded || disconnected) {
            return;
        }
        cumulation.discardReadBytes();
        busy.set(false);
        if (!inbound.isEmpty()) {
            schedule(); // octets arrived after the last poll
        }
        ctx.executor().execute(this::afterIdle);
    }

    /** Handles what {@link #cumulation} holds; false if a step took over. */
    private boolean handleInput() {
        while (!sessionEnded) {
            if (mode == Mode.LITERAL) {
                int n = (int) Math.min(cumulation.readableBytes(), parser.literalRemaining());
                if (n == 0) {
                    return true;
                }
                parser.feedLiteral(cumulation.array(), cumulation.arrayOffset() + cumulation.readerIndex(), n);
                cumulation.skipBytes(n);
                if (parser.literalRemaining() == 0) {
                    mode = Mode.COMMAND; // the rest of the command follows as a line
                }
                quickAck();
                continue;
            }
            int start = cumulation.readerIndex();
            int lf = cumulation.indexOf(start, cumulation.writerIndex(), (byte) '\n');
            int maxLine = parser.limits().maxLineLength();
            if (lf < 0) {
                if (overlongPrefix != null) {
                    cumulation.skipBytes(cumulation.readableBytes());
                } else if (cumulation.readableBytes() > maxLine + 1) {
                    overlongPrefix = overlong(start, maxLine);
                    cumulation.skipBytes(cumulation.readableBytes());
                }
                return true;
            }
            byte[] line;
            if (overlongPrefix != null) {
                line = overlongPrefix;
                overlongPrefix = null;
            } else {
                int end = lf > start && cumulation.getByte(lf - 1) == '\r' ? lf - 1 : lf;
                line = end - start > maxLine ? overlong(start, maxLine) : bytes(start, end - start);
            }
            cumulation.readerIndex(lf + 1);
            if (!handleLine(line)) {
                return false;
            }
        }
        return false;
    }

    /** Acknowledges the next segments at once (see {@link #TCP_QUICKACK}); the kernel clears it by itself. */
    private void quickAck() {
        if (TCP_QUICKACK != null) {
            try {
                ctx.channel().config().setOption(TCP_QUICKACK, true);
            } catch (RuntimeException e) {
                // not supported here: only the latency suffers
            }
        }
    }

    /**
     * The first octets of a line over the limit, one more than allowed so that the parser answers it {@code BAD},
     * ending in {@code x} so that it cannot be taken for a literal announcement.
     */
    private byte[] overlong(int start, int maxLine) {
        byte[] prefix = bytes(start, maxLine + 1);
        prefix[prefix.length - 1] = 'x';
        return prefix;
    }

    private byte[] bytes(int start, int length) {
        byte[] out = new byte[length];
        cumulation.getBytes(start, out);
        return out;
    }

    /** One line in the current mode; false if a step took over. */
    private boolean handleLine(byte[] line) {
        ImapSession s = session;
        switch (mode) {
            case SASL:
                mode = Mode.COMMAND;
                return apply(s.onSaslResponse(new String(line, StandardCharsets.UTF_8)));
            case IDLE:
                return apply(s.onIdleLine(new String(line, StandardCharsets.UTF_8)));
            default:
                ImapParser.Result result = parser.feedLine(line, 0, line.length);
                if (result instanceof ImapParser.NeedLiteral) {
                    ImapParser.NeedLiteral need = (ImapParser.NeedLiteral) result;
                    if (need.synchronizing() && !need.discarded()) {
                        pending.writeBytes(LITERAL_CONTINUATION);
                        flush(); // the client waits for it
                    }
                    mode = parser.literalRemaining() > 0 ? Mode.LITERAL : Mode.COMMAND;
                    quickAck();
                    return true;
                }
                ImapParser.Complete complete = (ImapParser.Complete) result;
                return apply(s.onCommand(complete.tag(), complete.command()));
        }
    }

    /** After LOGIN or AUTHENTICATE: the larger limits (APPEND becomes possible) and the autologout time. */
    private void login() {
        loggedIn = true;
        parser = new ImapParser(authenticatedLimits, sinks);
    }

    /** Queues the step's output; returns true if the next input may be handled at once. */
    private boolean apply(Step step) {
        pending.writeBytes(step.output());
        if (!step.replyDelay().isZero()) {
            ByteBuf held = take();
            ctx.executor().schedule(() -> {
                if (held != null) {
                    ctx.writeAndFlush(held, ctx.voidPromise());
                }
                submit(() -> {
                    if (!sessionEnded && !disconnected && proceed(step)) {
                        drain();
                    }
                });
            }, step.replyDelay().toNanos(), TimeUnit.NANOSECONDS);
            return false;
        }
        return proceed(step);
    }

    private boolean proceed(Step step) {
        if (!loggedIn && session.state() != ImapSession.State.NOT_AUTHENTICATED
                && session.state() != ImapSession.State.LOGOUT) {
            login(); // LOGIN or AUTHENTICATE succeeded; the parser is between commands
        }
        if (session.acceptsUtf8()) {
            parser.enableUtf8(); // ENABLE UTF8=ACCEPT: from the next command on
        }
        switch (step.next()) {
            case CLOSE:
                step.stream().ifPresent(ResponseStream::close);
                endSession();
                return false;
            case START_TLS:
                startTls();
                return false;
            case SASL_RESPONSE:
                mode = Mode.SASL;
                break;
            case IDLE:
                if (mode != Mode.IDLE) {
                    mode = Mode.IDLE;
                    startIdle();
                }
                break;
            default:
                if (mode == Mode.IDLE) {
                    stopIdle();
                }
                mode = Mode.COMMAND;
        }
        if (step.stream().isPresent()) {
            ByteBuf head = take(); // written with the stream's first chunk, in one flush
            if (head != null) {
                ctx.write(head, ctx.voidPromise());
            }
            stream = step.stream().get();
            pump();
            return false;
        }
        return true;
    }

    /** Pulls, writes and flushes chunks while the channel takes them; at the end, goes on with the input. */
    private void pump() {
        ResponseStream s = stream;
        if (s == null || sessionEnded || disconnected) {
            return;
        }
        try {
            for (int written = 0; written < MAX_CHUNKS_IN_FLIGHT; written++) {
                if (!canWrite()) {
                    awaitingWritable.set(true);
                    if (canWrite() && awaitingWritable.compareAndSet(true, false)) {
                        continue; // writability came back before the flag was seen
                    }
                    ctx.flush();
                    return; // resumeStream() submits the next pump
                }
                byte[] chunk = s.next();
                if (chunk == null) {
                    endStream();
                    ctx.flush();
                    drain();
                    return;
                }
                chunksInFlight.incrementAndGet();
                ctx.write(Unpooled.wrappedBuffer(chunk)).addListener(done -> {
                    chunksInFlight.decrementAndGet();
                    resumeStream();
                });
            }
            ctx.flush();
            submit(this::pump); // yield the thread to other sessions between bursts
        } catch (IOException e) {
            config.log().imapd().warn("imap: Error: reading a message failed during FETCH on {}: {}", ctx.channel(),
                    e.getMessage());
            endStream();
            sessionEnded = true; // a half-sent literal cannot be followed by a response: the client sees a drop
            closing = true;
            ctx.executor().execute(ctx::close);
        }
    }

    private void endStream() {
        if (stream != null) {
            stream.close();
            stream = null;
        }
    }

    private boolean canWrite() {
        return ctx.channel().isWritable() && chunksInFlight.get() < MAX_CHUNKS_IN_FLIGHT;
    }

    /** Any thread: a chunk was written or writability returned; goes on with a stream that waits for it. */
    private void resumeStream() {
        if (canWrite() && awaitingWritable.compareAndSet(true, false)) {
            submit(this::pump);
        }
    }

    // ---- IDLE ---------------------------------------------------------------------------------------------------

    private void startIdle() {
        flush(); // "+ idling" goes out now
        Optional<Mailbox.Watch> watch = session.watchSelected(this::queueIdleCheck);
        idleWatch = watch.orElse(null);
        long every = config.idleCheckInterval().toNanos();
        ctx.executor().execute(() -> {
            if (!closing && idleTimer == null) {
                idleTimer = ctx.executor().scheduleAtFixedRate(this::queueIdleCheck, every, every,
                        TimeUnit.NANOSECONDS);
            }
        });
    }

    private void stopIdle() {
        closeIdleWatch();
        if (!ctx.executor().isShuttingDown()) {
            try {
                ctx.executor().execute(this::cancelIdleTimer);
            } catch (RejectedExecutionException e) {
                // the event loop stopped, and its timers with it
            }
        }
    }

    private void closeIdleWatch() {
        if (idleWatch != null) {
            idleWatch.close();
            idleWatch = null;
        }
    }

    private void cancelIdleTimer() {
        if (idleTimer != null) {
            idleTimer.cancel(false);
            idleTimer = null;
        }
    }

    /** Any thread: the mailbox changed or the timer fired; one check at a time is queued. */
    private void queueIdleCheck() {
        if (closing || !idleCheckQueued.compareAndSet(false, true)) {
            return;
        }
        submit(() -> {
            idleCheckQueued.set(false);
            if (mode != Mode.IDLE || sessionEnded || disconnected) {
                return;
            }
            Step step = session.onIdleCheck();
            pending.writeBytes(step.output());
            if (step.next() == Next.CLOSE) {
                endSession();
                return;
            }
            flush();
        });
    }

    // ---- STARTTLS -------------------------------------------------------------------------------------------------

    /** Writes the tagged OK and puts TLS in front in one event-loop task, then resumes after the handshake. */
    private void startTls() {
        if (tls == null) {
            failed(new IllegalStateException("the session started TLS, but this server has no TLS context"));
            return;
        }
        tlsStarting = true;
        ByteBuf ok = take();
        cumulation.clear(); // plaintext pipelined behind STARTTLS is never read as commands
        overlongPrefix = null;
        ctx.executor().execute(() -> {
            if (closing) {
                if (ok != null) {
                    ok.release();
                }
                return;
            }
            releaseInbound(); // read before the OK went out: plaintext too
            if (ok != null) {
                ctx.writeAndFlush(ok, ctx.voidPromise());
            }
            SslHandler handler = tls.newHandler(ctx.alloc());
            ctx.pipeline().addFirst("tls", handler);
            handler.handshakeFuture().addListener(done -> {
                if (!done.isSuccess()) {
                    handshakeFailed(done.cause());
                    return;
                }
                SSLSession ssl = handler.engine().getSession();
                ImapSession s = session;
                submit(() -> {
                    s.onTlsEstablished(ssl.getProtocol(), ssl.getCipherSuite());
                    drain();
                });
                tlsStarting = false;
                readPending = false; // reads during the handshake were the TLS handler's
                maybeRead();
            });
            ctx.read(); // the ClientHello
        });
    }

    // ---- output -------------------------------------------------------------------------------------------------

    private ByteBuf take() {
        if (pending.size() == 0) {
            return null;
        }
        ByteBuf out = Unpooled.wrappedBuffer(pending.toByteArray());
        pending.reset();
        return out;
    }

    private void flush() {
        ByteBuf out = take();
        if (out != null) {
            ctx.writeAndFlush(out, ctx.voidPromise());
        }
    }

    private void endSession() {
        sessionEnded = true;
        closing = true;
        stopIdle();
        parser.abort();
        ByteBuf out = take();
        if (out == null) {
            out = Unpooled.EMPTY_BUFFER; // still behind what was written before, e.g. a delayed response
        }
        // The last response may never be read: close after a while at the latest.
        ctx.writeAndFlush(out).addListener(ChannelFutureListener.CLOSE);
        ctx.executor().schedule(() -> {
            ctx.close();
        }, Math.min(autologout.toMillis(), 30_000), TimeUnit.MILLISECONDS);
    }

    private void failed(Throwable t) {
        if (failureLogged.compareAndSet(false, true)) {
            LOG.warn("IMAP session on {} failed", ctx.channel(), t);
        }
        if (sessionEnded) {
            return;
        }
        if (stream != null) {
            endStream();
            pending.reset(); // inside a response: nothing can follow
        } else {
            pending.writeBytes(INTERNAL_ERROR);
        }
        endSession();
    }

    @Override
    public String toString() {
        return "ImapServerHandler" + Arrays.asList(ctx == null ? "-" : ctx.channel(), mode);
    }
}
