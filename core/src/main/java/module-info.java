/**
 * Addresses, envelopes, message content, the store/queue/user SPIs and the Netty transport base shared by every
 * Yubin server.
 */
module dev.yubin.core {
    requires transitive org.slf4j;
    // only dev.yubin.core.netty uses Netty; the servers that use that package require Netty themselves
    requires static io.netty.common;
    requires static io.netty.buffer;
    requires static io.netty.transport;
    requires static io.netty.handler;
    requires org.bouncycastle.provider;
    requires org.bouncycastle.pkix;

    exports dev.yubin.core.address;
    exports dev.yubin.core.log;
    exports dev.yubin.core.message;
    exports dev.yubin.core.net;
    exports dev.yubin.core.netty;
    exports dev.yubin.core.store;
    exports dev.yubin.core.text;
    exports dev.yubin.core.tls;
    exports dev.yubin.core.user;
}
