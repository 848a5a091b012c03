package dev.yubin.examples.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.yubin.core.address.Domain;
import dev.yubin.core.net.ListenerConfig;
import dev.yubin.core.net.NetworkList;
import dev.yubin.smtp.policy.RecipientRestriction;
import dev.yubin.smtp.policy.RecipientRestrictions;
import dev.yubin.smtp.policy.SenderRestriction;
import dev.yubin.smtp.policy.SenderRestrictions;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MainCfTest {

    private static final Path BASE = Path.of("/etc/yubin");

    private static MainCf cf(String... lines) {
        return MainCf.parse(String.join("\n", lines), "main.cf", BASE, "host.example.jp");
    }

    /** The problems of {@link MainCf#check()} as printed. */
    private static List<String> problems(String... lines) {
        return cf(lines).check().stream().map(ConfigProblem::toString).collect(Collectors.toList());
    }

    private static void assertProblems(List<String> expected, String... lines) {
        assertEquals(expected, problems(lines));
    }

    /** A one-line file gives exactly this error at line 1. */
    private static void assertBad(String line, String message) {
        assertEquals(List.of("main.cf:1: " + message), problems(line), line);
    }

    // ------------------------------------------------------------------------------------------------- syntax

    @Test
    void whitespaceAroundEqualsAndAtTheEndIsDropped() {
        MainCf cf = cf("myhostname   =   mail.example1.jp   ", "mail_name=Yu bin");
        assertEquals("mail.example1.jp", cf.string("myhostname"));
        assertEquals("Yu bin", cf.string("mail_name"));
        assertEquals(List.of(), cf.check());
    }

    @Test
    void commentAndBlankLinesAreIgnored() {
        MainCf cf = cf("# RECEIVING MAIL", "", "   # indented comment", "\t", "mail_name = Yubin2", "#mail_name = x");
        assertEquals("Yubin2", cf.string("mail_name"));
        assertEquals(Set.of("mail_name"), cf.explicitNames());
        assertEquals(List.of(), cf.check());
    }

    @Test
    void hashAfterAValueIsPartOfTheValueAsInPostfix() {
        assertEquals("Yubin # not a comment", cf("mail_name = Yubin # not a comment").string("mail_name"));
    }

    @Test
    void lineStartingWithWhitespaceContinuesTheLogicalLine() {
        MainCf cf = cf("mydestination = a.example,", "  b.example", "", "# comment inside", "\tc.example",
                "mail_name = x");
        assertEquals(List.of("a.example", "b.example", "c.example"), cf.list("mydestination"));
        assertEquals("a.example, b.example c.example", cf.string("mydestination"));
        assertEquals(OptionalInt.of(1), cf.lineOf("mydestination"));
        assertEquals(OptionalInt.of(6), cf.lineOf("mail_name"));
    }

    @Test
    void problemsInAContinuedValueAreReportedAtTheFirstLine() {
        assertProblems(List.of("main.cf:2: bad value \"bad!name\" for mydestination: not a valid domain name"),
                "mail_name = x", "mydestination = a.example,", "   bad!name");
    }

    @Test
    void continuationWithoutAPrecedingLineIsAnError() {
        assertProblems(List.of("main.cf:2: logical line must not start with whitespace: \"mail_name = x\""),
                "# first", "  mail_name = x");
    }

    @Test
    void missingEqualsIsReportedWithTheName() {
        // As in the textbook's figure 18, where "inet_protocols" lost its underscore.
        assertProblems(List.of("main.cf:3: missing \"=\" after parameter name \"inet\""),
                "# Enable IPv4, and IPv6 if supported", "mail_name = x", "inet protocols = all");
    }

    @Test
    void missingNameIsAnError() {
        assertProblems(List.of("main.cf:1: missing parameter name before \"=\""), "= value");
    }

    @Test
    void badCharactersInANameAreAnError() {
        assertProblems(List.of("main.cf:1: bad parameter name \"my-hostname\" (letters, digits and \"_\" only)"),
                "my-hostname = x.example");
    }

    @Test
    void crlfLineEndingsAreAccepted() {
        MainCf cf = MainCf.parse("mail_name = A\r\nmydestination = a.example,\r\n b.example\r\n", "main.cf", BASE,
                "host.example.jp");
        assertEquals("A", cf.string("mail_name"));
        assertEquals(List.of("a.example", "b.example"), cf.list("mydestination"));
        assertEquals(List.of(), cf.check());
    }

    @Test
    void emptyValueIsAllowed() {
        MainCf cf = cf("smtp_listen =");
        assertEquals("", cf.string("smtp_listen"));
        assertEquals(Optional.empty(), cf.listeners("smtp_listen"));
        assertEquals(List.of(), cf.check());
    }

    @Test
    void laterEntryOverridesAnEarlierOneWithAWarning() {
        MainCf cf = cf("mail_name = A", "mail_name = B");
        assertEquals("B", cf.string("mail_name"));
        assertEquals(OptionalInt.of(2), cf.lineOf("mail_name"));
        List<ConfigProblem> problems = cf.check();
        assertEquals(List.of("main.cf:2: warning: overriding earlier entry at line 1: mail_name = A"),
                problems.stream().map(ConfigProblem::toString).collect(Collectors.toList()));
        assertFalse(problems.get(0).isError());
        cf.requireValid();
    }

    @Test
    void listsSplitOnCommasAndOrWhitespace() {
        assertEquals(List.of("a.example", "b.example", "c.example", "d.example"),
                cf("mydestination = a.example,b.example , c.example\td.example,,").list("mydestination"));
    }

    // ---------------------------------------------------------------------------------------------- expansion

    @Test
    void dollarNameBracesAndParenthesesExpand() {
        MainCf cf = cf("mydomain = example1.jp", "myorigin = $mydomain", "myhostname = mail.${mydomain}",
                "smtpd_banner = $(myhostname) ready");
        assertEquals("example1.jp", cf.string("myorigin"));
        assertEquals("mail.example1.jp", cf.string("myhostname"));
        assertEquals("mail.example1.jp ready", cf.string("smtpd_banner"));
        assertEquals("$(myhostname) ready", cf.rawValue("smtpd_banner"));
    }

    @Test
    void expansionIsNestedAndLazy() {
        // myorigin refers to a parameter defined later; defaults follow the explicit values they use.
        MainCf cf = cf("myorigin = $mydomain", "mydomain = $top", "top = example1.jp",
                "myhostname = mail.$mydomain");
        assertEquals("example1.jp", cf.string("myorigin"));
        assertEquals(List.of("mail.example1.jp", "localhost.example1.jp", "localhost"), cf.list("mydestination"));
        assertEquals("mail.example1.jp ESMTP Yubin", cf.string("smtpd_banner"));
        assertEquals(List.of(), cf.check());
    }

    @Test
    void nameEndsAtTheFirstCharacterThatCannotBeInAName() {
        assertEquals("localhost.localdomain-x", cf("mail_name = localhost.$mydomain-x", "mydomain = localdomain")
                .string("mail_name"));
    }

    @Test
    void doubleDollarIsALiteralDollar() {
        assertEquals("cost $5 $mydomain", cf("mail_name = cost $$5 $$mydomain").string("mail_name"));
    }

    @Test
    void conditionalExpansion() {
        MainCf cf = cf("empty =", "full = yes", "mail_name = [${full?on}][${empty?on}][${full:off}][${empty:off}]"
                + "[${nothing:unset}][${full?${mydomain}}]", "mydomain = example1.jp");
        assertEquals("[on][][][off][unset][example1.jp]", cf.string("mail_name"));
        assertEquals(List.of(), cf.check());
    }

    @Test
    void undefinedParameterIsAnErrorAtItsLine() {
        MainCf cf = cf("mail_name = x", "myorigin = $mydomian");
        assertEquals(List.of("main.cf:2: undefined parameter $mydomian"),
                cf.check().stream().map(ConfigProblem::toString).collect(Collectors.toList()));
        ConfigException e = assertThrows(ConfigException.class, () -> cf.string("myorigin"));
        assertEquals("main.cf:2: undefined parameter $mydomian", e.getMessage());
        assertEquals(2, e.problems().get(0).line());
    }

    @Test
    void undefinedParameterDeepInAChainIsReportedOnceWhereItIsUsed() {
        assertProblems(List.of("main.cf:2: undefined parameter $nope"),
                "myorigin = $middle", "middle = $nope");
    }

    @Test
    void circularReferenceIsReportedAtEveryParameterOnTheCycle() {
        assertProblems(List.of("main.cf:1: circular reference: $myorigin -> $mydomain -> $myorigin",
                "main.cf:2: circular reference: $mydomain -> $myorigin -> $mydomain"),
                "myorigin = $mydomain", "mydomain = $myorigin");
    }

    @Test
    void selfReferenceIsCircular() {
        assertProblems(List.of("main.cf:1: circular reference: $mail_name -> $mail_name"),
                "mail_name = x$mail_name");
    }

    @Test
    void circularReferenceThroughADefault() {
        // myorigin's default is $myhostname.
        // Reported once, at the explicit line; the defaults caught in it (myorigin, mydomain...) add nothing.
        assertProblems(List.of("main.cf:1: circular reference: $myhostname -> $myorigin -> $myhostname"),
                "myhostname = $myorigin");
        assertThrows(ConfigException.class, () -> cf("myhostname = $myorigin").string("smtpd_banner"));
    }

    @Test
    void dollarWithoutANameIsAnError() {
        assertProblems(List.of("main.cf:1: \"$\" not followed by a parameter name (write $$ for a literal $)",
                "main.cf:2: \"$\" not followed by a parameter name (write $$ for a literal $)"),
                "mail_name = price $", "smtpd_banner = $ $mail_name");
    }

    @Test
    void badBraceExpressionsAreErrors() {
        assertProblems(List.of("main.cf:1: missing \"}\" in \"${mydomain\"",
                "main.cf:2: empty parameter name in \"${}\"",
                "main.cf:3: bad expression \"${my-domain}\": unexpected \"-\" after the parameter name"),
                "mail_name = ${mydomain", "smtpd_banner = x${}", "myorigin = ${my-domain}");
    }

    // ------------------------------------------------------------------------------------------ unknown names

    @Test
    void unknownParameterIsAnErrorWithASuggestion() {
        String[] lines = new String[12];
        for (int i = 0; i < 11; i++) {
            lines[i] = "#";
        }
        lines[11] = "smtpd_recpient_limit = 10";
        assertProblems(List.of("main.cf:12: unknown parameter \"smtpd_recpient_limit\""
                + " (did you mean \"smtpd_recipient_limit\"?)"), lines);
    }

    @Test
    void unknownParameterWithoutACloseNameHasNoSuggestion() {
        assertProblems(List.of("main.cf:1: unknown parameter \"smtpd_helo_required\""),
                "smtpd_helo_required = yes");
    }

    @Test
    void userDefinedParameterUsedByAnotherIsAccepted() {
        MainCf cf = cf("virtual_domain = example2.jp", "mydestination = $mydomain, $virtual_domain",
                "mydomain = example1.jp");
        assertEquals(List.of(), cf.check());
        assertEquals(List.of("example1.jp", "example2.jp"), cf.list("mydestination"));
        assertEquals("example2.jp", cf.string("virtual_domain"));
    }

    @Test
    void getterOfAnUnknownNameIsAProgrammingError() {
        assertThrows(IllegalArgumentException.class, () -> cf().string("no_such_parameter"));
    }

    // --------------------------------------------------------------------------------------------- defaults

    @Test
    void defaultsFollowPostfixAndYubin() {
        MainCf cf = cf();
        assertEquals(List.of(), cf.check());
        assertEquals(Set.of(), cf.explicitNames());
        assertFalse(cf.isExplicit("myhostname"));
        assertEquals("host.example.jp", cf.string("myhostname"));
        assertEquals("example.jp", cf.string("mydomain"));
        assertEquals("host.example.jp", cf.string("myorigin"));
        assertEquals("$myhostname, localhost.$mydomain, localhost", cf.rawValue("mydestination"));
        assertEquals(List.of(Domain.of("host.example.jp"), Domain.of("localhost.example.jp"),
                Domain.of("localhost")), cf.domains("mydestination"));
        assertEquals(List.of("all"), cf.list("inet_interfaces"));
        assertEquals(List.of("127.0.0.0/8", "[::1]/128"), cf.list("mynetworks"));
        assertEquals("Maildir/", cf.string("home_mailbox"));
        assertEquals(Optional.of(BASE.resolve("data/mail")), cf.path("mail_root"));
        assertEquals(Optional.of(BASE.resolve("data/queue")), cf.path("queue_directory"));
        assertEquals(Optional.empty(), cf.path("maillog_file"));
        assertEquals(Optional.empty(), cf.path("passwd_file"));
        assertEquals(10_240_000L, cf.integer("message_size_limit"));
        assertEquals(1000L, cf.integer("smtpd_recipient_limit"));
        assertEquals(Duration.ofSeconds(300), cf.duration("smtpd_timeout"));
        assertEquals(20L, cf.integer("smtpd_hard_error_limit"));
        assertEquals(50L, cf.integer("smtpd_client_connection_count_limit"));
        assertEquals("host.example.jp ESMTP Yubin", cf.string("smtpd_banner"));
        assertEquals("Yubin", cf.string("mail_name"));
        assertEquals(2048L, cf.integer("line_length_limit"));
        assertEquals(false, cf.bool("always_add_missing_headers"));
        assertEquals(Optional.of(ListenerConfig.loopback(2525)), cf.listeners("smtp_listen"));
        for (String name : List.of("submission_listen", "smtps_listen", "pop3_listen", "pop3s_listen",
                "imap_listen", "imaps_listen")) {
            assertEquals(Optional.empty(), cf.listeners(name), name);
        }
        assertEquals(RecipientRestrictions.parse("permit_mynetworks, permit_sasl_authenticated, "
                + "reject_unauth_destination"), cf.recipientRestrictions());
        assertEquals(SenderRestrictions.NONE, cf.senderRestrictions());
        assertFalse(cf.bool("smtpd_sasl_auth_enable"));
        assertTrue(cf.bool("disable_plaintext_auth"));
        assertFalse(cf.bool("smtpd_tls_auth_only"));
        assertFalse(cf.plaintextAuthAllowed());
        assertEquals(Optional.empty(), cf.tlsFiles());
    }

    @Test
    void everyKnownParameterHasAUsableDefault() {
        MainCf cf = cf();
        for (String name : MainCf.knownParameters()) {
            cf.string(name);
        }
        assertEquals(50, MainCf.knownParameters().size());
    }

    @Test
    void remoteDeliveryParametersHavePostfixDefaultsAndCheckedValues() {
        MainCf cf = cf();
        assertEquals(Optional.empty(), cf.relayhost());
        assertEquals(List.of(), cf.dnsServers());
        assertEquals(dev.yubin.smtp.client.ClientSettings.TlsLevel.MAY, cf.smtpTlsLevel());
        assertEquals(java.time.Duration.ofSeconds(300), cf.duration("minimal_backoff_time"));
        assertEquals(java.time.Duration.ofSeconds(4000), cf.duration("maximal_backoff_time"));
        assertEquals(java.time.Duration.ofDays(5), cf.duration("maximal_queue_lifetime"));
        assertEquals("host.example.jp", cf.string("smtp_helo_name"));
        assertFalse(cf.remoteDeliverySuspended());

        MainCf set = cf("relayhost = [mail.isp.example]:587", "dns_resolver = 127.0.0.1:5353, [::1]",
                "smtp_tls_security_level = encrypt", "defer_transports = smtp");
        assertEquals(Optional.of(new dev.yubin.delivery.remote.Relayhost("mail.isp.example", 587, false)),
                set.relayhost());
        assertEquals(List.of(new java.net.InetSocketAddress("127.0.0.1", 5353),
                new java.net.InetSocketAddress("::1", 53)), set.dnsServers());
        assertEquals(dev.yubin.smtp.client.ClientSettings.TlsLevel.ENCRYPT, set.smtpTlsLevel());
        assertTrue(set.remoteDeliverySuspended());

        assertProblems(List.of(
                "main.cf:1: bad value \"[mail.isp.example:587\" for relayhost: missing ] in relayhost"
                        + " [mail.isp.example:587",
                "main.cf:2: bad value \"dns.example\" for dns_resolver: not an IP address: dns.example (give the"
                        + " resolver's address)",
                "main.cf:3: bad value \"sometimes\" for smtp_tls_security_level: use none, may or encrypt"),
                "relayhost = [mail.isp.example:587", "dns_resolver = dns.example",
                "smtp_tls_security_level = sometimes");
    }

    @Test
    void hostNameWithoutADotGetsLocaldomainAsInPostfix() {
        MainCf cf = MainCf.parse("", "main.cf", BASE, "vm");
        assertEquals("vm.localdomain", cf.string("myhostname"));
        assertEquals("localdomain", cf.string("mydomain"));
        assertEquals(List.of(), cf.check());
    }

    @Test
    void hostNameWithoutADotGetsAnExplicitMydomain() {
        MainCf cf = MainCf.parse("mydomain = example1.jp", "main.cf", BASE, "vm");
        assertEquals("vm.example1.jp", cf.string("myhostname"));
    }

    @Test
    void mydomainOfATwoLabelHostNameIsLocaldomainAsInPostfix() {
        assertEquals("localdomain", MainCf.parse("myhostname = example.com", "main.cf", BASE, "x")
                .string("mydomain"));
        assertEquals("example1.jp", MainCf.parse("myhostname = mail.example1.jp", "main.cf", BASE, "x")
                .string("mydomain"));
    }

    @Test
    void theRealMachineNameIsUsedByDefault() {
        MainCf cf = MainCf.parse("", "main.cf", BASE);
        assertTrue(cf.string("myhostname").contains("."), cf.string("myhostname"));
        assertFalse(cf.string("mydomain").isEmpty());
    }

    @Test
    void badDefaultWithoutALineIsReportedOnceForTheFile() {
        MainCf cf = MainCf.parse("", "main.cf", BASE, "bad_host!");
        assertEquals(List.of("main.cf: bad value \"bad_host!.localdomain\" for myhostname: not a valid domain name"
                + " (in the default myhostname = (this machine's name))"),
                cf.check().stream().map(ConfigProblem::toString).collect(Collectors.toList()));
    }

    @Test
    void badValueThatBreaksDefaultsIsReportedOnceAtItsLine() {
        assertProblems(List.of("main.cf:1: bad value \"bad..example\" for mydomain: not a valid domain name"),
                "mydomain = bad..example");
    }

    @Test
    void listenerBrokenByABadInetInterfacesIsReportedOnlyThere() {
        assertProblems(List.of("main.cf:1: bad value \"bad!name\" for inet_interfaces: not a valid domain name"),
                "inet_interfaces = bad!name", "pop3_listen = 1110");
    }

    // ----------------------------------------------------------------------------------------- typed values

    @Test
    void numbersMustBeWholeAndInRange() {
        assertProblems(List.of(
                "main.cf:1: bad value \"10x\" for smtpd_recipient_limit: expected a whole number",
                "main.cf:2: bad value \"-1\" for message_size_limit: expected a whole number",
                "main.cf:3: bad value \"0\" for smtpd_hard_error_limit: must be at least 1",
                "main.cf:4: bad value \"100\" for line_length_limit: must be at least 512",
                "main.cf:5: bad value \"99999999999999999999\" for smtpd_client_connection_count_limit: "
                        + "number too large"),
                "smtpd_recipient_limit = 10x", "message_size_limit = -1", "smtpd_hard_error_limit = 0",
                "line_length_limit = 100", "smtpd_client_connection_count_limit = 99999999999999999999",
                "mail_name = x");
        assertBad("smtpd_recipient_limit =", "bad value \"\" for smtpd_recipient_limit: expected a whole number");
    }

    @Test
    void booleansAreYesOrNo() {
        assertEquals(true, cf("always_add_missing_headers = YES").bool("always_add_missing_headers"));
        assertBad("always_add_missing_headers = true",
                "bad value \"true\" for always_add_missing_headers: expected yes or no");
    }

    @Test
    void zeroMeansNoLimitWherePostfixAllowsIt() {
        MainCf cf = cf("message_size_limit = 0", "smtpd_client_connection_count_limit = 0");
        assertEquals(List.of(), cf.check());
        assertEquals(0L, cf.integer("message_size_limit"));
    }

    @Test
    void numberGetterThrowsWithTheLine() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> cf("mail_name = x", "smtpd_recipient_limit = ten").integer("smtpd_recipient_limit"));
        assertEquals("main.cf:2: bad value \"ten\" for smtpd_recipient_limit: expected a whole number",
                e.getMessage());
    }

    @Test
    void timesTakePostfixUnits() {
        assertEquals(Duration.ofSeconds(45), cf("smtpd_timeout = 45s").duration("smtpd_timeout"));
        assertEquals(Duration.ofSeconds(60), cf("smtpd_timeout = 60").duration("smtpd_timeout"));
        assertEquals(Duration.ofMinutes(5), cf("smtpd_timeout = 5m").duration("smtpd_timeout"));
        assertEquals(Duration.ofHours(2), cf("smtpd_timeout = 2h").duration("smtpd_timeout"));
        assertEquals(Duration.ofDays(1), cf("smtpd_timeout = 1d").duration("smtpd_timeout"));
        assertEquals(Duration.ofDays(14), cf("smtpd_timeout = 2w").duration("smtpd_timeout"));
    }

    @Test
    void badTimesAreErrors() {
        assertBad("smtpd_timeout = 5x",
                "bad value \"5x\" for smtpd_timeout: unknown time unit \"x\" (use s, m, h, d or w)");
        assertBad("smtpd_timeout = 0s", "bad value \"0s\" for smtpd_timeout: must be at least 1s");
        assertBad("smtpd_timeout = s", "bad value \"s\" for smtpd_timeout: expected a time such as 300s");
        assertBad("smtpd_timeout = 5min",
                "bad value \"5min\" for smtpd_timeout: unknown time unit \"min\" (use s, m, h, d or w)");
        assertBad("smtpd_timeout = 99999999999999999w",
                "bad value \"99999999999999999w\" for smtpd_timeout: time too large");
    }

    @Test
    void hostNamesMustBeNames() {
        assertProblems(List.of(
                "main.cf:1: bad value \"mail_example!\" for myhostname: not a valid domain name",
                "main.cf:2: bad value \"[192.0.2.1]\" for myorigin: expected a name, not an address",
                "main.cf:3: bad value \"\" for mydomain: a name is required"),
                "myhostname = mail_example!", "myorigin = [192.0.2.1]", "mydomain =");
    }

    @Test
    void mydestinationTakesDomainsOnly() {
        assertBad("mydestination = example1.jp hash:/etc/postfix/local",
                "bad value \"hash:/etc/postfix/local\" for mydestination: lookup tables "
                        + "(/file/name, type:table) are not supported yet");
        assertBad("mydestination = /etc/postfix/domains",
                "bad value \"/etc/postfix/domains\" for mydestination: lookup tables "
                        + "(/file/name, type:table) are not supported yet");
        assertBad("mydestination = example1.jp, -bad.example",
                "bad value \"-bad.example\" for mydestination: not a valid domain name");
        assertEquals(List.of(), cf("mydestination =").domains("mydestination"));
        assertEquals(List.of(Domain.of("例え.jp")), cf("mydestination = 例え.jp").domains("mydestination"));
    }

    @Test
    void mynetworksTakesAddressesAndCidrs() {
        MainCf cf = cf("mynetworks = 192.168.56.101, 192.168.56.0/24 10.0.0.0/8 [::1]/128 [2001:db8::]/32"
                + " [fe80::1] 0.0.0.0/0");
        assertEquals(List.of(), cf.check());
        assertEquals(7, cf.list("mynetworks").size());
        NetworkList networks = cf.networks("mynetworks");
        assertEquals("192.168.56.101/32 192.168.56.0/24 10.0.0.0/8 [::1]/128 [2001:db8::]/32 [fe80::1]/128 "
                + "0.0.0.0/0", networks.toString());
    }

    @Test
    void mynetworksDefaultIsLoopbackAndMatchesClients() throws Exception {
        NetworkList networks = cf().networks("mynetworks");
        assertEquals(NetworkList.LOOPBACK, networks);
        assertTrue(networks.contains(InetAddress.getByName("::1")));
        assertTrue(networks.contains(InetAddress.getByName("::ffff:127.0.0.1")));
        assertFalse(networks.contains(InetAddress.getByName("192.0.2.1")));
        assertTrue(cf("mynetworks = 10.0.0.0/8").networks("mynetworks")
                .contains(InetAddress.getByName("::ffff:10.1.2.3")));
        assertEquals(NetworkList.NONE, cf("mynetworks =").networks("mynetworks"));
        ConfigException e = assertThrows(ConfigException.class,
                () -> cf("mail_name = x", "mynetworks = 10.1.0.0/8").networks("mynetworks"));
        assertEquals("main.cf:2: bad value \"10.1.0.0/8\" for mynetworks: non-null host address bits, perhaps you "
                + "mean 10.0.0.0/8", e.getMessage());
    }

    @Test
    void badNetworksAreErrors() {
        assertBad("mynetworks = 192.168.1.1/24", "bad value \"192.168.1.1/24\" for mynetworks: "
                + "non-null host address bits, perhaps you mean 192.168.1.0/24");
        assertBad("mynetworks = 10.0.0.0/33", "bad value \"10.0.0.0/33\" for mynetworks: "
                + "bad prefix length \"33\" (0-32)");
        assertBad("mynetworks = [::]/129", "bad value \"[::]/129\" for mynetworks: "
                + "bad prefix length \"129\" (0-128)");
        assertBad("mynetworks = ::1/128", "bad value \"::1/128\" for mynetworks: "
                + "write IPv6 networks in brackets, e.g. [::1]/128");
        assertBad("mynetworks = 300.1.1.1", "bad value \"300.1.1.1\" for mynetworks: not a valid IPv4 address");
        assertBad("mynetworks = example.com", "bad value \"example.com\" for mynetworks: "
                + "expected an IP address or network/prefix");
        assertBad("mynetworks = !10.0.0.0/8", "bad value \"!10.0.0.0/8\" for mynetworks: "
                + "negation, /file/name and type:table are not supported yet");
        assertBad("mynetworks = hash:/etc/postfix/network_table", "bad value \"hash:/etc/postfix/network_table\""
                + " for mynetworks: negation, /file/name and type:table are not supported yet");
        assertBad("mynetworks = [2001:db8::1]/32", "bad value \"[2001:db8::1]/32\" for mynetworks: "
                + "non-null host address bits, perhaps you mean [2001:db8::]/32");
        assertBad("mynetworks = [::1/128", "bad value \"[::1/128\" for mynetworks: missing \"]\"");
        assertBad("mynetworks = 10.0.0.0/", "bad value \"10.0.0.0/\" for mynetworks: "
                + "bad prefix length \"\" (0-32)");
        assertBad("mynetworks = 10.0.0.0/-1", "bad value \"10.0.0.0/-1\" for mynetworks: "
                + "bad prefix length \"-1\" (0-32)");
        assertBad("mynetworks = [gg::1]", "bad value \"[gg::1]\" for mynetworks: not a valid IPv6 address");
        assertBad("mynetworks = 127.0.0.1, 10.1.2.3/8", "bad value \"10.1.2.3/8\" for mynetworks: "
                + "non-null host address bits, perhaps you mean 10.0.0.0/8");
    }

    @Test
    void inetInterfaces() {
        assertEquals(List.of(), cf("inet_interfaces = all").check());
        assertEquals(List.of(), cf("inet_interfaces = loopback-only").check());
        assertEquals(List.of(), cf("inet_interfaces = localhost, 127.0.0.1 [::1]").check());
        assertBad("inet_interfaces = all, 127.0.0.1",
                "bad value \"all, 127.0.0.1\" for inet_interfaces: \"all\" must be the only item");
        assertBad("inet_interfaces = 999.1.1.1", "bad value \"999.1.1.1\" for inet_interfaces: "
                + "not a valid IPv4 address");
        assertBad("inet_interfaces = 10.1.1", "bad value \"10.1.1\" for inet_interfaces: "
                + "not a valid IPv4 address");
        assertBad("inet_interfaces =", "inet_interfaces must not be empty (use all)");
        assertBad("inet_interfaces = 127.0.0.1 loopback-only", "bad value \"127.0.0.1 loopback-only\" for "
                + "inet_interfaces: \"loopback-only\" must be the only item");
        assertBad("inet_interfaces = bad!name", "bad value \"bad!name\" for inet_interfaces: "
                + "not a valid domain name");
    }

    @Test
    void homeMailboxMustBeAMaildirRelativeToHome() {
        assertEquals(List.of(), cf("home_mailbox = Mail/inbox/").check());
        // Postfix: an empty home_mailbox delivers to the mbox mail_spool_directory/<user>
        assertEquals(List.of(), cf("home_mailbox =\nmail_spool_directory = /var/mail").check());
        assertEquals("/var/mail", cf("home_mailbox =\nmail_spool_directory = /var/mail")
                .path("mail_spool_directory").orElseThrow().toString());
        assertBad("home_mailbox = Mailbox", "bad value \"Mailbox\" for home_mailbox: an mbox in the home directory"
                + " (no trailing \"/\") is not supported yet; write Maildir/ for Maildir, or leave home_mailbox empty"
                + " for mbox files in mail_spool_directory");
        assertBad("home_mailbox = /var/mail/", "bad value \"/var/mail/\" for home_mailbox: must be relative "
                + "to the home directory, e.g. Maildir/");
        assertBad("home_mailbox = ../Maildir/", "bad value \"../Maildir/\" for home_mailbox: "
                + "must not contain \"..\"");
    }

    @Test
    void nonEmptyStringsAndPaths() {
        assertProblems(List.of("main.cf:1: mail_name must not be empty",
                "main.cf:2: mail_root must not be empty", "main.cf:3: queue_directory must not be empty"),
                "mail_name =", "mail_root =", "queue_directory =");
    }

    @Test
    void relativePathsResolveAgainstTheConfigurationDirectory() {
        MainCf cf = cf("mail_root = mail", "queue_directory = /var/spool/yubin", "passwd_file = ./users",
                "maillog_file = log/../maillog");
        assertEquals(Optional.of(Path.of("/etc/yubin/mail")), cf.path("mail_root"));
        assertEquals(Optional.of(Path.of("/var/spool/yubin")), cf.path("queue_directory"));
        assertEquals(Optional.of(Path.of("/etc/yubin/users")), cf.path("passwd_file"));
        assertEquals(Optional.of(Path.of("/etc/yubin/maillog")), cf.path("maillog_file"));
    }

    @Test
    void readUsesTheFilesDirectoryAndName(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("main.cf");
        Files.writeString(file, "mail_root = m\nsmtpd_recipient_limit = x\n");
        MainCf cf = MainCf.read(file);
        assertEquals(dir.toAbsolutePath().normalize(), cf.baseDirectory());
        assertEquals(Optional.of(dir.toAbsolutePath().normalize().resolve("m")), cf.path("mail_root"));
        assertEquals(List.of(file + ":2: bad value \"x\" for smtpd_recipient_limit: expected a whole number"),
                cf.check().stream().map(ConfigProblem::toString).collect(Collectors.toList()));
        assertThrows(ConfigException.class, cf::requireValid);
    }

    // ------------------------------------------------------------------------------------------- listeners

    @Test
    void listenersTakeHostPortItems() {
        MainCf cf = cf("smtp_listen = 127.0.0.1:25, [::1]:25", "smtps_listen = *:465", "imaps_listen = 0.0.0.0:993");
        assertEquals(List.of(), cf.check());
        ListenerConfig smtp = cf.listeners("smtp_listen").orElseThrow();
        assertFalse(smtp.implicitTls());
        assertEquals(2, smtp.addresses().size());
        assertEquals("127.0.0.1", smtp.addresses().get(0).getAddress().getHostAddress());
        assertEquals(25, smtp.addresses().get(1).getPort());
        ListenerConfig smtps = cf.listeners("smtps_listen").orElseThrow();
        assertTrue(smtps.implicitTls());
        assertTrue(smtps.addresses().get(0).getAddress().isAnyLocalAddress());
        assertTrue(cf.listeners("imaps_listen").orElseThrow().implicitTls());
    }

    @Test
    void bareListenerPortBindsEveryInetInterface() {
        ListenerConfig loop = cf("inet_interfaces = loopback-only", "pop3_listen = 1110").listeners("pop3_listen")
                .orElseThrow();
        assertEquals(List.of(new InetSocketAddress("127.0.0.1", 1110)), loop.addresses());
        ListenerConfig all = cf("pop3_listen = 1110").listeners("pop3_listen").orElseThrow();
        assertEquals(List.of(new InetSocketAddress(1110)), all.addresses());
        ListenerConfig listed = cf("inet_interfaces = 127.0.0.1, [::1]", "imap_listen = 1143")
                .listeners("imap_listen").orElseThrow();
        assertEquals(2, listed.addresses().size());
        assertEquals(1143, listed.addresses().get(1).getPort());
    }

    @Test
    void badListenersAreErrors() {
        assertProblems(List.of(
                "main.cf:1: bad value \"127.0.0.1:99999\" for smtp_listen: port out of range in '127.0.0.1:99999'",
                "main.cf:2: bad value \"127.0.0.1\" for pop3_listen: expected host:port, got '127.0.0.1'",
                "main.cf:3: bad value \"::1:25\" for imap_listen: write IPv6 addresses in brackets: '[::1]:25', "
                        + "got '::1:25'",
                "main.cf:4: bad value \"70000\" for submission_listen: port out of range",
                "main.cf:5: bad value \"127.0.0.1:x\" for smtps_listen: bad port in '127.0.0.1:x'"),
                "smtp_listen = 127.0.0.1:99999", "pop3_listen = 127.0.0.1", "imap_listen = ::1:25",
                "submission_listen = 70000", "smtps_listen = 127.0.0.1:x");
    }

    @Test
    void imapListenersServeMaildirAndMbox() {
        assertProblems(List.of(), "home_mailbox =", "imap_listen = 127.0.0.1:1143");
        assertProblems(List.of(), "home_mailbox = Maildir/", "imap_listen = 127.0.0.1:1143",
                "imaps_listen = 127.0.0.1:1993");
    }

    // ------------------------------------------------------------------------------------------- everything

    @Test
    void checkReportsEveryProblemInLineOrder() {
        List<String> problems = problems(
                "# yubin main.cf",
                "myhostname = mail.example1.jp",
                "smtpd_recpient_limit = 10",
                "smtpd_timeout = 10x",
                "mydestination = $mydomain, $nope",
                "   also.example",
                "inet protocols = all",
                "mynetworks = 192.168.56.1/24",
                "mail_name = a",
                "mail_name = b");
        assertEquals(List.of(
                "main.cf:3: unknown parameter \"smtpd_recpient_limit\" (did you mean \"smtpd_recipient_limit\"?)",
                "main.cf:4: bad value \"10x\" for smtpd_timeout: unknown time unit \"x\" (use s, m, h, d or w)",
                "main.cf:5: undefined parameter $nope",
                "main.cf:7: missing \"=\" after parameter name \"inet\"",
                "main.cf:8: bad value \"192.168.56.1/24\" for mynetworks: non-null host address bits, "
                        + "perhaps you mean 192.168.56.0/24",
                "main.cf:10: warning: overriding earlier entry at line 9: mail_name = a"), problems);
    }

    @Test
    void requireValidListsOnlyErrors() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> cf("mail_name = a", "mail_name = b", "smtpd_timeout = x").requireValid());
        assertEquals(1, e.problems().size());
        assertEquals("main.cf:3: bad value \"x\" for smtpd_timeout: expected a time such as 300s", e.getMessage());
    }

    @Test
    void textbookChapterOneConfiguration() {
        // Figure 18 of seed 000 (Webmin-written main.cf), minus the parameters Yubin has no use for.
        MainCf cf = cf(
                "# RECEIVING MAIL",
                "#inet_interfaces = all",
                "#inet_interfaces = $myhostname",
                "inet_interfaces = all",
                "mydestination = $myhostname, localhost.$mydomain, localhost, $mydomain",
                "#mydestination = $myhostname, localhost.$mydomain, localhost, $mydomain,",
                "# mail.$mydomain, www.$mydomain, ftp.$mydomain",
                "mydomain = nss00t000.teikyo",
                "myorigin = $mydomain",
                "myhostname = svr01.nss00t000.teikyo",
                "home_mailbox = Maildir/",
                "mynetworks = 127.0.0.0/8, 192.168.56.0/24");
        assertEquals(List.of(), cf.check());
        assertEquals("svr01.nss00t000.teikyo", cf.string("myhostname"));
        assertEquals("nss00t000.teikyo", cf.string("mydomain"));
        assertEquals("nss00t000.teikyo", cf.string("myorigin"));
        assertEquals(List.of("svr01.nss00t000.teikyo", "localhost.nss00t000.teikyo", "localhost",
                "nss00t000.teikyo"), cf.list("mydestination"));
        assertEquals(List.of("all"), cf.list("inet_interfaces"));
        assertEquals("Maildir/", cf.string("home_mailbox"));
        assertEquals(List.of("127.0.0.0/8", "192.168.56.0/24"), cf.list("mynetworks"));
        assertEquals(Set.of("inet_interfaces", "mydestination", "mydomain", "myorigin", "myhostname",
                "home_mailbox", "mynetworks"), cf.explicitNames());
        assertTrue(cf.isExplicit("mydomain"));
        assertFalse(cf.isExplicit("smtp_listen"));
        assertEquals("svr01.nss00t000.teikyo ESMTP Yubin", cf.string("smtpd_banner"));
    }

    @Test
    void textbookHost1Configuration() {
        // Seed 001, host1: mynetworks is a single address, inet_interfaces names localhost and an address.
        MainCf cf = cf(
                "myhostname = mail.example1.jp",
                "mydomain = example1.jp",
                "inet_interfaces = localhost, 192.168.56.101",
                "mydestination = $mydomain",
                "mynetworks = 192.168.56.101",
                "home_mailbox = Maildir/");
        assertEquals(List.of(), cf.check());
        assertEquals(List.of(Domain.of("example1.jp")), cf.domains("mydestination"));
        assertEquals(List.of("localhost", "192.168.56.101"), cf.list("inet_interfaces"));
        assertEquals(List.of("192.168.56.101"), cf.list("mynetworks"));
        assertEquals("mail.example1.jp", cf.string("myorigin"));
    }

    @Test
    void textbookParametersYubinDoesNotHaveAreReported() {
        assertProblems(List.of("main.cf:1: unknown parameter \"mynetworks_style\""),
                "mynetworks_style = subnet",
                "smtpd_recipient_restrictions = permit_mynetworks, permit_sasl_authenticated, "
                        + "reject_unauth_destination");
    }

    // ----------------------------------------------------------------------------- relay control, AUTH, TLS

    @Test
    void textbookSecondChapterConfiguration() {
        MainCf cf = cf(
                "mydestination = $mydomain",
                "mydomain = example1.jp",
                "mynetworks = 192.168.56.0/24, 127.0.0.0/8",
                "smtpd_sasl_auth_enable = yes",
                "smtpd_recipient_restrictions = permit_mynetworks, permit_sasl_authenticated,",
                "    reject_unauth_destination",
                "disable_plaintext_auth = no");
        assertEquals(List.of(), cf.check());
        assertTrue(cf.bool("smtpd_sasl_auth_enable"));
        assertTrue(cf.plaintextAuthAllowed());
        assertEquals(List.of(RecipientRestriction.PERMIT_MYNETWORKS, RecipientRestriction.PERMIT_SASL_AUTHENTICATED,
                RecipientRestriction.REJECT_UNAUTH_DESTINATION), cf.recipientRestrictions().restrictions());
        assertEquals("192.168.56.0/24 127.0.0.0/8", cf.networks("mynetworks").toString());
    }

    @Test
    void textbookTypoInTheRestrictionsIsReportedWithLineAndSuggestion() {
        String expected = "main.cf:3: unknown restriction \"reject_unauth_destinaition\" in "
                + "smtpd_recipient_restrictions (did you mean \"reject_unauth_destination\"?)";
        String[] lines = {
            "# relay control",
            "smtpd_sasl_auth_enable = yes",
            "smtpd_recipient_restrictions = permit_mynetworks, permit_sasl_authenticated, reject_unauth_destinaition",
        };
        assertProblems(List.of(expected), lines);
        ConfigException e = assertThrows(ConfigException.class, () -> cf(lines).recipientRestrictions());
        assertEquals(expected, e.getMessage());
        // on a continuation line, the problem belongs to the logical line's first line
        assertProblems(List.of("main.cf:1: unknown restriction \"permit_mynetwork\" in smtpd_recipient_restrictions "
                + "(did you mean \"permit_mynetworks\"?)"),
                "smtpd_recipient_restrictions =", "    permit_mynetwork,", "    reject_unauth_destination");
    }

    @Test
    void restrictionsThatWouldMakeAnOpenRelayAreErrors() {
        assertBad("smtpd_recipient_restrictions = permit_mynetworks, permit_sasl_authenticated",
                "smtpd_recipient_restrictions: recipient restrictions \"permit_mynetworks, permit_sasl_authenticated\""
                        + " would make an open relay: specify at least one of reject_unauth_destination, "
                        + "defer_unauth_destination or reject");
        assertEquals(1, problems("smtpd_recipient_restrictions =").size());
        assertEquals(List.of(), problems("smtpd_recipient_restrictions = permit_mynetworks, reject"));
        assertEquals(List.of(), problems("smtpd_recipient_restrictions = permit_mynetworks defer_unauth_destination"));
    }

    @Test
    void restrictionsMayComeFromAnotherParameter() {
        MainCf cf = cf("relay_policy = permit_sasl_authenticated, reject_unauth_destination",
                "smtpd_recipient_restrictions = permit_mynetworks, $relay_policy");
        assertEquals(List.of(), cf.check());
        assertEquals("permit_mynetworks, permit_sasl_authenticated, reject_unauth_destination",
                cf.recipientRestrictions().toString());
    }

    @Test
    void senderRestrictions() {
        MainCf cf = cf("smtpd_sender_restrictions = reject_sender_login_mismatch");
        assertEquals(List.of(), cf.check());
        assertEquals(List.of(SenderRestriction.REJECT_SENDER_LOGIN_MISMATCH), cf.senderRestrictions().restrictions());
        assertEquals(List.of(), problems("smtpd_sender_restrictions = permit_mynetworks, "
                + "reject_authenticated_sender_login_mismatch, permit"));
        assertBad("smtpd_sender_restrictions = reject_sender_login_missmatch", "unknown restriction "
                + "\"reject_sender_login_missmatch\" in smtpd_sender_restrictions (did you mean "
                + "\"reject_sender_login_mismatch\"?)");
        assertBad("smtpd_sender_restrictions = check_sender_access hash:/etc/postfix/sender_access",
                "unknown restriction \"check_sender_access\" in smtpd_sender_restrictions");
    }

    @Test
    void authSwitchesAreBooleans() {
        assertBad("smtpd_sasl_auth_enable = maybe", "bad value \"maybe\" for smtpd_sasl_auth_enable: expected yes or no");
        assertBad("disable_plaintext_auth = 1", "bad value \"1\" for disable_plaintext_auth: expected yes or no");
        assertFalse(cf("disable_plaintext_auth = no", "smtpd_tls_auth_only = yes").plaintextAuthAllowed());
        assertFalse(cf("disable_plaintext_auth = yes").plaintextAuthAllowed());
        assertTrue(cf("disable_plaintext_auth = NO").plaintextAuthAllowed());
    }

    @Test
    void tlsCertificateAndKeyComeTogether() {
        MainCf both = cf("smtpd_tls_cert_file = tls/cert.pem", "smtpd_tls_key_file = /etc/ssl/private/key.pem");
        assertEquals(List.of(), both.check());
        assertEquals(Optional.of(new MainCf.TlsFiles(BASE.resolve("tls/cert.pem"),
                Path.of("/etc/ssl/private/key.pem"))), both.tlsFiles());
        assertProblems(List.of("main.cf:2: smtpd_tls_cert_file is set but smtpd_tls_key_file is not: set both or "
                + "neither"), "mail_name = x", "smtpd_tls_cert_file = cert.pem");
        assertProblems(List.of("main.cf:1: smtpd_tls_key_file is set but smtpd_tls_cert_file is not: set both or "
                + "neither"), "smtpd_tls_key_file = key.pem", "smtpd_tls_cert_file =");
        ConfigException e = assertThrows(ConfigException.class, () -> cf("smtpd_tls_key_file = key.pem").tlsFiles());
        assertEquals("main.cf:1: smtpd_tls_key_file is set but smtpd_tls_cert_file is not: set both or neither",
                e.getMessage());
    }

    @Test
    void submissionAndSmtpsListeners() {
        MainCf cf = cf("submission_listen = 127.0.0.1:2587", "smtps_listen = 127.0.0.1:2465 [::1]:2465");
        assertEquals(List.of(), cf.check());
        ListenerConfig submission = cf.listeners("submission_listen").orElseThrow();
        assertFalse(submission.implicitTls());
        assertEquals(List.of(new InetSocketAddress("127.0.0.1", 2587)), submission.addresses());
        ListenerConfig smtps = cf.listeners("smtps_listen").orElseThrow();
        assertTrue(smtps.implicitTls());
        assertEquals(2, smtps.addresses().size());
    }

    @Test
    void shippedDefaultConfigurationIsValidAndSafe() throws IOException {
        String text;
        try (var in = MainCf.class.getResourceAsStream("/dev/yubin/examples/default-main.cf")) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        MainCf cf = MainCf.parse(text, "main.cf", BASE, "host.example.jp");
        assertEquals(List.of(), cf.check());
        assertEquals(NetworkList.LOOPBACK, cf.networks("mynetworks"));
        assertEquals("permit_mynetworks, permit_sasl_authenticated, reject_unauth_destination",
                cf.recipientRestrictions().toString());
        assertFalse(cf.plaintextAuthAllowed());
        assertEquals(Optional.empty(), cf.tlsFiles());
        assertEquals(List.of(new InetSocketAddress("127.0.0.1", 2587)),
                cf.listeners("submission_listen").orElseThrow().addresses());
        assertEquals(List.of(new InetSocketAddress("127.0.0.1", 2465)),
                cf.listeners("smtps_listen").orElseThrow().addresses());
        for (ListenerConfig listener : List.of(cf.listeners("smtp_listen").orElseThrow(),
                cf.listeners("submission_listen").orElseThrow(), cf.listeners("smtps_listen").orElseThrow())) {
            assertTrue(listener.addresses().stream().allMatch(a -> a.getAddress().isLoopbackAddress()),
                    listener.toString());
        }
    }
}
