package dev.yubin.smtp.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.yubin.smtp.protocol.EnhancedStatus;
import dev.yubin.smtp.protocol.SmtpReply;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ReplyReaderTest {
    @Test
    void multilineRepliesWithAndWithoutEnhancedCodes() throws Exception {
        ReplyReader r = new ReplyReader();
        assertTrue(r.line("250-mail.example2.jp").isEmpty());
        assertTrue(r.line("250-PIPELINING").isEmpty());
        assertEquals(new SmtpReply(250, Optional.empty(), List.of("mail.example2.jp", "PIPELINING", "8BITMIME")),
                r.line("250 8BITMIME").orElseThrow());
        assertEquals(SmtpReply.of(550, new EnhancedStatus(5, 1, 1), "<x@y>: unknown"),
                r.line("550 5.1.1 <x@y>: unknown").orElseThrow());
        // a status whose class does not match the code is text, not a status
        assertEquals(SmtpReply.of(450, "5.1.1 odd"), r.line("450 5.1.1 odd").orElseThrow());
        assertEquals(SmtpReply.of(354, ""), r.line("354").orElseThrow());
        assertEquals(SmtpReply.of(220, "bell\u0007? ok"), SmtpReply.of(220, "bell\u0007? ok"));
        assertEquals("bell? ok", r.line("220 bell\u0007 ok").orElseThrow().text());
    }

    @Test
    void malformedLinesAreRefused() {
        for (String bad : List.of("", "25", "2500 x", "abc def", "099 low", "700 high")) {
            assertThrows(ReplyReader.MalformedReply.class, () -> new ReplyReader().line(bad), bad);
        }
        ReplyReader r = new ReplyReader();
        assertThrows(ReplyReader.MalformedReply.class, () -> {
            r.line("250-first");
            r.line("251 second has another code");
        });
    }
}
