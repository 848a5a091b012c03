package dev.yubin.dns;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * One question at a time: the cache, then the resolver, with CNAMEs followed (in the answer, and by asking again
 * when a resolver did not follow them) and concurrent questions for the same (name, type) sharing one query.
 * Thread-safe.
 */
final class DnsLookup {
    /** Longer chains than this are treated as a loop (BIND follows up to 16, Postfix 10). */
    static final int MAX_CNAME_CHAIN = 8;

    private record Question(Name name, int type) {
    }

    private final Resolver resolver;
    private final Executor executor;
    private final RecordCache cache;
    private final Duration deadline;
    private final String servers;
    private final Map<Question, CompletableFuture<Answer>> inFlight = new ConcurrentHashMap<>();

    DnsLookup(Resolver resolver, Executor executor, RecordCache cache, Duration deadline, String servers) {
        this.resolver = resolver;
        this.executor = executor;
        this.cache = cache;
        this.deadline = deadline;
        this.servers = servers;
    }

    /** The answer for {@code name} (absolute) and {@code type}; never completes exceptionally. */
    CompletableFuture<Answer> lookup(Name name, int type) {
        return lookup(name, type, 0);
    }

    private CompletableFuture<Answer> lookup(Name name, int type, int depth) {
        Answer cached = cache.get(name, type);
        if (cached != null) {
            return CompletableFuture.completedFuture(cached);
        }
        Question question = new Question(name, type);
        CompletableFuture<Answer> promise = new CompletableFuture<>();
        // Only a first question joins one in flight: a CNAME chase that did could wait for itself in a loop.
        if (depth == 0) {
            CompletableFuture<Answer> running = inFlight.putIfAbsent(question, promise);
            if (running != null) {
                return running;
            }
        }
        query(name, type, depth).whenComplete((answer, failure) -> {
            Answer result = failure == null ? answer : failure(name, type, failure);
            cache.put(name, type, result);
            if (depth == 0) {
                inFlight.remove(question, promise);
            }
            promise.complete(result);
        });
        return promise;
    }

    private CompletableFuture<Answer> query(Name name, int type, int depth) {
        Message query = Message.newQuery(Record.newRecord(name, type, DClass.IN));
        return resolver.sendAsync(query, executor).toCompletableFuture()
                .orTimeout(deadline.toMillis(), TimeUnit.MILLISECONDS)
                .thenCompose(response -> interpret(name, type, response, depth));
    }

    private CompletableFuture<Answer> interpret(Name name, int type, Message response, int depth) {
        int rcode = response.getRcode();
        String question = name + "/" + Type.string(type);
        if (rcode == Rcode.NXDOMAIN) {
            return CompletableFuture.completedFuture(new Answer.NoSuchDomain(negativeTtl(response)));
        }
        if (rcode != Rcode.NOERROR) {
            return CompletableFuture.completedFuture(
                    new Answer.Failure(Rcode.string(rcode) + " from " + servers + " for " + question));
        }
        List<Record> answers = response.getSection(Section.ANSWER);
        Name owner = name;
        long ttl = Long.MAX_VALUE;
        for (int hops = 0; hops <= MAX_CNAME_CHAIN; hops++) {
            List<Record> records = new ArrayList<>();
            CNAMERecord alias = null;
            for (Record record : answers) {
                if (!record.getName().equals(owner)) {
                    continue;
                }
                if (record.getType() == type) {
                    records.add(record);
                    ttl = Math.min(ttl, record.getTTL());
                } else if (record.getType() == Type.CNAME) {
                    alias = (CNAMERecord) record;
                }
            }
            if (!records.isEmpty()) {
                return CompletableFuture.completedFuture(new Answer.Found(owner, records, ttl, hops > 0));
            }
            if (alias == null) {
                break;
            }
            ttl = Math.min(ttl, alias.getTTL());
            owner = alias.getTarget();
        }
        boolean soa = hasSoa(response);
        if (!soa && answers.isEmpty() && response.getSection(Section.AUTHORITY).stream()
                .anyMatch(r -> r.getType() == Type.NS)) {
            return CompletableFuture.completedFuture(new Answer.Failure(
                    "referral from " + servers + " for " + question + ": the server does not recurse"));
        }
        if (owner.equals(name) || soa) {
            long negative = negativeTtl(response);
            return CompletableFuture.completedFuture(new Answer.NoData(negative < 0 ? -1 : Math.min(ttl, negative)));
        }
        // The resolver stopped at an alias without saying that its target is empty: ask for the target.
        if (depth + 1 > MAX_CNAME_CHAIN) {
            return CompletableFuture.completedFuture(new Answer.Failure("CNAME chain too long at " + question));
        }
        long chainTtl = ttl;
        return lookup(owner, type, depth + 1).thenApply(target -> viaAlias(target, chainTtl));
    }

    /** An answer for an alias's target, as the answer for the alias. */
    private static Answer viaAlias(Answer target, long aliasTtl) {
        if (target instanceof Answer.Found found) {
            return new Answer.Found(found.owner(), found.records(), Math.min(aliasTtl, found.ttl()), true);
        }
        if (target instanceof Answer.NoSuchDomain nx) {
            return new Answer.NoSuchDomain(nx.ttl() < 0 ? -1 : Math.min(aliasTtl, nx.ttl()));
        }
        if (target instanceof Answer.NoData empty) {
            return new Answer.NoData(empty.ttl() < 0 ? -1 : Math.min(aliasTtl, empty.ttl()));
        }
        return target;
    }

    private static boolean hasSoa(Message response) {
        return response.getSection(Section.AUTHORITY).stream().anyMatch(r -> r.getType() == Type.SOA);
    }

    /** RFC 2308 §5: the smaller of the SOA's own TTL and its MINIMUM field; {@code -1} without an SOA. */
    private static long negativeTtl(Message response) {
        for (Record record : response.getSection(Section.AUTHORITY)) {
            if (record instanceof SOARecord soa) {
                return Math.min(soa.getTTL(), soa.getMinimum());
            }
        }
        return -1;
    }

    private Answer failure(Name name, int type, Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        String question = name + "/" + Type.string(type);
        if (cause instanceof SocketTimeoutException || cause instanceof TimeoutException
                || (cause instanceof IOException && String.valueOf(cause.getMessage()).contains("Timed out"))) {
            return new Answer.Failure("timeout from " + servers + " for " + question);
        }
        if (cause instanceof IOException) {
            return new Answer.Failure(cause.getClass().getSimpleName() + " from " + servers + " for " + question
                    + ": " + cause.getMessage());
        }
        DnsLog.LOG.warn("lookup of {} failed unexpectedly", question, cause);
        return new Answer.Failure("resolver error for " + question + ": " + cause);
    }
}
