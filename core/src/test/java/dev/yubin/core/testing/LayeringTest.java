package dev.yubin.core.testing;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LayeringTest {

    @TempDir
    Path root;

    private void write(String relative, String source) throws IOException {
        Path file = root.resolve(relative);
        Files.createDirectories(file.getParent());
        Files.writeString(file, source);
    }

    @Test
    void nettyPackagesMayImportNetty() throws IOException {
        write("a/netty/Server.java", "package a.netty;\n\nimport io.netty.channel.Channel;\n\nclass Server {}\n");
        write("a/server/Session.java", "package a.server;\n\nimport java.util.List;\n\nclass Session {}\n");
        assertDoesNotThrow(() -> Layering.assertOnlyNettyPackagesImportNetty(root));
    }

    @Test
    void offendersAreListedWithFileAndLine() throws IOException {
        write("a/server/Session.java", "package a.server;\n\nimport java.util.List;\nimport io.netty.buffer.ByteBuf;\n"
                + "\nclass Session {}\n");
        write("a/protocol/Parser.java", "package a.protocol;\n\nimport static io.netty.util.CharsetUtil.UTF_8;\n"
                + "class Parser {\n    io.netty.buffer.ByteBuf buffer;\n}\n");
        write("a/netty/Ok.java", "package a.netty;\nimport io.netty.channel.Channel;\nclass Ok {}\n");
        write("a/nettyish/Bad.java", "package a.nettyish;\nimport io.netty.channel.Channel;\nclass Bad {}\n");
        AssertionError e = assertThrows(AssertionError.class, () -> Layering.assertOnlyNettyPackagesImportNetty(root));
        String message = e.getMessage();
        String sep = root.getFileSystem().getSeparator();
        assertTrue(message.contains("a" + sep + "server" + sep + "Session.java:4: import io.netty.buffer.ByteBuf;"),
                message);
        assertTrue(message.contains("Parser.java:3: import static io.netty.util.CharsetUtil.UTF_8;"), message);
        assertTrue(message.contains("Parser.java:5: io.netty.buffer.ByteBuf buffer;"), message);
        assertTrue(message.contains("Bad.java:2:"), message);
        assertTrue(message.contains("(package a.server)"), message);
        assertFalse(message.contains("Ok.java"), message);
    }

    @Test
    void commentsStringsAndLookalikesDoNotCount() throws IOException {
        write("a/server/Doc.java", "package a.server;\n"
                + "/** Unlike {@link io.netty.channel.Channel}, this is plain. */\n"
                + "class Doc {\n"
                + "    // import io.netty.channel.Channel;\n"
                + "    /* io.netty.buffer.ByteBuf */ String s = \"io.netty.buffer\";\n"
                + "    String t = \"\"\"\n        import io.netty.x;\n        \"\"\";\n"
                + "    char q = '\"'; String u = \"io.netty.\";\n"
                + "    Object v = my.io.netty.Thing.X;\n"
                + "}\n");
        assertDoesNotThrow(() -> Layering.assertOnlyNettyPackagesImportNetty(root));
    }

    @Test
    void defaultPackageIsNotANettyPackage() throws IOException {
        write("Main.java", "import io.netty.channel.Channel;\nclass Main {}\n");
        AssertionError e = assertThrows(AssertionError.class, () -> Layering.assertOnlyNettyPackagesImportNetty(root));
        assertTrue(e.getMessage().contains("(package <default>)"), e.getMessage());
    }

    @Test
    void aRootWithoutSourcesFails() throws IOException {
        assertThrows(AssertionError.class, () -> Layering.assertOnlyNettyPackagesImportNetty(root));
        assertThrows(AssertionError.class,
                () -> Layering.assertOnlyNettyPackagesImportNetty(root.resolve("missing")));
    }

    @Test
    void blankingKeepsLineStructure() {
        String source = "a /* x\n y */ b \"s\" // c\nd";
        String blanked = Layering.blankCommentsAndLiterals(source);
        assertEquals(source.length(), blanked.length());
        assertEquals(source.split("\n", -1).length, blanked.split("\n", -1).length);
        assertTrue(blanked.startsWith("a "));
        assertTrue(blanked.endsWith("\nd"));
        assertFalse(blanked.contains("x") || blanked.contains("s") || blanked.contains("c"));
    }
}
