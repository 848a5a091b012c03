package dev.yubin.dns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.yubin.dns.testing.MutableClock;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Name;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

class RecordCacheTest {
    private final MutableClock clock = new MutableClock();

    private static Name name(int i) throws TextParseException {
        return Name.fromString("host" + i + ".example.test.");
    }

    @Test
    void sizeStaysWithinTheBound() throws TextParseException {
        RecordCache cache = new RecordCache(10, clock, 86400, 10800);
        for (int i = 0; i < 50; i++) {
            cache.put(name(i), Type.MX, new Answer.NoData(60));
            assertTrue(cache.size() <= 10, "size " + cache.size() + " after " + (i + 1) + " answers");
        }
        assertNotNull(cache.get(name(49), Type.MX), "the newest answer is kept");
    }

    @Test
    void expiredAnswersMakeRoomBeforeFreshOnes() throws TextParseException {
        RecordCache cache = new RecordCache(4, clock, 86400, 10800);
        cache.put(name(0), Type.MX, new Answer.NoData(3600));
        for (int i = 1; i < 4; i++) {
            cache.put(name(i), Type.MX, new Answer.NoData(10));
        }
        clock.advance(Duration.ofSeconds(10));
        cache.put(name(4), Type.MX, new Answer.NoData(60));
        assertEquals(2, cache.size(), "the three expired answers went first");
        assertNotNull(cache.get(name(0), Type.MX));
        assertNotNull(cache.get(name(4), Type.MX));
    }

    @Test
    void ttlsAreCappedAndZeroIsNotKept() throws TextParseException {
        RecordCache cache = new RecordCache(100, clock, 86400, 30);
        cache.put(name(1), Type.MX, new Answer.NoSuchDomain(3600));
        cache.put(name(2), Type.MX, new Answer.NoData(0));
        cache.put(name(3), Type.MX, new Answer.Failure("SERVFAIL"));
        assertNull(cache.get(name(2), Type.MX));
        assertNull(cache.get(name(3), Type.MX));
        clock.advance(Duration.ofSeconds(29));
        assertNotNull(cache.get(name(1), Type.MX));
        clock.advance(Duration.ofSeconds(1));
        assertNull(cache.get(name(1), Type.MX), "maxNegativeTtl 30 s caps the SOA's 3600");
    }
}
