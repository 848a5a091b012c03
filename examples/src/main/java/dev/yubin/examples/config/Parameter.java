package dev.yubin.examples.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One parameter {@link MainCf} knows: its name, value type, built-in default (unexpanded, as Postfix's
 * {@code postconf -d} shows it) and lower bound for numbers and times. Immutable.
 */
record Parameter(String name, Kind kind, String defaultValue, long min) {

    /** Value types; each has a parser in {@link Values}. */
    enum Kind {
        STRING, NON_EMPTY_STRING, HOST_NAME, DOMAIN_LIST, INTERFACES, NETWORKS, HOME_MAILBOX, PATH, REQUIRED_PATH,
        NUMBER, TIME, LISTEN, BOOLEAN, RECIPIENT_RESTRICTIONS, SENDER_RESTRICTIONS, TLS_FILE, RELAYHOST, TLS_LEVEL,
        DNS_SERVERS
    }

    /** Marks a default that {@link MainCf} computes (myhostname, mydomain) rather than expands. */
    static final String COMPUTED = "\0computed";

    private static final Map<String, Parameter> KNOWN = new LinkedHashMap<>();

    static {
        add("myhostname", Kind.HOST_NAME, COMPUTED, 0);
        add("mydomain", Kind.HOST_NAME, COMPUTED, 0);
        add("myorigin", Kind.HOST_NAME, "$myhostname", 0);
        add("mydestination", Kind.DOMAIN_LIST, "$myhostname, localhost.$mydomain, localhost", 0);
        add("inet_interfaces", Kind.INTERFACES, "all", 0);
        add("mynetworks", Kind.NETWORKS, "127.0.0.0/8 [::1]/128", 0);
        add("home_mailbox", Kind.HOME_MAILBOX, "Maildir/", 0);
        add("mail_root", Kind.REQUIRED_PATH, "data/mail", 0);
        add("mail_spool_directory", Kind.REQUIRED_PATH, "data/spool", 0);
        add("queue_directory", Kind.REQUIRED_PATH, "data/queue", 0);
        add("maillog_file", Kind.PATH, "", 0);
        add("passwd_file", Kind.PATH, "", 0);
        add("message_size_limit", Kind.NUMBER, "10240000", 0);
        add("smtpd_recipient_limit", Kind.NUMBER, "1000", 1);
        add("smtpd_timeout", Kind.TIME, "300s", 1);
        add("smtpd_hard_error_limit", Kind.NUMBER, "20", 1);
        add("smtpd_client_connection_count_limit", Kind.NUMBER, "50", 0);
        add("smtpd_banner", Kind.NON_EMPTY_STRING, "$myhostname ESMTP $mail_name", 0);
        add("mail_name", Kind.NON_EMPTY_STRING, "Yubin", 0);
        add("line_length_limit", Kind.NUMBER, "2048", 512);
        add("always_add_missing_headers", Kind.BOOLEAN, "no", 0);
        add("smtpd_recipient_restrictions", Kind.RECIPIENT_RESTRICTIONS,
                "permit_mynetworks, permit_sasl_authenticated, reject_unauth_destination", 0);
        add("smtpd_sender_restrictions", Kind.SENDER_RESTRICTIONS, "", 0);
        add("smtpd_sasl_auth_enable", Kind.BOOLEAN, "no", 0);
        add("disable_plaintext_auth", Kind.BOOLEAN, "yes", 0);
        add("smtpd_tls_auth_only", Kind.BOOLEAN, "no", 0);
        add("smtpd_tls_cert_file", Kind.TLS_FILE, "", 0);
        add("smtpd_tls_key_file", Kind.TLS_FILE, "", 0);
        add("smtp_listen", Kind.LISTEN, "127.0.0.1:2525", 0);
        add("submission_listen", Kind.LISTEN, "", 0);
        add("smtps_listen", Kind.LISTEN, "", 0);
        add("pop3_listen", Kind.LISTEN, "", 0);
        add("pop3s_listen", Kind.LISTEN, "", 0);
        add("imap_listen", Kind.LISTEN, "", 0);
        add("imaps_listen", Kind.LISTEN, "", 0);
        // remote delivery
        add("relayhost", Kind.RELAYHOST, "", 0);
        add("defer_transports", Kind.STRING, "", 0);
        add("smtp_sasl_auth_enable", Kind.BOOLEAN, "no", 0);
        add("smtp_sasl_password_maps", Kind.STRING, "", 0);
        add("dns_resolver", Kind.DNS_SERVERS, "", 0);
        add("smtp_helo_name", Kind.HOST_NAME, "$myhostname", 0);
        add("smtp_tls_security_level", Kind.TLS_LEVEL, "may", 0);
        add("smtp_tcp_port", Kind.NUMBER, "25", 1);
        add("smtp_connect_timeout", Kind.TIME, "30s", 1);
        add("minimal_backoff_time", Kind.TIME, "300s", 1);
        add("maximal_backoff_time", Kind.TIME, "4000s", 1);
        add("maximal_queue_lifetime", Kind.TIME, "5d", 0);
        add("bounce_queue_lifetime", Kind.TIME, "5d", 0);
        add("queue_run_delay", Kind.TIME, "300s", 1);
        add("default_destination_concurrency_limit", Kind.NUMBER, "20", 1);
    }

    private static void add(String name, Kind kind, String defaultValue, long min) {
        KNOWN.put(name, new Parameter(name, kind, defaultValue, min));
    }

    static Optional<Parameter> find(String name) {
        return Optional.ofNullable(KNOWN.get(name));
    }

    /** Every known parameter, in the order above. */
    static Iterable<Parameter> all() {
        return KNOWN.values();
    }

    static Set<String> names() {
        return Collections.unmodifiableSet(KNOWN.keySet());
    }

    /** Whether listeners under this name start with TLS (RFC 8314 implicit TLS). */
    boolean implicitTls() {
        return name.equals("smtps_listen") || name.equals("pop3s_listen") || name.equals("imaps_listen");
    }
}
