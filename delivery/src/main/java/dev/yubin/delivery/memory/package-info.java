/**
 * Mail kept in memory, for tests and for applications that embed a mail server:
 * {@link dev.yubin.delivery.memory.MemoryStore} serves delivery, POP3 and IMAP as the Maildir store does, and
 * {@link dev.yubin.delivery.memory.MemoryUsers} is a user table for delivery and logins.
 */
package dev.yubin.delivery.memory;
