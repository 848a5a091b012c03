package dev.yubin.delivery.maildir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class MaildirNameTest {

    @Test
    void formatsNewName() {
        MaildirName name = MaildirName.of("1764019800.M5P42Q1.mx", 1234, 1260);
        assertEquals("1764019800.M5P42Q1.mx,S=1234,W=1260", name.fileName());
        assertEquals(name.fileName(), name.toString());
        assertEquals(Optional.empty(), name.flags());
    }

    @Test
    void parsesDovecotNameWithFlags() {
        MaildirName name = MaildirName.parse("1764019800.M5P42Q1.mx,S=1234,W=1260:2,RS").orElseThrow();
        assertEquals("1764019800.M5P42Q1.mx", name.base());
        assertEquals(OptionalLong.of(1234), name.size());
        assertEquals(OptionalLong.of(1260), name.wireSize());
        assertEquals(Optional.of("RS"), name.flags());
        assertTrue(name.hasFlag('S'));
        assertFalse(name.hasFlag('T'));
        assertEquals("1764019800.M5P42Q1.mx,S=1234,W=1260:2,RS", name.fileName());
    }

    @Test
    void parsesPostfixNameWithoutSizes() {
        // the name in the textbook's figure 21
        MaildirName name = MaildirName.parse("1595498643.Vfd00I207b19M303673.svr01").orElseThrow();
        assertEquals("1595498643.Vfd00I207b19M303673.svr01", name.base());
        assertEquals(OptionalLong.empty(), name.size());
        assertEquals(OptionalLong.empty(), name.wireSize());
        assertEquals("1595498643.Vfd00I207b19M303673.svr01", name.fileName());
    }

    @Test
    void emptyInfoPartMeansNoFlagsYetPresent() {
        MaildirName name = MaildirName.parse("b,S=1:2,").orElseThrow();
        assertEquals(Optional.of(""), name.flags());
        assertEquals("b,S=1:2,", name.fileName());
    }

    @Test
    void keepsUnknownFieldsAndBadNumbers() {
        MaildirName name = MaildirName.parse("b,S=12x,X=1,S=5").orElseThrow();
        assertEquals(OptionalLong.of(5), name.size());
        assertEquals(List.of("S=12x", "X=1"), name.otherFields());
        assertEquals("b,S=5,S=12x,X=1", name.fileName());
    }

    @Test
    void withFlagsSortsAndDeduplicates() {
        MaildirName name = MaildirName.of("b", 1, 2).withFlags("TSRSa");
        assertEquals("b,S=1,W=2:2,RSTa", name.fileName());
        assertEquals(name, MaildirName.parse(name.fileName()).orElseThrow());
    }

    @Test
    void rejectsNonMaildirNamesWithoutThrowing() {
        for (String bad : new String[] {"", ",S=1", "a/b", "x:1,foo", "x:2,S1", "x:2,S:", "a\0b"}) {
            assertEquals(Optional.empty(), MaildirName.parse(bad), bad);
        }
        assertEquals(Optional.empty(), MaildirName.parse(null));
    }

    @Test
    void hugeSizeIsNotANumber() {
        MaildirName name = MaildirName.parse("b,S=99999999999999999999999").orElseThrow();
        assertEquals(OptionalLong.empty(), name.size());
    }

    @Test
    void constructorValidates() {
        assertThrows(IllegalArgumentException.class, () -> MaildirName.of("a:b", 1, 1));
        assertThrows(IllegalArgumentException.class, () -> MaildirName.of("a,b", 1, 1));
        assertThrows(IllegalArgumentException.class, () -> MaildirName.of("", 1, 1));
        assertThrows(IllegalArgumentException.class, () -> MaildirName.of("a", -1, 1));
        assertThrows(IllegalArgumentException.class, () -> MaildirName.of("a", 1, 1).withFlags("S!"));
    }

    @Test
    void escapesHostNameAsTheSpecSays() {
        assertEquals("mx\\057a\\072b\\054c", UniqueNames.escapeHost("mx/a:b,c"));
        String base = new UniqueNames("h/1").next();
        assertTrue(base.matches("\\d+\\.M\\d+P\\d+Q\\d+\\.h\\\\0571"), base);
        assertTrue(MaildirName.parse(base).isPresent());
    }

    @Test
    void arrivalOrderComparesMicrosecondsAsNumbers() {
        List<String> names = new java.util.ArrayList<>(List.of("1700000001.M5P9Q1.h", "1700000000.M123P9Q2.h",
                "1700000000.M99P9Q1.h", "1700000000.M99P9Q10.h", "1700000000.M99P9Q9.h", "999999999.M1P1Q1.h"));
        names.sort(MaildirName.ARRIVAL_ORDER);
        assertEquals(List.of("999999999.M1P1Q1.h", "1700000000.M99P9Q1.h", "1700000000.M99P9Q9.h",
                "1700000000.M99P9Q10.h", "1700000000.M123P9Q2.h", "1700000001.M5P9Q1.h"), names);
        assertTrue(MaildirName.ARRIVAL_ORDER.compare("a01", "a1") != 0, "a total order, consistent with equals");
    }
}
