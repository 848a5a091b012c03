package dev.yubin.auth;

import java.net.InetAddress;
import java.time.Duration;

/**
 * How long a protocol holds back the reply to a failed login from a client (Dovecot's {@code auth_failure_delay}),
 * and that a client succeeded. {@link AuthFailureThrottle} is the standard one. Implementations are thread-safe and
 * never block: the protocol schedules the delayed reply itself, nothing sleeps.
 */
public interface FailureDelay {
    /** Never delays. */
    FailureDelay NONE = new FailureDelay() {
        @Override
        public Duration failure(InetAddress client) {
            return Duration.ZERO;
        }

        @Override
        public void success(InetAddress client) {
        }
    };

    /** Records a failed login of {@code client}; returns how long to wait before answering it. */
    Duration failure(InetAddress client);

    /** Records a successful login of {@code client}. */
    void success(InetAddress client);
}
