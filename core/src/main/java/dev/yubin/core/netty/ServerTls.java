package dev.yubin.core.netty;

import dev.yubin.core.tls.TlsIdentity;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The server side of TLS for one certificate: a Netty {@link SslContext} (TLS 1.2 and 1.3, see
 * {@link TlsContexts#server}) that several listeners may share. {@link #eager} builds the context at once (a bad
 * identity fails there, and the first client does not wait); {@link #lazy} builds it at the first handshake, so a
 * server whose clients never ask for TLS never pays for it — in a fresh JVM the first context costs most of a
 * second of loading the JDK's TLS code, on the event loop of the connection that asks. Thread-safe.
 */
public final class ServerTls {
    private final Supplier<TlsIdentity> source;
    private volatile TlsIdentity identity;
    private volatile SslContext context;

    private ServerTls(Supplier<TlsIdentity> source, TlsIdentity identity, SslContext context) {
        this.source = source;
        this.identity = identity;
        this.context = context;
    }

    /** The context for {@code identity}, built now. */
    public static ServerTls eager(TlsIdentity identity) {
        Objects.requireNonNull(identity, "identity");
        return new ServerTls(() -> identity, identity, TlsContexts.server(identity));
    }

    /** The context for {@code identity}, built when the first connection needs it. */
    public static ServerTls lazy(TlsIdentity identity) {
        Objects.requireNonNull(identity, "identity");
        return new ServerTls(() -> identity, identity, null);
    }

    /**
     * The context for the identity {@code source} gives, both made when the first connection needs them: a
     * self-signed certificate ({@link TlsIdentity#selfSigned}) nobody asks for is never made.
     */
    public static ServerTls lazy(Supplier<TlsIdentity> source) {
        return new ServerTls(Objects.requireNonNull(source, "source"), null, null);
    }

    /** The certificate and key presented; made now by a lazy source. */
    public TlsIdentity identity() {
        context();
        return identity;
    }

    /** The context, built on the first call for a {@link #lazy} one. */
    public SslContext context() {
        SslContext built = context;
        if (built == null) {
            synchronized (this) {
                built = context;
                if (built == null) {
                    TlsIdentity made = identity != null ? identity
                            : Objects.requireNonNull(source.get(), "the TLS identity source gave null");
                    built = TlsContexts.server(made);
                    identity = made;
                    context = built;
                }
            }
        }
        return built;
    }

    /** Whether the context has been built. */
    public boolean isBuilt() {
        return context != null;
    }

    /** A handler for one server-side connection. */
    public SslHandler newHandler(ByteBufAllocator allocator) {
        return context().newHandler(allocator);
    }

    @Override
    public String toString() {
        return "ServerTls[" + (identity != null ? identity : "identity not made yet") + (isBuilt() ? "" : ", not built yet")
                + "]";
    }
}
