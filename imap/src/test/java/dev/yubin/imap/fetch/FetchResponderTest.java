package dev.yubin.imap.fetch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.yubin.core.message.MessageContent;
import dev.yubin.core.store.Flags;
import dev.yubin.core.store.MessageInfo;
import dev.yubin.imap.protocol.FetchItem;
import dev.yubin.imap.protocol.ImapCommand;
import dev.yubin.imap.protocol.ImapLimits;
import dev.yubin.imap.protocol.ImapParser;
import dev.yubin.imap.protocol.LiteralSink;
import dev.yubin.imap.protocol.ResponseStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One message's FETCH response: sections, partials, nested messages, the structure cache. */
class FetchResponderTest {
    private static final String MESSAGE = "From: kato@example1.jp\nSubject: outer\nMIME-Version: 1.0\n"
            + "Content-Type: multipart/mixed; boundary=b\n\n"
            + "--b\nContent-Type: text/plain\n\nfirst part\n"
            + "--b\nContent-Type: message/rfc822\n\nSubject: inner\nFrom: abe@example1.jp\n\ninner body\n"
            + "--b--\n";

    @TempDir
    Path spool;

    private List<FetchItem> items(String fetch) {
        ImapParser parser = new ImapParser(ImapLimits.defaults(), LiteralSink.spooling(spool, 1024));
        return ((ImapCommand.Fetch) ((ImapParser.Complete) parser.feedLine("a FETCH 1 " + fetch)).command()).items();
    }

    private static MessageInfo info(String lf) {
        long lines = lf.chars().filter(c -> c == '\n').count();
        return new MessageInfo(7, Flags.NONE, false, Instant.parse("2026-12-02T08:00:00Z"), lf.length(),
                lf.length() + lines);
    }

    private static String render(FetchResponder responder, String lf, List<FetchItem> items, String key)
            throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ResponseStream stream = responder.respond(1, info(lf), items,
                () -> MessageContent.ofBytes(lf.getBytes(StandardCharsets.UTF_8)), key)) {
            for (byte[] chunk = stream.next(); chunk != null; chunk = stream.next()) {
                out.writeBytes(chunk);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void sectionsOfANestedMessageAndPartials() throws IOException {
        FetchResponder responder = new FetchResponder(false);
        // the CRLF before a boundary belongs to the boundary (RFC 2046 §5.1.1)
        assertEquals("* 1 FETCH (BODY[1] {10}\r\nfirst part)\r\n",
                render(responder, MESSAGE, items("BODY.PEEK[1]"), null));
        assertEquals("* 1 FETCH (BODY[2.HEADER] {41}\r\nSubject: inner\r\nFrom: abe@example1.jp\r\n\r\n)\r\n",
                render(responder, MESSAGE, items("BODY.PEEK[2.HEADER]"), null));
        assertEquals("* 1 FETCH (BODY[2.TEXT] {10}\r\ninner body)\r\n",
                render(responder, MESSAGE, items("BODY.PEEK[2.TEXT]"), null));
        assertEquals("* 1 FETCH (BODY[HEADER.FIELDS (SUBJECT)] {18}\r\nSubject: outer\r\n\r\n)\r\n",
                render(responder, MESSAGE, items("BODY.PEEK[HEADER.FIELDS (Subject)]"), null));
        assertEquals("* 1 FETCH (BODY[]<6> {8}\r\nkato@exa)\r\n",
                render(responder, MESSAGE, items("BODY.PEEK[]<6.8>"), null));
        assertEquals("* 1 FETCH (BODY[3] NIL)\r\n", render(responder, MESSAGE, items("BODY.PEEK[3]"), null));
    }

    @Test
    void aCachedStructureIsNotParsedAgain() throws IOException {
        StructureCache cache = new StructureCache(10);
        FetchResponder responder = new FetchResponder(false, cache);
        String key = StructureCache.key("abe", "INBOX", 1, 7);
        String first = render(responder, MESSAGE, items("(ENVELOPE BODYSTRUCTURE)"), key);
        assertTrue(first.contains("\"outer\""), first);
        assertEquals(1, cache.size());
        // the same UID cannot change its content; a different one here shows the cache answered
        String again = render(responder, MESSAGE.replace("outer", "OTHER"), items("(ENVELOPE BODYSTRUCTURE)"), key);
        assertEquals(first, again);
        String uncached = render(responder, MESSAGE.replace("outer", "OTHER"), items("(ENVELOPE)"), null);
        assertTrue(uncached.contains("\"OTHER\""), uncached);
    }

    @Test
    void theHeaderAloneIsReadAsThePartScannerSeesIt() throws IOException {
        FetchResponder responder = new FetchResponder(false);
        for (String lf : List.of(MESSAGE, "Subject: no body\n", "\nbody without a header\n", "",
                "Subject: crlf\r\nFrom: a@b\r\n\r\nbody\r\n", "Subject: x\n\n\nbody after two\n")) {
            String alone = render(responder, lf, items("BODY.PEEK[HEADER]"), null);
            // TEXT first makes the responder scan the parts; HEADER then comes from the scan
            String scanned = render(responder, lf, items("(BODY.PEEK[TEXT] BODY.PEEK[HEADER])"), null);
            String header = scanned.substring(scanned.indexOf("BODY[HEADER]"));
            assertEquals("* 1 FETCH (" + header, alone, () -> "for " + lf.replace("\n", "\\n"));
            String fields = render(responder, lf, items("BODY.PEEK[HEADER.FIELDS (Subject)]"), null);
            assertTrue(fields.endsWith("\r\n)\r\n") || fields.contains("{0}") || fields.contains("{2}"), fields);
        }
    }

    @Test
    void aBodyOfSomeSizeComesWholeAndInPartials() throws IOException {
        StringBuilder body = new StringBuilder();
        for (int i = 0; body.length() < 100_000; i++) {
            body.append("line ").append(i).append('\n');
        }
        String lf = "Subject: big\n\n" + body;
        String crlf = lf.replace("\n", "\r\n");
        FetchResponder responder = new FetchResponder(false);
        assertEquals("* 1 FETCH (BODY[] {" + crlf.length() + "}\r\n" + crlf + ")\r\n",
                render(responder, lf, items("BODY.PEEK[]"), null));
        assertEquals("* 1 FETCH (BODY[]<1000> {50000}\r\n" + crlf.substring(1000, 51_000) + ")\r\n",
                render(responder, lf, items("BODY.PEEK[]<1000.50000>"), null));
        String text = crlf.substring(crlf.indexOf("\r\n\r\n") + 4);
        assertEquals("* 1 FETCH (BODY[TEXT] {" + text.length() + "}\r\n" + text + ")\r\n",
                render(responder, lf, items("BODY.PEEK[TEXT]"), null));
    }
}
