package dev.yubin.core.address;

import java.net.IDN;
import java.util.Locale;

/**
 * The hand-written scanner behind {@link MailAddress}, {@link Domain} and {@link ReversePath}: RFC 5321 §4.1.2
 * ({@code Path}, {@code Mailbox}, {@code Local-part}, {@code Domain}), §4.1.3 (address literals), §4.5.3.1 (size
 * limits) and RFC 6531 §3.3 ({@code UTF8-non-ascii} in local parts and domains).
 *
 * <p>It works on index ranges of the caller's string, so a plain {@code <abe@example1.jp>} costs two substrings
 * and two small objects; it uses no regular expressions and throws only on failure. Stateless and thread-safe.
 *
 * <table>
 *   <caption>Limits</caption>
 *   <tr><th>item</th><th>maximum</th><th>source</th></tr>
 *   <tr><td>local part</td><td>64 octets (UTF-8, as written)</td><td>RFC 5321 §4.5.3.1.1</td></tr>
 *   <tr><td>domain label</td><td>63 octets (A-label form)</td><td>RFC 1035 §2.3.4</td></tr>
 *   <tr><td>domain</td><td>255 octets (A-label form)</td><td>RFC 5321 §4.5.3.1.2</td></tr>
 *   <tr><td>path</td><td>256 octets, brackets included</td><td>RFC 5321 §4.5.3.1.3</td></tr>
 * </table>
 */
final class AddressParser {
    static final int MAX_LOCAL_PART = 64;
    static final int MAX_LABEL = 63;
    static final int MAX_DOMAIN = 255;
    static final int MAX_PATH = 256;

    /** Bit i set: ASCII char i is {@code atext} (RFC 5321 §4.1.2, RFC 5322 §3.2.3). */
    private static final long ATEXT_LOW;
    private static final long ATEXT_HIGH;

    static {
        long low = 0;
        long high = 0;
        String atext = "!#$%&'*+-/=?^_`{|}~0123456789"
                + "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
        for (int i = 0; i < atext.length(); i++) {
            char c = atext.charAt(i);
            if (c < 64) {
                low |= 1L << c;
            } else {
                high |= 1L << (c - 64);
            }
        }
        ATEXT_LOW = low;
        ATEXT_HIGH = high;
    }

    private AddressParser() {
    }

    // ---------------------------------------------------------------- paths and mailboxes

    /** {@code Path = "<" [ A-d-l ":" ] Mailbox ">"}; the source route is checked and dropped. */
    static MailAddress path(String s) throws AddressException {
        int length = s.length();
        if (length < 2 || s.charAt(0) != '<' || s.charAt(length - 1) != '>') {
            throw new AddressException("Path must be enclosed in '<' and '>'", s, length == 0 || s.charAt(0) != '<'
                    ? 0 : length);
        }
        checkPathLength(s);
        int end = length - 1;
        if (end == 1) {
            throw new AddressException("Null path not allowed here", s, 1);
        }
        int i = 1;
        if (s.charAt(1) == '@') {
            i = sourceRoute(s, 1, end);
        }
        return mailbox(s, i, end);
    }

    private static void checkPathLength(String s) throws AddressException {
        // a char is at most 3 octets (surrogate pairs: 2 chars, 4 octets), so short strings need no count
        if (s.length() * 3 <= MAX_PATH) {
            return;
        }
        int octets = 0;
        for (int i = 0; i < s.length(); i++) {
            octets += octets(s.charAt(i));
            if (octets > MAX_PATH) {
                throw new AddressException("Path too long (over " + MAX_PATH + " octets)", s, i);
            }
        }
    }

