package dev.yubin.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Only packages whose name ends in {@code .netty} may use {@code io.netty} (ARCHITECTURE.md §1). */
class LayeringTest {
    private static final Pattern PACKAGE = Pattern.compile("^package\\s+([\\w.]+)\\s*;", Pattern.MULTILINE);

    @Test
    void onlyNettyPackagesUseNetty() throws IOException {
        Path sources = Path.of("src/main/java");
        assertTrue(Files.isDirectory(sources), "run from the delivery module: " + sources.toAbsolutePath());
        List<String> offenders = new ArrayList<>();
        try (Stream<Path> files = Files.walk(sources)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).collect(Collectors.toList())) {
                String source = Files.readString(file, StandardCharsets.UTF_8);
                Matcher pkg = PACKAGE.matcher(source);
                String name = pkg.find() ? pkg.group(1) : "";
                if (!name.endsWith(".netty") && source.contains("io.netty")) {
                    offenders.add(file.toString());
                }
            }
        }
        assertEquals(List.of(), offenders, "these files use io.netty outside a .netty package");
    }
}
