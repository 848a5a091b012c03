package dev.yubin.auth.password;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** {@code PLAIN} / {@code CLEAR}: the password itself. */
final class PlainPassword implements StoredPassword {
    private final String scheme;
    private final byte[] password;
    private final Map<String, ScramSecrets> scram = new ConcurrentHashMap<>(2);

    PlainPassword(String scheme, byte[] password) {
        this.scheme = scheme;
        this.password = password.clone();
    }

    @Override
    public String scheme() {
        return scheme;
    }

    @Override
    public boolean matches(byte[] candidate) {
        return Bytes.equalsHashed(candidate, password);
    }

    @Override
    public Optional<byte[]> plaintext() {
        return Optional.of(password.clone());
    }

    /**
     * Derived at the first call for each hash, with a random salt and {@value Scram#DEFAULT_ITERATIONS} iterations,
     * then kept: a salt that changed at every exchange would tell a prober that the account exists (unknown users get
     * a stable fake salt), and PBKDF2 need not run twice.
     */
    @Override
    public Optional<ScramSecrets> scram(String hashName) {
        if (!Scram.supports(hashName)) {
            return Optional.empty();
        }
        ScramSecrets s = scram.computeIfAbsent(hashName.toUpperCase(Locale.ROOT),
                name -> Scram.secrets(name, password, Bytes.random(Scram.SALT_LENGTH), Scram.DEFAULT_ITERATIONS));
        return Optional.of(new ScramSecrets(s.hashName(), s.salt().clone(), s.iterations(), s.storedKey().clone(),
                s.serverKey().clone()));
    }

    @Override
    public String toString() {
        return "{" + scheme + "}…";
    }
}
