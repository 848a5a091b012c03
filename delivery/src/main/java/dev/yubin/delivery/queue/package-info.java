/**
 * The mail queue's storage and the sink in front of it: {@link dev.yubin.delivery.queue.QueueStore} (the SPI) and
 * {@link dev.yubin.delivery.queue.FileQueueStore} (a Postfix-like {@code queue_directory} with {@code incoming/},
 * {@code active/}, {@code deferred/}), whose messages carry a {@link dev.yubin.delivery.queue.RecipientStatus} per
 * recipient; {@link dev.yubin.delivery.queue.RoutingSink} splits an envelope between local delivery and the queue.
 */
package dev.yubin.delivery.queue;
