package dev.yubin.smtp.policy;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.yubin.core.address.Domain;
import dev.yubin.core.address.MailAddress;
import org.junit.jupiter.api.Test;

class LocalDomainsTest {

    @Test
    void matchingIsCaseInsensitive() {
        LocalDomains domains = LocalDomains.of("example1.jp", "localhost");
        assertTrue(domains.contains(Domain.of("EXAMPLE1.JP")));
        assertTrue(domains.contains(Domain.of("Example1.Jp")));
        assertTrue(domains.contains(Domain.of("localhost")));
        assertFalse(domains.contains(Domain.of("example2.jp")));
        assertFalse(domains.contains(Domain.of("sub.example1.jp")));
    }

    @Test
    void internationalizedNamesMatchInBothForms() {
        LocalDomains domains = LocalDomains.of("例え.jp");
        assertTrue(domains.contains(Domain.of("xn--r8jz45g.jp")));
        assertTrue(domains.isLocal(MailAddress.of("abe", Domain.of("例え.JP"))));
        assertTrue(LocalDomains.of("XN--R8JZ45G.jp").contains(Domain.of("例え.jp")));
    }

    @Test
    void badNamesAreRefusedWhenConfigured() {
        assertThrows(IllegalArgumentException.class, () -> LocalDomains.of("bad..name"));
    }

    @Test
    void noneHasNoLocalDomain() {
        assertFalse(LocalDomains.none().contains(Domain.of("example1.jp")));
    }
}
