/**
 * Maildir storage: {@link dev.yubin.delivery.maildir.MaildirStore} delivers into {@code cur/ new/ tmp/} with the
 * spec's tmp → fsync → link → fsync protocol; {@link dev.yubin.delivery.maildir.MaildirName} parses and formats
 * Dovecot-style file names ({@code ,S=}, {@code ,W=}, {@code :2,} flags).
 */
package dev.yubin.delivery.maildir;
