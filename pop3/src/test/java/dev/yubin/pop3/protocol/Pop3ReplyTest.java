package dev.yubin.pop3.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.yubin.core.store.StoreException;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class Pop3ReplyTest {

    @Test
    void singleLineResponses() {
        assertEquals("+OK\r\n", Pop3Replies.OK.toWire());
        assertEquals("+OK 2 320\r\n", Pop3Replies.stat(2, 320).toWire());
        assertEquals("-ERR message 2 already deleted\r\n", Pop3Replies.alreadyDeleted(2).toWire());
        assertEquals("-ERR [IN-USE] Mailbox is locked by another POP3 session\r\n", Pop3Replies.IN_USE.toWire());
        assertEquals("-ERR [AUTH] Plaintext authentication disallowed on non-secure (SSL/TLS) connections.\r\n",
                Pop3Replies.PLAINTEXT_DISALLOWED.toWire());
    }

    @Test
    void continuationsAlwaysHaveTheSpace() {
        assertEquals("+ \r\n", Pop3Reply.continuation("").toWire());
        assertEquals("+ PDE4OTYuNjk3MTcwOTUyQHBvc3RvZmZpY2U+\r\n",
                Pop3Reply.continuation("PDE4OTYuNjk3MTcwOTUyQHBvc3RvZmZpY2U+").toWire());
    }

    @Test
    void multilineResponsesAreByteStuffedAndEndWithADot() {
        Pop3Reply capa = Pop3Reply.multiline("", List.of("TOP", ".hidden", "..two", "UIDL"));
        assertEquals("+OK\r\nTOP\r\n..hidden\r\n...two\r\nUIDL\r\n.\r\n", capa.toWire());
        assertEquals("+OK 0 messages:\r\n.\r\n",
                Pop3Reply.multiline(Pop3Replies.listing(0), List.of()).toWire());
    }

    @Test
    void codesOnlyAfterErrAndNoLineBreaksInText() {
        assertThrows(IllegalArgumentException.class, () -> new Pop3Reply(Pop3Reply.Status.OK,
                Optional.of(Pop3ResponseCode.AUTH), "x", List.of(), false));
        assertThrows(IllegalArgumentException.class, () -> Pop3Reply.err("a\r\n+OK injected"));
        assertThrows(IllegalArgumentException.class, () -> Pop3Reply.multiline("", List.of("a\nb")));
        assertThrows(IllegalArgumentException.class, () -> new Pop3Reply(Pop3Reply.Status.ERR, Optional.empty(),
                "x", List.of("line"), true));
    }

    @Test
    void failuresMapToSysTempOrSysPerm() {
        assertEquals("-ERR [SYS/TEMP] Mailbox is temporarily unavailable.",
                Pop3Replies.forFailure(new StoreException("disk", true, null)).statusLine());
        assertEquals("-ERR [SYS/PERM] Mailbox is unusable; contact the administrator.",
                Pop3Replies.forFailure(new StoreException("not a dir", false, null)).statusLine());
        assertEquals("-ERR [SYS/TEMP] Internal error.",
                Pop3Replies.forFailure(new IllegalStateException("bug")).statusLine());
    }
}
