package dev.yubin.imap.protocol;

import dev.yubin.core.message.MessageContent;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A client command (RFC 3501 §6, RFC 9051 §6, and the extensions Yubin speaks), as {@link ImapParser} returns it
 * together with its tag. Mailbox names are decoded (modified UTF-7, or UTF-8 after {@code ENABLE UTF8=ACCEPT}),
 * and {@code INBOX} in any case becomes {@code INBOX} (RFC 3501 §5.1). The UID variants of FETCH, SEARCH, STORE,
 * COPY and MOVE are the same records with {@code uid} set. {@link Invalid} and {@link Refused} are the parser's
 * verdicts on input it cannot accept. Immutable, except that {@link Append} owns its message content.
 */
public sealed interface ImapCommand {

    /** {@code CAPABILITY}. */
    record Capability() implements ImapCommand {
    }

    /** {@code NOOP}. */
    record Noop() implements ImapCommand {
    }

    /** {@code LOGOUT}. */
    record Logout() implements ImapCommand {
    }

    /** {@code STARTTLS}. */
    record StartTls() implements ImapCommand {
    }

    /**
     * {@code AUTHENTICATE mechanism [initial-response]} (RFC 3501 §6.2.2, SASL-IR RFC 4959).
     *
     * @param mechanism       upper-cased
     * @param initialResponse base64, or {@code =} for an empty response
     */
    record Authenticate(String mechanism, Optional<String> initialResponse) implements ImapCommand {
        /** Checks that nothing is {@code null}. */
        public Authenticate {
            Objects.requireNonNull(mechanism, "mechanism");
            Objects.requireNonNull(initialResponse, "initialResponse");
        }

        @Override
        public String toString() {
            return "Authenticate[mechanism=" + mechanism + ", initialResponse="
                    + (initialResponse.isPresent() ? "<redacted>" : "none") + "]";
        }
    }

    /** {@code LOGIN user password}; {@link #toString()} hides the password. */
    record Login(String user, String password) implements ImapCommand {
        /** Checks that nothing is {@code null}. */
        public Login {
            Objects.requireNonNull(user, "user");
            Objects.requireNonNull(password, "password");
        }

        @Override
        public String toString() {
            return "Login[user=" + user + ", password=<redacted>]";
        }
    }

    /** {@code SELECT mailbox}. */
    record Select(String mailbox) implements ImapCommand {
        /** Checks that nothing is {@code null}. */
        public Select {
            Objects.requireNonNull(mailbox, "mailbox");
        }
    }

    /** {@code EXAMINE mailbox}: SELECT, read-only. */
    record Examine(String mailbox) implements ImapCommand {
        /** Checks that nothing is {@code null}. */
        public Examine {
            Objects.requireNonNull(mailbox, "mailbox");
        }
    }

    /** {@code CREATE mailbox}; a trailing hierarchy delimiter is kept as the client sent it. */
    record Create(String mailbox) implements ImapCommand {
        /** Checks that nothing is {@code null}. */
        public Create {
            Objects.requireNonNull(mailbox, "mailbox");
        }
    }

    /** {@code DELETE mailbox}. */
    record Delete(String mailbox) implements ImapCommand {
        /** Checks that nothing is {@code null}. */
        public Delete {
            Objects.requireNonNull(mailbox, "mailbox");
        }
    }

    /** {@code RENAME from to}. */
    record Rename(String from, String to) implements ImapCommand {
        /** Checks that nothing is {@code null}. */
        public Rename {
            Objects.requireNonNull(from, "from");
            Objects.requireNonNull(to, "to");
        }
    }

    /** {@code SUBSCRIBE mailbox}. */
    record Subscribe(String mailbox) implements ImapCommand {
        /** Checks that nothing is {@code null}. */
        public Subscribe {
            Objects.requireNonNull(mailbox, "mailbox");
        }
    }

    /** {@code UNSUBSCRIBE mailbox}. */
    record Unsubscribe(String mailbox) implements ImapCommand {
        /** Checks that nothing is {@code null}. */
        public Unsubscribe {
            Objects.requireNonNull(mailbox, "mailbox");
        }
    }

