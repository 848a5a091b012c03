package dev.yubin.delivery.local;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.yubin.core.address.MailAddress;
import dev.yubin.core.address.ReversePath;
import dev.yubin.core.message.Envelope;
import dev.yubin.core.message.QueueId;
import dev.yubin.core.message.Recipient;
import dev.yubin.core.net.ConnectionInfo;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TraceHeadersTest {

    @Test
    void dateIsPostfixMailDateWithSpacePaddedDay() {
        assertEquals("Wed, 25 Nov 2026 06:30:00 +0900 (JST)",
                dev.yubin.core.message.MailDates.format(Instant.parse("2026-11-24T21:30:00Z"), ZoneId.of("Asia/Tokyo")));
        assertEquals("Sat,  1 Aug 2020 09:05:07 +0900 (JST)",
                dev.yubin.core.message.MailDates.format(Instant.parse("2020-08-01T00:05:07Z"), ZoneId.of("Asia/Tokyo")));
        assertEquals("Sat,  1 Aug 2020 00:05:07 +0000 (UTC)",
                dev.yubin.core.message.MailDates.format(Instant.parse("2020-08-01T00:05:07Z"), ZoneId.of("UTC")));
        assertEquals("Sat,  1 Aug 2020 00:05:07 +0000 (UTC)",
                dev.yubin.core.message.MailDates.format(Instant.parse("2020-08-01T00:05:07Z"), ZoneOffset.UTC));
    }

    @Test
    void ipv6ClientUnknownNameAndControlCharactersInHelo() throws Exception {
        ConnectionInfo client = ConnectionInfo.of("s",
                new InetSocketAddress(InetAddress.getByName("2001:db8::1"), 1000),
                new InetSocketAddress(InetAddress.getByName("::1"), 25));
        Envelope envelope = new Envelope(new QueueId("Q1"), ReversePath.NULL,
                List.of(Recipient.of(MailAddress.parse("abe@example1.jp"))), Map.of(), "bad\thelo", "ESMTPS",
                client, Instant.parse("2026-11-24T21:30:00Z"));
        String headers = new String(TraceHeaders.build(envelope, envelope.recipients().get(0), "mx.example1.jp",
                "Yubin", ZoneId.of("Asia/Tokyo")), UTF_8);
        assertEquals("Return-Path: <>\n"
                + "X-Original-To: abe@example1.jp\n"
                + "Delivered-To: abe@example1.jp\n"
                + "Received: from bad?helo (unknown [IPv6:2001:db8::1])\n"
                + "\tby mx.example1.jp (Yubin) with ESMTPS id Q1\n"
                + "\tfor <abe@example1.jp>; Wed, 25 Nov 2026 06:30:00 +0900 (JST)\n", headers);
    }

    @Test
    void emptyHeloFallsBackToTheClientName() throws Exception {
        ConnectionInfo client = ConnectionInfo.of("s", new InetSocketAddress(InetAddress.getByName("192.0.2.9"), 1),
                new InetSocketAddress(InetAddress.getByName("192.0.2.1"), 25));
        Envelope envelope = new Envelope(new QueueId("Q1"), ReversePath.NULL,
                List.of(Recipient.of(MailAddress.parse("abe@example1.jp"))), Map.of(), "", "SMTP",
                client, Instant.parse("2026-11-24T21:30:00Z"));
        String headers = new String(TraceHeaders.build(envelope, envelope.recipients().get(0), "mx", "Yubin",
                ZoneId.of("Asia/Tokyo")), UTF_8);
        assertEquals("Received: from unknown (unknown [192.0.2.9])",
                headers.lines().filter(l -> l.startsWith("Received:")).findFirst().orElseThrow());
    }
}
