package dev.yubin.imap.search;

/**
 * The case folding under which SEARCH compares strings (RFC 3501 §6.4.4 "case-insensitive"): each UTF-16 unit
 * upper-cased then lower-cased, locale-independently, so that folding keeps the length and can run over a
 * streamed buffer in place. Stateless and thread-safe.
 */
final class Folding {
    private Folding() {
    }

    static char fold(char c) {
        if (c < 0x80) {
            return c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : c;
        }
        return Character.toLowerCase(Character.toUpperCase(c));
    }

    static String fold(CharSequence s) {
        char[] out = new char[s.length()];
        for (int i = 0; i < out.length; i++) {
            out[i] = fold(s.charAt(i));
        }
        return new String(out);
    }

    /** Folds {@code buffer[offset, offset + length)} in place. */
    static void foldInPlace(char[] buffer, int offset, int length) {
        for (int i = offset; i < offset + length; i++) {
            buffer[i] = fold(buffer[i]);
        }
    }
}
