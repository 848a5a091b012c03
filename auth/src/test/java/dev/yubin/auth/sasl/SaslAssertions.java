package dev.yubin.auth.sasl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Assertions on {@link SaslStep}s. */
final class SaslAssertions {
    private SaslAssertions() {
    }

    static SaslStep.Success assertSuccess(SaslStep step, String login) {
        SaslStep.Success success = assertInstanceOf(SaslStep.Success.class, step, () -> String.valueOf(step));
        assertEquals(login, success.login());
        return success;
    }

    static SaslStep.Failure assertFailure(SaslStep step, SaslStep.Reason reason) {
        SaslStep.Failure failure = assertInstanceOf(SaslStep.Failure.class, step, () -> String.valueOf(step));
        assertEquals(reason, failure.reason(), failure.detail());
        return failure;
    }

    static void assertComplete(SaslServer server) {
        assertTrue(server.isComplete(), "exchange should be complete");
    }
}
