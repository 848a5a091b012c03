package dev.yubin.benchmarks.mailserver;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import com.icegreen.greenmail.util.ServerSetupTest;
import dev.yubin.core.net.Limits;
import dev.yubin.mailserver.MailServer;
import java.io.IOException;

/**
 * One of the two embedded servers the start-up and idle-connection figures compare, each with SMTP, POP3 and IMAP on
 * free loopback ports and one user: Yubin's {@link MailServer} or GreenMail. Constructing one is the "build" step
 * (Yubin makes its self-signed certificate only at the first TLS handshake); {@link #start()} returns once the
 * three listeners are bound. Not thread-safe.
 */
interface EmbeddedServer extends AutoCloseable {
    /** The names {@link #create} takes. */
    String YUBIN = "yubin";
    String GREENMAIL = "greenmail";

    /**
     * A server not yet started; {@code maxConnections} raises Yubin's connection limits (total and per client, for
     * the many loopback connections of the idle figure); GreenMail has none to raise.
     */
    static EmbeddedServer create(String name, int maxConnections) {
        switch (name) {
            case YUBIN:
                return new Yubin(MailServer.builder().domain("example.test").user("abe", "secret")
                        .smtp(0).pop3(0).imap(0).plaintextAuth(true)
                        .limits(Limits.defaults().withMaxConnections(maxConnections)
                                .withMaxConnectionsPerClient(maxConnections))
                        .build());
            case GREENMAIL:
                GreenMail greenMail = new GreenMail(ServerSetup.dynamicPort(ServerSetupTest.SMTP_POP3_IMAP));
                greenMail.setUser("abe@example.test", "abe", "secret");
                return new Green(greenMail);
            default:
                throw new IllegalArgumentException("unknown server " + name + " (" + YUBIN + " or " + GREENMAIL + ")");
        }
    }

    /** Binds SMTP, POP3 and IMAP; returns once all three accept connections. */
    void start() throws IOException;

    /** The bound IMAP port, after {@link #start()}. */
    int imapPort();

    /** Stops every listener and waits until it has stopped. */
    @Override
    void close();

    /** Yubin's {@link MailServer}. */
    final class Yubin implements EmbeddedServer {
        private final MailServer server;

        Yubin(MailServer server) {
            this.server = server;
        }

        @Override
        public void start() throws IOException {
            server.start();
        }

        @Override
        public int imapPort() {
            return server.port(MailServer.Service.IMAP);
        }

        @Override
        public void close() {
            server.close();
        }
    }

    /** GreenMail, whose {@code start()} waits until each server thread is listening. */
    final class Green implements EmbeddedServer {
        private final GreenMail server;

        Green(GreenMail server) {
            this.server = server;
        }

        @Override
        public void start() {
            server.start();
        }

        @Override
        public int imapPort() {
            return server.getImap().getPort();
        }

        @Override
        public void close() {
            server.stop();
        }
    }
}
