package dev.yubin.imap.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ModifiedUtf7Test {

    private record Case(String name, String wire) {
    }

    private static final List<Case> CASES = List.of(
            new Case("INBOX", "INBOX"),
            new Case("", ""),
            new Case("☺", "&Jjo-"),
            new Case("&", "&-"),
            new Case("A&B", "A&-B"),
            new Case("&&", "&-&-"),
            new Case("日本語", "&ZeVnLIqe-"),
            // RFC 3501 §5.1.3 example: "~peter/mail/台北/日本語"
            new Case("~peter/mail/台北/日本語", "~peter/mail/&U,BTFw-/&ZeVnLIqe-"),
            new Case("Entwürfe", "Entw&APw-rfe"),
            new Case("Папка", "&BB8EMAQ,BDoEMA-"),
            new Case("😀 smile", "&2D3eAA- smile"),
            new Case("tab\there", "tab&AAk-here"),
            new Case("a~b", "a~b"));

    @Test
    void encodesAndDecodesRfcExamples() {
        for (Case c : CASES) {
            assertEquals(c.wire(), ModifiedUtf7.encode(c.name()), c.name());
            assertEquals(c.name(), ModifiedUtf7.decode(c.wire()), c.wire());
            assertTrue(ModifiedUtf7.isValid(c.wire()), c.wire());
        }
    }

    @Test
    void roundTripsEveryBmpCharacterBlock() {
        StringBuilder all = new StringBuilder();
        for (char c = 1; c < 0xd800; c += 7) {
            all.append(c);
        }
        String name = all.toString();
        assertEquals(name, ModifiedUtf7.decode(ModifiedUtf7.encode(name)));
    }

    @Test
    void rejectsMalformedWireForms() {
        for (String bad : List.of("&", "a&Jjo", "&Jj-", "&AGE-", "&Jjo-&Jjo-", "&2D0-", "&3gA-", "caf\u00e9",
                "&Jjo!-", "a\tb", "&Jjp-")) {
            assertFalse(ModifiedUtf7.isValid(bad), bad);
            assertThrows(IllegalArgumentException.class, () -> ModifiedUtf7.decode(bad), bad);
        }
    }

    @Test
    void decodeNamesTheReason() {
        var e = assertThrows(IllegalArgumentException.class, () -> ModifiedUtf7.decode("Drafts&"));
        assertEquals("Unterminated &: Drafts&", e.getMessage());
    }
}
