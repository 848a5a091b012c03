/**
 * Local delivery: {@link dev.yubin.delivery.local.LocalDeliveryAgent}, the MDA that adds Postfix's trace headers
 * and hands each recipient's copy to a {@link dev.yubin.core.store.MailStore}.
 */
package dev.yubin.delivery.local;
