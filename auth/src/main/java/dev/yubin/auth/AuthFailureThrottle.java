package dev.yubin.auth;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * How long to hold back the reply to a failed authentication, per client address: Dovecot's
 * {@code auth_failure_delay} (2 s), doubled for each further failure from the same client up to a cap, so that
 * password guessing slows down while a user who mistyped once barely notices. Pure bookkeeping: it never sleeps;
 * the protocol schedules the failure reply after {@link #failure} (and should not read further commands
 * meanwhile).
 *
 * <table>
 *   <caption>Settings</caption>
 *   <tr><th>Setting</th><th>Default</th><th>Meaning</th></tr>
 *   <tr><td>{@link Builder#baseDelay}</td><td>2 s</td><td>delay of a first failure</td></tr>
 *   <tr><td>{@link Builder#maxDelay}</td><td>15 s</td><td>cap of the doubling (keep it below client
 *       timeouts)</td></tr>
 *   <tr><td>{@link Builder#forgetAfter}</td><td>10 min</td><td>a client without failures for this long starts
 *       over</td></tr>
 *   <tr><td>{@link Builder#maxClients}</td><td>10 000</td><td>clients remembered; beyond, the least recently
 *       failing one is forgotten, so memory stays bounded whatever the number of attacking addresses</td></tr>
 * </table>
 *
 * <p>Clients are IPv4 addresses and IPv6 /64 prefixes (one host usually owns a whole /64); IPv4-mapped IPv6
 * addresses count as IPv4. A success clears the client. Thread-safe (one lock; each call is O(1)).
 */
public final class AuthFailureThrottle implements FailureDelay {

    private static final class Client {
        int failures;
        long lastFailure;
    }

    private final long baseNanos;
    private final long maxNanos;
    private final long forgetNanos;
    private final LongSupplier clock;
    private final Map<InetAddress, Client> clients;

    private AuthFailureThrottle(Builder builder) {
        this.baseNanos = builder.baseDelay.toNanos();
        this.maxNanos = builder.maxDelay.toNanos();
        this.forgetNanos = builder.forgetAfter.toNanos();
        this.clock = builder.clock;
        int max = builder.maxClients;
        this.clients = new LinkedHashMap<>(16, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<InetAddress, Client> eldest) {
                return size() > max;
            }
        };
    }

    /** A throttle with the defaults. */
    public static AuthFailureThrottle withDefaults() {
        return builder().build();
    }

    /** A builder that starts from the defaults in the table above. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Records a failed authentication from {@code client}.
     *
     * @return how long to wait before sending the failure reply: {@code baseDelay * 2^(n-1)} for the n-th recent
     *     failure, at most {@code maxDelay}
     */
    @Override
    public Duration failure(InetAddress client) {
        InetAddress key = key(client);
        long now = clock.getAsLong();
        synchronized (clients) {
            Client state = clients.computeIfAbsent(key, k -> new Client());
            if (state.failures > 0 && now - state.lastFailure >= forgetNanos) {
                state.failures = 0;
            }
            state.failures = Math.min(state.failures + 1, 62);
            state.lastFailure = now;
            return Duration.ofNanos(delay(state.failures));
        }
    }

    /** Forgets {@code client}'s failures: it authenticated. */
    @Override
    public void success(InetAddress client) {
        InetAddress key = key(client);
        synchronized (clients) {
            clients.remove(key);
        }
    }

    /** How many failures from {@code client} count now (0 when none, or forgotten). */
    public int recentFailures(InetAddress client) {
        InetAddress key = key(client);
        long now = clock.getAsLong();
        synchronized (clients) {
            Client state = clients.get(key);
            return state == null || now - state.lastFailure >= forgetNanos ? 0 : state.failures;
        }
    }

    /** How many clients are remembered (at most {@code maxClients}). */
    public int size() {
        synchronized (clients) {
            return clients.size();
        }
    }

    private long delay(int failures) {
        long delay = baseNanos;
        for (int i = 1; i < failures && delay < maxNanos; i++) {
            delay = delay > Long.MAX_VALUE / 2 ? Long.MAX_VALUE : delay * 2;
        }
        return Math.min(delay, maxNanos);
    }

    /** IPv4 as is, IPv4-mapped IPv6 as IPv4, other IPv6 as its /64 prefix. */
    static InetAddress key(InetAddress address) {
        Objects.requireNonNull(address, "client");
        if (address instanceof Inet4Address) {
            return address;
        }
        byte[] bytes = address.getAddress();
        try {
            if (address instanceof Inet6Address && isIpv4Mapped(bytes)) {
                return InetAddress.getByAddress(Arrays.copyOfRange(bytes, 12, 16));
            }
            Arrays.fill(bytes, 8, 16, (byte) 0);
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new AssertionError("a 4 or 16 byte address", e);
        }
    }

    private static boolean isIpv4Mapped(byte[] bytes) {
        for (int i = 0; i < 10; i++) {
            if (bytes[i] != 0) {
                return false;
            }
        }
        return bytes[10] == (byte) 0xff && bytes[11] == (byte) 0xff;
    }

    /** Settings of an {@link AuthFailureThrottle}. Not thread-safe. */
    public static final class Builder {
        private Duration baseDelay = Duration.ofSeconds(2);
        private Duration maxDelay = Duration.ofSeconds(15);
        private Duration forgetAfter = Duration.ofMinutes(10);
        private int maxClients = 10_000;
        private LongSupplier clock = System::nanoTime;

        private Builder() {
        }

        /** The delay of a first failure; Dovecot's {@code auth_failure_delay}. Zero disables the delays. */
        public Builder baseDelay(Duration delay) {
            this.baseDelay = Objects.requireNonNull(delay, "baseDelay");
            return this;
        }

        /** The longest delay. */
        public Builder maxDelay(Duration delay) {
            this.maxDelay = Objects.requireNonNull(delay, "maxDelay");
            return this;
        }

        /** How long a client must go without failures to be forgotten. */
        public Builder forgetAfter(Duration quiet) {
            this.forgetAfter = Objects.requireNonNull(quiet, "forgetAfter");
            return this;
        }

        /** How many clients to remember at most. */
        public Builder maxClients(int max) {
            this.maxClients = max;
            return this;
        }

        /** The time source, in nanoseconds as {@link System#nanoTime()} (the default); for tests. */
        public Builder clock(LongSupplier nanoTime) {
            this.clock = Objects.requireNonNull(nanoTime, "clock");
            return this;
        }

        /** @throws IllegalArgumentException when a setting is negative or out of order, naming it */
        public AuthFailureThrottle build() {
            if (baseDelay.isNegative()) {
                throw new IllegalArgumentException("baseDelay must not be negative: " + baseDelay);
            }
            if (maxDelay.compareTo(baseDelay) < 0) {
                throw new IllegalArgumentException("maxDelay " + maxDelay + " is shorter than baseDelay " + baseDelay);
            }
            if (forgetAfter.isNegative() || forgetAfter.isZero()) {
                throw new IllegalArgumentException("forgetAfter must be positive: " + forgetAfter);
            }
            if (maxClients < 1) {
                throw new IllegalArgumentException("maxClients must be positive: " + maxClients);
            }
            return new AuthFailureThrottle(this);
        }
    }
}
