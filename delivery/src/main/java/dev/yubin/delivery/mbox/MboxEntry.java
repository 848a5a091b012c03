package dev.yubin.delivery.mbox;

/**
 * One message of a scanned mbox file, in file offsets.
 *
 * @param fromStart where its {@code From_} line starts
 * @param contentStart where its header starts (after the {@code From_} line)
 * @param contentEnd where its content ends, before the separating blank line
 * @param end where the next message's {@code From_} line (or the end of the file) starts
 * @param appendNewline the content does not end with a line feed (the last message of a file): one is added
 * @param endsWithBlankLine the raw range {@code [fromStart, end)} ends with a blank line
 * @param fromLine the {@code From_} line without its line end, to recognise the message again
 * @param uidBase the UID before the {@code -2}, {@code -3}… that tells apart messages with equal keys
 * @param status the letters of its first {@code Status:} and {@code X-Status:} headers (mail readers' flags, e.g.
 *     {@code RO} read and old, {@code A} answered, {@code F} flagged), empty when it has none
 */
record MboxEntry(String uid, long size, long wireSize, long fromStart, long contentStart, long contentEnd, long end,
        boolean appendNewline, boolean endsWithBlankLine, String fromLine, String uidBase, String status) {

    String storageKey() {
        return Long.toString(fromStart);
    }
}
