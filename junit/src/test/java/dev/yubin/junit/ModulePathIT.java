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
 * The module descriptors hold at run time: this module's jar and the jars it compiles against, on a module path,
 * resolve together (every requires found, no package in two modules;
 * {@code dev.yubin.dns} is optional and absent), and a
 * {@code MailServer} loaded from that module layer starts, greets over SMTP and closes.
 */
@Timeout(60)
class ModulePathIT {

    private static List<Path> modulePath() throws Exception {
        Path target = Path.of(System.getProperty("basedir", "")).toAbsolutePath().resolve("target");
        Path listing = target.resolve("module-path.txt");
        List<Path> path = new ArrayList<>();
        for (String entry : Files.readString(listing).trim().split(java.io.File.pathSeparator)) {
            if (!entry.isBlank()) {
                path.add(Path.of(entry));
            }
        }
        try (java.util.stream.Stream<Path> jars = Files.list(target)) {
            path.add(jars.filter(p -> p.getFileName().toString().matches("yubin-junit-[^-]+(-SNAPSHOT)?\\.jar"))
                    .findFirst().orElseThrow(() -> new AssertionError("no yubin-junit jar in " + target)));
        }
        for (Path entry : path) {
            assertTrue(Files.isRegularFile(entry), "not a jar (run after package): " + entry);
        }
        return path;
    }

    @Test
    void theLibraryResolvesAndRunsAsModules() throws Exception {
        ModuleFinder finder = ModuleFinder.of(modulePath().toArray(new Path[0]));
        // every module of the path, as --add-modules ALL-MODULE-PATH: automatic modules declare no requires
        Set<String> roots = finder.findAll().stream().map(m -> m.descriptor().name()).collect(Collectors.toSet());
        Configuration config = ModuleLayer.boot().configuration().resolve(finder, ModuleFinder.of(), roots);
        Set<String> resolved = config.modules().stream().map(ResolvedModule::name).collect(Collectors.toSet());
        for (String name : List.of("dev.yubin.core", "dev.yubin.auth", "dev.yubin.smtp",
                "dev.yubin.pop3", "dev.yubin.imap", "dev.yubin.delivery", "dev.yubin.mailserver", "dev.yubin.junit",
                "io.netty.transport", "org.slf4j")) {
            assertTrue(resolved.contains(name), name + " not in " + resolved);
        }
        assertFalse(config.findModule("dev.yubin.core").orElseThrow().reference().descriptor().isAutomatic(),
                "core has a module-info");
        for (String named : List.of("dev.yubin.auth", "dev.yubin.smtp", "dev.yubin.pop3", "dev.yubin.delivery")) {
            assertFalse(config.findModule(named).orElseThrow().reference().descriptor().isAutomatic(), named);
        }
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

    /**
     * The stores need no server: {@code dev.yubin.delivery} resolves on a module path of itself, core, auth, slf4j,
     * Bouncy Castle and commons-codec — no Netty, no SMTP, no DNS — and its in-memory store takes and returns a
     * message there.
     */
    @Test
    void theStoresRunWithoutNetty() throws Exception {
        List<String> wanted = List.of("yubin-core-", "yubin-auth-", "yubin-delivery-", "slf4j-api-", "bcprov-",
                "bcpkix-", "bcutil-", "commons-codec-");
        List<Path> jars = modulePath().stream()
                .filter(p -> wanted.stream().anyMatch(w -> p.getFileName().toString().startsWith(w)))
                .collect(Collectors.toList());
        assertEquals(wanted.size(), jars.size(), jars.toString());
        Configuration config = ModuleLayer.boot().configuration()
                .resolve(ModuleFinder.of(jars.toArray(new Path[0])), ModuleFinder.of(), Set.of("dev.yubin.delivery"));
        assertTrue(config.modules().stream().noneMatch(m -> m.name().startsWith("io.netty")), config.toString());
        ModuleLayer layer = ModuleLayer.boot().defineModulesWithOneLoader(config, ClassLoader.getPlatformClassLoader());
        ClassLoader loader = layer.findLoader("dev.yubin.delivery");
        Object store = loader.loadClass("dev.yubin.delivery.memory.MemoryStore").getMethod("create").invoke(null);
        Class<?> userType = loader.loadClass("dev.yubin.core.user.MailUser");
        Object user = userType.getConstructor(String.class, String.class).newInstance("abe@example.test",
                "example.test/abe/");
        Class<?> contentType = loader.loadClass("dev.yubin.core.message.MessageContent");
        Object content = contentType.getMethod("ofBytes", byte[].class)
                .invoke(null, (Object) "Subject: no netty\n\nx\n".getBytes(StandardCharsets.US_ASCII));
        Class<?> storeType = loader.loadClass("dev.yubin.core.store.MailStore");
        storeType.getMethod("deliver", userType, contentType).invoke(store, user, content);
        Object drop = storeType.getMethod("openMaildrop", userType).invoke(store, user);
        List<?> messages = (List<?>) loader.loadClass("dev.yubin.core.store.Maildrop").getMethod("messages")
                .invoke(drop);
        assertEquals(1, messages.size());
    }
}
