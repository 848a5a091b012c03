package dev.yubin.delivery.mbox;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CrlfToLfTest {
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "a\\r\\nb\\r\\n|a\\nb\\n",
        "lone\\rcr\\r\\n|lone\\rcr\\n",
        "\\r\\r\\n|\\r\\n",
        "ends in cr\\r|ends in cr\\r",
        "bare\\nlf\\n|bare\\nlf\\n",
    })
    void crlfBecomesLfAndEverythingElseStays(String input, String expected) throws Exception {
        byte[] in = unescape(input).getBytes(ISO_8859_1);
        for (int chunk : new int[] {1, 2, 3, 4096}) {
            try (InputStream stream = new CrlfToLf(new ByteArrayInputStream(in))) {
                StringBuilder out = new StringBuilder();
                byte[] buffer = new byte[chunk];
                for (int n; (n = stream.read(buffer)) >= 0; ) {
                    out.append(new String(buffer, 0, n, ISO_8859_1));
                }
                assertEquals(unescape(expected), out.toString(), "chunk " + chunk);
            }
        }
    }

    private static String unescape(String s) {
        return s.replace("\\r", "\r").replace("\\n", "\n");
    }
}
