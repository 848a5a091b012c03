package dev.yubin.smtp.policy;

import dev.yubin.core.address.MailAddress;
import dev.yubin.core.address.ReversePath;
import dev.yubin.core.message.DeliveryException;
import dev.yubin.core.message.Envelope;
import dev.yubin.core.message.MailSink;
import dev.yubin.core.message.MessageContent;
import dev.yubin.core.message.Receipt;
import dev.yubin.core.net.ConnectionInfo;
import dev.yubin.core.user.UserDirectory;
import dev.yubin.smtp.protocol.SmtpReplies;
import dev.yubin.smtp.server.SmtpHandler;
import dev.yubin.smtp.server.Verdict;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The default {@link SmtpHandler}, Postfix's defaults in Java: recipients in {@link LocalDomains} must exist in
 * the {@link UserDirectory} ({@code local_recipient_maps}; else {@code 550 5.1.1 ... User unknown in local
 * recipient table}), recipients elsewhere need the {@link RelayPolicy} (else {@code 554 5.7.1 ... Relay access
 * denied}), and accepted messages go to the {@link MailSink}, which makes them durable before the 250.
 *
 * <p>Thread-safe; its sessions are confined to their connections. Build it with {@link #builder()}.
 */
public final class StandardSmtpHandler implements SmtpHandler {
    private final LocalDomains localDomains;
    private final Optional<UserDirectory> users;
    private final MailSink sink;
    private final RelayPolicy relayPolicy;
    private final boolean rejectUnknownLocalUsers;
    private final boolean lookupsInMemory;

    private StandardSmtpHandler(Builder builder) {
        this.localDomains = builder.localDomains;
        this.users = Optional.ofNullable(builder.users);
        this.sink = builder.sink;
        this.relayPolicy = builder.relayPolicy;
        this.rejectUnknownLocalUsers = builder.rejectUnknownLocalUsers;
        this.lookupsInMemory = builder.lookupsInMemory;
    }

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
        private final ConnectionInfo connection;
        private ReversePath from = ReversePath.NULL;

        Session(ConnectionInfo connection) {
            this.connection = connection;
        }

        @Override
        public Verdict mail(ReversePath from, Map<String, String> parameters) {
            this.from = from;
            return Verdict.accept();
        }

        @Override
        public Verdict rcpt(MailAddress to, Map<String, String> parameters) {
            if (localDomains.isLocal(to)) {
                if (rejectUnknownLocalUsers && users.orElseThrow().lookup(to).isEmpty()) {
                    return Verdict.reject(SmtpReplies.userUnknown(to.toString()));
                }
                return Verdict.accept();
            }
            if (relayPolicy.mayRelay(connection, from, to)) {
                return Verdict.accept();
            }
            return Verdict.reject(SmtpReplies.relayDenied(to.toString()));
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
        private RelayPolicy relayPolicy = RelayPolicy.DENY_ALL;
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

        /** Who may relay to other domains; default {@link RelayPolicy#DENY_ALL}. */
        public Builder relayPolicy(RelayPolicy value) {
            this.relayPolicy = Objects.requireNonNull(value, "relayPolicy");
            return this;
        }

        /** Reject unknown users of local domains at RCPT with 550 5.1.1; default true (no backscatter). */
        public Builder rejectUnknownLocalUsers(boolean value) {
            this.rejectUnknownLocalUsers = value;
            return this;
        }

        /**
         * Declares that the user directory and the relay policy answer from memory without blocking, so that MAIL
         * and RCPT may be checked on the event loop ({@link SmtpHandler#envelopeChecksAreNonBlocking()}); default
         * false. Set it only for in-memory directories: a blocking lookup on an event loop stalls every connection
         * on that loop.
         */
        public Builder lookupsInMemory(boolean value) {
            this.lookupsInMemory = value;
            return this;
        }

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
