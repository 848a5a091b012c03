package dev.yubin.junit;

import dev.yubin.core.net.ListenerConfig;
import dev.yubin.delivery.memory.MemoryStore;
import dev.yubin.mailserver.Credentials;
import dev.yubin.mailserver.MailServer;
import dev.yubin.mailserver.MailServer.Service;
import java.io.IOException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * A JUnit 5 extension that runs a {@link MailServer} for tests: SMTP, submission, POP3 and IMAP on free ports of
 * 127.0.0.1, over an in-memory store, so that test classes running in parallel never share a port or a mailbox.
 *
 * <p>Registered on a field, its lifetime follows JUnit's rule for the field:
 *
 * <pre>
 * &#64;RegisterExtension                        // static: one server for the class, emptied before each test
 * static MailServerExtension mail = MailServerExtension.configure(server -&gt; server
 *         .domain("example.test").user("abe", "secret"));
 *
 * &#64;RegisterExtension                        // instance field: a new server for each test
 * MailServerExtension perTest = MailServerExtension.withDefaults();
 * </pre>
 *
 * <p>or declared with {@link WithMailServer} on the class. Either way, test and lifecycle methods may take these
 * parameters:
 *
 * <table>
 *   <caption>Injected parameters</caption>
 *   <tr><th>type</th><th>what</th></tr>
 *   <tr><td>{@link MailServer}</td><td>the running server: ports, {@code deliver}, {@code awaitMessages},
 *       {@code maillog}</td></tr>
 *   <tr><td>{@link Credentials}</td><td>the first user, or the one named by {@link User}</td></tr>
 *   <tr><td>{@code jakarta.mail.Session}</td><td>{@link MailSessions#forUser} for that user (needs Jakarta Mail)
 *       </td></tr>
 * </table>
 *
 * <p>{@code @Nested} classes share the server of their enclosing class. A class-wide server's in-memory mailboxes
 * and its {@link MailServer#maillog()} are emptied before each test, except when the tests of the class run
 * concurrently (JUnit's {@code ExecutionMode.CONCURRENT}): then they share both, so give each test its own user or
 * use a server per test. Thread-safe: one instance may serve test classes running in parallel, each with its own
 * server.
 */
public final class MailServerExtension
        implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback, ParameterResolver {

    private static final String SERVER = "server";
    private static final String SESSION_TYPE = "jakarta.mail.Session";

    private final Consumer<MailServer.Builder> configuration; // null when declared with @WithMailServer
    private final Set<MailServer> running = ConcurrentHashMap.newKeySet();

    /** For {@code @ExtendWith}: the settings come from the {@link WithMailServer} of the test class. */
    public MailServerExtension() {
        this.configuration = null;
    }

    private MailServerExtension(Consumer<MailServer.Builder> configuration) {
        this.configuration = Objects.requireNonNull(configuration, "configuration");
    }

    /** A server on the defaults: host and domain {@code localhost}, no users, all four listeners. */
    public static MailServerExtension withDefaults() {
        return configure(server -> { });
    }

    /**
     * A server set up by {@code configuration} on top of the extension's defaults: SMTP, submission, POP3 and IMAP
     * on free ports, passwords accepted without TLS (loopback only).
     */
    public static MailServerExtension configure(Consumer<MailServer.Builder> configuration) {
        return new MailServerExtension(configuration);
    }

    /**
     * The server of the running test, for a field-registered extension. Fails when none runs, or when several do
     * (test classes in parallel sharing this instance): inject {@link MailServer} as a parameter then.
     */
    public MailServer server() {
        List<MailServer> now = List.copyOf(running);
        if (now.size() != 1) {
            throw new IllegalStateException(now.isEmpty() ? "no mail server is running (outside a test?)"
                    : now.size() + " mail servers are running; take MailServer as a test parameter instead");
        }
        return now.get(0);
    }

    /** The port of a listener of {@link #server()}. */
    public int port(Service service) {
        return server().port(service);
    }

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        Scope scope = scope(context);
        if (scope.lifecycle() == Lifecycle.PER_CLASS && find(context, scope).isEmpty()) {
            start(context, scope);
        }
    }

    /**
     * Empties a shared server's mailboxes, or starts this test's server: an extension in an instance field never
     * sees {@link #beforeAll}, so it gets a server per test.
     */
    @Override
    public void beforeEach(ExtensionContext context) throws IOException {
        Scope scope = scope(context);
        Optional<Running> shared = find(context, scope);
        if (shared.isEmpty()) {
            start(context, scope);
        } else if (context.getExecutionMode() != ExecutionMode.CONCURRENT) {
            MailServer server = shared.get().server();
            if (server.store() instanceof MemoryStore) {
                server.reset();
            } else {
                server.clearMaillog();
            }
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        stopIfOwner(context);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        stopIfOwner(context);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        boolean ours = type == MailServer.class || type == Credentials.class
                || type.getName().equals(SESSION_TYPE);
        return ours && find(context, scope(context)).isPresent();
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        MailServer server = find(context, scope(context)).orElseThrow().server();
        Class<?> type = parameter.getParameter().getType();
        if (type == MailServer.class) {
            return server;
        }
        Optional<User> named = parameter.findAnnotation(User.class);
        if (type == Credentials.class) {
            return credentials(server, named, parameter);
        }
        return named.isEmpty() && server.credentials().isEmpty() ? JakartaMail.anonymous(server)
                : JakartaMail.forUser(server, credentials(server, named, parameter));
    }

    private static Credentials credentials(MailServer server, Optional<User> named, ParameterContext parameter) {
        try {
            if (named.isPresent()) {
                return server.credentials(named.get().value());
            }
            if (server.credentials().isEmpty()) {
                throw new IllegalArgumentException("the server has no users: add one with user(name, password)");
            }
            return server.credentials().get(0);
        } catch (IllegalArgumentException e) {
            throw new ParameterResolutionException(parameter.getParameter() + ": " + e.getMessage(), e);
        }
    }

    /** Kept apart so that Jakarta Mail is loaded only for a {@code Session} parameter. */
    private static final class JakartaMail {
        static Object forUser(MailServer server, Credentials user) {
            return MailSessions.forUser(server, user);
        }

        static Object anonymous(MailServer server) {
            return MailSessions.anonymous(server);
        }
    }

    private record Running(MailServer server, String owner) {
    }

    /**
     * Where this registration keeps its server: a store namespace of its own (so that two extensions in one class
     * run two servers, and a {@code @Nested} class finds its enclosing class's server) and the lifecycle.
     */
    private record Scope(ExtensionContext.Namespace namespace, Lifecycle lifecycle, WithMailServer annotation) {
    }

    private Scope scope(ExtensionContext context) {
        if (configuration != null) {
            // the lifecycle follows the field: only a static one (or a PER_CLASS test instance) sees beforeAll
            return new Scope(ExtensionContext.Namespace.create(MailServerExtension.class, this), Lifecycle.PER_CLASS,
                    null);
        }
        Class<?> declaring = annotated(context.getRequiredTestClass());
        WithMailServer with = declaring == null ? null : declaring.getAnnotation(WithMailServer.class);
        // keyed by the annotated class, not by this instance: right whether or not JUnit registers the extension
        // again for a nested class
        return new Scope(ExtensionContext.Namespace.create(MailServerExtension.class,
                declaring == null ? MailServerExtension.class : declaring),
                with == null ? Lifecycle.PER_CLASS : with.lifecycle(), with);
    }

    /** The nearest class, from {@code test} outwards through enclosing classes, with {@link WithMailServer}. */
    private static Class<?> annotated(Class<?> test) {
        for (Class<?> c = test; c != null; c = c.getEnclosingClass()) {
            if (c.isAnnotationPresent(WithMailServer.class)) {
                return c;
            }
        }
        return null;
    }

    private MailServer.Builder builder(Scope scope) {
        if (scope.annotation() == null) {
            MailServer.Builder b = MailServer.builder().smtp(0).submission(0).pop3(0).imap(0).plaintextAuth(true);
            if (configuration != null) {
                configuration.accept(b);
            }
            return b;
        }
        WithMailServer with = scope.annotation();
        MailServer.Builder b = MailServer.builder().hostname(with.hostname()).plaintextAuth(with.plaintextAuth());
        for (String domain : with.domains()) {
            b.domain(domain);
        }
        for (String user : with.users()) {
            int colon = user.indexOf(':');
            if (colon <= 0 || colon == user.length() - 1) {
                throw new IllegalArgumentException("@WithMailServer users are name:password, not " + user);
            }
            b.user(user.substring(0, colon), user.substring(colon + 1));
        }
        for (Service service : with.services()) {
            b.listen(service, ListenerConfig.loopback(0));
        }
        return b;
    }

    private static Optional<Running> find(ExtensionContext context, Scope scope) {
        return Optional.ofNullable(context.getStore(scope.namespace()).get(SERVER, Running.class));
    }

    private void start(ExtensionContext context, Scope scope) throws IOException {
        MailServer server = builder(scope).build().start();
        running.add(server);
        context.getStore(scope.namespace()).put(SERVER, new Running(server, context.getUniqueId()));
    }

    /** Closes the server that {@code context} started; a nested class's end leaves its enclosing class's alone. */
    private void stopIfOwner(ExtensionContext context) {
        ExtensionContext.Store store = context.getStore(scope(context).namespace());
        Running here = store.get(SERVER, Running.class);
        if (here != null && here.owner().equals(context.getUniqueId())) {
            store.remove(SERVER);
            running.remove(here.server());
            here.server().close();
        }
    }

    @Override
    public String toString() {
        return "MailServerExtension" + (running.isEmpty() ? "" : running.stream().map(s -> s.hostname() + " "
                + s.services()).toList());
    }
}
