package dev.yubin.benchmarks.auth;

import dev.yubin.auth.password.PasswordSchemes;
import dev.yubin.auth.password.StoredPassword;
import java.nio.charset.StandardCharsets;
import java.util.Map;
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
 * One password check per scheme ({@link StoredPassword#matches}), the blocking work behind every plaintext login.
 * The stored values are what {@code doveadm pw -s SCHEME -p secret} (Dovecot 2.3) makes with its default costs:
 * SHA-crypt 5000 rounds, bcrypt cost 5, Argon2id m=64 MiB t=3, Argon2i m=32 MiB t=4, SCRAM 4096 iterations.
 */
@State(Scope.Benchmark)
@Fork(2)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class PasswordVerifyBenchmark {

    /** doveadm pw -s SCHEME -p secret (SCRAM: -p pencil), except PLAIN. */
    static final Map<String, String> STORED = Map.ofEntries(
            Map.entry("PLAIN", "{PLAIN}secret"),
            Map.entry("SHA512-CRYPT", "{SHA512-CRYPT}$6$cWRZfSdKaGqqtAVP$P/z0.OKWwuoc9vxGH5hINvpiSrt4pNOHvoMGnMQ8seIi"
                    + "V8tT9xeCyQBaPlFvzO1LKMzK0vw9bz1ovz0gB5j0b0"),
            Map.entry("SHA256-CRYPT", "{SHA256-CRYPT}$5$7REYEMEsESayM1K7$qhEYQcsA23QrcuDy.S0qYHs2E9q99XbllhfU0WgBZN8"),
            Map.entry("BLF-CRYPT", "{BLF-CRYPT}$2y$05$xHv6K03Fc0KDhWEgJP.zh.qDZb3Llfd.UvYLAk4VEvXoJye.QT8za"),
            Map.entry("MD5-CRYPT", "{MD5-CRYPT}$1$kAO..4lr$8PoDjJrnEzA/YMEw/ibh0/"),
            Map.entry("ARGON2ID", "{ARGON2ID}$argon2id$v=19$m=65536,t=3,p=1$mHYjZmFzqcthOhoe/IJ/ag$eI6kcmrXIa8tXUKENWm"
                    + "YwTHdAYA2DT5tpB9YgmQXG50"),
            Map.entry("ARGON2I", "{ARGON2I}$argon2i$v=19$m=32768,t=4,p=1$rjXqfA4DPl9yyvY7J5CW8Q$ncuqFm/ZDN0OF20HvzMUf"
                    + "hGob4+erE9fI/PK/Eeh+SI"),
            Map.entry("SSHA256", "{SSHA256}GIyct7YKhKdDsSgfkjP82Plvprlsifst+W39MsDpXV2Y+amJ"),
            Map.entry("SSHA512", "{SSHA512}N3OyDs+6JepVMwiRWO7TsCNTUThZYjOSBLYpbELGPEC8ffHLg8rosEuu6Z/Nd1emZgbRgWjpno"
                    + "O3iQ2k4kSSoqIHN1E="),
            // doveadm pw -s SCRAM-SHA-256 -p pencil
            Map.entry("SCRAM-SHA-256", "{SCRAM-SHA-256}4096,5E2aOi6xNx9WqvsAY8g5EQ==,EMr/PpLc7wbcaQqJ1DMxMe3Jzfz4yWLn80V"
                    + "tXT0BqSY=,G4LFjZZlzW+jLPk1YFMHcQ9PAMWR33cDHJ2jB2MHAe0="));

    @Param({"PLAIN", "SSHA256", "SSHA512", "MD5-CRYPT", "SHA256-CRYPT", "SHA512-CRYPT", "SCRAM-SHA-256", "BLF-CRYPT",
        "ARGON2I", "ARGON2ID"})
    public String scheme;

    private StoredPassword stored;
    private byte[] password;

    @Setup(Level.Trial)
    public void parse() {
        stored = PasswordSchemes.parse(STORED.get(scheme));
        // The SCRAM vector was made for "pencil"; the others for "secret".
        password = (scheme.startsWith("SCRAM") ? "pencil" : "secret").getBytes(StandardCharsets.UTF_8);
        if (!stored.matches(password)) {
            throw new IllegalStateException(scheme + " vector does not verify");
        }
    }

    /** A successful check; a failing one costs the same. */
    @Benchmark
    public boolean verify() {
        return stored.matches(password);
    }
}
