package dev.yubin.auth.sasl;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The SASL mechanisms a listener offers, in the order it lists them (SMTP EHLO, POP3 CAPA, IMAP CAPABILITY), and
 * which of them may be used on a connection now. Immutable.
 *
 * @param all the mechanisms, each name once
 */
public record SaslMechanisms(List<SaslMechanism> all) {
    /** No mechanism. */
    public static final SaslMechanisms NONE = new SaslMechanisms(List.of());

    /**
     * Copies the list.
     *
     * @throws IllegalArgumentException if a name appears twice
     */
    public SaslMechanisms {
        all = List.copyOf(all);
        Set<String> names = new HashSet<>();
        for (SaslMechanism mechanism : all) {
            if (!names.add(mechanism.name())) {
                throw new IllegalArgumentException("mechanism " + mechanism.name() + " given twice");
            }
        }
    }

    /** These mechanisms followed by {@code more}. */
    public SaslMechanisms plus(SaslMechanism... more) {
        List<SaslMechanism> out = new ArrayList<>(all);
        for (SaslMechanism mechanism : more) {
            out.add(Objects.requireNonNull(mechanism, "mechanism"));
        }
        return new SaslMechanisms(out);
    }

    /**
     * The mechanisms usable now: all of them when plaintext passwords are allowed (over TLS, or by configuration),
     * otherwise only those that do not send the password ({@link SaslMechanism#isPlaintext()}).
     */
    public List<SaslMechanism> usable(boolean plaintextAllowed) {
        return plaintextAllowed ? all : all.stream().filter(m -> !m.isPlaintext()).toList();
    }

    /** The mechanism called {@code name} (case-insensitive), whether or not it is usable now. */
    public Optional<SaslMechanism> find(String name) {
        String wanted = name.toUpperCase(Locale.ROOT);
        return all.stream().filter(m -> m.name().equals(wanted)).findFirst();
    }
}
