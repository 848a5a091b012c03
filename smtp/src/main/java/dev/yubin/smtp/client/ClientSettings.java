package dev.yubin.smtp.client;

import java.util.Objects;
import java.util.Optional;

/**
 * How the client speaks to the next hop: its EHLO name, TLS and AUTH. Immutable.
 *
 * @param heloName the name in EHLO/HELO (Postfix {@code smtp_helo_name}, default {@code $myhostname})
 * @param tls Postfix {@code smtp_tls_security_level}
 * @param credentials for AUTH at a relay host (Postfix {@code smtp_sasl_password_maps}); empty: no AUTH
 * @param authWithoutTls whether AUTH may send the password before TLS (default no)
 */
public record ClientSettings(String heloName, TlsLevel tls, Optional<Credentials> credentials,
        boolean authWithoutTls) {
    /** Postfix's {@code smtp_tls_security_level}: none, may (opportunistic) or encrypt (mandatory). */
    public enum TlsLevel {
        /** Never STARTTLS. */
        NONE,
        /** STARTTLS when offered; if it is refused or the handshake fails, go on (or try again) in plaintext. */
        MAY,
        /** STARTTLS is required: if a host does not offer it or refuses it, the recipients are deferred. */
        ENCRYPT
    }

    /** A user name and password for SASL PLAIN or LOGIN. Immutable. */
    public record Credentials(String user, String password) {
        /** Checks that neither component is {@code null}. */
        public Credentials {
            Objects.requireNonNull(user, "user");
            Objects.requireNonNull(password, "password");
        }

        @Override
        public String toString() {
            return "Credentials[" + user + "]"; // never the password
        }
    }

    /** Checks that nothing is {@code null} and the HELO name is printable ASCII without spaces. */
    public ClientSettings {
        Objects.requireNonNull(heloName, "heloName");
        Objects.requireNonNull(tls, "tls");
        Objects.requireNonNull(credentials, "credentials");
        if (heloName.isEmpty() || heloName.chars().anyMatch(c -> c <= ' ' || c >= 0x7f)) {
            throw new IllegalArgumentException("bad HELO name: " + heloName);
        }
    }

    /** {@code heloName}, opportunistic TLS, no AUTH: Postfix's defaults for delivery to MX hosts. */
    public static ClientSettings of(String heloName) {
        return new ClientSettings(heloName, TlsLevel.MAY, Optional.empty(), false);
    }

    /** These settings with the TLS level set to {@code level}. */
    public ClientSettings withTls(TlsLevel level) {
        return new ClientSettings(heloName, level, credentials, authWithoutTls);
    }

    /** These settings with AUTH as {@code value}. */
    public ClientSettings withCredentials(Credentials value) {
        return new ClientSettings(heloName, tls, Optional.of(value), authWithoutTls);
    }

    /** These settings with {@code authWithoutTls} set to {@code value}. */
    public ClientSettings withAuthWithoutTls(boolean value) {
        return new ClientSettings(heloName, tls, credentials, value);
    }
}
