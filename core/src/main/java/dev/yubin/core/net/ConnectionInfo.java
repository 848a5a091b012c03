package dev.yubin.core.net;

import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.Optional;

/**
 * Facts about one client connection, for policy decisions, trace headers and log lines. Immutable; a new value
 * is made when TLS starts or a user authenticates.
 *
 * @param sessionId a short id unique within the process, for diagnostics
 * @param remote the client's address and port
 * @param local the server's address and port the client connected to
 * @param remoteHostname the client's verified host name, when known (no reverse DNS is done yet)
 * @param tlsProtocol the negotiated TLS protocol and cipher, when the connection is encrypted
 * @param authenticatedUser the SASL user name, when authenticated
 */
public record ConnectionInfo(
        String sessionId,
        InetSocketAddress remote,
        InetSocketAddress local,
        Optional<String> remoteHostname,
        Optional<String> tlsProtocol,
        Optional<String> authenticatedUser) {

    /** Checks that no component is {@code null}; use {@link Optional#empty()} for what is unknown. */
    public ConnectionInfo {
        Objects.requireNonNull(sessionId, "sessionId");
        Objects.requireNonNull(remote, "remote");
        Objects.requireNonNull(local, "local");
        Objects.requireNonNull(remoteHostname, "remoteHostname");
        Objects.requireNonNull(tlsProtocol, "tlsProtocol");
        Objects.requireNonNull(authenticatedUser, "authenticatedUser");
    }

    /** A plaintext, unauthenticated connection with no known host name. */
    public static ConnectionInfo of(String sessionId, InetSocketAddress remote, InetSocketAddress local) {
        return new ConnectionInfo(sessionId, remote, local, Optional.empty(), Optional.empty(), Optional.empty());
    }

    /** The client's IP address as text, without brackets: {@code 192.0.2.10} or {@code 2001:db8::1}. */
    public String remoteIp() {
        return remote.getAddress() == null ? remote.getHostString() : IpAddresses.text(remote.getAddress());
    }

    /** The client as Postfix logs it: {@code host.example[192.0.2.10]}, or {@code unknown[192.0.2.10]}. */
    public String clientLabel() {
        return remoteHostname.orElse("unknown") + "[" + remoteIp() + "]";
    }

    /** Whether the connection is encrypted. */
    public boolean isTls() {
        return tlsProtocol.isPresent();
    }

    /** This connection encrypted with TLS, {@code protocol} describing the protocol and cipher. */
    public ConnectionInfo withTls(String protocol) {
        return new ConnectionInfo(sessionId, remote, local, remoteHostname, Optional.of(protocol), authenticatedUser);
    }

    /** This connection encrypted with {@code protocol} and {@code cipher}: {@code "TLSv1.3 with cipher TLS_AES_…"}. */
    public ConnectionInfo withTls(String protocol, String cipher) {
        return withTls(protocol + " with cipher " + cipher);
    }

    /** This connection authenticated as {@code user}. */
    public ConnectionInfo withAuthenticatedUser(String user) {
        return new ConnectionInfo(sessionId, remote, local, remoteHostname, tlsProtocol, Optional.of(user));
    }
}
