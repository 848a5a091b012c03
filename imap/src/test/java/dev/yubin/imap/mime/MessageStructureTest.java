package dev.yubin.imap.mime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.yubin.core.message.MessageContent;
import dev.yubin.imap.protocol.ImapWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class MessageStructureTest {

    private static MessageStructure parse(String message) throws IOException {
        return MessageStructure.parse(MessageContent.ofBytes(message.getBytes(StandardCharsets.UTF_8)));
    }

    private static String envelope(MessageStructure m) {
        ImapWriter w = new ImapWriter();
        m.writeEnvelope(w);
        return w.toString();
    }

    private static String body(MessageStructure m, boolean extensible) {
        ImapWriter w = new ImapWriter();
        m.writeBodyStructure(w, extensible);
        return w.toString();
    }

    private static final String RFC3501_MESSAGE = "Date: Wed, 17 Jul 1996 02:23:25 -0700 (PDT)\r\n"
            + "From: Terry Gray <gray@cac.washington.edu>\r\n"
            + "Subject: IMAP4rev1 WG mtg summary and minutes\r\n"
            + "To: imap@cac.washington.edu\r\n"
            + "cc: minutes@CNRI.Reston.VA.US,\r\n"
            + "    John Klensin <KLENSIN@MIT.EDU>\r\n"
            + "Message-Id: <B27397-0100000@cac.washington.edu>\r\n"
            + "MIME-Version: 1.0\r\n"
            + "Content-Type: TEXT/PLAIN; CHARSET=US-ASCII\r\n"
            + "\r\n"
            + "Hello\r\nworld\r\n";

    @Test
    void envelopeMatchesRfc3501Section7_4_2() throws IOException {
        MessageStructure m = parse(RFC3501_MESSAGE);
        assertEquals("(\"Wed, 17 Jul 1996 02:23:25 -0700 (PDT)\" \"IMAP4rev1 WG mtg summary and minutes\""
                + " ((\"Terry Gray\" NIL \"gray\" \"cac.washington.edu\"))"
                + " ((\"Terry Gray\" NIL \"gray\" \"cac.washington.edu\"))"
                + " ((\"Terry Gray\" NIL \"gray\" \"cac.washington.edu\"))"
                + " ((NIL NIL \"imap\" \"cac.washington.edu\"))"
                + " ((NIL NIL \"minutes\" \"CNRI.Reston.VA.US\")(\"John Klensin\" NIL \"KLENSIN\" \"MIT.EDU\"))"
                + " NIL NIL \"<B27397-0100000@cac.washington.edu>\")", envelope(m));
        assertEquals("(\"TEXT\" \"PLAIN\" (\"CHARSET\" \"US-ASCII\") NIL NIL \"7BIT\" 14 2)", body(m, false));
        assertEquals("(\"TEXT\" \"PLAIN\" (\"CHARSET\" \"US-ASCII\") NIL NIL \"7BIT\" 14 2 NIL NIL NIL NIL)",
                body(m, true));
    }

    @Test
    void bareLfFilesGiveTheSameStructureAsCrlf() throws IOException {
        MessageStructure crlf = parse(RFC3501_MESSAGE);
        MessageStructure lf = parse(RFC3501_MESSAGE.replace("\r\n", "\n"));
        assertEquals(envelope(crlf), envelope(lf));
        assertEquals(body(crlf, true), body(lf, true));
    }

    @Test
    void multipartAlternativeWithEncodedWordsKeptEncoded() throws IOException {
        MessageStructure m = parse("From: a@example.jp\r\n"
                + "To: \"Kato, Taro\" <kato@example1.jp>, abe@example1.jp (Abe Jiro)\r\n"
                + "Subject: =?UTF-8?B?5pel5pys6Kqe?=\r\n"
                + "Content-Type: multipart/alternative; boundary=\"b1\"\r\n"
                + "\r\n"
                + "preamble\r\n"
                + "--b1\r\n"
                + "Content-Type: text/plain; charset=utf-8\r\n"
                + "Content-Transfer-Encoding: 8bit\r\n"
                + "\r\n"
                + "日本語\r\n"
                + "--b1\r\n"
                + "Content-Type: text/html; charset=utf-8\r\n"
                + "Content-Transfer-Encoding: quoted-printable\r\n"
                + "\r\n"
                + "<p>x</p>\r\n"
                + "--b1--\r\n");
        assertEquals("(NIL \"=?UTF-8?B?5pel5pys6Kqe?=\" ((NIL NIL \"a\" \"example.jp\")) ((NIL NIL \"a\""
                + " \"example.jp\")) ((NIL NIL \"a\" \"example.jp\")) ((\"Kato, Taro\" NIL \"kato\" \"example1.jp\")"
                + "(\"Abe Jiro\" NIL \"abe\" \"example1.jp\")) NIL NIL NIL NIL)", envelope(m));
        assertEquals("((\"text\" \"plain\" (\"CHARSET\" \"utf-8\") NIL NIL \"8bit\" 9 1 NIL NIL NIL NIL)"
                + "(\"text\" \"html\" (\"CHARSET\" \"utf-8\") NIL NIL \"quoted-printable\" 8 1 NIL NIL NIL NIL)"
                + " \"alternative\" (\"BOUNDARY\" \"b1\") NIL NIL NIL)", body(m, true));
        assertEquals("((\"text\" \"plain\" (\"CHARSET\" \"utf-8\") NIL NIL \"8bit\" 9 1)"
                + "(\"text\" \"html\" (\"CHARSET\" \"utf-8\") NIL NIL \"quoted-printable\" 8 1) \"alternative\")",
                body(m, false));
    }

    @Test
    void nestedMessageRfc822HasItsOwnEnvelopeAndStructure() throws IOException {
        String inner = "From: inner@z.jp\r\nSubject: inner\r\nTo: undisclosed-recipients:;\r\n\r\ninner body";
        MessageStructure m = parse("From: x@y.jp\r\n"
                + "Subject: fwd\r\n"
                + "Content-Type: multipart/mixed; boundary=outer\r\n"
                + "\r\n"
                + "--outer\r\n"
                + "Content-Type: text/plain\r\n"
                + "\r\n"
                + "see attached\r\n"
                + "--outer\r\n"
                + "Content-Type: message/rfc822\r\n"
                + "Content-Disposition: attachment; filename=\"inner.eml\"\r\n"
                + "Content-Language: en, ja\r\n"
                + "\r\n"
                + inner + "\r\n"
                + "--outer--\r\n");
        assertEquals("((\"text\" \"plain\" NIL NIL NIL \"7BIT\" 12 1 NIL NIL NIL NIL)"
                + "(\"message\" \"rfc822\" NIL NIL NIL \"7BIT\" " + inner.length()
                + " (NIL \"inner\" ((NIL NIL \"inner\" \"z.jp\")) ((NIL NIL \"inner\" \"z.jp\"))"
                + " ((NIL NIL \"inner\" \"z.jp\")) ((NIL NIL \"undisclosed-recipients\" NIL)(NIL NIL NIL NIL))"
                + " NIL NIL NIL NIL)"
                + " (\"TEXT\" \"PLAIN\" (\"CHARSET\" \"US-ASCII\") NIL NIL \"7BIT\" 10 1 NIL NIL NIL NIL) 5"
                + " NIL (\"ATTACHMENT\" (\"FILENAME\" \"inner.eml\")) (\"en\" \"ja\") NIL)"
                + " \"mixed\" (\"BOUNDARY\" \"outer\") NIL NIL NIL)", body(m, true));
    }

    @Test
    void missingHeadersAreNil() throws IOException {
        MessageStructure m = parse("Subject: only\r\n\r\nbody\r\n");
        assertEquals("(NIL \"only\" NIL NIL NIL NIL NIL NIL NIL NIL)", envelope(m));
        MessageStructure empty = parse("\r\n");
        assertEquals("(NIL NIL NIL NIL NIL NIL NIL NIL NIL NIL)", envelope(empty));
        assertEquals("(\"TEXT\" \"PLAIN\" (\"CHARSET\" \"US-ASCII\") NIL NIL \"7BIT\" 0 0)", body(empty, false));
    }

    @Test
    void eightBitHeadersAndBodiesGoAsLiterals() throws IOException {
        MessageStructure m = parse("From: Jürgen <j@example.de>\r\nSubject: café\r\n"
                + "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\nÄÖÜ\r\n");
        assertEquals("(NIL {5}\r\ncafé (({7}\r\nJürgen NIL \"j\" \"example.de\")) (({7}\r\nJürgen NIL \"j\""
                + " \"example.de\")) (({7}\r\nJürgen NIL \"j\" \"example.de\")) NIL NIL NIL NIL NIL)", envelope(m));
        assertEquals("(\"text\" \"plain\" (\"CHARSET\" \"utf-8\") NIL NIL \"8bit\" 8 1)", body(m, false));
    }

    @Test
    void addressListEdgeCases() {
        assertEquals(java.util.List.of(new AddressListParser.Address("Mary Smith", null, "mary", "x.test"),
                new AddressListParser.Address(null, null, "A Group", null),
                new AddressListParser.Address("Ed Jones", null, "c", "a.test"),
                new AddressListParser.Address(null, null, "joe", "where.test"),
                new AddressListParser.Address(null, null, null, null),
                new AddressListParser.Address(null, "@a,@b", "jdoe", "example.org"),
                new AddressListParser.Address(null, null, "root", AddressListParser.MISSING_DOMAIN),
                new AddressListParser.Address("Giant; \"Big\" Box", null, "sysservices", "example.net")),
                AddressListParser.parse("Mary Smith <mary@x.test>, A Group:Ed Jones <c@a.test>,joe@where.test;,"
                        + " <@a,@b:jdoe@example.org>, root, \"Giant; \\\"Big\\\" Box\" <sysservices@example.net>"));
    }
}
