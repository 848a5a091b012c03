package dev.yubin.imap.fetch;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** Header fields by name: the value of one (unfolded), and the HEADER.FIELDS[.NOT] subset (RFC 3501 §6.4.5). */
final class HeaderFields {
    private HeaderFields() {
    }

    /** The first field {@code name} of a header whose lines are separated by LF, unfolded; empty if none. */
    static Optional<String> value(String header, String name) {
        String[] lines = header.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase(name)) {
                StringBuilder value = new StringBuilder(line.substring(colon + 1));
                while (i + 1 < lines.length && !lines[i + 1].isEmpty()
                        && (lines[i + 1].charAt(0) == ' ' || lines[i + 1].charAt(0) == '\t')) {
                    value.append(lines[++i]);
                }
                return Optional.of(value.toString().trim());
            }
        }
        return Optional.empty();
    }

    /**
     * The fields of {@code header} (CRLF form, possibly with its blank line) whose names are in {@code names}
     * (upper case), or not in them when {@code not}; each field whole with its folded lines, then the blank line.
     */
    static byte[] filter(byte[] header, List<String> names, boolean not) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        int i = 0;
        boolean keeping = false;
        while (i < header.length) {
            int end = i;
            while (end < header.length && header[end] != '\n') {
                end++;
            }
            int next = Math.min(header.length, end + 1);
            int contentEnd = end > i && header[end - 1] == '\r' ? end - 1 : end;
            if (contentEnd == i) {
                break; // the blank line that ends the header
            }
            boolean continuation = header[i] == ' ' || header[i] == '\t';
            if (!continuation) {
                int colon = i;
                while (colon < contentEnd && header[colon] != ':') {
                    colon++;
                }
                String name = new String(header, i, colon - i, StandardCharsets.ISO_8859_1).trim()
                        .toUpperCase(Locale.ROOT);
                keeping = colon < contentEnd && names.contains(name) != not;
            }
            if (keeping) {
                out.write(header, i, contentEnd - i);
                out.write('\r');
                out.write('\n');
            }
            i = next;
        }
        out.write('\r');
        out.write('\n');
        return out.toByteArray();
    }
}
