package dev.yubin.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The README's Java snippets are the tests' code: each {@code <!-- snippet: NAME -->} block equals the region
 * between {@code // --- README: NAME ---} and {@code // --- end ---} of a test source (indentation aside), so a
 * snippet that no longer compiles or runs fails the build.
 */
class ReadmeSnippetsTest {
    private static final Pattern README_BLOCK =
            Pattern.compile("<!-- snippet: ([^ ]+) -->\\n```java\\n(.*?)\\n```", Pattern.DOTALL);
    private static final Pattern CODE_REGION =
            Pattern.compile("// --- README: ([^ ]+) ---\\n(.*?)\\n[ \\t]*// --- end ---", Pattern.DOTALL);

    private static Path root() {
        Path here = Path.of(System.getProperty("user.dir")).toAbsolutePath();
        return Files.exists(here.resolve("README.md")) && Files.exists(here.resolve("examples")) ? here
                : here.getParent();
    }

    private static String dedent(String text) {
        String[] lines = text.split("\n", -1);
        int indent = Integer.MAX_VALUE;
        for (String line : lines) {
            if (!line.isBlank()) {
                indent = Math.min(indent, line.length() - line.stripLeading().length());
            }
        }
        List<String> out = new ArrayList<>();
        for (String line : lines) {
            out.add(line.isBlank() ? "" : line.substring(indent).stripTrailing());
        }
        return String.join("\n", out);
    }

    private static Map<String, String> regions() throws IOException {
        Map<String, String> regions = new LinkedHashMap<>();
        try (Stream<Path> files = Files.walk(root(), 12)) {
            for (Path file : (Iterable<Path>) files
                    .filter(p -> p.toString().endsWith(".java") && p.toString().contains("/src/test/java/")
                            && !p.toString().contains("/target/"))::iterator) {
                Matcher m = CODE_REGION.matcher(Files.readString(file));
                while (m.find()) {
                    regions.put(m.group(1), dedent(m.group(2)));
                }
            }
        }
        return regions;
    }

    @Test
    void everyJavaSnippetIsATestsCodeWordForWord() throws IOException {
        String readme = Files.readString(root().resolve("README.md"));
        Map<String, String> regions = regions();
        Matcher m = README_BLOCK.matcher(readme);
        int snippets = 0;
        while (m.find()) {
            snippets++;
            String name = m.group(1);
            assertTrue(regions.containsKey(name), "README snippet " + name + " has no // --- README: " + name
                    + " --- region in a test");
            assertEquals(regions.get(name), dedent(m.group(2)), "README snippet " + name + " differs from its test");
        }
        assertTrue(snippets >= 4, "the quick starts and the embedding example: " + snippets);
    }

    @Test
    void everyJavaBlockOfTheReadmeIsASnippet() throws IOException {
        String readme = Files.readString(root().resolve("README.md"));
        String[] lines = readme.split("\n");
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].equals("```java")) {
                assertTrue(i > 0 && lines[i - 1].startsWith("<!-- snippet: "),
                        "README.md line " + (i + 1) + ": a Java block that no test checks");
            }
        }
        assertFalse(regions().isEmpty());
    }
}
