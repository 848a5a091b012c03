package dev.yubin.core.address;

/**
 * A mail address, path or domain that does not parse, with the reason and the position in the input.
 *
 * <p>Thrown by the parsers in this package; the message reads like {@code "Domain missing at 4 in: abe@"}.
 */
public final class AddressException extends Exception {
    private static final long serialVersionUID = 1L;

    private final String reason;
    private final String input;
    private final int index;

    /** An exception for {@code reason}, found at {@code index} in {@code input}; it has no stack trace. */
    public AddressException(String reason, String input, int index) {
        super(reason + " at " + index + " in: " + input, null, false, false);
        this.reason = reason;
        this.input = input;
        this.index = index;
    }

    /** What was wrong, without the position, e.g. {@code "Domain missing"}. */
    public String reason() {
        return reason;
    }

    /** The text that was parsed. */
    public String input() {
        return input;
    }

    /** The index into {@link #input()} where parsing failed. */
    public int index() {
        return index;
    }
}
