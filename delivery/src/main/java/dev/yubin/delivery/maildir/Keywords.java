package dev.yubin.delivery.maildir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A folder's keyword letters, in Dovecot's {@code dovecot-keywords} file: lines {@code <index> <keyword>}, index 0
 * is the letter {@code a} in file names, 25 is {@code z}. The same file Dovecot writes, so flags survive a switch
 * either way. Not thread-safe; used under the folder's lock.
 */
final class Keywords {
    static final String FILE = "dovecot-keywords";
    static final int MAX = 26;

    private final String[] names = new String[MAX];
    private boolean dirty;

    static Keywords load(Path folder) throws IOException {
        Keywords keywords = new Keywords();
        List<String> lines;
        try {
            lines = Files.readAllLines(folder.resolve(FILE), StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return keywords;
        }
        for (String line : lines) {
            int space = line.indexOf(' ');
            if (space < 1 || space > 2) {
                continue;
            }
            try {
                int index = Integer.parseInt(line.substring(0, space));
                String name = line.substring(space + 1);
                if (index >= 0 && index < MAX && !name.isEmpty() && keywords.letter(name) < 0) {
                    keywords.names[index] = name;
                }
            } catch (NumberFormatException e) {
                // not a keyword line: skip it, as Dovecot does
            }
        }
        return keywords;
    }

    /** The keyword of a letter {@code a}–{@code z}, or null if undefined. */
    String name(char letter) {
        return letter >= 'a' && letter <= 'z' ? names[letter - 'a'] : null;
    }

    /** The letter of {@code keyword}, or -1. */
    int letter(String keyword) {
        for (int i = 0; i < MAX; i++) {
            if (keyword.equals(names[i])) {
                return 'a' + i;
            }
        }
        return -1;
    }

    /** The letter of {@code keyword}, defining it if there is room; -1 if all 26 are taken. */
    int define(String keyword) {
        int letter = letter(keyword);
        if (letter >= 0) {
            return letter;
        }
        for (int i = 0; i < MAX; i++) {
            if (names[i] == null) {
                names[i] = keyword;
                dirty = true;
                return 'a' + i;
            }
        }
        return -1;
    }

    boolean isFull() {
        for (String name : names) {
            if (name == null) {
                return false;
            }
        }
        return true;
    }

    Set<String> all() {
        Set<String> all = new LinkedHashSet<>();
        for (String name : names) {
            if (name != null) {
                all.add(name);
            }
        }
        return all;
    }

    void saveIfChanged(Path folder, boolean fsync, FileAttribute<?>[] attributes) throws IOException {
        if (!dirty) {
            return;
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < MAX; i++) {
            if (names[i] != null) {
                out.append(i).append(' ').append(names[i]).append('\n');
            }
        }
        AtomicFiles.replace(folder.resolve(FILE), out.toString().getBytes(StandardCharsets.UTF_8), fsync, attributes);
        dirty = false;
    }
}
