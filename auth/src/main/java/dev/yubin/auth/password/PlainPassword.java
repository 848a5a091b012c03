package dev.yubin.auth.password;

import java.util.Optional;

/** {@code PLAIN} / {@code CLEAR}: the password itself. */
final class PlainPassword implements StoredPassword {
    private final String scheme;
    private final byte[] password;

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

    /** Derived on each call, with a fresh random salt and {@value Scram#DEFAULT_ITERATIONS} iterations. */
    @Override
    public Optional<ScramSecrets> scram(String hashName) {
        if (!Scram.supports(hashName)) {
            return Optional.empty();
        }
        return Optional.of(Scram.secrets(hashName, password, Bytes.random(Scram.SALT_LENGTH), Scram.DEFAULT_ITERATIONS));
    }

    @Override
    public String toString() {
        return "{" + scheme + "}…";
    }
}
