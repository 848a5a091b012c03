package dev.yubin.delivery.mbox;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** mboxrd quoting and unquoting, fed whole, split at every byte position, and one byte at a time. */
class MboxQuotingTest {
    /** Content as delivered → as written into the mbox (quoted). */
    private static final List<String[]> QUOTING = List.of(
            new String[] {"From me\n", ">From me\n"},
            new String[] {">From me\n", ">>From me\n"},
            new String[] {">>>From me\n", ">>>>From me\n"},
            new String[] {"a\nFrom x\n>From y\nb\n", "a\n>From x\n>>From y\nb\n"},
            new String[] {"From\n", "From\n"},
            new String[] {"From:\n", "From:\n"},
            new String[] {"from x\n", "from x\n"},
            new String[] {" From x\n", " From x\n"},
            new String[] {">Fro\n", ">Fro\n"},
            new String[] {">>\n", ">>\n"},
            new String[] {"x From y\n", "x From y\n"},
            new String[] {"From ", ">From "},
            new String[] {"Fro", "Fro"},
            new String[] {">F>From x\n", ">F>From x\n"},
            new String[] {"\nFrom \n", "\n>From \n"},
            new String[] {"", ""});

    @Test
    void quotingMatchesTheTableAtEverySplit() throws IOException {
        for (String[] row : QUOTING) {
            byte[] in = row[0].getBytes(UTF_8);
            for (int split = 0; split <= in.length; split++) {
                assertEquals(row[1], quote(in, split), "split at " + split + " of " + row[0]);
            }
            assertEquals(row[1], quoteBytewise(in), "bytewise " + row[0]);
        }
    }

    @Test
    void unquotingInvertsQuotingAtEverySplit() {
        for (String[] row : QUOTING) {
            byte[] quoted = row[1].getBytes(UTF_8);
            for (int split = 0; split <= quoted.length; split++) {
                Unquoting u = Unquoting.producing(4);
                u.feed(quoted, 0, split);
                u.feed(quoted, split, quoted.length - split);
                u.finish();
                assertEquals(row[0], drain(u), "split at " + split + " of " + row[1]);
                assertEquals(row[0].length(), u.octets());
                assertEquals(row[0].chars().filter(c -> c == '\n').count(), u.lineFeeds());
            }
        }
    }

    @Test
    void unquotingTurnsCrlfIntoLfButKeepsBareCr() {
        assertEquals("a\nb\rc\n>From x\nFrom y\n\r", unquote("a\r\nb\rc\r\n>>From x\r\n>From y\r\n\r"));
        assertEquals("\r\r\n", unquote("\r\r\r\n"));
    }

    @Test
    void countingAndProducingAgree() {
        String raw = "A: b\r\n\r\n>From a\n>>From b\n>Frm\n>\n>>\nFrom c\r\n\r";
        Unquoting counting = Unquoting.counting();
        byte[] bytes = raw.getBytes(UTF_8);
        counting.feed(bytes, 0, bytes.length);
        counting.finish();
        String produced = unquote(raw);
        assertEquals(produced.length(), counting.octets());
        assertEquals(produced.chars().filter(c -> c == '\n').count(), counting.lineFeeds());
    }

    private static String quote(byte[] in, int split) throws IOException {
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        FromQuoting q = new FromQuoting(sink);
        q.write(in, 0, split);
        q.write(in, split, in.length - split);
        q.finish();
        return sink.toString(UTF_8);
    }

    private static String quoteBytewise(byte[] in) throws IOException {
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        FromQuoting q = new FromQuoting(sink);
        for (byte b : in) {
            q.write(b);
        }
        q.finish();
        return sink.toString(UTF_8);
    }

    private static String unquote(String raw) {
        Unquoting u = Unquoting.producing(2);
        for (byte b : raw.getBytes(UTF_8)) {
            u.feed(b);
        }
        u.finish();
        return drain(u);
    }

    private static String drain(Unquoting u) {
        byte[] out = new byte[u.available()];
        u.drain(out, 0, out.length);
        return new String(out, UTF_8);
    }
}
