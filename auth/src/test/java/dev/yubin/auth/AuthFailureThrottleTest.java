package dev.yubin.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class AuthFailureThrottleTest {

    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final AuthFailureThrottle throttle = AuthFailureThrottle.builder().clock(now::get).build();

    private static InetAddress ip(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    private void advance(Duration duration) {
        now.addAndGet(duration.toNanos());
    }

    private static final InetAddress CLIENT = ip("192.0.2.10");

    @Test
    void firstFailureGetsDovecotsTwoSeconds() {
        assertEquals(Duration.ofSeconds(2), throttle.failure(CLIENT));
        assertEquals(1, throttle.recentFailures(CLIENT));
    }

    @Test
    void repeatedFailuresDoubleUpToTheCap() {
        assertEquals(Duration.ofSeconds(2), throttle.failure(CLIENT));
        assertEquals(Duration.ofSeconds(4), throttle.failure(CLIENT));
        assertEquals(Duration.ofSeconds(8), throttle.failure(CLIENT));
        assertEquals(Duration.ofSeconds(15), throttle.failure(CLIENT));
        for (int i = 0; i < 100; i++) {
            assertEquals(Duration.ofSeconds(15), throttle.failure(CLIENT));
        }
    }

    @Test
    void clientsAreCountedSeparately() {
        throttle.failure(CLIENT);
        throttle.failure(CLIENT);
        assertEquals(Duration.ofSeconds(2), throttle.failure(ip("192.0.2.11")));
        assertEquals(Duration.ofSeconds(8), throttle.failure(CLIENT));
    }

    @Test
    void successClearsTheClient() {
        throttle.failure(CLIENT);
        throttle.failure(CLIENT);
        throttle.success(CLIENT);
        assertEquals(0, throttle.recentFailures(CLIENT));
        assertEquals(0, throttle.size());
        assertEquals(Duration.ofSeconds(2), throttle.failure(CLIENT));
    }

    @Test
    void aQuietPeriodForgetsTheFailures() {
        throttle.failure(CLIENT);
        throttle.failure(CLIENT);
        advance(Duration.ofMinutes(10).minusNanos(1));
        assertEquals(2, throttle.recentFailures(CLIENT));
        assertEquals(Duration.ofSeconds(8), throttle.failure(CLIENT), "the quiet period restarts at each failure");
        advance(Duration.ofMinutes(10));
        assertEquals(0, throttle.recentFailures(CLIENT));
        assertEquals(Duration.ofSeconds(2), throttle.failure(CLIENT));
    }

    @Test
    void memoryIsBoundedByForgettingTheLeastRecentlyFailingClient() {
        AuthFailureThrottle small = AuthFailureThrottle.builder().clock(now::get).maxClients(3).build();
        small.failure(ip("192.0.2.1"));
        small.failure(ip("192.0.2.2"));
        small.failure(ip("192.0.2.3"));
        small.failure(ip("192.0.2.1")); // now 2 is the eldest
        small.failure(ip("192.0.2.4"));
        assertEquals(3, small.size());
        assertEquals(0, small.recentFailures(ip("192.0.2.2")));
        assertEquals(2, small.recentFailures(ip("192.0.2.1")));
        for (int i = 0; i < 10_000; i++) {
            small.failure(ip("10.0." + (i >> 8) + "." + (i & 0xff)));
        }
        assertEquals(3, small.size());
    }

    @Test
    void ipv6CountsPerSlash64AndMappedIpv4AsIpv4() throws UnknownHostException {
        throttle.failure(ip("2001:db8:1:2::1"));
        assertEquals(Duration.ofSeconds(4), throttle.failure(ip("2001:db8:1:2:ffff::99")));
        assertEquals(Duration.ofSeconds(2), throttle.failure(ip("2001:db8:1:3::1")));
        throttle.failure(CLIENT);
        byte[] mapped = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, (byte) 192, 0, 2, 10};
        InetAddress v6 = Inet6Address.getByAddress(null, mapped, -1);
        assertEquals(Duration.ofSeconds(4), throttle.failure(v6));
        assertEquals(2, throttle.recentFailures(CLIENT));
    }

    @Test
    void customDelays() {
        AuthFailureThrottle custom = AuthFailureThrottle.builder().clock(now::get).baseDelay(Duration.ofMillis(500))
                .maxDelay(Duration.ofSeconds(1)).forgetAfter(Duration.ofSeconds(30)).build();
        assertEquals(Duration.ofMillis(500), custom.failure(CLIENT));
        assertEquals(Duration.ofSeconds(1), custom.failure(CLIENT));
        assertEquals(Duration.ofSeconds(1), custom.failure(CLIENT));
        advance(Duration.ofSeconds(30));
        assertEquals(Duration.ofMillis(500), custom.failure(CLIENT));
        AuthFailureThrottle none = AuthFailureThrottle.builder().baseDelay(Duration.ZERO).maxDelay(Duration.ZERO)
                .build();
        assertEquals(Duration.ZERO, none.failure(CLIENT));
        assertEquals(Duration.ZERO, none.failure(CLIENT));
    }

    @Test
    void badSettingsAreNamed() {
        assertEquals("maxDelay PT1S is shorter than baseDelay PT2S", assertThrows(IllegalArgumentException.class,
                () -> AuthFailureThrottle.builder().maxDelay(Duration.ofSeconds(1)).build()).getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> AuthFailureThrottle.builder().baseDelay(Duration.ofSeconds(-1)).build());
        assertThrows(IllegalArgumentException.class,
                () -> AuthFailureThrottle.builder().forgetAfter(Duration.ZERO).build());
        assertThrows(IllegalArgumentException.class, () -> AuthFailureThrottle.builder().maxClients(0).build());
    }
}
