package dev.yubin.core;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.yubin.core.testing.Layering;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class CoreLayeringTest {

    @Test
    void onlyNettyPackagesOfCoreImportNetty() {
        Path sources = Layering.moduleMainSources();
        assertTrue(Files.isDirectory(sources.resolve("dev/yubin/core/netty")), "core sources at " + sources);
        Layering.assertOnlyNettyPackagesImportNetty(sources);
    }
}
