package dev.yubin.smtp.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.yubin.core.address.Domain;
import dev.yubin.core.address.MailAddress;
import dev.yubin.core.address.ReversePath;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SmtpCommandParserTest {

    /** A line and what it parses to. */
    private record Case(String line, SmtpCommand expected) {
    }

    /** A line that is a syntax error, with the reply code, enhanced status and a piece of the text. */
    private record Bad(String line, String verb, int code, String status, String text) {
    }

    private static MailAddress address(String local, String domain) {
        return MailAddress.of(local, Domain.of(domain));
    }

    private static Map<String, String> params(String... keyValues) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            map.put(keyValues[i], keyValues[i + 1]);
        }
        return map;
    }

    private static final List<Case> VALID = List.of(
            new Case("HELO host1", new SmtpCommand.Helo("host1")),
            new Case("helo host1", new SmtpCommand.Helo("host1")),
            new Case("helo svr01.nss00t000.teikyo", new SmtpCommand.Helo("svr01.nss00t000.teikyo")),
            new Case("HeLo  host1  ", new SmtpCommand.Helo("host1")),
            new Case("HELO [192.0.2.1]", new SmtpCommand.Helo("[192.0.2.1]")),
            new Case("HELO two words", new SmtpCommand.Helo("two words")),
            new Case("EHLO client.example", new SmtpCommand.Ehlo("client.example")),
            new Case("ehlo client.example", new SmtpCommand.Ehlo("client.example")),
            new Case("  EHLO\tclient.example", new SmtpCommand.Ehlo("client.example")),
            new Case("mail from:<kato@example1.jp>",
                    new SmtpCommand.Mail(ReversePath.of(address("kato", "example1.jp")), Map.of())),
            new Case("MAIL FROM:<kato@example1.jp>",
                    new SmtpCommand.Mail(ReversePath.of(address("kato", "example1.jp")), Map.of())),
            new Case("MAIL FROM: <kato@example1.jp>",
                    new SmtpCommand.Mail(ReversePath.of(address("kato", "example1.jp")), Map.of())),
            new Case("MAIL FROM : <kato@example1.jp>",
                    new SmtpCommand.Mail(ReversePath.of(address("kato", "example1.jp")), Map.of())),
            new Case("Mail From:<kato@EXAMPLE1.JP>",
                    new SmtpCommand.Mail(ReversePath.of(address("kato", "example1.jp")), Map.of())),
            new Case("MAIL FROM:kato@example1.jp",
                    new SmtpCommand.Mail(ReversePath.of(address("kato", "example1.jp")), Map.of())),
            new Case("MAIL FROM:<>", new SmtpCommand.Mail(ReversePath.NULL, Map.of())),
            new Case("MAIL FROM:<> SIZE=1000", new SmtpCommand.Mail(ReversePath.NULL, params("SIZE", "1000"))),
            new Case("MAIL FROM:<a@b.jp> size=1000 body=8BITMIME smtputf8",
                    new SmtpCommand.Mail(ReversePath.of(address("a", "b.jp")),
                            params("SIZE", "1000", "BODY", "8BITMIME", "SMTPUTF8", ""))),
            new Case("MAIL FROM:<a@b.jp>  ENVID=QQ314159+2B  RET=HDRS ",
                    new SmtpCommand.Mail(ReversePath.of(address("a", "b.jp")),
                            params("ENVID", "QQ314159+2B", "RET", "HDRS"))),
            new Case("MAIL FROM:<@relay.example:a@b.jp>",
                    new SmtpCommand.Mail(ReversePath.of(address("a", "b.jp")), Map.of())),
            new Case("MAIL FROM:<\"john doe>\"@b.jp>",
                    new SmtpCommand.Mail(ReversePath.of(address("john doe>", "b.jp")), Map.of())),
            new Case("MAIL FROM:<加藤@例え.jp> SMTPUTF8",
                    new SmtpCommand.Mail(ReversePath.of(address("加藤", "例え.jp")), params("SMTPUTF8", ""))),
            new Case("rcpt to:<abe@example1.jp>", new SmtpCommand.Rcpt(address("abe", "example1.jp"), Map.of())),
            new Case("RCPT TO: <abe@example1.jp>", new SmtpCommand.Rcpt(address("abe", "example1.jp"), Map.of())),
            new Case("RCPT TO:<abe@example1.jp> NOTIFY=SUCCESS,FAILURE ORCPT=rfc822;abe@example1.jp",
                    new SmtpCommand.Rcpt(address("abe", "example1.jp"),
                            params("NOTIFY", "SUCCESS,FAILURE", "ORCPT", "rfc822;abe@example1.jp"))),
            new Case("RCPT TO:<abe@[192.0.2.1]>", new SmtpCommand.Rcpt(address("abe", "[192.0.2.1]"), Map.of())),
            new Case("DATA", new SmtpCommand.Data()),
            new Case("data", new SmtpCommand.Data()),
            new Case("DATA ", new SmtpCommand.Data()),
            new Case("BDAT 1000", new SmtpCommand.Bdat(1000, false)),
            new Case("BDAT 0 LAST", new SmtpCommand.Bdat(0, true)),
            new Case("bdat 12 last", new SmtpCommand.Bdat(12, true)),
            new Case("BDAT 999999999999999999", new SmtpCommand.Bdat(999_999_999_999_999_999L, false)),
            new Case("RSET", new SmtpCommand.Rset()),
            new Case("NOOP", new SmtpCommand.Noop()),
            new Case("NOOP anything goes", new SmtpCommand.Noop()),
            new Case("QUIT", new SmtpCommand.Quit()),
            new Case("quit", new SmtpCommand.Quit()),
            new Case("VRFY abe", new SmtpCommand.Vrfy("abe")),
            new Case("VRFY Abe Kobo <abe@example1.jp>", new SmtpCommand.Vrfy("Abe Kobo <abe@example1.jp>")),
            new Case("HELP", new SmtpCommand.Help("")),
            new Case("HELP MAIL", new SmtpCommand.Help("MAIL")),
            new Case("EXPN staff", new SmtpCommand.Unknown("EXPN")),
            new Case("STARTTLS", new SmtpCommand.StartTls()),
            new Case("starttls", new SmtpCommand.StartTls()),
            new Case("AUTH PLAIN", new SmtpCommand.Auth("PLAIN", Optional.empty())),
            new Case("auth plain AGFiZQBwYXNzd29yZA==",
                    new SmtpCommand.Auth("PLAIN", Optional.of("AGFiZQBwYXNzd29yZA=="))),
            new Case("AUTH PLAIN =", new SmtpCommand.Auth("PLAIN", Optional.of("="))),
            new Case("AUTH SCRAM-SHA-256", new SmtpCommand.Auth("SCRAM-SHA-256", Optional.empty())),
            new Case("STARTTLSX", new SmtpCommand.Unknown("STARTTLSX")),
            new Case("GET / HTTP/1.1", new SmtpCommand.Unknown("GET")),
            new Case("MAILFROM:<a@b.jp>", new SmtpCommand.Unknown("MAILFROM:<a@b.jp>")),
            new Case("héllo", new SmtpCommand.Unknown("héllo")));

    private static final List<Bad> INVALID = List.of(
            new Bad("", "", 500, "5.5.2", "Error: bad syntax"),
            new Bad("   ", "", 500, "5.5.2", "Error: bad syntax"),
            new Bad("NOOP\rRSET", "", 500, "5.5.2", "Error: bad syntax"),
            new Bad("MAIL FROM:<a@b.jp>\u0000", "", 500, "5.5.2", "Error: bad syntax"),
            new Bad("HELO", "HELO", 501, "5.5.4", "Syntax: HELO hostname"),
            new Bad("AUTH", "AUTH", 501, "5.5.4", "Syntax: AUTH mechanism"),
            new Bad("AUTH PL@IN", "AUTH", 501, "5.5.4", "Syntax: AUTH mechanism"),
            new Bad("AUTH PLAIN not*base64", "AUTH", 501, "5.5.4", "Syntax: AUTH mechanism"),
            new Bad("AUTH PLAIN a b", "AUTH", 501, "5.5.4", "Syntax: AUTH mechanism"),
            new Bad("STARTTLS now", "STARTTLS", 501, "5.5.4", "Syntax: STARTTLS"),
            new Bad("EHLO ", "EHLO", 501, "5.5.4", "Syntax: EHLO hostname"),
            new Bad("MAIL", "MAIL", 501, "5.5.4", "Syntax: MAIL FROM:<address>"),
            new Bad("MAIL FROM", "MAIL", 501, "5.5.4", "Syntax: MAIL FROM:<address>"),
            new Bad("MAIL FROM:", "MAIL", 501, "5.5.4", "Syntax: MAIL FROM:<address>"),
            new Bad("MAIL TO:<a@b.jp>", "MAIL", 501, "5.5.4", "Syntax: MAIL FROM:<address>"),
            new Bad("MAIL FROM:<a@b.jp>SIZE=1", "MAIL", 501, "5.5.4", "Syntax: MAIL FROM:<address>"),
            new Bad("MAIL FROM:<kato@>", "MAIL", 501, "5.1.7", "Bad sender address syntax: Domain missing"),
            new Bad("MAIL FROM:<kato>", "MAIL", 501, "5.1.7", "Bad sender address syntax: '@' missing"),
            new Bad("MAIL FROM:<@example1.jp>", "MAIL", 501, "5.1.7", "Bad sender address syntax"),
            new Bad("MAIL FROM:<kato@example1.jp", "MAIL", 501, "5.1.7",
                    "Bad sender address syntax: Path must be enclosed in '<' and '>'"),
            new Bad("MAIL FROM:<kato@exa mple.jp>", "MAIL", 501, "5.1.7", "Bad sender address syntax: Invalid character ' '"),
            new Bad("MAIL FROM:<a@b.jp> SIZE=", "MAIL", 501, "5.5.4", "Bad parameter syntax: SIZE="),
            new Bad("MAIL FROM:<a@b.jp> =1", "MAIL", 501, "5.5.4", "Bad parameter syntax: =1"),
            new Bad("MAIL FROM:<a@b.jp> -X=1", "MAIL", 501, "5.5.4", "Bad parameter syntax"),
            new Bad("MAIL FROM:<a@b.jp> A_B=1", "MAIL", 501, "5.5.4", "Bad parameter syntax"),
            new Bad("MAIL FROM:<a@b.jp> A=1=2", "MAIL", 501, "5.5.4", "Bad parameter syntax: A=1=2"),
            new Bad("MAIL FROM:<a@b.jp> SIZE=1 size=2", "MAIL", 501, "5.5.4", "Duplicate parameter: SIZE"),
            new Bad("RCPT", "RCPT", 501, "5.5.4", "Syntax: RCPT TO:<address>"),
            new Bad("RCPT TO", "RCPT", 501, "5.5.4", "Syntax: RCPT TO:<address>"),
            new Bad("RCPT FROM:<a@b.jp>", "RCPT", 501, "5.5.4", "Syntax: RCPT TO:<address>"),
            new Bad("RCPT TO:<>", "RCPT", 501, "5.1.3", "Bad recipient address syntax: Null path"),
            new Bad("RCPT TO:<abe@>", "RCPT", 501, "5.1.3", "Bad recipient address syntax: Domain missing"),
            new Bad("RCPT TO:<abe@-bad-.jp>", "RCPT", 501, "5.1.3", "Bad recipient address syntax"),
            new Bad("RCPT TO:<Postmaster>", "RCPT", 501, "5.1.3", "'@' missing"),
            new Bad("DATA x", "DATA", 501, "5.5.4", "Syntax: DATA"),
            new Bad("BDAT", "BDAT", 501, "5.5.4", "Syntax: BDAT size [LAST]"),
            new Bad("BDAT x", "BDAT", 501, "5.5.4", "Syntax: BDAT size [LAST]"),
            new Bad("BDAT -1", "BDAT", 501, "5.5.4", "Syntax: BDAT size [LAST]"),
            new Bad("BDAT 10 LAST extra", "BDAT", 501, "5.5.4", "Syntax: BDAT size [LAST]"),
            new Bad("BDAT 10 FIRST", "BDAT", 501, "5.5.4", "Syntax: BDAT size [LAST]"),
            new Bad("BDAT 9999999999999999999", "BDAT", 501, "5.5.4", "Syntax: BDAT size [LAST]"),
            new Bad("RSET now", "RSET", 501, "5.5.4", "Syntax: RSET"),
            new Bad("VRFY", "VRFY", 501, "5.5.4", "Syntax: VRFY address"));

    @Test
    void validLinesParseToTheirCommands() {
        for (Case c : VALID) {
            assertEquals(c.expected(), SmtpCommandParser.parse(c.line()), c.line());
        }
    }

    @Test
    void invalidLinesGiveSyntaxErrorsThatNameWhatWasExpected() {
        for (Bad bad : INVALID) {
            SmtpCommand command = SmtpCommandParser.parse(bad.line());
            SmtpSyntaxError error = assertInstanceOf(SmtpSyntaxError.class, command, bad.line());
            assertEquals(bad.verb(), error.verb(), bad.line());
            assertEquals(bad.code(), error.reply().code(), bad.line());
            assertEquals(bad.status(), error.reply().status().orElseThrow().toString(), bad.line());
            String text = error.reply().text();
            assertTrue(text.contains(bad.text()), bad.line() + " -> " + text);
        }
    }

    @Test
    void verbsAreCaseInsensitiveInEveryMix() {
        for (String verb : List.of("helo", "Helo", "hELO", "HELO")) {
            assertEquals(new SmtpCommand.Helo("x"), SmtpCommandParser.parse(verb + " x"));
        }
        assertEquals("MAIL", SmtpCommandParser.parse("mAiL fRoM:<a@b.jp>").verb());
    }

    @Test
    void parameterOrderIsKeptAndKeysAreUpperCase() {
        var mail = (SmtpCommand.Mail) SmtpCommandParser.parse("MAIL FROM:<a@b.jp> smtputf8 Body=8bitmime size=1");
        assertEquals(List.of("SMTPUTF8", "BODY", "SIZE"), List.copyOf(mail.parameters().keySet()));
        assertEquals("8bitmime", mail.parameters().get("BODY"));
    }

    @Test
    void xtextValuesAreLeftEncoded() {
        var rcpt = (SmtpCommand.Rcpt) SmtpCommandParser.parse("RCPT TO:<a@b.jp> ORCPT=rfc822;a+2Bb@b.jp");
        assertEquals("rfc822;a+2Bb@b.jp", rcpt.parameters().get("ORCPT"));
    }

    @Test
    void barePostmasterIsCompletedWhenADomainIsGiven() {
        Domain domain = Domain.of("mx.example1.jp");
        assertEquals(new SmtpCommand.Rcpt(MailAddress.of("Postmaster", domain), Map.of()),
                SmtpCommandParser.parse("RCPT TO:<Postmaster>", domain));
        assertEquals(new SmtpCommand.Rcpt(MailAddress.of("POSTMASTER", domain), Map.of()),
                SmtpCommandParser.parse("rcpt to:<POSTMASTER>", domain));
        assertEquals(new SmtpCommand.Rcpt(address("postmaster", "example1.jp"), Map.of()),
                SmtpCommandParser.parse("RCPT TO:<postmaster@example1.jp>", domain));
        assertInstanceOf(SmtpSyntaxError.class, SmtpCommandParser.parse("MAIL FROM:<postmaster>", domain));
    }

    @Test
    void commandsAreImmutable() {
        var mail = (SmtpCommand.Mail) SmtpCommandParser.parse("MAIL FROM:<a@b.jp> SIZE=1");
        assertThrows(UnsupportedOperationException.class,
                () -> mail.parameters().put("X", "y"));
    }

    /** Every prefix of every table line (a line cut anywhere by a broken client) parses without throwing. */
    @Test
    void everyPrefixOfEveryLineParsesWithoutThrowing() {
        for (String line : allLines()) {
            for (int cut = 0; cut <= line.length(); cut++) {
                assertNotNull(SmtpCommandParser.parse(line.substring(0, cut)), line + " cut at " + cut);
                assertNotNull(SmtpCommandParser.parse(line.substring(cut)), line + " from " + cut);
            }
        }
    }

    /** Random garbage built from the characters that matter never makes the parser throw. */
    @Test
    void randomInputNeverThrows() {
        Random random = new Random(5321);
        String alphabet = "MAILFROMRCPTTOBDAT mailfrom:<>@\"\\=.-[]:;, \t\r\u0000é加0123456789LAST";
        for (int i = 0; i < 20_000; i++) {
            StringBuilder line = new StringBuilder();
            int length = random.nextInt(40);
            if (random.nextBoolean()) {
                line.append(List.of("MAIL FROM:", "RCPT TO:", "BDAT ", "HELO ", "EHLO ").get(random.nextInt(5)));
            }
            for (int j = 0; j < length; j++) {
                line.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            assertNotNull(SmtpCommandParser.parse(line.toString()), line.toString());
        }
    }

    private static List<String> allLines() {
        List<String> lines = new ArrayList<>();
        VALID.forEach(c -> lines.add(c.line()));
        INVALID.forEach(b -> lines.add(b.line()));
        return lines;
    }
}
