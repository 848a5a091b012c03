package dev.yubin.junit;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.yubin.mailserver.Credentials;
import dev.yubin.mailserver.MailServer;
import dev.yubin.mailserver.MailServer.Service;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Store;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Test classes that {@link MailServerExtensionTest} runs through JUnit's test kit (nested, so that Surefire does
 * not run them on their own). Each records what it saw in {@link #SEEN} for the outer test to check.
 */
final class ExtensionCases {
    /** What the cases saw: a key per case, the servers (by identity) and ports, in test order. */
    static final Map<String, List<Object>> SEEN = new ConcurrentHashMap<>();

    private ExtensionCases() {
    }

    static void see(String key, Object value) {
        SEEN.computeIfAbsent(key, k -> new CopyOnWriteArrayList<>()).add(value);
    }

    static void clear() {
        SEEN.clear();
    }

    static MimeMessage message(Session session, String from, String to, String subject) throws Exception {
        MimeMessage m = new MimeMessage(session);
        m.setFrom(new InternetAddress(from));
        m.setRecipient(Message.RecipientType.TO, new InternetAddress(to));
        m.setSubject(subject);
        m.setText("body of " + subject + "\n");
        return m;
    }

    /** A static field: one server for the class; the second test finds the first one's mail gone. */
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    static class StaticField {
        @RegisterExtension
        static MailServerExtension mail = MailServerExtension.configure(server -> server
                .domain("example.test").user("abe", "secret"));

        @BeforeAll
        static void before(MailServer server) {
            see("static", server);
        }

        @Test
        @Order(1)
        void first(MailServer server) throws Exception {
            assertSame(mail.server(), server);
            Transport.send(message(MailSessions.anonymous(server), "kato@example.org", "abe@example.test", "one"));
            server.awaitMaillog("status=sent", Duration.ofSeconds(10));
            // the session's last line comes after the client has gone: wait, or it lands in the next test's log
            server.awaitMaillog("smtpd: disconnect from", Duration.ofSeconds(10));
            assertEquals(1, server.messages("abe").size());
            see("static", server);
            see("static-port", server.port(Service.SMTP));
        }

        @Test
        @Order(2)
        void second(MailServer server) throws Exception {
            assertEquals(List.of(), server.messages("abe"), "emptied before each test");
            assertEquals(List.of(), server.maillog(), "the first test's events are gone");
            see("static", server);
        }

        @Nested
        class Inner {
            @Test
            void sharesTheServer(MailServer server) {
                see("static", server);
            }
        }
    }

    /** An instance field: a server for each test. */
    static class InstanceField {
        @RegisterExtension
        MailServerExtension mail = MailServerExtension.configure(server -> server.user("abe", "secret"));

        @Test
        void one(MailServer server) throws Exception {
            assertSame(mail.server(), server);
            server.deliver("abe", "Subject: one\n\nx\n");
            see("instance", server);
            see("instance-port", server.port(Service.IMAP));
        }

        @Test
        void two(MailServer server) throws Exception {
            assertEquals(0, server.messages("abe").size());
            server.deliver("abe", "Subject: two\n\nx\n");
            see("instance", server);
            see("instance-port", server.port(Service.IMAP));
        }
    }

    /** An instance field of a PER_CLASS test instance lives as long as the instance: one server. */
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    static class InstanceFieldPerClassInstance {
        @RegisterExtension
        MailServerExtension mail = MailServerExtension.withDefaults();

        @Test
        void one(MailServer server) {
            see("per-class-instance", server);
        }

        @Test
        void two(MailServer server) {
            see("per-class-instance", server);
        }
    }

    /** The annotation: injected credentials and Jakarta Mail sessions, mail sent and read over the wire. */
    @WithMailServer(hostname = "mail.example.test", domains = "example.test", users = {"abe:secret", "kato:pw2"})
    static class Annotated {
        @Test
        void sendsAndReads(MailServer server, Credentials first, @User("kato") Credentials kato, Session abe,
                @User("kato") Session katoSession) throws Exception {
            assertEquals(new Credentials("abe", "abe@example.test", "secret"), first);
            assertEquals("kato@example.test", kato.address());
            Transport.send(message(abe, first.address(), kato.address(), "hello kato"));
            server.awaitMessages("kato", 1, Duration.ofSeconds(10));
            try (Store store = katoSession.getStore()) {
                store.connect();
                Folder inbox = store.getFolder("INBOX");
                inbox.open(Folder.READ_ONLY);
                assertEquals("hello kato", inbox.getMessage(1).getSubject());
                inbox.close(false);
            }
            try (Store pop3 = katoSession.getStore("pop3")) {
                pop3.connect();
                Folder inbox = pop3.getFolder("INBOX");
                inbox.open(Folder.READ_ONLY);
                assertEquals(1, inbox.getMessageCount());
                inbox.close(false);
            }
            see("annotated", server);
        }

        @Nested
        class SharesTheServer {
            @Test
            void sameServer(MailServer server) {
                assertEquals("mail.example.test", server.hostname());
                see("annotated", server);
            }
        }

        @Nested
        @WithMailServer(users = "ito:pw", lifecycle = Lifecycle.PER_METHOD)
        class OwnServerPerMethod {
            @Test
            void one(MailServer server, Credentials ito) {
                assertEquals("ito@localhost", ito.address());
                see("annotated-nested", server);
            }

            @Test
            void two(MailServer server) {
                see("annotated-nested", server);
            }
        }
    }

    /** STARTTLS before AUTH when the server refuses passwords in the clear: the injected session does it. */
    @WithMailServer(domains = "example.test", users = "abe:secret", plaintextAuth = false)
    static class TlsOnly {
        @Test
        void sessionStartsTls(MailServer server, Session session) throws Exception {
            assertTrue(!server.plaintextAuth());
            Transport.send(message(session, "abe@example.test", "abe@example.test", "over tls"));
            server.awaitMessages("abe", 1, Duration.ofSeconds(10));
            try (Store store = session.getStore("imap")) {
                store.connect();
                Folder inbox = store.getFolder("INBOX");
                inbox.open(Folder.READ_ONLY);
                assertEquals("over tls", inbox.getMessage(1).getSubject());
                inbox.close(false);
            }
        }
    }

    /** A user the server does not have: the test fails with a reason, it does not hang or pass. */
    @WithMailServer(users = "abe:secret")
    static class UnknownUser {
        @Test
        void nobody(@User("nobody") Credentials nobody) {
            throw new AssertionError("must not run");
        }
    }

    /**
     * Two tests of one class at once: {@code second}'s server set-up comes after {@code first} delivered (a gate
     * extension registered first holds it), and must not empty the mailbox under {@code first}.
     */
    static class ConcurrentTests {
        static final CountDownLatch DELIVERED = new CountDownLatch(1);
        static final CountDownLatch SECOND_STARTED = new CountDownLatch(1);

        @RegisterExtension
        @Order(1)
        static BeforeEachCallback gate = context -> {
            if (context.getRequiredTestMethod().getName().equals("second")) {
                assertTrue(DELIVERED.await(20, TimeUnit.SECONDS), "first never delivered: not concurrent?");
            }
        };

        @RegisterExtension
        @Order(2)
        static MailServerExtension mail = MailServerExtension.configure(s -> s.user("abe", "pw"));

        @Test
        void first(MailServer server) throws Exception {
            server.deliver("abe", "Subject: first\n\nx\n");
            DELIVERED.countDown();
            assertTrue(SECOND_STARTED.await(20, TimeUnit.SECONDS), "second never started: not concurrent?");
            assertEquals(1, server.messages("abe").size(), "the other test's set-up emptied this test's mailbox");
        }

        @Test
        void second(MailServer server) {
            SECOND_STARTED.countDown();
        }
    }

    /** Parallel classes: each has a server of its own, and its tests run concurrently on it. */
    abstract static class Parallel {
        /** {@code one} for {@code ParallelOne}. */
        String name() {
            return getClass().getSimpleName().substring("Parallel".length()).toLowerCase(java.util.Locale.ROOT);
        }

        void sendAndAwait(MailServer server, String user) throws Exception {
            Session session = MailSessions.forUser(server, server.credentials(user));
            Transport.send(message(session, server.credentials(user).address(), server.credentials(user).address(),
                    name() + " " + user));
            List<byte[]> got = server.awaitMessages(user, 1, Duration.ofSeconds(20));
            assertEquals(1, got.size(), "only this test's message in " + user + "'s mailbox");
            assertTrue(new String(got.get(0), UTF_8).contains("Subject: " + name() + " " + user + "\n"));
            see("parallel-" + name(), server);
            see("parallel-port", server.port(Service.SMTP));
        }

        @Test
        void a(MailServer server) throws Exception {
            sendAndAwait(server, "a");
        }

        @Test
        void b(MailServer server) throws Exception {
            sendAndAwait(server, "b");
        }

        @Test
        void c(MailServer server) throws Exception {
            sendAndAwait(server, "c");
        }
    }

    static MailServerExtension parallelServer() {
        return MailServerExtension.configure(s -> s.user("a", "pw").user("b", "pw").user("c", "pw"));
    }

    static class ParallelOne extends Parallel {
        @RegisterExtension
        static MailServerExtension mail = parallelServer();
    }

    static class ParallelTwo extends Parallel {
        @RegisterExtension
        static MailServerExtension mail = parallelServer();
    }

    static class ParallelThree extends Parallel {
        @RegisterExtension
        static MailServerExtension mail = parallelServer();
    }

    static class ParallelFour extends Parallel {
        @RegisterExtension
        MailServerExtension mail = parallelServer();
    }

    static void assertDistinct(List<Object> values) {
        for (int i = 0; i < values.size(); i++) {
            for (int j = i + 1; j < values.size(); j++) {
                assertNotEquals(values.get(i), values.get(j));
            }
        }
    }
}
