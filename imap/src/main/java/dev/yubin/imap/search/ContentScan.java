package dev.yubin.imap.search;

import dev.yubin.core.message.MessageContent;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.UnsupportedCharsetException;
import java.time.LocalDate;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.apache.james.mime4j.MimeException;
import org.apache.james.mime4j.stream.BodyDescriptor;
import org.apache.james.mime4j.stream.EntityState;
import org.apache.james.mime4j.stream.Field;
import org.apache.james.mime4j.stream.MimeConfig;
import org.apache.james.mime4j.stream.MimeTokenStream;
import org.apache.james.mime4j.stream.RecursionMode;

/**
 * One streaming pass of apache-mime4j's token parser over a message, deciding the content criteria of a
 * {@link SearchPlan} for one {@link Candidate}. It stops as soon as the whole key is decided: after the message
 * header when only header criteria (or none that the body could change) are left, otherwise at the first match
 * that decides the key, or at the end.
 *
 * <table>
 *   <caption>What each criterion reads</caption>
 *   <tr><th>criterion</th><th>text</th></tr>
 *   <tr><td>HEADER, FROM…</td><td>every occurrence of the field in the message's own header, unfolded and
 *     decoded ({@link HeaderText}); FROM, TO, CC, BCC also in their {@link AddressText} form</td></tr>
 *   <tr><td>SENT*</td><td>the first Date: field ({@link DateHeader}); a message without a valid one has the date
 *     1970-01-01, as in Dovecot (its sent time is 0)</td></tr>
 *   <tr><td>BODY</td><td>each leaf part's content, transfer-decoded and, for text/*, read in its charset (unknown
 *     charsets and other types as UTF-8, malformed bytes replaced); multiparts descended into (preamble and
 *     epilogue skipped); message/rfc822 parts' headers and bodies included</td></tr>
 *   <tr><td>TEXT</td><td>what BODY reads, plus each field of the message header and of the MIME part headers as
 *     {@code Name: decoded value}</td></tr>
 * </table>
 *
 * A match never spans two fields or two parts. Memory: one header field at a time and 8 KiB of body buffers.
 * Not thread-safe; one per message scan.
 */
final class ContentScan {
    private static final MimeConfig CONFIG = new MimeConfig.Builder().setMaxLineLen(-1).setMaxHeaderLen(-1)
            .setMaxHeaderCount(-1).setMaxContentLen(-1).build();
    private static final int BUFFER = 8192;
    /** The sent date of a message whose Date: field is missing or invalid: Dovecot's sent time 0. */
    static final LocalDate NO_SENT_DATE = LocalDate.EPOCH;

    private final SearchPlan plan;
    private final Candidate candidate;
    private final List<Criterion.Text> headerTexts = new ArrayList<>();
    private StreamMatcher headerTextMatcher;
    private StreamMatcher bodyMatcher;
    private boolean dateSeen;

    private ContentScan(SearchPlan plan, Candidate candidate) {
        this.plan = plan;
        this.candidate = candidate;
        for (Criterion.Text text : plan.texts) {
            if (text.inHeader) {
                headerTexts.add(text);
            }
        }
    }

    /** Decides every content criterion of {@code plan} that the key still depends on, reading {@code content}. */
    static void scan(SearchPlan plan, Candidate candidate, MessageContent content) throws IOException {
        try (InputStream in = content.openStream()) {
            new ContentScan(plan, candidate).run(in);
        } catch (MimeException e) {
            throw new IOException("cannot parse message for SEARCH: " + e.getMessage(), e);
        }
        // whatever is still open was not found
        for (Criterion.Text text : plan.texts) {
            if (!candidate.isKnown(text.id)) {
                candidate.setResult(text.id, false);
            }
        }
    }

    private void run(InputStream in) throws IOException, MimeException {
        MimeTokenStream stream = new MimeTokenStream(CONFIG);
        stream.setRecursionMode(RecursionMode.M_RECURSE);
        stream.parse(in);
        // true for a message (its header is the top header or an embedded message's), false for a body part
        Deque<Boolean> entities = new ArrayDeque<>();
        for (EntityState state = stream.getState(); state != EntityState.T_END_OF_STREAM; state = stream.next()) {
            switch (state) {
                case T_START_MESSAGE:
                    entities.push(Boolean.TRUE);
                    break;
                case T_START_BODYPART:
                    entities.push(Boolean.FALSE);
                    break;
                case T_END_MESSAGE:
                case T_END_BODYPART:
                    entities.poll();
                    break;
                case T_FIELD:
                    if (entities.size() == 1) {
                        topField(stream.getField());
                    } else if (nestedField(stream.getField(), Boolean.TRUE.equals(entities.peek()))) {
                        return;
                    }
                    break;
                case T_END_HEADER:
                    if (entities.size() == 1 && endOfTopHeader()) {
                        return;
                    }
                    break;
                case T_BODY:
                    if (body(stream)) {
                        return;
                    }
                    break;
                default:
                    break;
            }
        }
    }

    private boolean isDecided() {
        return plan.root.eval(candidate) != Criterion.UNKNOWN;
    }