    /** {@code A-d-l = At-domain *( "," At-domain )}, followed by ':'; returns the index after the ':'. */
    private static int sourceRoute(String s, int start, int end) throws AddressException {
        int i = start;
        while (true) {
            if (i >= end || s.charAt(i) != '@') {
                throw new AddressException("Source route entry must start with '@'", s, i);
            }
            int domainStart = i + 1;
            int j = domainStart;
            while (j < end && s.charAt(j) != ',' && s.charAt(j) != ':') {
                j++;
            }
            if (j == end) {
                throw new AddressException("Source route not ended by ':'", s, end);
            }
            if (j == domainStart) {
                throw new AddressException("Domain missing in source route", s, j);
            }
            if (s.charAt(domainStart) == '[') {
                throw new AddressException("Address literal not allowed in source route", s, domainStart);
            }
            domain(s, domainStart, j); // validated, then dropped (RFC 5321 §4.1.1.3, §C)
            if (s.charAt(j) == ':') {
                return j + 1;
            }
            i = j + 1;
        }
    }

    /** {@code Mailbox = Local-part "@" ( Domain / address-literal )} over {@code s[start, end)}. */
    static MailAddress mailbox(String s, int start, int end) throws AddressException {
        if (start >= end) {
            throw new AddressException("Address missing", s, start);
        }
        char first = s.charAt(start);
        if (first == '@') {
            throw new AddressException("Local part missing", s, start);
        }
        String localPart;
        int at;
        if (first == '"') {
            at = quotedStringEnd(s, start, end);
            localPart = unquote(s, start + 1, at - 1);
            if (at == end) {
                throw new AddressException("'@' missing", s, at);
            }
            if (s.charAt(at) != '@') {
                throw new AddressException("Expected '@' after quoted local part, found " + describe(s, at), s, at);
            }
        } else {
            at = dotStringEnd(s, start, end);
            localPart = s.substring(start, at);
        }
        if (at + 1 == end) {
            throw new AddressException("Domain missing", s, at + 1);
        }
        return new MailAddress(localPart, domain(s, at + 1, end));
    }

    /** Scans {@code Dot-string} from {@code start}; returns the index of the '@' that ends it. */
    private static int dotStringEnd(String s, int start, int end) throws AddressException {
        int atomStart = start;
        int octets = 0;
        int i = start;
        for (; i < end; i++) {
            char c = s.charAt(i);
            if (c == '@') {
                break;
            }
            if (c == '.') {
                if (i == atomStart) {
                    throw new AddressException(i == start ? "Local part starts with '.'"
                            : "Consecutive dots in local part", s, i);
                }
                atomStart = i + 1;
                octets++;
            } else if (c < 0x80) {
                if (!isAtext(c)) {
                    throw invalidCharacter(s, i);
                }
                octets++;
            } else {
                octets += nonAscii(s, i, end);
                if (Character.isHighSurrogate(c)) {
                    i++;
                }
            }
            if (octets > MAX_LOCAL_PART) {
                throw new AddressException("Local part too long (over " + MAX_LOCAL_PART + " octets)", s, i);
            }
        }
        if (i == end) {
            throw new AddressException("'@' missing", s, end);
        }
        if (atomStart == i) {
            throw new AddressException("Local part ends with '.'", s, i - 1);
        }
        return i;
    }

    /** Scans {@code Quoted-string} whose opening quote is at {@code start}; returns the index after the closing one. */
    private static int quotedStringEnd(String s, int start, int end) throws AddressException {
        int octets = 1;
        int i = start + 1;
        while (true) {
            if (i >= end) {
                throw new AddressException("Unbalanced quote", s, start);
            }
            char c = s.charAt(i);
            if (c == '"') {
                octets++;
                i++;
                break;
            }
            if (c == '\\') {
                if (i + 1 >= end) {
                    throw new AddressException("Unbalanced quote", s, start);
                }
                char quoted = s.charAt(i + 1);
                if (quoted < 32 || quoted > 126) {
                    throw new AddressException("Invalid quoted pair \\" + describe(s, i + 1), s, i);
                }
                octets += 2;
                i += 2;
            } else if (c < 0x80) {
                if (c < 32 || c == 127) {
                    throw invalidCharacter(s, i);
                }
                octets++;
                i++;
            } else {
                octets += nonAscii(s, i, end);
                i += Character.isHighSurrogate(c) ? 2 : 1;
            }
            if (octets > MAX_LOCAL_PART) {
                throw new AddressException("Local part too long (over " + MAX_LOCAL_PART + " octets)", s, i - 1);
            }
        }
        if (octets > MAX_LOCAL_PART) {
            throw new AddressException("Local part too long (over " + MAX_LOCAL_PART + " octets)", s, i - 1);
        }
        return i;
    }

