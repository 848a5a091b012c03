package dev.yubin.imap.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class MailboxPatternTest {
    private static final Object[][] CASES = {
        // reference, pattern, name, matches
        {"", "*", "INBOX", true},
        {"", "*", "Lists.yubin.dev", true},
        {"", "%", "INBOX", true},
        {"", "%", "Lists", true},
        {"", "%", "Lists.yubin", false},
        {"", "Lists.%", "Lists.yubin", true},
        {"", "Lists.%", "Lists.yubin.dev", false},
        {"", "Lists.*", "Lists.yubin.dev", true},
        {"", "Lists.*", "Lists", false},
        {"", "Lists*", "Lists", true},
        {"", "inbox", "INBOX", true},
        {"", "Inbox.%", "INBOX.Sub", true},
        {"", "inboxes", "Inboxes", false},
        {"", "S%", "Sent", true},
        {"", "S%", "Sent.Old", false},
        {"", "%t", "Sent", true},
        {"", "%.%", "Lists.yubin", true},
        {"", "%.%", "Lists", false},
        {"", "*n*", "Lists.yubin", true},
        {"", "%%*", "a.b.c", true},
        {"Lists.", "%", "Lists.yubin", true},
        {"Lists.", "%", "Lists.yubin.dev", false},
        {"Lists", ".%", "Lists.yubin", true},
        {"Lists.", ".%", "Lists.yubin", true},
        {"", "Trash", "Trash", true},
        {"", "Trash", "trash", false},
        {"", "日本*", "日本語", true},
    };

    @Test
    void wildcardTable() {
        for (Object[] c : CASES) {
            MailboxPattern pattern = MailboxPattern.of((String) c[0], (String) c[1], '.');
            assertEquals(c[3], pattern.matches((String) c[2]), () -> c[0] + " " + c[1] + " vs " + c[2]);
        }
    }
}
