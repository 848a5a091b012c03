package dev.yubin.delivery.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class MissingHeadersTest {

    private static MissingHeaders.Scan scan(String text) throws IOException {
        return MissingHeaders.scan(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void findsTheThreeFieldsCaseInsensitivelyAndUnfoldsTheMessageId() throws IOException {
        MissingHeaders.Scan scan = scan("Subject: a\nmessage-ID:\n <x@y.jp>\nDATE: now\nfrom : kato\n\nFrom: body\n");
        assertEquals(new MissingHeaders.Scan(false, Optional.of("<x@y.jp>"), true, true), scan);
    }

    @Test
    void fieldsInTheBodyDoNotCount() throws IOException {
        assertEquals(new MissingHeaders.Scan(false, Optional.empty(), false, false),
                scan("Subject: a\n\nMessage-Id: <x@y>\nDate: d\nFrom: f\n"));
    }

    @Test
    void textThatStartsWithABodyLineNeedsTheEmptyLine() throws IOException {
        assertTrue(scan("hello postfix!\n").startsWithBody());
        assertTrue(scan(" indented first line\n").startsWithBody());
        assertTrue(scan("From kato Thu Jul 23 2020\nSubject: x\n").startsWithBody());
        assertTrue(scan("no colon here\nSubject: x\n").startsWithBody());
    }

    @Test
    void emptyTextAndHeaderOnlyTextNeedNoEmptyLine() throws IOException {
        assertFalse(scan("").startsWithBody());
        assertFalse(scan("\nbody\n").startsWithBody());
        assertEquals(new MissingHeaders.Scan(false, Optional.empty(), false, true), scan("From: a@b"));
    }

    @Test
    void aHugeFirstLineWithoutLineEndIsNotReadWhole() throws IOException {
        int[] reads = new int[1];
        java.io.InputStream endless = new java.io.InputStream() {
            @Override
            public int read() {
                reads[0]++;
                return 'x';
            }
        };
        assertFalse(MissingHeaders.scan(endless).hasFrom());
        assertTrue(reads[0] <= MissingHeaders.HEADER_SIZE_LIMIT + 1, "read " + reads[0]);
    }

    @Test
    void onlyTheHeaderSizeLimitIsRead() throws IOException {
        String huge = "X-Big: " + "a".repeat(MissingHeaders.HEADER_SIZE_LIMIT) + "\nFrom: late\n\n";
        assertFalse(scan(huge).hasFrom());
    }
}
