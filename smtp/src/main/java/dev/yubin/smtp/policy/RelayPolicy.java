package dev.yubin.smtp.policy;

import dev.yubin.core.address.MailAddress;
import dev.yubin.core.address.ReversePath;
import dev.yubin.core.net.ConnectionInfo;
import dev.yubin.core.net.NetworkList;

/**
 * Decides whether a client may send to a recipient outside the {@link LocalDomains}, i.e. use this server as a
 * relay. Implementations must be thread-safe; they may block.
 *
 * @deprecated replaced by {@link NetworkList mynetworks} and {@link RecipientRestrictions} on
 *     {@link StandardSmtpHandler.Builder}; kept until the callers have moved
 */
@Deprecated(forRemoval = true)
@FunctionalInterface
public interface RelayPolicy {
    /** Nobody may relay: the safe default, no open relay. */
    RelayPolicy DENY_ALL = (client, from, to) -> false;

    /** Whether {@code client} may relay mail from {@code from} to the non-local {@code to}. */
    boolean mayRelay(ConnectionInfo client, ReversePath from, MailAddress to);
}
