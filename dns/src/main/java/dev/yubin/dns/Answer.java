package dev.yubin.dns;

import java.util.List;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;

/**
 * What one DNS question (name, type) came to after CNAMEs were followed; what {@link RecordCache} keeps.
 * A TTL of {@code -1} means "do not cache" (a negative answer without an SOA, RFC 2308 §5).
 */
sealed interface Answer {
    /** Seconds the answer may be cached, or {@code -1}. */
    long ttl();

    /**
     * Records of the type asked for.
     *
     * @param owner the name that holds them: the name asked for, or the end of its CNAME chain
     * @param alias whether a CNAME was followed to get there
     */
    record Found(Name owner, List<Record> records, long ttl, boolean alias) implements Answer {
        public Found {
            records = List.copyOf(records);
        }
    }

    /** The name does not exist (RCODE 3). */
    record NoSuchDomain(long ttl) implements Answer {
    }

    /** The name exists but has no records of the type (NOERROR, empty answer; RFC 2308 §2.2). */
    record NoData(long ttl) implements Answer {
    }

    /** SERVFAIL, REFUSED, a timeout or an I/O error: worth another try later. Never cached. */
    record Failure(String reason) implements Answer {
        @Override
        public long ttl() {
            return -1;
        }
    }
}
