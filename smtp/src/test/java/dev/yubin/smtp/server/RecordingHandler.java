package dev.yubin.smtp.server;

import dev.yubin.core.address.MailAddress;
import dev.yubin.core.address.ReversePath;
import dev.yubin.core.message.DeliveryException;
import dev.yubin.core.message.Envelope;
import dev.yubin.core.message.MessageContent;
import dev.yubin.core.net.ConnectionInfo;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** An {@link SmtpHandler} that records every call and answers as its fields say (a recording fake, not a mock). */
final class RecordingHandler implements SmtpHandler {
    final List<String> events = new ArrayList<>();
    final List<Envelope> envelopes = new ArrayList<>();
    final List<String> messages = new ArrayList<>();
    final List<MessageContent> contents = new ArrayList<>();
    Function<String, Verdict> heloPolicy = name -> Verdict.accept();
    Function<ReversePath, Verdict> mailPolicy = from -> Verdict.accept();
    Function<MailAddress, Verdict> rcptPolicy = to -> Verdict.accept();
    DeliveryException dataFailure;
    RuntimeException dataBug;
    Verdict dataVerdict = Verdict.accept();
    RuntimeException openFailure;

    @Override
    public Session open(ConnectionInfo connection) {
        events.add("open " + connection.clientLabel());
        if (openFailure != null) {
            throw openFailure;
        }
        return new Session() {
            @Override
            public Verdict helo(String name) {
                events.add("helo " + name);
                return heloPolicy.apply(name);
            }

            @Override
            public Verdict mail(ReversePath from, Map<String, String> parameters) {
                events.add("mail <" + from + ">" + (parameters.isEmpty() ? "" : " " + parameters));
                return mailPolicy.apply(from);
            }

            @Override
            public Verdict rcpt(MailAddress to, Map<String, String> parameters) {
                events.add("rcpt <" + to + ">");
                return rcptPolicy.apply(to);
            }

            @Override
            public Verdict data(Envelope envelope, MessageContent content) throws DeliveryException {
                events.add("data " + envelope.queueId() + " " + content.size());
                envelopes.add(envelope);
                contents.add(content);
                try (InputStream in = content.openStream()) {
                    messages.add(new String(in.readAllBytes(), StandardCharsets.UTF_8));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                if (dataBug != null) {
                    throw dataBug;
                }
                if (dataFailure != null) {
                    throw dataFailure;
                }
                return dataVerdict;
            }

            @Override
            public void connectionChanged(ConnectionInfo connection) {
                events.add("connection tls=" + connection.isTls() + " user="
                        + connection.authenticatedUser().orElse("-"));
            }

            @Override
            public void reset() {
                events.add("reset");
            }

            @Override
            public void close() {
                events.add("close");
            }
        };
    }

    /** The events without the resets, which are frequent and rarely what a test is about. */
    List<String> calls() {
        List<String> out = new ArrayList<>(events);
        out.removeIf("reset"::equals);
        return out;
    }
}
