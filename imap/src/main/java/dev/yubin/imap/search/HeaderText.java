package dev.yubin.imap.search;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import org.apache.james.mime4j.codec.DecodeMonitor;
import org.apache.james.mime4j.codec.DecoderUtil;
import org.apache.james.mime4j.stream.Field;
import org.apache.james.mime4j.util.ByteSequence;

/**
 * Header field values as SEARCH matches them: unfolded (RFC 5322 §2.2.3: the line breaks of a folded field
 * removed, its whitespace kept), raw 8-bit text read as UTF-8 (RFC 6532) or, when it is not valid UTF-8, as
 * ISO-8859-1, and RFC 2047 encoded words decoded by mime4j. Stateless and thread-safe.
 */
final class HeaderText {
    private HeaderText() {
    }

    /** The unfolded value of {@code field}, encoded words not yet decoded, surrounding whitespace trimmed. */
    static String unfolded(Field field) {
        ByteSequence raw = field.getRaw();
        int length = raw.length();
        int i = 0;
        while (i < length && raw.byteAt(i) != ':') {
            i++;
        }
        byte[] out = new byte[Math.max(0, length - i - 1)];
        int n = 0;
        for (i++; i < length; i++) {
            byte b = raw.byteAt(i);
            if (b != '\r' && b != '\n') {
                out[n++] = b;
            }
        }
        return text(out, n).strip();
    }

    /** {@code value} with its RFC 2047 encoded words decoded; undecodable words stay as they are. */
    static String decoded(String value) {
        if (value.indexOf("=?") < 0) {
            return value;
        }
        try {
            return DecoderUtil.decodeEncodedWords(value, DecodeMonitor.SILENT);
        } catch (IllegalArgumentException e) {
            return value;
        }
    }

    private static String text(byte[] bytes, int length) {
        boolean ascii = true;
        for (int i = 0; i < length && ascii; i++) {
            ascii = bytes[i] >= 0;
        }
        if (ascii) {
            return new String(bytes, 0, length, StandardCharsets.US_ASCII);
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes, 0, length)).toString();
        } catch (CharacterCodingException e) {
            return new String(bytes, 0, length, StandardCharsets.ISO_8859_1);
        }
    }
}