    private void topField(Field field) {
        String name = field.getName();
        String unfolded = null;
        String folded = null;
        for (Criterion.HeaderField c : plan.headerFields) {
            if (candidate.isKnown(c.id) || !c.field.equalsIgnoreCase(name)) {
                continue;
            }
            if (c.needle.isEmpty()) {
                candidate.setResult(c.id, true);
                continue;
            }
            if (unfolded == null) {
                unfolded = HeaderText.unfolded(field);
                folded = Folding.fold(HeaderText.decoded(unfolded));
            }
            boolean found = folded.contains(c.needle)
                    || c.address && Folding.fold(AddressText.normalized(unfolded)).contains(c.needle);
            if (found) {
                candidate.setResult(c.id, true);
            }
        }
        if (!dateSeen && name.equalsIgnoreCase("Date")) {
            dateSeen = true;
            if (!plan.sentDates.isEmpty()) {
                Optional<LocalDate> date = DateHeader.parse(HeaderText.unfolded(field));
                setSentDates(date.orElse(NO_SENT_DATE));
            }
        }
        textField(field, headerTextMatcher());
    }

    /** A field of a body part's or an embedded message's header; returns whether the key is now decided. */
    private boolean nestedField(Field field, boolean ofMessage) {
        return textField(field, ofMessage ? bodyMatcher() : headerTextMatcher()) && isDecided();
    }

    private boolean textField(Field field, StreamMatcher matcher) {
        if (matcher == null || !matcher.isOpen()) {
            return false;
        }
        return matcher.feedText(field.getName() + ": " + HeaderText.decoded(HeaderText.unfolded(field)));
    }

    private StreamMatcher headerTextMatcher() {
        if (headerTextMatcher == null && !headerTexts.isEmpty()) {
            headerTextMatcher = new StreamMatcher(headerTexts, candidate);
        }
        return headerTextMatcher;
    }

    private StreamMatcher bodyMatcher() {
        if (bodyMatcher == null && !plan.texts.isEmpty()) {
            bodyMatcher = new StreamMatcher(plan.texts, candidate);
        }
        return bodyMatcher;
    }

    private void setSentDates(LocalDate date) {
        for (Criterion.SentDate c : plan.sentDates) {
            candidate.setResult(c.id, Criterion.compare(c.relation, date, c.date));
        }
    }

    /** Closes the header criteria; returns whether the body can still change the result. */
    private boolean endOfTopHeader() {
        for (Criterion.HeaderField c : plan.headerFields) {
            if (!candidate.isKnown(c.id)) {
                candidate.setResult(c.id, false);
            }
        }
        if (!dateSeen) {
            setSentDates(NO_SENT_DATE);
        }
        StreamMatcher matcher = bodyMatcher();
        return isDecided() || matcher == null || !matcher.isOpen();
    }

    /** Streams one leaf part's decoded content through the body matcher; returns whether the key is decided. */
    private boolean body(MimeTokenStream stream) throws IOException {
        StreamMatcher matcher = bodyMatcher();
        if (matcher == null || !matcher.isOpen()) {
            return false;
        }
        BodyDescriptor descriptor = stream.getBodyDescriptor();
        CharsetDecoder decoder = charset(descriptor).newDecoder().onMalformedInput(CodingErrorAction.REPLACE)
                .onUnmappableCharacter(CodingErrorAction.REPLACE);
        matcher.reset();
        InputStream in = stream.getDecodedInputStream();
        byte[] bytes = new byte[BUFFER];
        ByteBuffer input = ByteBuffer.wrap(bytes);
        CharBuffer output = CharBuffer.allocate(BUFFER);
        boolean end = false;
        while (!end) {
            int n = in.read(bytes, input.position(), bytes.length - input.position());
            end = n < 0;
            input.limit(end ? input.position() : input.position() + n).position(0);
            CoderResult result;
            do {
                result = decoder.decode(input, output, end);
                if (drain(matcher, output)) {
                    return true;
                }
            } while (result.isOverflow());
            input.compact();
        }
        CoderResult result;
        do {
            result = decoder.flush(output);
            if (drain(matcher, output)) {
                return true;
            }
        } while (result.isOverflow());
        matcher.reset();
        return false;
    }

    /** Feeds what {@code output} holds to {@code matcher} and empties it; returns whether the key is decided. */
    private boolean drain(StreamMatcher matcher, CharBuffer output) {
        output.flip();
        boolean decided = output.hasRemaining() && matcher.feed(output.array(), 0, output.limit()) && isDecided();
        output.clear();
        return decided;
    }

    private static Charset charset(BodyDescriptor descriptor) {
        if (!"text".equalsIgnoreCase(descriptor.getMediaType())) {
            return StandardCharsets.UTF_8;
        }
        String name = descriptor.getCharset();
        if (name == null || name.isBlank() || name.toLowerCase(Locale.ROOT).contains("ascii")) {
            return StandardCharsets.UTF_8; // a superset: mislabelled 8-bit UTF-8 text still matches
        }
        try {
            return Charset.forName(name.strip());
        } catch (IllegalCharsetNameException | UnsupportedCharsetException e) {
            return StandardCharsets.UTF_8;
        }
    }
}