    /** The content of a validated quoted string, quoted pairs resolved. */
    private static String unquote(String s, int start, int end) {
        int backslash = s.indexOf('\\', start);
        if (backslash < 0 || backslash >= end) {
            return s.substring(start, end);
        }
        StringBuilder out = new StringBuilder(end - start);
        for (int i = start; i < end; i++) {
            char c = s.charAt(i);
            if (c == '\\') {
                c = s.charAt(++i);
            }
            out.append(c);
        }
        return out.toString();
    }

    /** Whether {@code local} can be written as a {@code Dot-string}, i.e. without quotes. */
    static boolean isDotString(String local) {
        int length = local.length();
        if (length == 0 || local.charAt(0) == '.' || local.charAt(length - 1) == '.') {
            return false;
        }
        char previous = 0;
        for (int i = 0; i < length; i++) {
            char c = local.charAt(i);
            if (c == '.') {
                if (previous == '.') {
                    return false;
                }
            } else if (c < 0x80 && !isAtext(c)) {
                return false;
            }
            previous = c;
        }
        return true;
    }

    /** {@code local} as written in a path: as is when it is a Dot-string, otherwise quoted with quoted-pairs. */
    static String quoteIfNeeded(String local) {
        if (isDotString(local)) {
            return local;
        }
        StringBuilder out = new StringBuilder(local.length() + 4).append('"');
        for (int i = 0; i < local.length(); i++) {
            char c = local.charAt(i);
            if (c == '"' || c == '\\') {
                out.append('\\');
            }
            out.append(c);
        }
        return out.append('"').toString();
    }

    // ---------------------------------------------------------------- domains

    /** {@code Domain / address-literal} over {@code s[start, end)}. */
    static Domain domain(String s, int start, int end) throws AddressException {
        if (start >= end) {
            throw new AddressException("Domain missing", s, start);
        }
        if (s.charAt(start) == '[') {
            return addressLiteral(s, start, end);
        }
        return domainName(s, start, end);
    }

    /** {@code Domain = sub-domain *("." sub-domain)}, {@code sub-domain = Let-dig [Ldh-str] / U-label}. */
    private static Domain domainName(String s, int start, int end) throws AddressException {
        int labelStart = start;
        boolean upper = false;
        boolean nonAscii = false;
        boolean labelNonAscii = false;
        boolean aLabel = false;
        for (int i = start; i <= end; i++) {
            char c = i == end ? '.' : s.charAt(i);
            if (c == '.') {
                if (i == labelStart) {
                    if (i == end) {
                        throw new AddressException("Domain ends with '.'", s, i - 1);
                    }
                    throw new AddressException(i == start ? "Domain starts with '.'" : "Empty domain label", s, i);
                }
                if (s.charAt(i - 1) == '-') {
                    throw new AddressException("Domain label ends with '-'", s, i - 1);
                }
                if (!labelNonAscii && i - labelStart >= 4 && s.regionMatches(true, labelStart, "xn--", 0, 4)) {
                    aLabel = true;
                }
                labelStart = i + 1;
                labelNonAscii = false;
                continue;
            }
            if (c < 0x80) {
                if (c >= 'A' && c <= 'Z') {
                    upper = true;
                } else if (c == '-') {
                    if (i == labelStart) {
                        throw new AddressException("Domain label starts with '-'", s, i);
                    }
                } else if ((c < 'a' || c > 'z') && (c < '0' || c > '9')) {
                    throw invalidCharacter(s, i);
                }
            } else {
                if (c == '\u3002' || c == '\uFF0E' || c == '\uFF61') {
                    throw invalidCharacter(s, i); // ideographic full stops: IDNA would split labels on them
                }
                nonAscii(s, i, end);
                if (Character.isHighSurrogate(c)) {
                    i++;
                }
                nonAscii = true;
                labelNonAscii = true;
            }
            if (!labelNonAscii && i - labelStart >= MAX_LABEL) {
                throw new AddressException("Domain label too long (over " + MAX_LABEL + " octets)", s, i);
            }
        }
        if (nonAscii) {
            return internationalName(s, start, end);
        }
        if (end - start > MAX_DOMAIN) {
            throw new AddressException("Domain name too long (over " + MAX_DOMAIN + " octets)", s, start + MAX_DOMAIN);
        }
        String ascii = s.substring(start, end);
        if (upper) {
            ascii = ascii.toLowerCase(Locale.ROOT);
        }
        String unicode = aLabel ? checkALabels(s, start, ascii) : ascii;
        return Domain.name(ascii, unicode);
    }

