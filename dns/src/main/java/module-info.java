/** MX resolution with dnsjava: priorities, implicit MX, null MX, caching. */
module dev.yubin.dns {
    requires transitive dev.yubin.core;
    requires org.dnsjava;

    exports dev.yubin.dns;
}
