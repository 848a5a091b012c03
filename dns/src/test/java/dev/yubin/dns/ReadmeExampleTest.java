package dev.yubin.dns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.yubin.core.address.Domain;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The README's resolver example, as written there. */
class ReadmeExampleTest {

    @Test
    void staticTableInFrontOfDns() throws Exception {
        ExecutorService deliveryExecutor = Executors.newSingleThreadExecutor();
        List<MxResult> results = new CopyOnWriteArrayList<>();
        try {
            // --- README: mx ---
            MxResolver resolver = StaticMxResolver.builder()
                    .mx("example.test", 10, "mx.example.test").host("mx.example.test", "127.0.0.2")
                    .fallback(DnsMxResolver.builder().build())      // everything else through the system's DNS
                    .build();
            resolver.resolve(Domain.of("example.test")).thenAcceptAsync(results::add, deliveryExecutor);
            // --- end ---
            deliveryExecutor.shutdown();
            assertTrue(deliveryExecutor.awaitTermination(10, TimeUnit.SECONDS));
            MxResult.Hosts hosts = (MxResult.Hosts) results.get(0);
            assertEquals(Domain.of("mx.example.test"), hosts.hosts().get(0).name());
            assertEquals(10, hosts.hosts().get(0).preference());
        } finally {
            deliveryExecutor.shutdownNow();
        }
    }
}
