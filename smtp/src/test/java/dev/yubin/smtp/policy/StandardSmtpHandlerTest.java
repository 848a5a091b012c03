package dev.yubin.smtp.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.yubin.core.address.AddressException;
import dev.yubin.core.address.Domain;
import dev.yubin.core.address.MailAddress;
import dev.yubin.core.address.ReversePath;
import dev.yubin.core.message.DeliveryException;
import dev.yubin.core.message.Envelope;
import dev.yubin.core.message.MailSink;
import dev.yubin.core.message.MessageContent;
import dev.yubin.core.message.QueueId;
import dev.yubin.core.message.Receipt;
import dev.yubin.core.message.Recipient;
import dev.yubin.core.net.ConnectionInfo;
import dev.yubin.core.net.NetworkList;
import dev.yubin.core.user.MailUser;
import dev.yubin.core.user.UserDirectory;
import dev.yubin.smtp.server.SmtpHandler;
import dev.yubin.smtp.server.Verdict;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class StandardSmtpHandlerTest {
    static final ConnectionInfo CLIENT = ConnectionInfo.of("s1", new InetSocketAddress("127.0.0.1", 40000),
            new InetSocketAddress("127.0.0.1", 25));

    /** Users {@code abe}, {@code sato} and {@code postmaster} in every local domain, case-insensitive. */
    static final UserDirectory USERS = address -> {
        String name = address.localPart().toLowerCase(Locale.ROOT);
        return Set.of("abe", "sato", "postmaster").contains(name)
                ? Optional.of(new MailUser(name, "/home/" + name + "/Maildir/")) : Optional.empty();
    };

    /** A sink that records what it was given. */
    static final class RecordingSink implements MailSink {
        final List<Envelope> envelopes = new ArrayList<>();
        final List<String> messages = new ArrayList<>();
        DeliveryException failure;

        @Override
        public Receipt accept(Envelope envelope, MessageContent content) throws DeliveryException {
            if (failure != null) {
                throw failure;
            }
            envelopes.add(envelope);
            try (var in = content.openStream()) {
                messages.add(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw DeliveryException.temporary("cannot read", e);
            }
            return new Receipt(envelope.queueId(), "queued");
        }
    }

    private final RecordingSink sink = new RecordingSink();

    private SmtpHandler.Session session(StandardSmtpHandler.Builder builder) {
        return builder.build().open(CLIENT);
    }

    private StandardSmtpHandler.Builder standard() {
        return StandardSmtpHandler.builder().localDomains(LocalDomains.of("example1.jp")).users(USERS).sink(sink);
    }

    private static MailAddress address(String text) {
        try {
            return MailAddress.parse(text);
        } catch (AddressException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void knownLocalUserIsAccepted() {
        var s = session(standard());
        assertTrue(s.mail(ReversePath.NULL, Map.of()).isAccepted());
        assertTrue(s.rcpt(address("abe@example1.jp"), Map.of()).isAccepted());
        assertTrue(s.rcpt(address("ABE@EXAMPLE1.JP"), Map.of()).isAccepted());
    }

    @Test
    void unknownLocalUserIs550UserUnknown() {
        Verdict verdict = session(standard()).rcpt(address("nobody@example1.jp"), Map.of());
        assertEquals("550 5.1.1 <nobody@example1.jp>: Recipient address rejected: User unknown in local recipient "
                + "table", ((Verdict.Reject) verdict).reply().toString());
    }

    @Test
    void postmasterIsAcceptedBecauseTheDirectoryHasIt() {
        assertTrue(session(standard()).rcpt(address("postmaster@example1.jp"), Map.of()).isAccepted());
        UserDirectory withoutPostmaster = a -> a.localPart().equals("abe") ? USERS.lookup(a) : Optional.empty();
        assertFalse(session(standard().users(withoutPostmaster)).rcpt(address("postmaster@example1.jp"), Map.of())
                .isAccepted());
    }

    @Test
    void nonLocalDomainIs554RelayDenied() {
        Verdict verdict = session(standard()).rcpt(address("user@example2.jp"), Map.of());
        assertEquals("554 5.7.1 <user@example2.jp>: Relay access denied",
                ((Verdict.Reject) verdict).reply().toString());
    }

    // ------------------------------------------------------------------------------------------ restrictions

    private static final ConnectionInfo OUTSIDER = ConnectionInfo.of("s2", new InetSocketAddress("203.0.113.9", 40000),
            new InetSocketAddress("192.168.56.101", 587));

    private static String reply(Verdict verdict) {
        return verdict instanceof Verdict.Reject ? ((Verdict.Reject) verdict).reply().toString() : "accept";
    }

    private StandardSmtpHandler.Builder textbook() {
        return standard().mynetworks(NetworkList.LOOPBACK).recipientRestrictions(RecipientRestrictions.parse(
                "permit_mynetworks, permit_sasl_authenticated, reject_unauth_destination"));
    }

    @Test
    void noMynetworksByDefaultSoEvenLoopbackCannotRelay() {
        var s = session(standard());
        s.mail(ReversePath.NULL, Map.of());
        assertEquals("554 5.7.1 <u@example2.jp>: Relay access denied", reply(s.rcpt(address("u@example2.jp"),
                Map.of())));
    }

    @Test
    void mynetworksClientsRelay() {
        var s = session(standard().mynetworks(NetworkList.LOOPBACK));
        s.mail(ReversePath.of(address("kato@example1.jp")), Map.of());
        assertEquals("accept", reply(s.rcpt(address("u@example2.jp"), Map.of())));
        var outside = textbook().build().open(OUTSIDER);
        outside.mail(ReversePath.of(address("kato@example1.jp")), Map.of());
        assertEquals("554 5.7.1 <u@example2.jp>: Relay access denied", reply(outside.rcpt(address("u@example2.jp"),
                Map.of())));
    }

    @Test
    void unknownLocalUserIs550EvenFromMynetworks() {
        var s = session(textbook());
        s.mail(ReversePath.NULL, Map.of());
        assertEquals("550 5.1.1 <nobody@example1.jp>: Recipient address rejected: User unknown in local recipient "
                + "table", reply(s.rcpt(address("nobody@example1.jp"), Map.of())));
        var permitAll = session(standard().mynetworks(NetworkList.LOOPBACK)
                .recipientRestrictions(RecipientRestrictions.parse("permit, reject")));
        assertEquals("550 5.1.1 <nobody@example1.jp>: Recipient address rejected: User unknown in local recipient "
                + "table", reply(permitAll.rcpt(address("nobody@example1.jp"), Map.of())));
    }

    @Test
    void rejectingRestrictionsComeBeforeTheUserLookup() {
        List<MailAddress> lookedUp = new ArrayList<>();
        UserDirectory recording = a -> {
            lookedUp.add(a);
            return USERS.lookup(a);
        };
        var s = session(standard().users(recording).recipientRestrictions(RecipientRestrictions.parse("reject")));
        assertEquals("554 5.7.1 <abe@example1.jp>: Recipient address rejected: Access denied",
                reply(s.rcpt(address("abe@example1.jp"), Map.of())));
        assertEquals(List.of(), lookedUp);
    }

    @Test
    void permitSaslAuthenticatedSeesTheLoginReportedByConnectionChanged() {
        var s = textbook().build().open(OUTSIDER);
        s.mail(ReversePath.of(address("abe@example1.jp")), Map.of());
        assertEquals("554 5.7.1 <u@example2.jp>: Relay access denied", reply(s.rcpt(address("u@example2.jp"),
                Map.of())));
        s.connectionChanged(OUTSIDER.withTls("TLSv1.3"));
        assertEquals("554 5.7.1 <u@example2.jp>: Relay access denied", reply(s.rcpt(address("u@example2.jp"),
                Map.of())));
        s.reset();
        s.connectionChanged(OUTSIDER.withTls("TLSv1.3").withAuthenticatedUser("abe"));
        s.mail(ReversePath.of(address("abe@example1.jp")), Map.of());
        assertEquals("accept", reply(s.rcpt(address("u@example2.jp"), Map.of())));
        // another connection of the same handler is not affected
        var other = textbook().build().open(OUTSIDER);
        assertEquals("554 5.7.1 <u@example2.jp>: Relay access denied", reply(other.rcpt(address("u@example2.jp"),
                Map.of())));
    }

    @Test
    void senderLoginMismatchIsRejectedAtMailForAuthenticatedClientsOnly() {
        StandardSmtpHandler handler = textbook()
                .senderRestrictions(SenderRestrictions.parse("reject_sender_login_mismatch")).build();
        var s = handler.open(OUTSIDER);
        assertEquals("accept", reply(s.mail(ReversePath.of(address("sato@example1.jp")), Map.of())));
        s.reset();
        s.connectionChanged(OUTSIDER.withAuthenticatedUser("abe"));
        assertEquals("553 5.7.1 <sato@example1.jp>: Sender address rejected: not owned by user abe",
                reply(s.mail(ReversePath.of(address("sato@example1.jp")), Map.of())));
        assertEquals("553 5.7.1 <abe@example2.jp>: Sender address rejected: not owned by user abe",
                reply(s.mail(ReversePath.of(address("abe@example2.jp")), Map.of())));
        assertEquals("accept", reply(s.mail(ReversePath.of(address("abe@example1.jp")), Map.of())));
        s.reset();
        assertEquals("accept", reply(s.mail(ReversePath.NULL, Map.of())));
    }

    @Test
    void senderLoginsCanBeReplaced() {
        SenderLoginMap aliases = (login, sender) -> login.equals("abe") && sender.localPart().equals("info");
        var s = textbook().senderRestrictions(SenderRestrictions.parse("reject_sender_login_mismatch"))
                .senderLogins(aliases).build().open(OUTSIDER.withAuthenticatedUser("abe"));
        assertEquals("accept", reply(s.mail(ReversePath.of(address("info@example1.jp")), Map.of())));
        s.reset();
        assertEquals("553 5.7.1 <abe@example1.jp>: Sender address rejected: not owned by user abe",
                reply(s.mail(ReversePath.of(address("abe@example1.jp")), Map.of())));
    }

    @Test
    void unknownLocalUsersCanBeAcceptedLikeAnEmptyLocalRecipientMaps() {
        var s = session(StandardSmtpHandler.builder().localDomains(LocalDomains.of("example1.jp")).sink(sink)
                .rejectUnknownLocalUsers(false));
        assertTrue(s.rcpt(address("nobody@example1.jp"), Map.of()).isAccepted());
        assertFalse(s.rcpt(address("nobody@example2.jp"), Map.of()).isAccepted());
    }

    @Test
    void dataGoesToTheSinkAndRepliesWithTheQueueId() throws DeliveryException {
        var s = session(standard());
        QueueId id = QueueId.next();
        Envelope envelope = new Envelope(id, ReversePath.NULL, List.of(Recipient.of(address("abe@example1.jp"))),
                Map.of(), "host1", "SMTP", CLIENT, Instant.now());
        Verdict verdict = s.data(envelope, MessageContent.ofBytes("hi\n".getBytes(StandardCharsets.UTF_8)));
        assertEquals(Optional.of("Ok: queued as " + id), ((Verdict.Accept) verdict).text());
        assertSame(envelope, sink.envelopes.get(0));
        assertEquals(List.of("hi\n"), sink.messages);
    }

    @Test
    void sinkFailuresPropagateSoTheServerAnswers4xx() {
        sink.failure = DeliveryException.temporary("disk full", null);
        var s = session(standard());
        Envelope envelope = new Envelope(QueueId.next(), ReversePath.NULL,
                List.of(Recipient.of(address("abe@example1.jp"))), Map.of(), "h", "SMTP", CLIENT, Instant.now());
        assertThrows(DeliveryException.class, () -> s.data(envelope, MessageContent.ofBytes(new byte[0])));
    }

    @Test
    void buildNamesTheMissingSetting() {
        assertTrue(assertThrows(IllegalStateException.class, () -> StandardSmtpHandler.builder().users(USERS)
                .sink(sink).build()).getMessage().contains("localDomains"));
        assertTrue(assertThrows(IllegalStateException.class, () -> StandardSmtpHandler.builder()
                .localDomains(LocalDomains.of("example1.jp")).users(USERS).build()).getMessage().contains("sink"));
        assertTrue(assertThrows(IllegalStateException.class, () -> StandardSmtpHandler.builder()
                .localDomains(LocalDomains.of("example1.jp")).sink(sink).build()).getMessage().contains("users"));
    }

    @Test
    void idnRecipientDomainsAreLocal() {
        var s = session(StandardSmtpHandler.builder().localDomains(LocalDomains.of("例え.jp")).users(USERS)
                .sink(sink));
        assertTrue(s.rcpt(MailAddress.of("abe", Domain.of("xn--r8jz45g.jp")), Map.of()).isAccepted());
    }
}
