/** Users and passwords (Dovecot's schemes, passwd files) and SASL mechanisms for SMTP AUTH, POP3 and IMAP. */
module dev.yubin.auth {
    requires transitive dev.yubin.core;
    requires org.bouncycastle.provider;
    requires org.apache.commons.codec;

    exports dev.yubin.auth;
    exports dev.yubin.auth.passwd;
    exports dev.yubin.auth.password;
    exports dev.yubin.auth.sasl;
}
