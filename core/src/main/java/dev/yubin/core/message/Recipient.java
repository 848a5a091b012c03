package dev.yubin.core.message;

import dev.yubin.core.address.MailAddress;
import java.util.Map;
import java.util.Objects;

/**
 * One forward-path of an envelope with its RCPT TO parameters (e.g. {@code ORCPT}, {@code NOTIFY}; RFC 3461).
 * Parameter names are upper case. Immutable.
 */
public record Recipient(MailAddress address, Map<String, String> parameters) {
    /** Copies the parameters, which may not hold {@code null} names or values. */
    public Recipient {
        Objects.requireNonNull(address, "address");
        parameters = Map.copyOf(parameters);
    }

    /** A recipient without RCPT TO parameters. */
    public static Recipient of(MailAddress address) {
        return new Recipient(address, Map.of());
    }
}
