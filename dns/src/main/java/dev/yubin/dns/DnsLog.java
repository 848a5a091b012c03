package dev.yubin.dns;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The DNS events, one line each on the {@code yubin.dns} logger at INFO, domain first (the format stays stable,
 * as the maillog's does). A dropped MX host is the remote domain's mistake, not the operator's, hence not WARN.
 */
enum DnsLog {
    MX_IP_LITERAL("{}: MX {} {} ignored: an IP address is not a host name (RFC 5321 §5.1)"),
    MX_ALIAS("{}: MX {} {} ignored: the target is an alias for {} (RFC 2181 §10.3)"),
    MX_NO_ADDRESS("{}: MX {} {} ignored: the target has no address records"),
    MX_ROOT_BESIDE_OTHERS("{}: MX {} {} ignored: a null MX beside other MX records (RFC 7505 §3)"),
    MX_BAD_NAME("{}: MX {} {} ignored: not a valid host name");

    static final Logger LOG = LoggerFactory.getLogger("yubin.dns");

    private final String format;

    DnsLog(String format) {
        this.format = format;
    }

    void log(Object... arguments) {
        LOG.info(format, arguments);
    }
}
