package dev.yubin.pop3.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class Pop3CommandParserTest {

    private record Case(String line, Pop3Command expected) {
    }

    private static final List<Case> VALID = List.of(
            new Case("USER abe", new Pop3Command.User("abe")),
            new Case("user abe", new Pop3Command.User("abe")),
            new Case("UsEr abe@example1.jp", new Pop3Command.User("abe@example1.jp")),
            new Case("PASS password", new Pop3Command.Pass("password")),
            new Case("pass pass word with spaces ", new Pop3Command.Pass("pass word with spaces ")),
            new Case("APOP mrose c4c9334bac560ecc979e58001b3e22fb",
                    new Pop3Command.Apop("mrose", "c4c9334bac560ecc979e58001b3e22fb")),
            new Case("apop mrose C4C9334BAC560ECC979E58001B3E22FB",
                    new Pop3Command.Apop("mrose", "c4c9334bac560ecc979e58001b3e22fb")),
            new Case("AUTH", new Pop3Command.Auth(Optional.empty(), Optional.empty())),
            new Case("auth plain", new Pop3Command.Auth(Optional.of("PLAIN"), Optional.empty())),
            new Case("AUTH PLAIN AGFiZQBwYXNzd29yZA==",
                    new Pop3Command.Auth(Optional.of("PLAIN"), Optional.of("AGFiZQBwYXNzd29yZA=="))),
            new Case("AUTH SCRAM-SHA-256 =", new Pop3Command.Auth(Optional.of("SCRAM-SHA-256"), Optional.of("="))),
            new Case("STLS", new Pop3Command.Stls()),
            new Case("stls", new Pop3Command.Stls()),
            new Case("CAPA", new Pop3Command.Capa()),
            new Case("STAT", new Pop3Command.Stat()),
            new Case("stat ", new Pop3Command.Stat()),
            new Case("NOOP", new Pop3Command.Noop()),
            new Case("RSET", new Pop3Command.Rset()),
            new Case("QUIT", new Pop3Command.Quit()),
            new Case("quit", new Pop3Command.Quit()),
            new Case("LIST", new Pop3Command.List(OptionalInt.empty())),
            new Case("list", new Pop3Command.List(OptionalInt.empty())),
            new Case("LIST 2", new Pop3Command.List(OptionalInt.of(2))),
            new Case("LIST  2 ", new Pop3Command.List(OptionalInt.of(2))),
            new Case("UIDL", new Pop3Command.Uidl(OptionalInt.empty())),
            new Case("uidl 7", new Pop3Command.Uidl(OptionalInt.of(7))),
            new Case("RETR 1", new Pop3Command.Retr(1)),
            new Case("retr 1", new Pop3Command.Retr(1)),
            new Case("RETR 2147483647", new Pop3Command.Retr(Integer.MAX_VALUE)),
            new Case("DELE 3", new Pop3Command.Dele(3)),
            new Case("TOP 1 10", new Pop3Command.Top(1, 10)),
            new Case("top 1 0", new Pop3Command.Top(1, 0)),
            new Case("TOP 1 99999999999999", new Pop3Command.Top(1, Integer.MAX_VALUE)),
            new Case("XYZZY", new Pop3Command.Unknown("XYZZY")),
            new Case("", new Pop3Command.Unknown("")),
            new Case("HELO there", new Pop3Command.Unknown("HELO")),
            new Case("LAST", new Pop3Command.Unknown("LAST")));

    private static final List<Case> INVALID = List.of(
            new Case("USER", new Pop3Command.Invalid("USER", "Syntax: USER <name>")),
            new Case("USER ", new Pop3Command.Invalid("USER", "Syntax: USER <name>")),
            new Case("PASS", new Pop3Command.Invalid("PASS", "Syntax: PASS <password>")),
            new Case("RETR", new Pop3Command.Invalid("RETR", "Syntax: RETR <message>")),
            new Case("RETR 1 2", new Pop3Command.Invalid("RETR", "Syntax: RETR <message>")),
            new Case("RETR 0", new Pop3Command.Invalid("RETR", "Invalid message number: 0")),
            new Case("RETR -1", new Pop3Command.Invalid("RETR", "Invalid message number: -1")),
            new Case("RETR +1", new Pop3Command.Invalid("RETR", "Invalid message number: +1")),
            new Case("RETR abc", new Pop3Command.Invalid("RETR", "Invalid message number: abc")),
            new Case("RETR 2147483648", new Pop3Command.Invalid("RETR", "Invalid message number: 2147483648")),
            new Case("DELE x", new Pop3Command.Invalid("DELE", "Invalid message number: x")),
            new Case("LIST 1 2", new Pop3Command.Invalid("LIST", "Syntax: LIST [<message>]")),
            new Case("LIST 0", new Pop3Command.Invalid("LIST", "Invalid message number: 0")),
            new Case("UIDL one", new Pop3Command.Invalid("UIDL", "Invalid message number: one")),
            new Case("TOP 1", new Pop3Command.Invalid("TOP", "Syntax: TOP <message> <lines>")),
            new Case("TOP 1 -1", new Pop3Command.Invalid("TOP", "Invalid number of lines: -1")),
            new Case("TOP x 1", new Pop3Command.Invalid("TOP", "Invalid message number: x")),
            new Case("STAT 1", new Pop3Command.Invalid("STAT", "Syntax: STAT takes no arguments")),
            new Case("QUIT now", new Pop3Command.Invalid("QUIT", "Syntax: QUIT takes no arguments")),
            new Case("APOP mrose", new Pop3Command.Invalid("APOP", "Syntax: APOP <name> <digest>")),
            new Case("APOP mrose c4c9334bac560ecc979e58001b3e22f",
                    new Pop3Command.Invalid("APOP", "Syntax: APOP <name> <digest>")),
            new Case("APOP mrose g4c9334bac560ecc979e58001b3e22fb",
                    new Pop3Command.Invalid("APOP", "Syntax: APOP <name> <digest>")),
            new Case("AUTH PL@IN", new Pop3Command.Invalid("AUTH", "Invalid mechanism name")),
            new Case("AUTH ABCDEFGHIJKLMNOPQRSTU", new Pop3Command.Invalid("AUTH", "Invalid mechanism name")),
            new Case("AUTH PLAIN abc", new Pop3Command.Invalid("AUTH", "Invalid base64 data in initial response")),
            new Case("AUTH PLAIN a=bc", new Pop3Command.Invalid("AUTH", "Invalid base64 data in initial response")),
            new Case("AUTH PLAIN AAAA BBBB",
                    new Pop3Command.Invalid("AUTH", "Syntax: AUTH <mechanism> [<initial-response>]")));

    @Test
    void validCommands() {
        for (Case c : VALID) {
            assertEquals(c.expected(), Pop3CommandParser.parse(c.line()), c.line());
        }
    }

    @Test
    void invalidArgumentsNameWhatWasExpected() {
        for (Case c : INVALID) {
            assertEquals(c.expected(), Pop3CommandParser.parse(c.line()), c.line());
        }
    }

    @Test
    void verbsOutsideThreeOrFourLettersAreUnknown() {
        assertEquals(new Pop3Command.Unknown("RE"), Pop3CommandParser.parse("re 1"));
        assertEquals(new Pop3Command.Unknown("RETRX"), Pop3CommandParser.parse("retrx 1"));
        assertEquals(new Pop3Command.Unknown("R3TR"), Pop3CommandParser.parse("R3TR 1"));
    }

    @Test
    void controlCharactersInAnUnknownVerbAreNotEchoed() {
        Pop3Command command = Pop3CommandParser.parse("\u0000\u001b[1m x");
        Pop3Command.Unknown unknown = assertInstanceOf(Pop3Command.Unknown.class, command);
        assertFalse(unknown.verb().chars().anyMatch(c -> c < 0x20), unknown.verb());
    }

    @Test
    void aLongGarbageVerbIsCutForTheLog() {
        Pop3Command command = Pop3CommandParser.parse("x".repeat(300));
        assertTrue(command.verb().length() <= 16, command.verb());
    }

    @Test
    void garbageAtEveryPrefixNeverThrows() {
        String[] inputs = {"RETR 1", "TOP 12 3", "AUTH PLAIN AGFiZQBwYXNzd29yZA==", "APOP a 0123456789abcdef0123456789abcdef",
            "LIST 99999999999999999999", "USER \u00e9\u00e8", "  ", " RETR 1"};
        for (String input : inputs) {
            for (int i = 0; i <= input.length(); i++) {
                Pop3Command command = Pop3CommandParser.parse(input.substring(0, i));
                assertTrue(command != null && command.verb() != null, input.substring(0, i));
            }
        }
    }

    @Test
    void passwordsAndSaslDataAreNotInToString() {
        assertFalse(Pop3CommandParser.parse("PASS s3cret").toString().contains("s3cret"));
        assertFalse(Pop3CommandParser.parse("AUTH PLAIN AGFiZQBzM2NyZXQ=").toString().contains("AGFiZQBzM2NyZXQ="));
        assertFalse(Pop3CommandParser.parse("APOP abe c4c9334bac560ecc979e58001b3e22fb").toString()
                .contains("c4c9334bac560ecc979e58001b3e22fb"));
    }
}
