package dev.yubin.junit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.lang.module.Configuration;
import java.lang.module.ModuleFinder;
import java.lang.module.ResolvedModule;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The module descriptors hold at run time: the runtime jars of this module on a module path resolve with
 * {@code dev.yubin.junit} as the root (every requires found, no package in two modules; {@code dev.yubin.dns} is
 * optional and absent), and a
 * {@code MailServer} loaded from that module layer starts, greets over SMTP and closes.
 */
@Timeout(60)
class ModulePathTest {

    private static List<Path> modulePath() throws Exception {
        Path listing = Path.of(System.getProperty("basedir", "")).toAbsolutePath()
                .resolve("target/runtime-module-path.txt");
        List<Path> path = new ArrayList<>();
        for (String entry : Files.readString(listing).trim().split(java.io.File.pathSeparator)) {
            if (!entry.isBlank()) {
                path.add(Path.of(entry));
            }
        }
        path.add(Path.of(System.getProperty("basedir", "")).toAbsolutePath().resolve("target/classes"));
        return path;
    }

    @Test
    void theLibraryResolvesAndRunsAsModules() throws Exception {
        ModuleFinder finder = ModuleFinder.of(modulePath().toArray(new Path[0]));
        Configuration config = ModuleLayer.boot().configuration()
                .resolve(finder, ModuleFinder.of(), Set.of("dev.yubin.junit"));
        Set<String> resolved = config.modules().stream().map(ResolvedModule::name).collect(Collectors.toSet());
        for (String name : List.of("dev.yubin.core", "dev.yubin.auth", "dev.yubin.smtp",
                "dev.yubin.pop3", "dev.yubin.imap", "dev.yubin.delivery", "dev.yubin.mailserver", "dev.yubin.junit",
                "io.netty.transport", "org.slf4j")) {
            assertTrue(resolved.contains(name), name + " not in " + resolved);
        }
        assertFalse(config.findModule("dev.yubin.core").orElseThrow().reference().descriptor().isAutomatic(),
                "core has a module-info");
        assertTrue(config.findModule("dev.yubin.imap").orElseThrow().reference().descriptor().isAutomatic(),
                "imap is automatic: apache-mime4j has no module name");

        ModuleLayer layer = ModuleLayer.boot().defineModulesWithOneLoader(config, ClassLoader.getPlatformClassLoader());
        ClassLoader loader = layer.findLoader("dev.yubin.mailserver");
        Class<?> mailServer = loader.loadClass("dev.yubin.mailserver.MailServer");
        assertEquals("dev.yubin.mailserver", mailServer.getModule().getName());
        Object builder = mailServer.getMethod("builder").invoke(null);
        builder = builder.getClass().getMethod("domain", String.class).invoke(builder, "example.test");
        builder = builder.getClass().getMethod("smtp", int.class).invoke(builder, 0);
        Object server = builder.getClass().getMethod("build").invoke(builder);
        server.getClass().getMethod("start").invoke(server);
        try {
            Class<?> service = loader.loadClass("dev.yubin.mailserver.MailServer$Service");
            @SuppressWarnings({"unchecked", "rawtypes"})
            Object smtp = Enum.valueOf((Class) service, "SMTP");
            int port = (Integer) server.getClass().getMethod("port", service).invoke(server, smtp);
            try (Socket socket = new Socket("127.0.0.1", port)) {
                socket.setSoTimeout(10_000);
                InputStream in = socket.getInputStream();
                String greeting = new String(in.readNBytes(4), StandardCharsets.US_ASCII);
                assertEquals("220 ", greeting);
            }
        } finally {
            server.getClass().getMethod("close").invoke(server);
        }
    }
}
