/**
 * Stores (Maildir, mbox, in memory), the local delivery agent, the crash-safe queue and remote delivery; the DNS and
 * SMTP client modules are needed only for remote delivery.
 */
module dev.yubin.delivery {
    requires transitive dev.yubin.core;
    requires transitive dev.yubin.auth;
    requires static dev.yubin.dns;
    requires static dev.yubin.smtp;

    exports dev.yubin.delivery.local;
    exports dev.yubin.delivery.maildir;
    exports dev.yubin.delivery.mbox;
    exports dev.yubin.delivery.memory;
    exports dev.yubin.delivery.queue;
    exports dev.yubin.delivery.remote;
}
