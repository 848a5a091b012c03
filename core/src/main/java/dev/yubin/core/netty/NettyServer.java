package dev.yubin.core.netty;

import dev.yubin.core.net.IpAddresses;
import dev.yubin.core.net.Limits;
import dev.yubin.core.net.ListenerConfig;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The lifecycle shared by Yubin's protocol servers: bind every listener address, count connections against
 * the {@link Limits}, and shut down gracefully (stop accepting, let sessions in flight finish, then close).
 *
 * <p>Subclasses add their protocol handlers in {@link #initChannel(SocketChannel)} and say how to turn a
 * connection away in {@link #refuse(SocketChannel, ConnectionLimitHandler.Admission)}. Thread-safe.
 */
public abstract class NettyServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(NettyServer.class);

    private final String name;
    private final ListenerConfig listener;
    private final ConnectionLimitHandler connectionLimits;
    private final EventLoopGroup bossGroup;
    private final EventLoopGroup workerGroup;
    private final boolean ownsGroups;
    private final ChannelGroup serverChannels = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
    private final ChannelGroup childChannels = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
    private final List<InetSocketAddress> boundAddresses = new ArrayList<>();
    private volatile boolean started;
    private volatile boolean closed;

    /**
     * @param workerGroup the event loops for connections, or {@code null} to create (and own) a group with the
     *     Netty default number of threads
     */
    protected NettyServer(String name, ListenerConfig listener, Limits limits, EventLoopGroup workerGroup) {
        this.name = name;
        this.listener = listener;
        this.connectionLimits = new ConnectionLimitHandler(limits.maxConnections(), limits.maxConnectionsPerClient());
        this.ownsGroups = workerGroup == null;
        this.bossGroup = ownsGroups ? new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory()) : workerGroup;
        this.workerGroup = ownsGroups ? new MultiThreadIoEventLoopGroup(0, NioIoHandler.newFactory()) : workerGroup;
    }

    /** Adds the protocol's handlers to a newly accepted connection that passed the connection limits. */
    protected abstract void initChannel(SocketChannel channel);

    /** Turns away a connection over the limits, e.g. with {@code 421 4.7.0 Too many connections}, and closes it. */
    protected abstract void refuse(SocketChannel channel, ConnectionLimitHandler.Admission reason);

    /** For {@link #refuse}: writes {@code reply} (a whole protocol reply with its line end) once active, then closes. */
    protected static void replyAndClose(SocketChannel channel, String reply) {
        channel.pipeline().addLast("refuse", new ChannelInboundHandlerAdapter() {
            @Override
            public void channelActive(ChannelHandlerContext ctx) {
                ctx.writeAndFlush(ByteBufUtil.writeUtf8(ctx.alloc(), reply)).addListener(ChannelFutureListener.CLOSE);
            }
        });
    }

    /** Binds every address and returns once all are bound; throws if one cannot be bound. */
    public synchronized NettyServer start() throws IOException {
        if (started) {
            throw new IllegalStateException(name + " already started");
        }
        started = true;
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(bossGroup, workerGroup)
                .channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.AUTO_READ, false)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(32 * 1024, 256 * 1024))
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        childChannels.add(channel);
                        ConnectionLimitHandler.Admission admission = connectionLimits.tryAcquire(channel);
                        if (admission == ConnectionLimitHandler.Admission.ACCEPTED) {
                            NettyServer.this.initChannel(channel);
                        } else {
                            refuse(channel, admission);
                        }
                    }
                });
        for (InetSocketAddress address : listener.addresses()) {
            try {
                Channel channel = bootstrap.bind(address).syncUninterruptibly().channel();
                serverChannels.add(channel);
                boundAddresses.add((InetSocketAddress) channel.localAddress());
                log.debug("{} listening on {}", name, channel.localAddress());
            } catch (Exception e) { // Netty rethrows the checked BindException undeclared
                closeGracefully(Duration.ZERO);
                throw new IOException(name + ": cannot listen on " + text(address) + ": " + e.getMessage(), e);
            }
        }
        return this;
    }

    /** {@code 127.0.0.1:25}, {@code [::1]:25}. */
    private static String text(InetSocketAddress address) {
        if (address.getAddress() == null) {
            return address.getHostString() + ":" + address.getPort();
        }
        String ip = IpAddresses.text(address.getAddress());
        return (ip.contains(":") ? "[" + ip + "]" : ip) + ":" + address.getPort();
    }

    /** The bound addresses, with the real port where port 0 was asked for. */
    public List<InetSocketAddress> localAddresses() {
        return List.copyOf(boundAddresses);
    }

    /** The first bound port; a convenience for tests and single-address listeners. */
    public int port() {
        return boundAddresses.get(0).getPort();
    }

    /** Connections open now. */
    public int openConnections() {
        return connectionLimits.open();
    }

    /**
     * Stops accepting, waits up to {@code timeout} for open sessions to end on their own (sessions are told to
     * finish via {@link #onShutdown(Channel)}), then closes what remains and releases the event loops it owns.
     */
    public void closeGracefully(Duration timeout) {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        serverChannels.close().awaitUninterruptibly();
        for (Channel child : childChannels) {
            onShutdown(child);
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!childChannels.isEmpty() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        childChannels.close().awaitUninterruptibly();
        if (ownsGroups) {
            bossGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly();
            workerGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly();
        }
    }

    /**
     * Called for each open connection when shutdown starts; the default does nothing and lets the session run
     * until the grace period ends. Protocols override it to end idle sessions politely (SMTP 421).
     */
    protected void onShutdown(Channel channel) {
    }

    /** Whether {@link #closeGracefully} has begun. */
    protected boolean isClosing() {
        return closed;
    }

    /** Closes gracefully, giving sessions in flight 10 seconds. */
    @Override
    public void close() {
        closeGracefully(Duration.ofSeconds(10));
    }

    @Override
    public String toString() {
        return name + boundAddresses;
    }
}
