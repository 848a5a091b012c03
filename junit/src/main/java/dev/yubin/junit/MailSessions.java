package dev.yubin.junit;

import dev.yubin.mailserver.Credentials;
import dev.yubin.mailserver.MailServer;
import dev.yubin.mailserver.MailServer.Service;
import jakarta.mail.Authenticator;
import jakarta.mail.PasswordAuthentication;
import jakarta.mail.Session;
import java.util.Properties;

/**
 * Jakarta Mail sessions set up for a running {@link MailServer}: {@code Transport.send} goes to its submission
 * listener (or SMTP when it has none) with AUTH as the user, {@code session.getStore()} opens its IMAP (or POP3)
 * listener as the user. When the server takes no passwords before TLS, every protocol starts TLS first and trusts
 * the server's certificate. Needs Jakarta Mail (Angus) on the class path; nothing else here does. Stateless and
 * thread-safe; each call makes a new {@code Session}.
 */
public final class MailSessions {
    private static final String TIMEOUT_MILLIS = "10000";

    private MailSessions() {
    }

    /** A session that logs in as {@code user}. */
    public static Session forUser(MailServer server, Credentials user) {
        Properties p = properties(server, true);
        p.put("mail.user", user.login());
        p.put("mail.from", user.address());
        return Session.getInstance(p, new Authenticator() {
            @Override
            protected PasswordAuthentication getPasswordAuthentication() {
                return new PasswordAuthentication(user.login(), user.password());
            }
        });
    }

    /** A session without a user: it sends over SMTP without AUTH, to the server's local domains only. */
    public static Session anonymous(MailServer server) {
        return Session.getInstance(properties(server, false));
    }

    private static Properties properties(MailServer server, boolean login) {
        Properties p = new Properties();
        Service smtp = login && server.services().contains(Service.SUBMISSION) ? Service.SUBMISSION : Service.SMTP;
        if (server.services().contains(smtp)) {
            put(p, "smtp", server, smtp, !server.smtpPlaintextAuth());
            p.put("mail.smtp.auth", String.valueOf(login));
            p.put("mail.transport.protocol", "smtp");
        }
        boolean imap = server.services().contains(Service.IMAP);
        if (imap) {
            put(p, "imap", server, Service.IMAP, !server.plaintextAuth());
        }
        if (server.services().contains(Service.POP3)) {
            put(p, "pop3", server, Service.POP3, !server.plaintextAuth());
        }
        if (imap || server.services().contains(Service.POP3)) {
            p.put("mail.store.protocol", imap ? "imap" : "pop3");
        }
        return p;
    }

    private static void put(Properties p, String protocol, MailServer server, Service service, boolean startTls) {
        String prefix = "mail." + protocol + ".";
        p.put(prefix + "host", "127.0.0.1");
        p.put(prefix + "port", String.valueOf(server.port(service)));
        p.put(prefix + "connectiontimeout", TIMEOUT_MILLIS);
        p.put(prefix + "timeout", TIMEOUT_MILLIS);
        if (startTls) {
            p.put(prefix + "starttls.enable", "true");
            p.put(prefix + "starttls.required", "true");
            // the server's self-signed certificate names its host name, not 127.0.0.1: trusted on loopback
            p.put(prefix + "ssl.trust", "*");
            p.put(prefix + "ssl.checkserveridentity", "false");
        }
    }
}
