package dev.yubin.core.net;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * A list of IPv4 and IPv6 networks, as in Postfix's {@code mynetworks}: the clients trusted to relay with
 * {@code permit_mynetworks}. Immutable and thread-safe.
 *
 * <table>
 *   <caption>Syntax ({@link #parse})</caption>
 *   <tr><th>item</th><th>example</th></tr>
 *   <tr><td>IPv4 address or network</td><td>{@code 192.0.2.1}, {@code 10.0.0.0/8}</td></tr>
 *   <tr><td>IPv6 address or network, in brackets</td><td>{@code [::1]}, {@code [2001:db8::]/32}</td></tr>
 *   <tr><td>separators</td><td>commas and/or whitespace</td></tr>
 *   <tr><td>not supported yet</td><td>{@code !negation}, {@code /file/name}, {@code type:table}</td></tr>
 * </table>
 *
 * @param blocks the networks, in the order given
 */
public record NetworkList(List<CidrBlock> blocks) {
    /** No networks: nobody is in {@code mynetworks}. */
    public static final NetworkList NONE = new NetworkList(List.of());
    /** {@code 127.0.0.0/8 [::1]/128}: the machine itself, Yubin's default {@code mynetworks}. */
    public static final NetworkList LOOPBACK = parse("127.0.0.0/8 [::1]/128");

    /** Copies the blocks. */
    public NetworkList {
        blocks = List.copyOf(blocks);
    }

    /** The list of {@code blocks}, in that order. */
    public static NetworkList of(CidrBlock... blocks) {
        return new NetworkList(Arrays.asList(blocks));
    }

    /**
     * Parses a Postfix list of networks (see the table above); an empty text gives {@link #NONE}.
     *
     * @throws IllegalArgumentException naming the first bad item and why, e.g. {@code bad network "10.1.2.3/8":
     *     non-null host address bits, perhaps you mean 10.0.0.0/8}
     */
    public static NetworkList parse(String text) {
        List<CidrBlock> result = new ArrayList<>();
        for (String item : text.split("[,\\s]+")) {
            if (item.isEmpty()) {
                continue;
            }
            try {
                result.add(CidrBlock.parse(item));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("bad network \"" + item + "\": " + e.getMessage(), e);
            }
        }
        return new NetworkList(result);
    }

    /** Whether {@code address} is in one of the networks; an IPv4-mapped IPv6 address counts as IPv4. */
    public boolean contains(InetAddress address) {
        Objects.requireNonNull(address, "address");
        for (CidrBlock block : blocks) {
            if (block.contains(address)) {
                return true;
            }
        }
        return false;
    }

    /** Whether the list has no networks, so that no address is in it. */
    public boolean isEmpty() {
        return blocks.isEmpty();
    }

    /** The list in Postfix's syntax: {@code 127.0.0.0/8 [::1]/128}. */
    @Override
    public String toString() {
        return blocks.stream().map(CidrBlock::toString).collect(Collectors.joining(" "));
    }
}
