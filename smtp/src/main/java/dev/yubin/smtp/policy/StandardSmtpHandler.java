package dev.yubin.smtp.policy;

import dev.yubin.core.address.MailAddress;
import dev.yubin.core.address.ReversePath;
import dev.yubin.core.message.DeliveryException;
import dev.yubin.core.message.Envelope;
import dev.yubin.core.message.MailSink;
import dev.yubin.core.message.MessageContent;
import dev.yubin.core.message.Receipt;
import dev.yubin.core.net.ConnectionInfo;
import dev.yubin.core.net.NetworkList;
import dev.yubin.core.user.UserDirectory;
import dev.yubin.smtp.protocol.SmtpReplies;
import dev.yubin.smtp.server.SmtpHandler;
import dev.yubin.smtp.server.Verdict;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The default {@link SmtpHandler}, Postfix's smtpd checks in Java. At MAIL the {@link SenderRestrictions} decide
 * (none by default). At RCPT the {@link RecipientRestrictions} decide first (default
 * {@code permit_mynetworks, reject_unauth_destination}: {@code 554 5.7.1 ... Relay access denied} for other
 * domains); a permitted recipient in {@link LocalDomains} must then exist in the {@link UserDirectory}
 * ({@code local_recipient_maps}; else {@code 550 5.1.1 ... User unknown in local recipient table}), even from
 * {@code mynetworks}. Accepted messages go to the {@link MailSink}, which makes them durable before the 250.
 *
 * <p>Restrictions see the connection as it is now: {@link SmtpHandler.Session#connectionChanged} after STARTTLS
 * and AUTH updates the client that {@code permit_sasl_authenticated} and {@code reject_sender_login_mismatch}
 * look at.
 *
 * <p>Thread-safe; its sessions are confined to their connections. Build it with {@link #builder()}.
 */
public final class StandardSmtpHandler implements SmtpHandler {
    private final LocalDomains localDomains;
    private final Optional<UserDirectory> users;
    private final MailSink sink;
    private final NetworkList mynetworks;
    private final RecipientRestrictions recipientRestrictions;
    private final SenderRestrictions senderRestrictions;
    private final SenderLoginMap senderLogins;
    @SuppressWarnings("removal")
    private final boolean rejectUnknownLocalUsers;
    private final boolean lookupsInMemory;

    private StandardSmtpHandler(Builder builder) {
        this.localDomains = builder.localDomains;
        this.users = Optional.ofNullable(builder.users);
        this.sink = builder.sink;
        this.mynetworks = builder.mynetworks;
        this.recipientRestrictions = builder.recipientRestrictions;
        this.senderRestrictions = builder.senderRestrictions;
        this.senderLogins = builder.senderLogins != null ? builder.senderLogins
                : SenderLoginMap.localUsers(builder.localDomains);
        this.rejectUnknownLocalUsers = builder.rejectUnknownLocalUsers;
        this.lookupsInMemory = builder.lookupsInMemory;
    }

    /** A builder; {@link Builder#localDomains} and {@link Builder#sink} are required. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public SmtpHandler.Session open(ConnectionInfo connection) {
        return new Session(connection);
    }

    @Override
    public boolean envelopeChecksAreNonBlocking() {
        return lookupsInMemory;
    }

    private final class Session implements SmtpHandler.Session {
        private ConnectionInfo connection;
        private ReversePath from = ReversePath.NULL;

        Session(ConnectionInfo connection) {
            this.connection = connection;
        }

        @Override
        public void connectionChanged(ConnectionInfo connection) {
            this.connection = Objects.requireNonNull(connection, "connection");
        }

        @Override
        public Verdict mail(ReversePath from, Map<String, String> parameters) {
            Verdict verdict = senderRestrictions.evaluate(connection, mynetworks, from, senderLogins);
            if (verdict.isAccepted()) {
                this.from = from;
            }
            return verdict;
        }

        @Override
        public Verdict rcpt(MailAddress to, Map<String, String> parameters) {
            boolean local = localDomains.isLocal(to);
            Verdict verdict = recipientRestrictions.evaluate(connection, mynetworks, from, to, local);
            if (!verdict.isAccepted()) {
                return verdict;
            }
            if (local && rejectUnknownLocalUsers && users.orElseThrow().lookup(to).isEmpty()) {
                return Verdict.reject(SmtpReplies.userUnknown(to.toString()));
            }
            return Verdict.accept();
        }

        @Override
        public Verdict data(Envelope envelope, MessageContent content) throws DeliveryException {
            Receipt receipt = sink.accept(envelope, content);
            return Verdict.accept("Ok: queued as " + receipt.queueId());
        }

        @Override
        public void reset() {
            from = ReversePath.NULL;
        }
    }

    /** Builds a {@link StandardSmtpHandler}; {@link #build()} names a missing setting. Not thread-safe. */
    public static final class Builder {
        private LocalDomains localDomains;
        private UserDirectory users;
        private MailSink sink;
        private NetworkList mynetworks = NetworkList.NONE;
        private RecipientRestrictions recipientRestrictions = RecipientRestrictions.POSTFIX_DEFAULT;
        private SenderRestrictions senderRestrictions = SenderRestrictions.NONE;
        private SenderLoginMap senderLogins;
        @SuppressWarnings("removal")
        private boolean rejectUnknownLocalUsers = true;
        private boolean lookupsInMemory;

        private Builder() {
        }

        /** Required: the domains delivered here (Postfix {@code mydestination}). */
        public Builder localDomains(LocalDomains value) {
            this.localDomains = Objects.requireNonNull(value, "localDomains");
            return this;
        }

        /** Required while {@link #rejectUnknownLocalUsers(boolean)} is true: who exists in the local domains. */
        public Builder users(UserDirectory value) {
            this.users = Objects.requireNonNull(value, "users");
            return this;
        }

        /** Required: where accepted messages go (a local delivery agent or a queue). */
        public Builder sink(MailSink value) {
            this.sink = Objects.requireNonNull(value, "sink");
            return this;
        }

        /**
         * The clients {@code permit_mynetworks} trusts (Postfix {@code mynetworks}); default
         * {@link NetworkList#NONE}, so that nobody relays until it is set. Postfix's usual value is
         * {@link NetworkList#LOOPBACK} plus the local subnets.
         */
        public Builder mynetworks(NetworkList value) {
            this.mynetworks = Objects.requireNonNull(value, "mynetworks");
            return this;
        }

        /**
         * Who may send to which recipient (Postfix {@code smtpd_recipient_restrictions}); default
         * {@link RecipientRestrictions#POSTFIX_DEFAULT}. The textbook's list is
         * {@code RecipientRestrictions.parse("permit_mynetworks, permit_sasl_authenticated,
         * reject_unauth_destination")}.
         */
        public Builder recipientRestrictions(RecipientRestrictions value) {
            this.recipientRestrictions = Objects.requireNonNull(value, "recipientRestrictions");
            return this;
        }

        /**
         * Who may use which MAIL FROM (Postfix {@code smtpd_sender_restrictions}); default
         * {@link SenderRestrictions#NONE}. {@code SenderRestrictions.parse("reject_sender_login_mismatch")}
         * restricts authenticated clients to the addresses their login owns per {@link #senderLogins}.
         */
        public Builder senderRestrictions(SenderRestrictions value) {
            this.senderRestrictions = Objects.requireNonNull(value, "senderRestrictions");
            return this;
        }

        /**
         * Which sender addresses a login owns (Postfix {@code smtpd_sender_login_maps}), for
         * {@code reject_sender_login_mismatch}; default {@link SenderLoginMap#localUsers} of the
         * {@link #localDomains}: {@code abe} owns {@code abe@} each local domain, {@code abe@example1.jp} owns that
         * address. Must answer from memory when {@link #lookupsInMemory(boolean)} is set.
         */
        public Builder senderLogins(SenderLoginMap value) {
            this.senderLogins = Objects.requireNonNull(value, "senderLogins");
            return this;
        }

        /** Reject unknown users of local domains at RCPT with 550 5.1.1; default true (no backscatter). */
        public Builder rejectUnknownLocalUsers(boolean value) {
            this.rejectUnknownLocalUsers = value;
            return this;
        }

        /**
         * Declares that the user directory, the sender login map and the relay policy answer from memory without
         * blocking, so that MAIL and RCPT may be checked on the event loop
         * ({@link SmtpHandler#envelopeChecksAreNonBlocking()}); default false. Set it only for in-memory
         * directories: a blocking lookup on an event loop stalls every connection on that loop.
         */
        public Builder lookupsInMemory(boolean value) {
            this.lookupsInMemory = value;
            return this;
        }

        /**
         * The handler.
         *
         * @throws IllegalStateException naming the missing setting: {@code localDomains}, {@code sink}, or
         *     {@code users} while {@code rejectUnknownLocalUsers} is on
         */
        public StandardSmtpHandler build() {
            if (localDomains == null) {
                throw new IllegalStateException("StandardSmtpHandler: localDomains is required");
            }
            if (sink == null) {
                throw new IllegalStateException("StandardSmtpHandler: sink is required");
            }
            if (rejectUnknownLocalUsers && users == null) {
                throw new IllegalStateException(
                        "StandardSmtpHandler: users is required while rejectUnknownLocalUsers is true");
            }
            return new StandardSmtpHandler(this);
        }
    }
}
