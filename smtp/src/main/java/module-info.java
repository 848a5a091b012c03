/** The ESMTP server and client: codec, socket-free session state machines, relay policy, Netty shells. */
module dev.yubin.smtp {
    requires transitive dev.yubin.core;
    requires transitive io.netty.common;
    requires transitive io.netty.buffer;
    requires transitive io.netty.transport;
    requires transitive io.netty.handler;
    requires transitive dev.yubin.auth;
    requires io.netty.codec;

    exports dev.yubin.smtp.client;
    exports dev.yubin.smtp.netty;
    exports dev.yubin.smtp.policy;
    exports dev.yubin.smtp.protocol;
    exports dev.yubin.smtp.server;
}
