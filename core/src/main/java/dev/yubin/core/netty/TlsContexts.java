package dev.yubin.core.netty;

import dev.yubin.core.tls.TlsIdentity;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLException;

/**
 * Netty TLS contexts for the servers and the SMTP client: TLS 1.2 and 1.3 only, the JDK's provider.
 * Stateless and thread-safe; the contexts it builds are thread-safe and may be shared by all connections.
 */
public final class TlsContexts {
    private TlsContexts() {
    }

    /** A server context presenting {@code identity}. */
    public static SslContext server(TlsIdentity identity) {
        try {
            return SslContextBuilder
                    .forServer(identity.privateKey(), identity.certificateChain().toArray(new X509Certificate[0]))
                    .sslProvider(SslProvider.JDK)
                    .protocols("TLSv1.3", "TLSv1.2")
                    .build();
        } catch (SSLException e) {
            throw new IllegalArgumentException("unusable TLS identity " + identity + ": " + e.getMessage(), e);
        }
    }

    /**
     * A client context that encrypts without checking the server's certificate: Postfix's {@code may} and
     * {@code encrypt} levels, which protect against passive eavesdropping only (RFC 7435 opportunistic security).
     */
    public static SslContext unauthenticatedClient() {
        try {
            return SslContextBuilder.forClient()
                    .sslProvider(SslProvider.JDK)
                    .protocols("TLSv1.3", "TLSv1.2")
                    .trustManager(io.netty.handler.ssl.util.InsecureTrustManagerFactory.INSTANCE)
                    .build();
        } catch (SSLException e) {
            throw new IllegalStateException("no TLS client context: " + e.getMessage(), e);
        }
    }
}