    /**
     * {@code LIST}, in the RFC 3501 form ({@code LIST "" "*"}) or the LIST-EXTENDED one (RFC 5258:
     * {@code LIST (SUBSCRIBED) "" ("INBOX" "Sent*") RETURN (CHILDREN STATUS (MESSAGES))}).
     *
     * @param reference  the reference name, decoded
     * @param patterns   one or more patterns with {@code *} and {@code %}, decoded
     * @param selection  selection options, empty for plain LIST
     * @param returns    return options other than STATUS
     * @param status     the LIST-STATUS (RFC 5819) items, empty when not asked for
     * @param extended   whether the client used the extended syntax (selection options, several patterns or
     *                   RETURN), which changes what the server may answer
     */
    record List(String reference, java.util.List<String> patterns, Set<ListSelection> selection,
                Set<ListReturn> returns, java.util.List<StatusItem> status, boolean extended) implements ImapCommand {
        /**
         * Copies the collections.
         *
         * @throws IllegalArgumentException if there is no pattern
         */
        public List {
            Objects.requireNonNull(reference, "reference");
            patterns = java.util.List.copyOf(patterns);
            selection = Set.copyOf(selection);
            returns = Set.copyOf(returns);
            status = java.util.List.copyOf(status);
            if (patterns.isEmpty()) {
                throw new IllegalArgumentException("LIST needs a pattern");
            }
        }
    }

    /** LIST-EXTENDED selection options (RFC 5258 §3.1, RFC 6154 §5.1). */
    enum ListSelection {
        /** {@code SUBSCRIBED}: subscribed names, whether or not they exist. */
        SUBSCRIBED,
        /** {@code REMOTE}: remote mailboxes too (this server has none). */
        REMOTE,
        /** {@code RECURSIVEMATCH}: also parents whose children match the other options. */
        RECURSIVEMATCH,
        /** {@code SPECIAL-USE}: mailboxes with a special-use attribute only. */
        SPECIAL_USE
    }

    /** LIST-EXTENDED return options (RFC 5258 §3.2, RFC 6154, RFC 5819 STATUS is {@link List#status()}). */
    enum ListReturn {
        /** {@code SUBSCRIBED}: mark subscribed names with {@code \Subscribed}. */
        SUBSCRIBED,
        /** {@code CHILDREN}: add {@code \HasChildren} or {@code \HasNoChildren}. */
        CHILDREN,
        /** {@code SPECIAL-USE}: add the special-use attributes. */
        SPECIAL_USE
    }

    /** {@code LSUB reference pattern}. */
    record Lsub(String reference, String pattern) implements ImapCommand {
        /** Checks that nothing is {@code null}. */
        public Lsub {
            Objects.requireNonNull(reference, "reference");
            Objects.requireNonNull(pattern, "pattern");
        }
    }

    /** {@code STATUS mailbox (items)}. */
    record Status(String mailbox, java.util.List<StatusItem> items) implements ImapCommand {
        /**
         * Copies the items.
         *
         * @throws IllegalArgumentException if there are none
         */
        public Status {
            Objects.requireNonNull(mailbox, "mailbox");
            items = java.util.List.copyOf(items);
            if (items.isEmpty()) {
                throw new IllegalArgumentException("STATUS needs an item");
            }
        }
    }

    /**
     * {@code APPEND mailbox [(flags)] [date-time] literal}. The message went through the caller's
     * {@link LiteralSink}; whoever handles the command owns {@code message} and must close it.
     */
    record Append(String mailbox, java.util.List<String> flags, Optional<OffsetDateTime> internalDate,
                  MessageContent message) implements ImapCommand {
        /** Copies the flags; the message is kept, not copied. */
        public Append {
            Objects.requireNonNull(mailbox, "mailbox");
            flags = java.util.List.copyOf(flags);
            Objects.requireNonNull(internalDate, "internalDate");
            Objects.requireNonNull(message, "message");
        }
    }

    /** {@code CHECK}. */
    record Check() implements ImapCommand {
    }

    /** {@code CLOSE}. */
    record Close() implements ImapCommand {
    }

    /** {@code UNSELECT} (RFC 3691). */
    record Unselect() implements ImapCommand {
    }

    /** {@code EXPUNGE}. */
    record Expunge() implements ImapCommand {
    }

