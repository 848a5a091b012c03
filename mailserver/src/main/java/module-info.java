/** One builder for a whole mail server: SMTP, submission, POP3 and IMAP over one store and one user table. */
module dev.yubin.mailserver {
    requires transitive dev.yubin.core;
    requires transitive dev.yubin.auth;
    requires transitive dev.yubin.smtp;
    requires transitive dev.yubin.pop3;
    requires transitive dev.yubin.imap;
    requires transitive dev.yubin.delivery;

    exports dev.yubin.mailserver;
}
