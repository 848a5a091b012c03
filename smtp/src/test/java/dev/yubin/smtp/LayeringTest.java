package dev.yubin.smtp;

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
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Only packages whose name ends in {@code .netty} may use {@code io.netty} (ARCHITECTURE.md §1). */
class LayeringTest {
    private static final Pattern PACKAGE = Pattern.compile("^package\\s+([\\w.]+)\\s*;", Pattern.MULTILINE);

    @Test
    void onlyNettyPackagesUseNetty() throws IOException {
        Path sources = Path.of("src/main/java");
        assertTrue(Files.isDirectory(sources), "run from the smtp module: " + sources.toAbsolutePath());
        assertEquals(List.of(), offenders(sources), "these files use io.netty outside a .netty package");
    }

    @Test
    void theCheckFindsAnOffender(@TempDir Path root) throws IOException {
        Path server = Files.createDirectories(root.resolve("dev/yubin/smtp/server"));
        Path netty = Files.createDirectories(root.resolve("dev/yubin/smtp/netty"));
        Files.writeString(server.resolve("Bad.java"),
                "package dev.yubin.smtp.server;\n\nimport io.netty.buffer.ByteBuf;\n");
        Files.writeString(server.resolve("Qualified.java"), "package dev.yubin.smtp.server;\nclass Q { "
                + "io.netty.channel.Channel c; }\n");
        Files.writeString(server.resolve("Good.java"), "package dev.yubin.smtp.server;\n// no netty here\n");
        Files.writeString(netty.resolve("Fine.java"),
                "package dev.yubin.smtp.netty;\nimport io.netty.buffer.ByteBuf;\n");
        assertEquals(List.of("Bad.java", "Qualified.java"),
                offenders(root).stream().map(f -> Path.of(f).getFileName().toString()).sorted().toList());
    }

    private static List<String> offenders(Path sources) throws IOException {
        List<String> offenders = new ArrayList<>();
        try (Stream<Path> files = Files.walk(sources)) {
            // module-info.java requires Netty's modules for the .netty packages; it holds no code
            for (Path file : files.filter(f -> f.toString().endsWith(".java")
                    && !f.getFileName().toString().equals("module-info.java")).toList()) {
                String source = Files.readString(file, StandardCharsets.UTF_8);
                Matcher pkg = PACKAGE.matcher(source);
                String name = pkg.find() ? pkg.group(1) : "";
                if (!name.endsWith(".netty") && source.contains("io.netty")) {
                    offenders.add(file.toString());
                }
            }
        }
        return offenders;
    }
}
