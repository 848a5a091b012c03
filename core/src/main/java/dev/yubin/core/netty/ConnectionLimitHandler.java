package dev.yubin.core.netty;

import io.netty.channel.Channel;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counts open connections, in all and per client IP, against limits (Postfix
 * {@code smtpd_client_connection_count_limit}). {@link #tryAcquire(Channel)} registers a channel and releases it
 * when the channel closes. Thread-safe.
 */
public final class ConnectionLimitHandler {
    private final int maxConnections;
    private final int maxPerClient;
    private final AtomicInteger total = new AtomicInteger();
    private final ConcurrentHashMap<InetAddress, AtomicInteger> perClient = new ConcurrentHashMap<>();

    /** Limits to {@code maxConnections} open connections in all and {@code maxPerClient} from one IP address. */
    public ConnectionLimitHandler(int maxConnections, int maxPerClient) {
        this.maxConnections = maxConnections;
        this.maxPerClient = maxPerClient;
    }

    /** The outcome of admitting a connection. */
    public enum Admission {
        /** The connection is counted and may proceed. */
        ACCEPTED,
        /** Refused: {@code maxConnections} are open already. */
        TOO_MANY_CONNECTIONS,
        /** Refused: {@code maxPerClient} connections from this IP address are open already. */
        TOO_MANY_FROM_CLIENT
    }

    /**
     * Admits {@code channel} if both limits allow, counting it until it closes; a refused channel is not counted and is
     * left open for the caller to answer and close.
     */
    public Admission tryAcquire(Channel channel) {
        InetAddress address = ((InetSocketAddress) channel.remoteAddress()).getAddress();
        if (total.incrementAndGet() > maxConnections) {
            total.decrementAndGet();
            return Admission.TOO_MANY_CONNECTIONS;
        }
        // increment inside compute, so that a concurrent release cannot remove the entry in between
        AtomicInteger count = perClient.compute(address, (a, c) -> {
            AtomicInteger counter = c == null ? new AtomicInteger() : c;
            counter.incrementAndGet();
            return counter;
        });
        if (count.get() > maxPerClient) {
            release(address);
            return Admission.TOO_MANY_FROM_CLIENT;
        }
        channel.closeFuture().addListener(f -> release(address));
        return Admission.ACCEPTED;
    }

    private void release(InetAddress address) {
        total.decrementAndGet();
        perClient.computeIfPresent(address, (a, count) -> count.decrementAndGet() <= 0 ? null : count);
    }

    /** Connections open now. */
    public int open() {
        return total.get();
    }
}