    /** Checks each {@code xn--} label of a lower-case ASCII name and returns the U-label form of the name. */
    private static String checkALabels(String s, int offset, String ascii) throws AddressException {
        int labelStart = 0;
        for (int i = 0; i <= ascii.length(); i++) {
            if (i < ascii.length() && ascii.charAt(i) != '.') {
                continue;
            }
            if (ascii.startsWith("xn--", labelStart)) {
                String label = ascii.substring(labelStart, i);
                String decoded = IDN.toUnicode(label, IDN.USE_STD3_ASCII_RULES);
                // java.net.IDN returns its input unchanged when the label does not decode and round-trip
                if (decoded.equals(label)) {
                    throw new AddressException("Invalid punycode in domain label", s, offset + labelStart);
                }
            }
            labelStart = i + 1;
        }
        return IDN.toUnicode(ascii, IDN.USE_STD3_ASCII_RULES);
    }

    /** A name with U-labels: each label is converted to its A-label (IDNA2003 nameprep, as in java.net.IDN). */
    private static Domain internationalName(String s, int start, int end) throws AddressException {
        StringBuilder ascii = new StringBuilder(end - start + 16);
        int labelStart = start;
        for (int i = start; i <= end; i++) {
            if (i < end && s.charAt(i) != '.') {
                continue;
            }
            String label = s.substring(labelStart, i);
            String aLabel;
            try {
                aLabel = IDN.toASCII(label, IDN.USE_STD3_ASCII_RULES);
            } catch (IllegalArgumentException e) {
                String reason = String.valueOf(e.getMessage()).contains("too long")
                        ? "Domain label too long (over " + MAX_LABEL + " octets)" : "Invalid internationalized label";
                throw new AddressException(reason, s, labelStart);
            }
            if (aLabel.isEmpty() || aLabel.indexOf('.') >= 0) {
                throw new AddressException("Invalid internationalized label", s, labelStart);
            }
            aLabel = aLabel.toLowerCase(Locale.ROOT);
            if (aLabel.startsWith("xn--") && aLabel.equals(IDN.toUnicode(aLabel, IDN.USE_STD3_ASCII_RULES))) {
                throw new AddressException("Invalid punycode in domain label", s, labelStart);
            }
            if (aLabel.length() > MAX_LABEL) {
                throw new AddressException("Domain label too long (over " + MAX_LABEL + " octets)", s, labelStart);
            }
            if (ascii.length() > 0) {
                ascii.append('.');
            }
            ascii.append(aLabel);
            labelStart = i + 1;
        }
        if (ascii.length() > MAX_DOMAIN) {
            throw new AddressException("Domain name too long (over " + MAX_DOMAIN + " octets)", s, start);
        }
        String name = ascii.toString();
        return Domain.name(name, IDN.toUnicode(name, IDN.USE_STD3_ASCII_RULES));
    }

    // ---------------------------------------------------------------- address literals

