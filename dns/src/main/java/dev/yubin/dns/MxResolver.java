package dev.yubin.dns;

import dev.yubin.core.address.Domain;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;

/**
 * Finds the mail exchangers of a domain (RFC 5321 §5.1). Implementations are thread-safe.
 *
 * <p>The stage never completes exceptionally: every failure is an {@link MxResult.Temporary} or
 * {@link MxResult.Permanent}. An answer from a cache may complete at once on the calling thread; an answer from
 * the network completes on the resolver's executor, never on a Netty event loop or a dnsjava I/O thread.
 * Continue with {@code thenApplyAsync(f, deliveryExecutor)} when {@code f} blocks.
 */
public interface MxResolver {
    /** Resolves {@code domain}: a name is looked up, an address literal such as {@code [192.0.2.1]} is not. */
    CompletionStage<MxResult> resolve(Domain domain);

    /**
     * Resolves and waits: for tools, tests and threads that may block. Never call it on an event loop.
     * An interrupt ends the wait with an {@link MxResult.Temporary} and keeps the thread's interrupt status.
     */
    default MxResult resolveBlocking(Domain domain) {
        try {
            return resolve(domain).toCompletableFuture().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new MxResult.Temporary(domain, "interrupted while resolving " + domain);
        } catch (ExecutionException e) {
            return new MxResult.Temporary(domain, "resolver failed: " + e.getCause());
        }
    }
}
