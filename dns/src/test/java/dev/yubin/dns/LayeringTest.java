package dev.yubin.dns;

import dev.yubin.core.testing.Layering;
import org.junit.jupiter.api.Test;

class LayeringTest {
    @Test
    void onlyNettyPackagesUseNetty() {
        Layering.assertOnlyNettyPackagesImportNetty(Layering.moduleMainSources());
    }
}
