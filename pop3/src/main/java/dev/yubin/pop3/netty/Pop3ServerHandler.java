package dev.yubin.pop3.netty;

import dev.yubin.core.net.ConnectionInfo;
import dev.yubin.core.net.IpAddresses;
import dev.yubin.core.net.SerialExecutor;
import dev.yubin.core.netty.ChannelConnections;
import dev.yubin.core.netty.ServerTls;
import dev.yubin.core.netty.WriteStall;
import dev.yubin.core.store.MailStore;
import dev.yubin.core.log.MailLog;
import dev.yubin.core.message.DotStuffingEncoder;
import dev.yubin.pop3.protocol.Pop3Replies;
import dev.yubin.pop3.protocol.Pop3Reply;
import dev.yubin.pop3.server.MaildropLocator;
import dev.yubin.pop3.server.MaildropLock;
import dev.yubin.pop3.server.MessageTransfer;
import dev.yubin.pop3.server.Next;
import dev.yubin.pop3.server.Pop3Config;
import dev.yubin.pop3.server.Pop3Session;
import dev.yubin.pop3.server.Step;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bridges one channel and one {@link Pop3Session}. Lines from {@link Pop3CommandDecoder} queue up; one task at a
 * time on the connection's {@link SerialExecutor} (over the shared blocking executor) feeds them to the session,
 * because every step may block (password checks, store I/O). The rules:
 *
 * <ul>
 *   <li><b>Pipelining</b> (RFC 2449 §6.6): the replies of the queued lines are gathered and written with one flush
 *     when the queue is empty.</li>
 *   <li><b>Reads are pulled</b> ({@code AUTO_READ} off): {@code ctx.read()} only while fewer than
 *     {@value #MAX_QUEUED_LINES} lines wait, the channel is writable, no message is being sent and the decoder is
 *     not paused at STLS.</li>
 *   <li><b>RETR and TOP stream</b>: the store's stream is read in chunks of {@link MessageTransfer#CHUNK} on the
 *     executor, encoded (CRLF, byte-stuffing) and written while the channel is writable and fewer than
 *     {@value #MAX_CHUNKS_IN_FLIGHT} chunks are unwritten; the next chunk is read when writability returns or a
 *     chunk was written. A message is never in memory whole. Later commands wait until the final dot is out.</li>
 *   <li><b>Delayed replies</b> (failed logins): scheduled on the event loop, never slept; no later line is handled
 *     before the reply went out.</li>
 *   <li><b>STLS</b>: the decoder pauses after the STLS line; once the {@code +OK} is out, what was buffered is
 *     dropped and the TLS handler is put in front.</li>
 *   <li><b>Idle timeout</b>: a reader-idle event while the session waits for the client gives
 *     {@link Pop3Session#onTimeout()}; a client that does not read what is sent is closed after the same time.</li>
 *   <li><b>Failures</b>: logged once at WARN, answered {@code -ERR [SYS/TEMP] Internal error.} (unless a message
 *     is half sent), then close. A saturated executor is answered {@code -ERR [SYS/TEMP] Service temporarily
 *     unavailable.}</li>
 * </ul>
 *
 * <p>Thread-safety: Netty callbacks run on the event loop; session calls and transfers on the serial executor, one
 * at a time, guarded by {@code busy}. {@link #requestShutdown()} may be called from any thread.
 */
final class Pop3ServerHandler extends ChannelInboundHandlerAdapter {
    /** Lines queued for the session above which reading pauses. */
    static final int MAX_QUEUED_LINES = 32;
    /** Message chunks written and not yet flushed to the socket above which reading the store pauses. */
    static final int MAX_CHUNKS_IN_FLIGHT = 4;

    private static final Logger LOG = LoggerFactory.getLogger(Pop3ServerHandler.class);

    private final Pop3Config config;
    private final MailStore store;
    private final MaildropLocator locator;
    private final MaildropLock lock;
    private final Pop3CommandDecoder decoder;
    private final ServerTls tls;
    private final boolean implicitTls;
    private final SerialExecutor serial;
    private final WriteStall writeStall; // event loop only

    private final Queue<Pop3Frame> inbound = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queued = new AtomicInteger();
    /** A task of this session is queued or running, a message is being sent, a reply is held back, or TLS starts. */
    private final AtomicBoolean busy = new AtomicBoolean();
    private final AtomicInteger chunksInFlight = new AtomicInteger();
    private final AtomicBoolean awaitingWritable = new AtomicBoolean();
    private final AtomicBoolean failureLogged = new AtomicBoolean();

    private volatile ChannelHandlerContext ctx;
    private volatile Pop3Session session;
    private volatile boolean closing;
    private volatile boolean disconnected;
    private volatile boolean shutdownRequested;

    // event loop only
    private boolean readPending;
    private boolean shutdownStarted;
    private boolean disconnectSubmitted;

    // serial executor only
    private final StringBuilder pending = new StringBuilder(256);
    private boolean sessionEnded;
    private MessageTransfer transfer;
    private byte[] chunk;

    Pop3ServerHandler(Pop3Config config, MailStore store, MaildropLocator locator, MaildropLock lock,
            Executor blockingExecutor, Pop3CommandDecoder decoder, ServerTls tls, boolean implicitTls) {
        this.config = config;
        this.store = store;
        this.locator = locator;
        this.lock = lock;
        this.decoder = decoder;
        this.tls = tls;
        this.implicitTls = implicitTls;
        this.serial = new SerialExecutor(blockingExecutor);
        // a client that does not read what is sent is dropped after the idle timeout, like one that is silent
        this.writeStall = new WriteStall(config.limits().idleTimeout(), () -> {
            LOG.debug("{}: output not read for {}; closing", ctx.channel(), config.limits().idleTimeout());
            stopReading();
            ctx.close();
        });
    }

    /** Ends the session ({@code -ERR [SYS/TEMP] Server shutting down.}) at its next idle point; any thread. */
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
        Pop3Session created = new Pop3Session(config, store, locator, lock, connection);
        session = created;
        busy.set(true);
        submit(() -> runStep(created::greet));
        maybeRead();
    }

    private void handshakeFailed(Throwable cause) {
        LOG.debug("TLS handshake with {} failed: {}", ctx.channel(), cause.toString());
        config.log().pop3d().info("pop3-login: Disconnected: TLS handshaking failed: {}: rip={}", cause.getMessage(),
                IpAddresses.text(ChannelConnections.remote(ctx.channel()).getAddress()));
        stopReading();
        ctx.close();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof Pop3Frame) || closing || session == null) {
            ReferenceCountUtil.release(msg);
            return;
        }
        inbound.add((Pop3Frame) msg);
        queued.incrementAndGet();
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
            resumeTransfer();
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
        Pop3Session s = session;
        if (closing || s == null || !inbound.isEmpty() || !busy.compareAndSet(false, true)) {
            return;
        }
        stopReading();
        submit(() -> runStep(s::onTimeout));
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        closing = true;
        disconnected = true;
        writeStall.cancel();
        Pop3Session s = session;
        if (s != null && !disconnectSubmitted) {
            disconnectSubmitted = true;
            Runnable disconnect = () -> {
                try {
                    if (transfer != null) {
                        transfer.abandon();
                        transfer = null;
                    }
                    s.onDisconnect();
                } catch (RuntimeException e) {
                    LOG.warn("POP3 session of {} failed on disconnect", ctx.channel(), e);
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
            stopReading();
            ctx.close();
            return;
        }
        if (failureLogged.compareAndSet(false, true)) {
            LOG.warn("POP3 connection {} failed", ctx.channel(), cause);
        }
        stopReading();
        ctx.close();
    }

    private void stopReading() {
        closing = true;
        decoder.discardInput();
    }

    /** Asks for more bytes if the session keeps up. */
    private void maybeRead() {
        if (readPending || closing || !ctx.channel().isActive() || decoder.isPaused() || !ctx.channel().isWritable()
                || queued.get() >= MAX_QUEUED_LINES || chunksInFlight.get() > 0) {
            return;
        }
        readPending = true;
        ctx.read();
    }

    private void tryShutdown() {
        Pop3Session s = session;
        if (!shutdownRequested || shutdownStarted || closing || s == null || !busy.compareAndSet(false, true)) {
            return; // busy: tried again when the session is idle
        }
        shutdownStarted = true;
        stopReading();
        submit(() -> runStep(s::onShutdown));
    }

    /** Event loop, after the executor went idle. */
    private void afterIdle() {
        maybeRead();
        tryShutdown();
    }

    // ---- hand-off -----------------------------------------------------------------------------------------------

    /** Starts a drain of the queued lines unless a task already owns the session. Any thread. */
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
            ctx.executor().execute(decoder::discardInput);
            ctx.writeAndFlush(ByteBufUtil.writeUtf8(ctx.alloc(), Pop3Replies.UNAVAILABLE.toWire()))
                    .addListener(ChannelFutureListener.CLOSE);
        }
    }

    // ---- serial executor ----------------------------------------------------------------------------------------

    private void runStep(Supplier<Step> call) {
        if (sessionEnded || disconnected) {
            return;
        }
        if (apply(call.get(), false)) {
            drain();
        }
    }

    /** Feeds queued lines to the session until the queue is empty or a step takes over (transfer, TLS, close). */
    private void drain() {
        Pop3Session s = session;
        while (!sessionEnded && !disconnected) {
            Pop3Frame frame = inbound.poll();
            if (frame == null) {
                break;
            }
            queued.decrementAndGet();
            Step step = frame.tooLong() ? s.onCommandLineTooLong() : s.onCommandLine(frame.line());
            if (!apply(step, frame.barrier())) {
                return; // the step's continuation clears busy
            }
        }
        flush();
        if (sessionEnded || disconnected) {
            return;
        }
        busy.set(false);
        if (!inbound.isEmpty()) {
            schedule(); // a line arrived after the last poll
        }
        ctx.executor().execute(this::afterIdle);
    }

    /** Queues the step's reply; returns true if the next line may be handled at once. */
    private boolean apply(Step step, boolean barrier) {
        step.reply().ifPresent(reply -> pending.append(reply.toWire()));
        if (!step.replyDelay().isZero()) {
            ByteBuf held = take();
            ctx.executor().schedule(() -> {
                if (held != null) {
                    ctx.writeAndFlush(held, ctx.voidPromise());
                }
                submit(() -> {
                    if (!sessionEnded && !disconnected && proceed(step, barrier)) {
                        drain();
                    }
                });
            }, step.replyDelay().toNanos(), TimeUnit.NANOSECONDS);
            return false;
        }
        return proceed(step, barrier);
    }

    private boolean proceed(Step step, boolean barrier) {
        if (step.next() == Next.CLOSE) {
            endSession();
            return false;
        }
        if (step.next() == Next.START_TLS) {
            flush(); // the +OK goes out in plaintext, before the TLS handler is in place
            ctx.executor().execute(this::startTls);
            return false;
        }
        if (barrier) {
            ctx.executor().execute(() -> {
                decoder.readCommands(); // STLS was refused (or was a SASL response): go on reading commands
                maybeRead();
            });
        }
        if (step.transfer().isPresent()) {
            ByteBuf status = take(); // written with the message's first chunk, in one flush
            if (status != null) {
                ctx.write(status, ctx.voidPromise());
            }
            transfer = step.transfer().get();
            pump();
            return false;
        }
        return true;
    }

    /** Reads, encodes and writes chunks while the channel can take them; at the end, goes on with the queue. */
    private void pump() {
        MessageTransfer t = transfer;
        if (t == null || sessionEnded || disconnected) {
            return;
        }
        if (chunk == null) {
            chunk = new byte[MessageTransfer.CHUNK];
        }
        try {
            // Chunks of one burst (and the status line before the first) are written unflushed and flushed once:
            // a small message goes out as one socket write with its +OK line and its final dot.
            for (int written = 0; written < MAX_CHUNKS_IN_FLIGHT; written++) {
                if (!canWrite()) {
                    awaitingWritable.set(true);
                    if (canWrite() && awaitingWritable.compareAndSet(true, false)) {
                        continue; // writability came back before the flag was seen
                    }
                    ctx.flush();
                    return; // resumeTransfer() submits the next pump
                }
                int n = t.read(chunk, 0, chunk.length);
                if (n < 0) {
                    ByteBuf end = ctx.alloc().heapBuffer(DotStuffingEncoder.MAX_TRAILER);
                    end.writerIndex(t.encoder().finish(end.array(), end.arrayOffset()));
                    ctx.writeAndFlush(end, ctx.voidPromise());
                    transfer = null;
                    t.finish();
                    drain();
                    return;
                }
                ByteBuf out = ctx.alloc().heapBuffer(DotStuffingEncoder.maxEncodedLength(n));
                int m = t.encoder().encode(chunk, 0, n, out.array(), out.arrayOffset());
                out.writerIndex(m);
                t.sent(m);
                chunksInFlight.incrementAndGet();
                ctx.write(out).addListener(done -> {
                    chunksInFlight.decrementAndGet();
                    resumeTransfer();
                });
            }
            ctx.flush();
            submit(this::pump); // yield the thread to other sessions between bursts
        } catch (IOException e) {
            config.log().pop3d().warn("pop3: Error: reading a message failed during RETR/TOP on {}: {}", ctx.channel(),
                    e.getMessage());
            transfer = null;
            t.abandon();
            sessionEnded = true; // a half-sent message cannot be followed by -ERR: the client sees a dropped line
            closing = true;
            ctx.executor().execute(() -> {
                decoder.discardInput();
                ctx.close();
            });
        }
    }

    private boolean canWrite() {
        return ctx.channel().isWritable() && chunksInFlight.get() < MAX_CHUNKS_IN_FLIGHT;
    }

    /** Any thread: a chunk was written or writability returned; goes on with a transfer that waits for it. */
    private void resumeTransfer() {
        if (canWrite() && awaitingWritable.compareAndSet(true, false)) {
            submit(this::pump);
        }
    }

    /** Event loop: puts TLS in front of the decoder and resumes once the handshake is done. */
    private void startTls() {
        if (closing) {
            return;
        }
        if (tls == null) {
            failed(new IllegalStateException("the session started TLS, but this server has no TLS context"));
            return;
        }
        decoder.discardBuffered(); // plaintext pipelined behind STLS is never read as commands
        SslHandler handler = tls.newHandler(ctx.alloc());
        ctx.pipeline().addFirst("tls", handler);
        handler.handshakeFuture().addListener(done -> {
            if (!done.isSuccess()) {
                handshakeFailed(done.cause());
                return;
            }
            SSLSession ssl = handler.engine().getSession();
            Pop3Session s = session;
            submit(() -> {
                s.onTlsEstablished(ssl.getProtocol(), ssl.getCipherSuite());
                drain();
            });
            readPending = false; // reads during the handshake were the TLS handler's
            decoder.readCommands();
            maybeRead();
        });
        ctx.read(); // the ClientHello
    }

    private ByteBuf take() {
        if (pending.length() == 0) {
            return null;
        }
        ByteBuf out = ByteBufUtil.writeUtf8(ctx.alloc(), pending);
        pending.setLength(0);
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
        ctx.executor().execute(decoder::discardInput);
        ByteBuf out = take();
        if (out == null) {
            out = Unpooled.EMPTY_BUFFER; // still behind what was written before, e.g. a delayed reply
        }
        // The last reply may never be read: close at the idle timeout at the latest.
        ctx.writeAndFlush(out).addListener(ChannelFutureListener.CLOSE);
        ctx.executor().schedule(() -> {
            ctx.close();
        }, config.limits().idleTimeout().toMillis(), TimeUnit.MILLISECONDS);
    }

    private void failed(Throwable t) {
        if (failureLogged.compareAndSet(false, true)) {
            LOG.warn("POP3 session on {} failed", ctx.channel(), t);
        }
        if (sessionEnded) {
            return;
        }
        if (transfer != null) {
            transfer.abandon();
            transfer = null;
            pending.setLength(0); // inside a multi-line response: no -ERR can follow
        } else {
            pending.append(internalError().toWire());
        }
        endSession();
    }

    private static Pop3Reply internalError() {
        return Pop3Replies.INTERNAL_ERROR;
    }
}
