package dev.yubin.auth.password;

import java.security.MessageDigest;
import java.util.Base64;
import java.util.Optional;

/**
 * {@code SCRAM-SHA-256} / {@code SCRAM-SHA-1}, as Dovecot stores them:
 * {@code ITERATIONS,base64(salt),base64(StoredKey),base64(ServerKey)}.
 */
final class ScramPassword implements StoredPassword {
    private final String scheme;
    private final ScramSecrets secrets;

    private ScramPassword(String scheme, ScramSecrets secrets) {
        this.scheme = scheme;
        this.secrets = secrets;
    }

    /** {@code SHA-256} for {@code SCRAM-SHA-256}. */
    static String hashName(String scheme) {
        return scheme.substring("SCRAM-".length());
    }

    static ScramPassword parse(String scheme, String data) {
        String[] fields = data.split(",", -1);
        if (fields.length != 4) {
            throw new IllegalArgumentException(scheme + " value must be ITERATIONS,SALT,STOREDKEY,SERVERKEY ("
                    + fields.length + " comma-separated fields found)");
        }
        int iterations;
        try {
            iterations = Integer.parseInt(fields[0]);
        } catch (NumberFormatException e) {
            iterations = 0;
        }
        if (iterations < 1) {
            throw new IllegalArgumentException(scheme + " iteration count must be a positive integer");
        }
        String hashName = hashName(scheme);
        int length = Scram.digest(hashName).getDigestSize();
        byte[] salt = Bytes.base64(fields[1], scheme + " salt");
        byte[] storedKey = Bytes.base64(fields[2], scheme + " StoredKey");
        byte[] serverKey = Bytes.base64(fields[3], scheme + " ServerKey");
        if (salt.length == 0 || storedKey.length != length || serverKey.length != length) {
            throw new IllegalArgumentException(scheme + " salt is empty or keys are not " + length + " bytes long");
        }
        return new ScramPassword(scheme, new ScramSecrets(hashName, salt, iterations, storedKey, serverKey));
    }

    /** The Dovecot value (without the scheme prefix) for a new password. */
    static String hash(String hashName, byte[] password, byte[] salt, int iterations) {
        ScramSecrets s = Scram.secrets(hashName, password, salt, iterations);
        Base64.Encoder b64 = Base64.getEncoder();
        return s.iterations() + "," + b64.encodeToString(s.salt()) + "," + b64.encodeToString(s.storedKey()) + ","
                + b64.encodeToString(s.serverKey());
    }

    @Override
    public String scheme() {
        return scheme;
    }

    @Override
    public boolean matches(byte[] password) {
        ScramSecrets derived = Scram.secrets(secrets.hashName(), password, secrets.salt(), secrets.iterations());
        return MessageDigest.isEqual(derived.storedKey(), secrets.storedKey());
    }

    /** The stored secrets (fresh copies) when {@code hashName} is this entry's hash. */
    @Override
    public Optional<ScramSecrets> scram(String hashName) {
        if (!secrets.hashName().equalsIgnoreCase(hashName)) {
            return Optional.empty();
        }
        return Optional.of(new ScramSecrets(secrets.hashName(), secrets.salt().clone(), secrets.iterations(),
                secrets.storedKey().clone(), secrets.serverKey().clone()));
    }

    @Override
    public String toString() {
        return "{" + scheme + "}…";
    }
}
