package dev.yubin.benchmarks.auth;

import dev.yubin.auth.InMemoryUserDatabase;
import dev.yubin.auth.sasl.PlainMechanism;
import dev.yubin.auth.sasl.SaslContext;
import dev.yubin.auth.sasl.SaslStep;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@code AUTH PLAIN <b64>} as a server handles it: base64 decoding, the RFC 4616 message, the user lookup and the
 * password check, with a {@code {PLAIN}} password (the mechanism's own cost) and a {@code {SHA512-CRYPT}} one
 * (Dovecot's default, 5000 rounds: what a real login costs).
 */
@State(Scope.Benchmark)
@Fork(2)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class SaslPlainBenchmark {

    @Param({"PLAIN", "SHA512-CRYPT"})
    public String scheme;

    private final PlainMechanism mechanism = new PlainMechanism();
    private SaslContext context;
    private String initialResponse;

    @Setup(Level.Trial)
    public void users() {
        InMemoryUserDatabase.Builder users = InMemoryUserDatabase.builder();
        for (int i = 0; i < 1000; i++) {
            users.user("user" + i + "@example1.jp", "{PLAIN}password" + i);
        }
        users.user("abe@example1.jp", PasswordVerifyBenchmark.STORED.get(scheme));
        context = SaslContext.of(users.build(), "mail.example1.jp");
        byte[] message = "\0abe@example1.jp\0secret".getBytes(StandardCharsets.UTF_8);
        initialResponse = Base64.getEncoder().encodeToString(message);
        if (!(authenticate() instanceof SaslStep.Success)) {
            throw new IllegalStateException("abe does not log in with " + scheme);
        }
    }

    /** One successful exchange from the base64 text of the command line to the success. */
    @Benchmark
    public SaslStep authenticate() {
        byte[] decoded = Base64.getDecoder().decode(initialResponse);
        return mechanism.newServer(context).start(Optional.of(decoded));
    }
}