    /** {@code address-literal = "[" ( IPv4 / "IPv6:" IPv6 / General-address-literal ) "]"} (RFC 5321 §4.1.3). */
    private static Domain addressLiteral(String s, int start, int end) throws AddressException {
        int close = end - 1;
        if (close == start || s.charAt(close) != ']') {
            int inner = s.indexOf(']', start);
            if (inner >= 0 && inner < end) {
                throw new AddressException("Characters after address literal", s, inner + 1);
            }
            throw new AddressException("Address literal not closed with ']'", s, end);
        }
        int from = start + 1;
        if (from == close) {
            throw new AddressException("Empty address literal", s, from);
        }
        char first = s.charAt(from);
        if (first >= '0' && first <= '9') {
            byte[] ipv4 = new byte[4];
            ipv4(s, from, close, ipv4, 0);
            return Domain.literal(s.substring(start, end), ipv4);
        }
        int colon = from;
        while (colon < close && s.charAt(colon) != ':') {
            char c = s.charAt(colon);
            boolean letDig = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9';
            if (!letDig && c != '-') {
                throw invalidCharacter(s, colon);
            }
            colon++;
        }
        if (colon == close) {
            throw new AddressException("Invalid address literal (expected IPv4, IPv6: or tag:)", s, from);
        }
        if (colon == from || s.charAt(colon - 1) == '-') {
            throw new AddressException("Invalid address literal tag", s, from);
        }
        if (colon - from == 4 && s.regionMatches(true, from, "IPv6", 0, 4)) {
            byte[] ipv6 = ipv6(s, colon + 1, close);
            String text = "[IPv6:" + s.substring(colon + 1, close).toLowerCase(Locale.ROOT) + "]";
            return Domain.literal(text, ipv6);
        }
        if (colon + 1 == close) {
            throw new AddressException("Empty general address literal", s, colon + 1);
        }
        for (int i = colon + 1; i < close; i++) {
            char c = s.charAt(i);
            // dcontent = %d33-90 / %d94-126
            if (c < 33 || c > 126 || c == '[' || c == '\\' || c == ']') {
                throw invalidCharacter(s, i);
            }
        }
        return Domain.literal(s.substring(start, end), null);
    }

    /** {@code IPv4-address-literal = Snum 3("." Snum)}, written into {@code out[offset..offset+4)}. */
    private static void ipv4(String s, int start, int end, byte[] out, int offset) throws AddressException {
        int i = start;
        for (int part = 0; part < 4; part++) {
            if (part > 0) {
                if (i >= end || s.charAt(i) != '.') {
                    throw new AddressException("Invalid IPv4 address literal", s, i);
                }
                i++;
            }
            int value = 0;
            int digits = 0;
            while (i < end && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
                value = value * 10 + s.charAt(i) - '0';
                digits++;
                i++;
                if (digits > 3) {
                    throw new AddressException("Invalid IPv4 address literal", s, i - 1);
                }
            }
            if (digits == 0 || value > 255) {
                throw new AddressException("Invalid IPv4 address literal", s, i - digits);
            }
            out[offset + part] = (byte) value;
        }
        if (i != end) {
            throw new AddressException("Invalid IPv4 address literal", s, i);
        }
    }

