package dev.yubin.core.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class LimitsTest {

    @Test
    void defaultsFollowTheRfcsAndPostfix() {
        Limits limits = Limits.defaults();
        assertEquals(512, limits.maxCommandLineLength());
        assertEquals(1000, limits.maxTextLineLength());
        assertEquals(10_240_000, limits.maxMessageSize());
        assertEquals(1000, limits.maxRecipients());
        assertEquals(1000, limits.maxConnections());
        assertEquals(50, limits.maxConnectionsPerClient());
        assertEquals(Duration.ofSeconds(300), limits.idleTimeout());
        assertEquals(20, limits.maxErrors());
    }

    @Test
    void eachWitherChangesOnlyItsValue() {
        Limits d = Limits.defaults();
        assertEquals(new Limits(100, 1000, 10_240_000, 1000, 1000, 50, Duration.ofSeconds(300), 20),
                d.withMaxCommandLineLength(100));
        assertEquals(new Limits(512, 2000, 10_240_000, 1000, 1000, 50, Duration.ofSeconds(300), 20),
                d.withMaxTextLineLength(2000));
        assertEquals(new Limits(512, 1000, 25L << 20, 1000, 1000, 50, Duration.ofSeconds(300), 20),
                d.withMaxMessageSize(25L << 20));
        assertEquals(new Limits(512, 1000, 10_240_000, 50, 1000, 50, Duration.ofSeconds(300), 20),
                d.withMaxRecipients(50));
        assertEquals(new Limits(512, 1000, 10_240_000, 1000, 7, 50, Duration.ofSeconds(300), 20),
                d.withMaxConnections(7));
        assertEquals(new Limits(512, 1000, 10_240_000, 1000, 1000, 3, Duration.ofSeconds(300), 20),
                d.withMaxConnectionsPerClient(3));
        assertEquals(new Limits(512, 1000, 10_240_000, 1000, 1000, 50, Duration.ofSeconds(5), 20),
                d.withIdleTimeout(Duration.ofSeconds(5)));
        assertEquals(new Limits(512, 1000, 10_240_000, 1000, 1000, 50, Duration.ofSeconds(300), 2),
                d.withMaxErrors(2));
        assertEquals(Limits.defaults(), d, "the original is unchanged");
    }

    @Test
    void largeMessageSizesBeyondIntAreAllowed() {
        assertEquals(5L << 30, Limits.defaults().withMaxMessageSize(5L << 30).maxMessageSize());
    }

    @Test
    void nonPositiveValuesAreRejectedWithTheirName() {
        Limits d = Limits.defaults();
        assertRejected("maxCommandLineLength", () -> d.withMaxCommandLineLength(0));
        assertRejected("maxTextLineLength", () -> d.withMaxTextLineLength(-1));
        assertRejected("maxMessageSize", () -> d.withMaxMessageSize(0));
        assertRejected("maxRecipients", () -> d.withMaxRecipients(0));
        assertRejected("maxConnections", () -> d.withMaxConnections(0));
        assertRejected("maxConnectionsPerClient", () -> d.withMaxConnectionsPerClient(0));
        assertRejected("idleTimeout", () -> d.withIdleTimeout(Duration.ZERO));
        assertRejected("idleTimeout", () -> d.withIdleTimeout(Duration.ofSeconds(-1)));
        assertRejected("maxErrors", () -> d.withMaxErrors(0));
        assertThrows(NullPointerException.class, () -> d.withIdleTimeout(null));
    }

    private static void assertRejected(String name, Runnable change) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, change::run);
        assertTrue(e.getMessage().contains(name), e.getMessage());
    }
}
