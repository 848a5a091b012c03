package dev.yubin.core.netty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.yubin.core.tls.TlsIdentity;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ServerTlsTest {
    private static final TlsIdentity IDENTITY = TlsIdentity.selfSigned("mail.example.test");

    @Test
    void eagerBuildsTheContextAtOnce() {
        ServerTls tls = ServerTls.eager(IDENTITY);
        assertTrue(tls.isBuilt());
        assertSame(IDENTITY, tls.identity());
        assertSame(tls.context(), tls.context());
    }

    @Test
    void lazyMakesIdentityAndContextAtTheFirstHandshakeOnlyOnceAcrossThreads() throws Exception {
        AtomicInteger made = new AtomicInteger();
        ServerTls tls = ServerTls.lazy(() -> {
            made.incrementAndGet();
            return IDENTITY;
        });
        assertFalse(tls.isBuilt());
        assertEquals(0, made.get(), "nothing made before a connection asks");
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Callable<SslContext>> tasks = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                tasks.add(tls::context);
            }
            List<Future<SslContext>> contexts = pool.invokeAll(tasks);
            for (Future<SslContext> context : contexts) {
                assertSame(contexts.get(0).get(), context.get());
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(1, made.get());
        SslHandler handler = tls.newHandler(ByteBufAllocator.DEFAULT);
        assertFalse(handler.engine().getUseClientMode());
        assertSame(IDENTITY, tls.identity());
    }

    @Test
    void aSourceThatGivesNothingFailsTheHandshakeNotTheServer() {
        ServerTls tls = ServerTls.lazy(() -> null);
        assertThrows(NullPointerException.class, tls::context);
        assertFalse(tls.isBuilt());
    }
}