    /**
     * {@code IPv6-addr = IPv6-full / IPv6-comp / IPv6v4-full / IPv6v4-comp}. As RFC 5321 §4.1.3 says, {@code ::}
     * stands for at least two groups: at most 6 groups (4 plus the IPv4 part) may appear beside it.
     */
    static byte[] ipv6(String s, int start, int end) throws AddressException {
        int[] groups = new int[8];
        int count = 0;
        int compressAt = -1;
        int i = start;
        if (end - start >= 2 && s.charAt(i) == ':' && s.charAt(i + 1) == ':') {
            compressAt = 0;
            i += 2;
        }
        byte[] out = new byte[16];
        boolean ipv4 = false;
        while (i < end) {
            if (count == 8) {
                throw new AddressException("Invalid IPv6 address literal (too many groups)", s, i);
            }
            int groupStart = i;
            int value = 0;
            while (i < end && i - groupStart < 5) {
                int digit = Character.digit(s.charAt(i), 16);
                if (digit < 0 || s.charAt(i) > 'f') {
                    break;
                }
                value = value * 16 + digit;
                i++;
            }
            if (i < end && s.charAt(i) == '.') {
                // the IPv4 tail: it takes the place of the last two groups
                if (count > 6) {
                    throw new AddressException("Invalid IPv6 address literal (too many groups)", s, groupStart);
                }
                byte[] v4 = new byte[4];
                ipv4(s, groupStart, end, v4, 0);
                groups[count++] = (v4[0] & 0xff) << 8 | v4[1] & 0xff;
                groups[count++] = (v4[2] & 0xff) << 8 | v4[3] & 0xff;
                ipv4 = true;
                i = end;
                break;
            }
            int digits = i - groupStart;
            if (digits == 0 || digits > 4) {
                throw new AddressException("Invalid IPv6 address literal", s, i - (digits > 4 ? 1 : 0));
            }
            groups[count++] = value;
            if (i == end) {
                break;
            }
            if (s.charAt(i) != ':') {
                throw invalidCharacter(s, i);
            }
            i++;
            if (i < end && s.charAt(i) == ':') {
                if (compressAt >= 0) {
                    throw new AddressException("Invalid IPv6 address literal (more than one '::')", s, i - 1);
                }
                compressAt = count;
                i++;
            } else if (i == end) {
                throw new AddressException("Invalid IPv6 address literal (ends with ':')", s, i - 1);
            }
        }
        if (compressAt < 0) {
            if (count != 8) {
                throw new AddressException("Invalid IPv6 address literal (" + (ipv4 ? 6 : 8)
                        + " groups expected)", s, start);
            }
        } else if (count > 6) {
            throw new AddressException("Invalid IPv6 address literal (too many groups beside '::')", s, start);
        } else {
            int tail = count - compressAt;
            System.arraycopy(groups, compressAt, groups, 8 - tail, tail);
            for (int g = compressAt; g < 8 - tail; g++) {
                groups[g] = 0;
            }
        }
        for (int g = 0; g < 8; g++) {
            out[2 * g] = (byte) (groups[g] >> 8);
            out[2 * g + 1] = (byte) groups[g];
        }
        return out;
    }

    // ---------------------------------------------------------------- characters

    static boolean isAtext(char c) {
        return c < 64 ? (ATEXT_LOW & 1L << c) != 0 : c < 128 && (ATEXT_HIGH & 1L << (c - 64)) != 0;
    }

    /**
     * Checks the non-ASCII char at {@code i} (RFC 6531 {@code UTF8-non-ascii}: a well-formed code point, so no lone
     * surrogate) and returns its length in UTF-8 octets.
     */
    private static int nonAscii(String s, int i, int end) throws AddressException {
        char c = s.charAt(i);
        if (Character.isHighSurrogate(c)) {
            if (i + 1 < end && Character.isLowSurrogate(s.charAt(i + 1))) {
                return 4;
            }
            throw invalidCharacter(s, i);
        }
        if (Character.isLowSurrogate(c) || c == '\uFFFE' || c == '\uFFFF') {
            throw invalidCharacter(s, i);
        }
        return c < 0x800 ? 2 : 3;
    }

    private static int octets(char c) {
        if (c < 0x80) {
            return 1;
        }
        if (c < 0x800) {
            return 2;
        }
        return Character.isSurrogate(c) ? 2 : 3;
    }

    private static AddressException invalidCharacter(String s, int i) {
        return new AddressException("Invalid character " + describe(s, i), s, i);
    }

    /** {@code 'x'} for a visible character, {@code U+0009} for a control character or a lone surrogate. */
    static String describe(String s, int i) {
        char c = s.charAt(i);
        if (c >= 32 && c < 127 || c >= 0xA0 && !Character.isSurrogate(c) && !Character.isISOControl(c)) {
            return "'" + c + "'";
        }
        if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
            return "'" + s.substring(i, i + 2) + "'";
        }
        return String.format(Locale.ROOT, "U+%04X", (int) c);
    }
}
