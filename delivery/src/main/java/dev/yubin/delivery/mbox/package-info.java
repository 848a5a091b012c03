/**
 * mbox storage: {@link dev.yubin.delivery.mbox.MboxStore} appends to {@code <spool>/<user>} files (Postfix
 * {@code mail_spool_directory}) in the mboxrd format under dotlock and fcntl locks, and reads them back as POP3
 * maildrops.
 */
package dev.yubin.delivery.mbox;
