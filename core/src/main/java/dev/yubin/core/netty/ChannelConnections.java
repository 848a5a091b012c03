package dev.yubin.core.netty;

import dev.yubin.core.net.ConnectionInfo;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.ssl.SslHandler;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.function.Consumer;
import javax.net.ssl.SSLSession;

/** The {@link ConnectionInfo} of a Netty channel, for every protocol's I/O shell. Stateless. Thread-safe. */
public final class ChannelConnections {
    private static final InetSocketAddress UNKNOWN_ADDRESS = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);

    private ChannelConnections() {
    }

    /** A plaintext, unauthenticated connection: the channel's short id and its two addresses. */
    public static ConnectionInfo of(Channel channel) {
        return ConnectionInfo.of(channel.id().asShortText(), inet(channel.remoteAddress()),
                inet(channel.localAddress()));
    }

    /** {@code connection} once {@code ssl}'s handshake is done: its protocol and cipher suite. */
    public static ConnectionInfo withTls(ConnectionInfo connection, SslHandler ssl) {
        SSLSession session = ssl.engine().getSession();
        return connection.withTls(session.getProtocol(), session.getCipherSuite());
    }

    /**
     * For a handler's {@code channelActive}: calls {@code open} with the connection once the session may start, at
     * once for plaintext, or after the implicit-TLS handshake (with the TLS details; the handshake's reads are the
     * TLS handler's, which reads on by itself once this has asked for the ClientHello). A failed handshake goes to
     * {@code failed} instead. Event loop only; an {@link SslHandler} must be in the pipeline when {@code implicitTls}.
     */
    public static void whenReady(ChannelHandlerContext ctx, boolean implicitTls, Consumer<ConnectionInfo> open,
            Consumer<Throwable> failed) {
        ConnectionInfo connection = of(ctx.channel());
        if (!implicitTls) {
            open.accept(connection);
            return;
        }
        SslHandler ssl = ctx.pipeline().get(SslHandler.class);
        ssl.handshakeFuture().addListener(done -> {
            if (done.isSuccess()) {
                open.accept(withTls(connection, ssl));
            } else {
                failed.accept(done.cause());
            }
        });
        ctx.read(); // the ClientHello
    }

    /** The channel's remote address, or the loopback address with port 0 when it is not an IP socket. */
    public static InetSocketAddress remote(Channel channel) {
        return inet(channel.remoteAddress());
    }

    private static InetSocketAddress inet(SocketAddress address) {
        return address instanceof InetSocketAddress ? (InetSocketAddress) address : UNKNOWN_ADDRESS;
    }
}
