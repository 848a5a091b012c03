package dev.yubin.imap;

import dev.yubin.core.testing.Layering;
import org.junit.jupiter.api.Test;

/** Only packages whose name ends in {@code .netty} may use {@code io.netty} (ARCHITECTURE.md §1). */
class LayeringTest {

    @Test
    void onlyNettyPackagesUseNetty() {
        Layering.assertOnlyNettyPackagesImportNetty(Layering.moduleMainSources());
    }
}
