package dev.yubin.smtp.policy;

import dev.yubin.core.address.Domain;
import dev.yubin.core.address.MailAddress;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The domains this server is the final destination for (Postfix {@code mydestination}): mail to them is delivered
 * locally, mail to any other domain is relaying. Matching is case-insensitive and IDN-aware ({@code 例え.jp}
 * matches {@code xn--r8jz45g.jp}), as {@link Domain#equals} is. Immutable and thread-safe.
 */
public final class LocalDomains {
    private final Set<Domain> domains;

    private LocalDomains(Collection<Domain> domains) {
        this.domains = Set.copyOf(new LinkedHashSet<>(domains));
    }

    /** The given domain names; throws {@link IllegalArgumentException} naming a name that is not a domain. */
    public static LocalDomains of(String... names) {
        return of(Arrays.stream(names).map(Domain::of).toList());
    }

    /** The given domains; duplicates count once. */
    public static LocalDomains of(Collection<Domain> domains) {
        return new LocalDomains(domains);
    }

    /** No local domains: every recipient is remote. */
    public static LocalDomains none() {
        return new LocalDomains(Set.of());
    }

    /** Whether {@code domain} is one of the local domains. */
    public boolean contains(Domain domain) {
        return domains.contains(domain);
    }

    /** Whether {@code address} is in a local domain. */
    public boolean isLocal(MailAddress address) {
        return domains.contains(address.domain());
    }

    /** The local domains, unmodifiable. */
    public Set<Domain> domains() {
        return domains;
    }

    @Override
    public String toString() {
        return "LocalDomains" + domains;
    }
}
