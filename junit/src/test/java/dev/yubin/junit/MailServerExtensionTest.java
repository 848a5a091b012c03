package dev.yubin.junit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.EventConditions.test;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.instanceOf;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import dev.yubin.mailserver.MailServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.platform.engine.DiscoverySelector;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Events;

/** Runs the classes of {@link ExtensionCases} through JUnit's engine and checks their servers' lifetimes. */
@Timeout(120)
class MailServerExtensionTest {

    @BeforeEach
    @AfterEach
    void clear() {
        ExtensionCases.clear();
    }

    private static Events run(DiscoverySelector... selectors) {
        EngineExecutionResults results = EngineTestKit.engine("junit-jupiter").selectors(selectors).execute();
        return reported(results.testEvents());
    }

    /** The events, after printing why each failed test failed (the kit's statistics say only how many). */
    private static Events reported(Events events) {
        events.failed().stream().forEach(event -> System.err.println("case failed: "
                + event.getTestDescriptor().getDisplayName() + ": " + event.getPayload(TestExecutionResult.class)
                .flatMap(TestExecutionResult::getThrowable).map(Throwable::toString).orElse("?")));
        return events;
    }

    private static List<Object> seen(String key) {
        return ExtensionCases.SEEN.getOrDefault(key, List.of());
    }

    private static Set<Object> identities(List<Object> servers) {
        Set<Object> set = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
        set.addAll(servers);
        return set;
    }

    private static void assertClosed(int port) {
        assertThrows(IOException.class, () -> {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 2000);
            }
        }, "port " + port + " still accepts after the server's scope ended");
    }

    @Test
    void staticFieldGivesOneServerForTheClassAndItsNestedClassesEmptiedBeforeEachTest() {
        run(selectClass(ExtensionCases.StaticField.class)).assertStatistics(s -> s.started(3).succeeded(3));
        List<Object> servers = seen("static");
        assertEquals(4, servers.size(), "@BeforeAll, two tests, one nested test");
        assertEquals(1, identities(servers).size(), "one server");
        assertClosed((Integer) seen("static-port").get(0));
    }

    @Test
    void instanceFieldGivesEachTestItsOwnServerClosedAfterIt() {
        run(selectClass(ExtensionCases.InstanceField.class)).assertStatistics(s -> s.started(2).succeeded(2));
        assertEquals(2, identities(seen("instance")).size());
        List<Object> ports = seen("instance-port");
        assertEquals(2, new HashSet<>(ports).size(), "two free ports: " + ports);
        ports.forEach(p -> assertClosed((Integer) p));
    }

    @Test
    void instanceFieldOfAPerClassTestInstanceLivesAsLongAsTheInstance() {
        run(selectClass(ExtensionCases.InstanceFieldPerClassInstance.class))
                .assertStatistics(s -> s.started(2).succeeded(2));
        assertEquals(1, identities(seen("per-class-instance")).size());
    }

    @Test
    void annotationInjectsCredentialsAndSessionsAndNestedClassesShareOrOwnServers() {
        run(selectClass(ExtensionCases.Annotated.class)).assertStatistics(s -> s.started(4).succeeded(4));
        List<Object> outer = seen("annotated");
        assertEquals(2, outer.size());
        assertSame(outer.get(0), outer.get(1), "the nested class without its own annotation shares the server");
        List<Object> nested = seen("annotated-nested");
        assertEquals(2, identities(nested).size(), "PER_METHOD: a server for each test");
        nested.forEach(server -> assertNotSame(outer.get(0), server));
    }

    @Test
    void injectedSessionStartsTlsWhenTheServerWantsIt() {
        run(selectClass(ExtensionCases.TlsOnly.class)).assertStatistics(s -> s.started(1).succeeded(1));
    }

    @Test
    void unknownUserFailsTheTestWithTheReason() {
        run(selectClass(ExtensionCases.UnknownUser.class)).assertThatEvents().haveExactly(1,
                event(test("nobody"), finishedWithFailure(instanceOf(ParameterResolutionException.class),
                        message(m -> m.contains("no user nobody")))));
    }

    private static Events runInParallel(DiscoverySelector... selectors) {
        Events events = EngineTestKit.engine("junit-jupiter")
                .configurationParameter("junit.jupiter.execution.parallel.enabled", "true")
                .configurationParameter("junit.jupiter.execution.parallel.mode.default", "concurrent")
                .configurationParameter("junit.jupiter.execution.parallel.mode.classes.default", "concurrent")
                .configurationParameter("junit.jupiter.execution.parallel.config.strategy", "fixed")
                .configurationParameter("junit.jupiter.execution.parallel.config.fixed.parallelism", "8")
                .selectors(selectors).execute().testEvents();
        return reported(events);
    }

    @Test
    void concurrentTestsOfOneClassDoNotEmptyEachOthersMailboxes() {
        runInParallel(selectClass(ExtensionCases.ConcurrentTests.class))
                .assertStatistics(s -> s.started(2).succeeded(2));
    }

    @Test
    void parallelClassesAndConcurrentTestsNeverShareAPortOrAMailbox() {
        Events events = runInParallel(selectClass(ExtensionCases.ParallelOne.class),
                        selectClass(ExtensionCases.ParallelTwo.class),
                        selectClass(ExtensionCases.ParallelThree.class),
                        selectClass(ExtensionCases.ParallelFour.class));
        events.assertStatistics(s -> s.started(12).succeeded(12));
        for (String name : List.of("one", "two", "three")) {
            assertEquals(1, identities(seen("parallel-" + name)).size(), name + ": a static field, one server");
        }
        assertEquals(3, identities(seen("parallel-four")).size(), "an instance field: three servers");
        Set<Object> all = identities(seen("parallel-one"));
        all.addAll(seen("parallel-two"));
        all.addAll(seen("parallel-three"));
        all.addAll(seen("parallel-four"));
        assertEquals(6, all.size());
        assertEquals(6, new HashSet<>(seen("parallel-port")).size(), "six servers, six SMTP ports");
        seen("parallel-port").forEach(p -> assertClosed((Integer) p));
        all.forEach(server -> assertTrue(((MailServer) server).services().isEmpty(), "closed: no listeners left"));
    }
}
