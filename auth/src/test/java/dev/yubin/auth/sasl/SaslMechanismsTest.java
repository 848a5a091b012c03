package dev.yubin.auth.sasl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SaslMechanismsTest {
    private final SaslMechanism plain = new PlainMechanism();
    private final SaslMechanism login = new LoginMechanism();
    private final SaslMechanism cram = new CramMd5Mechanism();

    @Test
    void plaintextMechanismsAreUsableOnlyWhenPlaintextIsAllowed() {
        SaslMechanisms all = SaslMechanisms.NONE.plus(plain, login, cram);
        assertEquals(List.of(plain, login, cram), all.usable(true));
        assertEquals(List.of(cram), all.usable(false));
    }

    @Test
    void findIgnoresCaseAndNamesAreUnique() {
        SaslMechanisms all = SaslMechanisms.NONE.plus(plain, cram);
        assertEquals(Optional.of(cram), all.find("cram-md5"));
        assertEquals(Optional.empty(), all.find("LOGIN"));
        assertThrows(IllegalArgumentException.class, () -> all.plus(new PlainMechanism()));
    }
}
