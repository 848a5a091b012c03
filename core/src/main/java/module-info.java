/**
 * Addresses, envelopes, message content, the store/queue/user SPIs and the Netty transport base shared by every
 * Yubin server.
 */
module dev.yubin.core {
    requires transitive org.slf4j;
    requires transitive io.netty.common;
    requires transitive io.netty.buffer;
    requires transitive io.netty.transport;
    requires transitive io.netty.handler;
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
