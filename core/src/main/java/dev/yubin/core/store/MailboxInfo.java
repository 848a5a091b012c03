package dev.yubin.core.store;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * One entry of {@link UserMailboxes#list()}. Immutable.
 *
 * @param name the full name, levels joined by the delimiter
 * @param attributes {@code \Noselect}, children and special-use attributes
 * @param subscribed whether the name is subscribed (LIST-EXTENDED's {@code \Subscribed})
 */
public record MailboxInfo(String name, Set<MailboxAttribute> attributes, boolean subscribed) {
    /** Copies the attributes. */
    public MailboxInfo {
        Objects.requireNonNull(name, "name");
        attributes = attributes.isEmpty() ? Set.of() : Collections.unmodifiableSet(EnumSet.copyOf(attributes));
    }

    /** Whether the entry has {@code attribute}. */
    public boolean is(MailboxAttribute attribute) {
        return attributes.contains(attribute);
    }
}
