/** The POP3 server (RFC 1939, STLS, SASL) over the store SPI: a socket-free session and its Netty shell. */
module dev.yubin.pop3 {
    requires transitive dev.yubin.core;
    requires transitive io.netty.common;
    requires transitive io.netty.buffer;
    requires transitive io.netty.transport;
    requires transitive io.netty.handler;
    requires transitive dev.yubin.auth;
    requires io.netty.codec;

    exports dev.yubin.pop3.netty;
    exports dev.yubin.pop3.protocol;
    exports dev.yubin.pop3.server;
}
