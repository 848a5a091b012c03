package dev.yubin.smtp.netty;

import dev.yubin.core.log.MailLog;
import dev.yubin.core.net.ConnectionInfo;
import dev.yubin.core.net.IpAddresses;
import dev.yubin.core.net.SerialExecutor;
import dev.yubin.core.netty.ChannelConnections;
import dev.yubin.core.netty.ServerTls;
import dev.yubin.core.netty.WriteStall;
import dev.yubin.smtp.protocol.EnhancedStatus;
import dev.yubin.smtp.protocol.SmtpReplies;
import dev.yubin.smtp.protocol.SmtpReply;
import dev.yubin.smtp.server.SmtpHandler;
import dev.yubin.smtp.server.SmtpServerConfig;
import dev.yubin.smtp.server.SmtpSession;
import dev.yubin.smtp.server.Step;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bridges one channel and one {@link SmtpSession}: every {@link SmtpFrame} from {@link SmtpCommandDecoder} becomes
 * one session call, run in order on the connection's {@link SerialExecutor} over the shared blocking executor;
 * each {@link Step}'s reply is written and its {@code Next} obeyed. Command lines the session handles without
 * blocking ({@link SmtpSession#handlesWithoutBlocking}, with a handler whose envelope checks are in memory) run
 * on the event loop instead while the executor is idle, which saves two thread hand-offs per command; message
 * content and its delivery always go to the executor.
 *
 * <ul>
 *   <li><b>Replies</b> of pipelined commands are gathered and written as one buffer with one flush when the
 *     session's queue drains, so a pipelined group costs one write, not one per reply.</li>
 *   <li><b>Back-pressure</b>: reads are pulled ({@code AUTO_READ} off). {@code ctx.read()} is called while fewer
 *     than {@value #MAX_QUEUED_FRAMES} frames and {@value #MAX_QUEUED_BYTES} content bytes wait for the session,
 *     and never while the decoder waits at a barrier for the session's answer.</li>
 *   <li><b>Mode switches</b>: after a barrier line (DATA, BDAT…) the decoder is told on the event loop what to read
 *     next, after the reply was written.</li>
 *   <li><b>Failures</b>: an exception is logged once at WARN and answered {@code 421 4.3.0}, then the connection is
 *     closed; a saturated executor is answered {@code 421 4.3.2 Service temporarily unavailable}.</li>
 *   <li><b>Idle timeout</b>: a reader-idle {@link IdleStateEvent} while the session waits for the client gives
 *     {@link SmtpSession#onTimeout()}; it is ignored while the server itself is busy.</li>
 *   <li><b>Shutdown</b>: {@link #requestShutdown()} ends the session with {@link SmtpSession#onShutdown()} as
 *     soon as it waits for a command; a message being received is finished first.</li>
 * </ul>
 *
 * <p>Thread-safety: Netty callbacks run on the event loop; session calls run on the serial executor; the state
 * they share is in atomics and volatiles. {@link #requestShutdown()} may be called from any thread.
 */
final class SmtpServerHandler extends ChannelInboundHandlerAdapter {
    /** Frames queued for the session above which reading pauses. */
    static final int MAX_QUEUED_FRAMES = 32;
    /** Content bytes queued for the session above which reading pauses. */
    static final long MAX_QUEUED_BYTES = 1 << 20;

    private static final Logger LOG = LoggerFactory.getLogger(SmtpServerHandler.class);

    private final SmtpServerConfig config;
    private final SmtpHandler handler;
    private final SmtpCommandDecoder decoder;
    private final ServerTls tls;
    private final boolean implicitTls;
    private final SerialExecutor serial;
    private final WriteStall writeStall; // event loop only
    private final AtomicInteger queuedFrames = new AtomicInteger();
    private final AtomicLong queuedBytes = new AtomicLong();
    private final AtomicBoolean throttled = new AtomicBoolean();
    private final AtomicBoolean failureLogged = new AtomicBoolean();

    private volatile ChannelHandlerContext ctx;
    private volatile SmtpSession session;
    /** No more frames go to the session: it is closing or closed. */
    private volatile boolean closing;
    private volatile boolean disconnected;
    private volatile boolean shutdownRequested;

    /** Replies are held back until a scheduled release (set by the session's thread, cleared on the event loop). */
    private volatile boolean holding;

    // event loop only
    private final ArrayDeque<HeldWrite> held = new ArrayDeque<>();
    private boolean readPending;
    private boolean shutdownStarted;
    private boolean disconnectSubmitted;

    // serial executor, or the event loop while the executor is idle (runInline)
    private final StringBuilder pendingReplies = new StringBuilder(256);
    private boolean sessionEnded;
    private boolean inline;

    SmtpServerHandler(SmtpServerConfig config, SmtpHandler handler, Executor blockingExecutor,
            SmtpCommandDecoder decoder) {
        this(config, handler, blockingExecutor, decoder, null, false);
    }

    /**
     * @param tls the context for STARTTLS, or null when it is not offered
     * @param implicitTls whether an SslHandler before this handler encrypts from the first byte: the session starts
     *     once its handshake is done
     */
    SmtpServerHandler(SmtpServerConfig config, SmtpHandler handler, Executor blockingExecutor,
            SmtpCommandDecoder decoder, ServerTls tls, boolean implicitTls) {
        this.tls = tls;
        this.implicitTls = implicitTls;
        this.config = config;
        this.handler = handler;
        this.decoder = decoder;
        this.serial = new SerialExecutor(blockingExecutor);
        // a client that does not read its replies is dropped after the idle timeout, like one that sends nothing
        this.writeStall = new WriteStall(config.limits().idleTimeout(), () -> {
            LOG.debug("{}: replies not read for {}; closing", ctx.channel(), config.limits().idleTimeout());
            stopReading();
            ctx.close();
        });
    }

    /** Ends the session politely (421) at its next idle point; any thread. */
    void requestShutdown() {
        shutdownRequested = true;
        ChannelHandlerContext context = ctx;
        if (context != null) {
            context.executor().execute(this::tryShutdown);
        }
    }

    // ---- event loop -----------------------------------------------------------------------------------------

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        ChannelConnections.whenReady(ctx, implicitTls, connection -> {
            readPending = false; // reads during a TLS handshake were the TLS handler's
            open(connection);
            if (implicitTls) {
                config.log().smtpd().info("Anonymous TLS connection established from {}: {}", connection.clientLabel(),
                        connection.tlsProtocol().orElseThrow());
            }
        }, this::handshakeFailed);
        ctx.fireChannelActive();
    }

    private void open(ConnectionInfo connection) {
        SmtpSession created = new SmtpSession(config, handler, connection);
        session = created;
        submitStep(created::greet, false);
        maybeRead();
    }

    private void handshakeFailed(Throwable cause) {
        LOG.debug("TLS handshake with {} failed: {}", ctx.channel(), cause.toString());
        config.log().smtpd().info("SSL_accept error from unknown[{}]: {}",
                IpAddresses.text(ChannelConnections.remote(ctx.channel()).getAddress()),
                cause.getMessage());
        stopReading();
        ctx.close();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof SmtpFrame)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (closing) {
            return;
        }
        SmtpSession s = session;
        if (s == null) { // implicit TLS: bytes before the session exists (the client must wait for the greeting)
            ReferenceCountUtil.release(msg);
            return;
        }
        if (msg instanceof SmtpFrame.CommandLine) {
            SmtpFrame.CommandLine line = (SmtpFrame.CommandLine) msg;
            if (serial.pending() == 0 && s.handlesWithoutBlocking(line.line())) {
                runInline(() -> handleStep(s.onCommandLine(line.line()), line.barrier()));
            } else {
                submitStep(() -> s.onCommandLine(line.line()), line.barrier());
            }
        } else if (msg instanceof SmtpFrame.Content) {
            SmtpFrame.Content content = (SmtpFrame.Content) msg;
            submit(() -> s.onContent(content.bytes(), 0, content.length()), content.length());
        } else {
            switch ((SmtpFrame.Signal) msg) {
                case COMMAND_LINE_TOO_LONG:
                    submitStep(s::onCommandLineTooLong, false);
                    break;
                case CONTENT_LINE_TOO_LONG:
                    submit(s::onContentLineTooLong, 0);
                    break;
                case DATA_END:
                    submitStep(s::onDataEnd, false);
                    break;
                default:
                    submitStep(s::onBdatChunkEnd, false);
                    break;
            }
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (serial.pending() == 0) {
            writeReplies(); // replies of steps run inline, one flush per read
        }
        readPending = false;
        maybeRead();
        ctx.fireChannelReadComplete();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        writeStall.writabilityChanged(ctx);
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
        // Only the client's silence counts: a session busy with a step (reads paused) is not idle.
        if (closing || session == null || queuedFrames.get() > 0 || decoder.isPaused()) {
            return;
        }
        stopReading();
        SmtpSession s = session;
        submitStep(s::onTimeout, false);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        closing = true;
        disconnected = true;
        HeldWrite unsent;
        while ((unsent = held.poll()) != null) {
            unsent.out().release();
        }
        SmtpSession s = session;
        if (s != null && !disconnectSubmitted) {
            disconnectSubmitted = true;
            Runnable disconnect = () -> {
                try {
                    s.onDisconnect();
                } catch (RuntimeException e) {
                    LOG.warn("SMTP session of {} failed on disconnect", ctx.channel(), e);
                }
            };
            try {
                serial.execute(disconnect);
            } catch (RejectedExecutionException e) {
                // Rejection means nothing of this session is queued or running, so order is kept.
                ForkJoinPool.commonPool().execute(disconnect);
            }
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // a TLS failure (not TLS at all, bad records) is the client's; the handshake listener logs it
        if (cause instanceof IOException || cause.getCause() instanceof SSLException) {
            LOG.debug("I/O error on {}: {}", ctx.channel(), cause.toString());
            stopReading();
            ctx.close();
            return;
        }
        if (failureLogged.compareAndSet(false, true)) {
            LOG.warn("SMTP connection {} failed", ctx.channel(), cause);
        }
        if (!closing && ctx.channel().isActive()) {
            stopReading();
            send(encode(internalError()), true);
        } else {
            ctx.close();
        }
    }

    private void stopReading() {
        closing = true;
        decoder.discardInput();
    }

    /** Asks for more bytes if the session keeps up and the decoder can use them. */
    private void maybeRead() {
        if (readPending || closing || !ctx.channel().isActive() || decoder.isPaused()
                || !ctx.channel().isWritable()) {
            return; // writability: a client that does not read its replies gets no more commands read
        }
        if (!queueShort()) {
            throttled.set(true);
            // Re-check: the executor may have drained the queue before it could see the flag.
            if (!queueShort() || !throttled.compareAndSet(true, false)) {
                return;
            }
        }
        readPending = true;
        ctx.read();
    }

    private boolean queueShort() {
        return queuedFrames.get() < MAX_QUEUED_FRAMES && queuedBytes.get() < MAX_QUEUED_BYTES;
    }

    private void tryShutdown() {
        if (!shutdownRequested || shutdownStarted || closing || session == null) {
            return;
        }
        if (queuedFrames.get() > 0 || decoder.isPaused() || decoder.isReadingContent()) {
            return; // busy: checked again after each session step
        }
        shutdownStarted = true;
        stopReading();
        SmtpSession s = session;
        submitStep(s::onShutdown, false);
    }

    private void submitStep(Supplier<Step> call, boolean barrier) {
        submit(() -> handleStep(call.get(), barrier), 0);
    }

    private void submit(Runnable call, int contentBytes) {
        if (serial.pending() == 0) {
            writeReplies(); // from now on the executor owns pendingReplies
        }
        queuedFrames.incrementAndGet();
        queuedBytes.addAndGet(contentBytes);
        try {
            serial.execute(() -> run(call, contentBytes));
        } catch (RejectedExecutionException e) {
            queuedFrames.decrementAndGet();
            queuedBytes.addAndGet(-contentBytes);
            overloaded();
        }
    }

    private void overloaded() {
        LOG.warn("blocking executor saturated; refusing {}", ctx.channel());
        stopReading();
        send(encode(SmtpReplies.serviceUnavailable(config.hostname())), true);
    }

    /**
     * Runs a step that does not block on the event loop, as if the serial executor ran it: only while the executor
     * is idle, so the two never touch the session at once (every submission comes from this event loop). Its
     * replies are flushed at the end of the read or before the next submission.
     */
    private void runInline(Runnable call) {
        queuedFrames.incrementAndGet();
        inline = true;
        try {
            run(call, 0);
        } finally {
            inline = false;
        }
    }

    // ---- serial executor ------------------------------------------------------------------------------------

    private void run(Runnable call, int contentBytes) {
        try {
            if (!sessionEnded && !disconnected) {
                call.run();
            }
        } catch (Throwable t) {
            failed(t);
        } finally {
            queuedFrames.decrementAndGet();
            queuedBytes.addAndGet(-contentBytes);
            afterCall();
        }
    }

    private void handleStep(Step step, boolean barrier) {
        step.reply().ifPresent(reply -> pendingReplies.append(reply.toWire()));
        if (!step.replyDelay().isZero()) {
            holdReplies(step.replyDelay());
        }
        switch (step.next()) {
            case CLOSE:
                endSession();
                break;
            case READ_COMMAND:
                if (barrier) {
                    writeReplies();
                    ctx.executor().execute(() -> resume(() -> decoder.readCommands()));
                }
                break;
            case READ_DATA:
                if (requireBarrier(barrier, step)) {
                    writeReplies();
                    ctx.executor().execute(() -> resume(decoder::readData));
                }
                break;
            case START_TLS:
                if (requireBarrier(barrier, step)) {
                    writeReplies(); // the 220 goes out in plaintext, before the TLS handler is in place
                    ctx.executor().execute(this::startTls);
                }
                break;
            default:
                if (requireBarrier(barrier, step)) {
                    writeReplies();
                    long size = step.bdatSize();
                    boolean last = step.bdatLast();
                    ctx.executor().execute(() -> resume(() -> decoder.readBdat(size, last)));
                }
                break;
        }
    }

    /** Event loop: puts TLS in front of the decoder and resumes reading commands once the handshake is done. */
    private void startTls() {
        if (closing) {
            return;
        }
        if (tls == null) {
            failed(new IllegalStateException("the session started TLS, but this server has no TLS context"));
            return;
        }
        decoder.discardBuffered(); // plaintext pipelined behind STARTTLS is never read as commands
        SslHandler handler = tls.newHandler(ctx.alloc());
        ctx.pipeline().addFirst("tls", handler);
        handler.handshakeFuture().addListener(done -> {
            if (!done.isSuccess()) {
                handshakeFailed(done.cause());
                return;
            }
            SSLSession ssl = handler.engine().getSession();
            SmtpSession s = session;
            submit(() -> s.onTlsEstablished(ssl.getProtocol(), ssl.getCipherSuite()), 0);
            readPending = false; // reads during the handshake were the TLS handler's
            resume(decoder::readCommands);
        });
        ctx.read(); // the ClientHello; the TLS handler reads on by itself until the handshake is done
    }

    /**
     * The decoder holds its input only after a barrier line; any other line asking for DATA or BDAT would mean the
     * bytes behind it were already framed as commands, so the connection is failed rather than misread.
     */
    private boolean requireBarrier(boolean barrier, Step step) {
        if (barrier) {
            return true;
        }
        failed(new IllegalStateException("session asked for " + step.next() + " after a line the decoder did not"
                + " hold at; the bytes behind it may have been framed as commands"));
        return false;
    }

    private void resume(Runnable modeSwitch) {
        if (closing) {
            return;
        }
        modeSwitch.run(); // may frame buffered lines, and run them inline
        if (serial.pending() == 0) {
            writeReplies();
        }
        maybeRead();
        tryShutdown();
    }

    private void afterCall() {
        if (!inline && !sessionEnded && pendingReplies.length() > 0 && serial.pending() <= 1) {
            writeReplies(); // nothing more is queued: flush the batch of pipelined replies
        }
        if (throttled.get() && queueShort() && throttled.compareAndSet(true, false)) {
            ctx.executor().execute(this::maybeRead);
        }
        if (shutdownRequested && queuedFrames.get() == 0) {
            ctx.executor().execute(this::tryShutdown);
        }
    }

    private void writeReplies() {
        if (pendingReplies.length() > 0) {
            ByteBuf out = ByteBufUtil.writeUtf8(ctx.alloc(), pendingReplies);
            pendingReplies.setLength(0);
            send(out, false);
        }
    }

    /**
     * Writes the replies so far after {@code delay} (a failed AUTH, slowed down); whatever is sent meanwhile
     * follows them in order. Never sleeps.
     */
    private void holdReplies(Duration delay) {
        ByteBuf out = pendingReplies.length() > 0 ? ByteBufUtil.writeUtf8(ctx.alloc(), pendingReplies) : null;
        pendingReplies.setLength(0);
        holding = true;
        ctx.executor().execute(() -> {
            if (out != null) {
                held.add(new HeldWrite(out, false));
            }
            ctx.executor().schedule(this::releaseHeld, delay.toNanos(), TimeUnit.NANOSECONDS);
        });
    }

    /** Event loop: the hold is over; writes what waited, in order. */
    private void releaseHeld() {
        holding = false;
        HeldWrite next;
        while ((next = held.poll()) != null) {
            write(next.out(), next.close());
        }
    }

    private record HeldWrite(ByteBuf out, boolean close) {
    }

    /**
     * Writes and flushes {@code out}, then closes if asked, always in the order of the calls: a write from the
     * executor is queued on the event loop, so one made on the event loop is queued behind it rather than done at
     * once. While replies are held back, it waits behind them.
     */
    private void send(ByteBuf out, boolean close) {
        if (holding) {
            ctx.executor().execute(() -> {
                if (holding) {
                    held.add(new HeldWrite(out, close));
                } else {
                    write(out, close);
                }
            });
        } else if (ctx.executor().inEventLoop()) {
            ctx.executor().execute(() -> write(out, close));
        } else {
            write(out, close);
        }
    }

    private void write(ByteBuf out, boolean close) {
        if (close) {
            // The last reply may never be read: close at the idle timeout at the latest.
            ScheduledFuture<?> deadline = ctx.executor().schedule(() -> {
                ctx.close();
            }, config.limits().idleTimeout().toMillis(), TimeUnit.MILLISECONDS);
            ctx.writeAndFlush(out).addListener(done -> {
                deadline.cancel(false);
                ctx.close();
            });
        } else {
            ctx.writeAndFlush(out, ctx.voidPromise());
        }
    }

    private void endSession() {
        sessionEnded = true;
        closing = true;
        ctx.executor().execute(decoder::discardInput);
        if (pendingReplies.length() > 0) {
            ByteBuf out = ByteBufUtil.writeUtf8(ctx.alloc(), pendingReplies);
            pendingReplies.setLength(0);
            send(out, true);
        } else {
            ctx.close();
        }
    }

    private void failed(Throwable t) {
        if (failureLogged.compareAndSet(false, true)) {
            LOG.warn("SMTP session on {} failed", ctx.channel(), t);
        }
        if (!sessionEnded) {
            pendingReplies.append(internalError().toWire());
            endSession();
        }
    }

    private SmtpReply internalError() {
        return SmtpReply.of(421, EnhancedStatus.SYSTEM_TEMPORARY, config.hostname() + " Error: internal error");
    }

    private ByteBuf encode(SmtpReply reply) {
        return ByteBufUtil.writeUtf8(ctx.alloc(), reply.toWire());
    }
}
