package dev.yubin.pop3.netty;

/**
 * One unit from {@link Pop3CommandDecoder}: a command line (or SASL response) without its line ending, or the
 * signal that a line was too long. Immutable.
 *
 * @param line the line decoded as UTF-8; empty for {@code tooLong}
 * @param tooLong whether the line exceeded the limit (its octets were dropped)
 * @param barrier whether the decoder paused after this line (STLS) and waits for {@link Pop3CommandDecoder#readCommands()}
 */
record Pop3Frame(String line, boolean tooLong, boolean barrier) {
    static final Pop3Frame TOO_LONG = new Pop3Frame("", true, false);
}
