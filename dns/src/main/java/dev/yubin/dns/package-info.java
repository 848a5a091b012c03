/**
 * MX resolution for remote delivery (RFC 5321 §5.1, RFC 7505 null MX, RFC 2308 negative caching).
 *
 * <p>{@link dev.yubin.dns.MxResolver} is the SPI that delivery calls; {@link dev.yubin.dns.DnsMxResolver}
 * asks DNS through dnsjava, asynchronously and with a TTL cache; {@link dev.yubin.dns.StaticMxResolver} answers
 * from a table, for tests and closed networks. Every answer is an {@link dev.yubin.dns.MxResult}.
 */
package dev.yubin.dns;