    /** {@code UID EXPUNGE uid-set} (UIDPLUS, RFC 4315 §2.1). */
    record UidExpunge(SequenceSet uids) implements ImapCommand {
        /** Checks that nothing is {@code null}. */
        public UidExpunge {
            Objects.requireNonNull(uids, "uids");
        }
    }

    /**
     * {@code [UID] SEARCH [CHARSET name] keys}.
     *
     * @param charset upper-cased, when given; strings were decoded as UTF-8 (US-ASCII is a subset)
     * @param key     the keys, an {@link SearchKey.And} when there were several
     */
    record Search(Optional<String> charset, SearchKey key, boolean uid) implements ImapCommand {
        /** Checks that nothing is {@code null}. */
        public Search {
            Objects.requireNonNull(charset, "charset");
            Objects.requireNonNull(key, "key");
        }
    }

    /** {@code [UID] FETCH set items}; the macros are expanded, and {@code uid} FETCH implies the UID item. */
    record Fetch(SequenceSet set, java.util.List<FetchItem> items, boolean uid) implements ImapCommand {
        /** Copies the items. */
        public Fetch {
            Objects.requireNonNull(set, "set");
            items = java.util.List.copyOf(items);
        }
    }

    /** {@code [UID] STORE set action}. */
    record Store(SequenceSet set, StoreAction action, boolean uid) implements ImapCommand {
        /** Checks that nothing is {@code null}. */
        public Store {
            Objects.requireNonNull(set, "set");
            Objects.requireNonNull(action, "action");
        }
    }

    /** {@code [UID] COPY set mailbox}. */
    record Copy(SequenceSet set, String mailbox, boolean uid) implements ImapCommand {
        /** Checks that nothing is {@code null}. */
        public Copy {
            Objects.requireNonNull(set, "set");
            Objects.requireNonNull(mailbox, "mailbox");
        }
    }

    /** {@code [UID] MOVE set mailbox} (RFC 6851). */
    record Move(SequenceSet set, String mailbox, boolean uid) implements ImapCommand {
        /** Checks that nothing is {@code null}. */
        public Move {
            Objects.requireNonNull(set, "set");
            Objects.requireNonNull(mailbox, "mailbox");
        }
    }

    /** {@code IDLE} (RFC 2177). */
    record Idle() implements ImapCommand {
    }

    /** The untagged {@code DONE} line that ends IDLE; its tag is empty. */
    record Done() implements ImapCommand {
    }

    /** {@code NAMESPACE} (RFC 2342). */
    record Namespace() implements ImapCommand {
    }

    /**
     * {@code ID (field value ...)} or {@code ID NIL} (RFC 2971). Fields whose value is NIL are left out; an
     * {@code ID NIL} has no fields.
     */
    record Id(Map<String, String> fields) implements ImapCommand {
        /** Copies the fields. */
        public Id {
            fields = Map.copyOf(fields);
        }
    }

    /** {@code ENABLE capability...} (RFC 5161); names upper-cased. */
    record Enable(java.util.List<String> capabilities) implements ImapCommand {
        /** Copies the names. */
        public Enable {
            capabilities = java.util.List.copyOf(capabilities);
        }
    }

    /** A command name the parser does not know; answered {@code BAD}. */
    record Unknown(String name) implements ImapCommand {
        /** Checks that nothing is {@code null}. */
        public Unknown {
            Objects.requireNonNull(name, "name");
        }
    }

    /** A line that breaks the grammar or a limit; answered {@code BAD reason}. */
    record Invalid(String reason) implements ImapCommand {
        /** Checks that nothing is {@code null}. */
        public Invalid {
            Objects.requireNonNull(reason, "reason");
        }
    }

    /**
     * A command the parser turned away for a reason other than syntax, answered {@code NO [code] text}: an APPEND
     * message over the limit ({@code TOOBIG}), or a sink that failed ({@code UNAVAILABLE}).
     */
    record Refused(ResponseCode code, String text) implements ImapCommand {
        /** Checks that nothing is {@code null}. */
        public Refused {
            Objects.requireNonNull(code, "code");
            Objects.requireNonNull(text, "text");
        }
    }
}
