package dev.yubin.examples.config;

import dev.yubin.core.address.Domain;
import dev.yubin.core.net.CidrBlock;
import dev.yubin.core.net.ListenerConfig;
import dev.yubin.core.net.NetworkList;
import dev.yubin.core.text.Suggestions;
import dev.yubin.delivery.remote.Relayhost;
import dev.yubin.smtp.client.ClientSettings;
import dev.yubin.smtp.policy.RecipientRestriction;
import dev.yubin.smtp.policy.RecipientRestrictions;
import dev.yubin.smtp.policy.SenderRestriction;
import dev.yubin.smtp.policy.SenderRestrictions;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.function.Supplier;

/**
 * A Postfix {@code main.cf}-style configuration file, read the way Postfix reads it.
 *
 * <h2>Syntax</h2>
 * <ul>
 *   <li>{@code name = value}; whitespace around {@code =} and at the end of the value is dropped.</li>
 *   <li>A line whose first non-whitespace character is {@code #} is a comment, and blank lines are ignored; there
 *       are no comments at the end of a line ({@code a = b # c} has the value {@code b # c}), as in Postfix.</li>
 *   <li>A line that starts with whitespace continues the previous logical line (comment and blank lines in between
 *       are skipped). Problems are reported at the logical line's first line.</li>
 *   <li>{@code $name}, {@code ${name}} and {@code $(name)} expand to another parameter's value, recursively and
 *       lazily at lookup, as in Postfix; {@code ${name?text}} gives {@code text} when {@code name} is non-empty,
 *       {@code ${name:text}} when it is empty or undefined; {@code $$} is a literal {@code $}. An undefined
 *       parameter and a circular reference are errors.</li>
 *   <li>Lists split on commas and/or whitespace. A later entry overrides an earlier one (with a warning).</li>
 *   <li>Unknown names are errors (stricter than {@code postfix check}), except a user-defined name that another
 *       value references with {@code $name}, which Postfix also accepts.</li>
 * </ul>
 *
 * <h2>Parameters</h2>
 * <table>
 *   <caption>Known parameters and their built-in defaults</caption>
 *   <tr><th>name</th><th>default</th><th>notes</th></tr>
 *   <tr><td>{@code myhostname}</td><td>the machine's canonical name</td><td>a name without a dot gets
 *       {@code .$mydomain} when mydomain is set, else {@code .localdomain} (Postfix)</td></tr>
 *   <tr><td>{@code mydomain}</td><td>myhostname minus its first label</td><td>{@code localdomain} when myhostname
 *       has fewer than two dots (Postfix)</td></tr>
 *   <tr><td>{@code myorigin}</td><td>{@code $myhostname}</td><td></td></tr>
 *   <tr><td>{@code mydestination}</td><td>{@code $myhostname, localhost.$mydomain, localhost}</td><td>domain
 *       names only; {@code /file} and {@code type:table} not yet</td></tr>
 *   <tr><td>{@code inet_interfaces}</td><td>{@code all}</td><td>{@code all}, {@code loopback-only} or addresses
 *       and host names; used by listener items that give only a port</td></tr>
 *   <tr><td>{@code mynetworks}</td><td>{@code 127.0.0.0/8 [::1]/128}</td><td>addresses and CIDRs, IPv6 in
 *       brackets, no host bits beyond the prefix</td></tr>
 *   <tr><td>{@code home_mailbox}</td><td>{@code Maildir/}</td><td>Yubin's default (Postfix's is empty, the mbox
 *       spool); only Maildir (trailing {@code /}) is supported yet</td></tr>
 *   <tr><td>{@code mail_root}</td><td>{@code data/mail}</td><td>Yubin: Maildirs of users without a home</td></tr>
 *   <tr><td>{@code queue_directory}</td><td>{@code data/queue}</td><td></td></tr>
 *   <tr><td>{@code maillog_file}</td><td>(empty)</td><td>empty: the logging backend's default output</td></tr>
 *   <tr><td>{@code passwd_file}</td><td>(empty)</td><td>Dovecot passwd-file; empty: no users</td></tr>
 *   <tr><td>{@code message_size_limit}</td><td>10240000</td><td>bytes, 0 = no limit</td></tr>
 *   <tr><td>{@code smtpd_recipient_limit}</td><td>1000</td><td>at least 1</td></tr>
 *   <tr><td>{@code smtpd_timeout}</td><td>300s</td><td>units s, m, h, d, w; a bare number is seconds</td></tr>
 *   <tr><td>{@code smtpd_hard_error_limit}</td><td>20</td><td>at least 1</td></tr>
 *   <tr><td>{@code smtpd_client_connection_count_limit}</td><td>50</td><td>0 = no limit</td></tr>
 *   <tr><td>{@code smtpd_banner}</td><td>{@code $myhostname ESMTP $mail_name}</td><td></td></tr>
 *   <tr><td>{@code mail_name}</td><td>{@code Yubin}</td><td></td></tr>
 *   <tr><td>{@code line_length_limit}</td><td>2048</td><td>at least 512 (Postfix); the longest message text
 *       line, with its CRLF</td></tr>
 *   <tr><td>{@code always_add_missing_headers}</td><td>{@code no}</td><td>{@code yes}: add a missing Message-Id,
 *       Date and From for every client; {@code no}: only for clients on the server's own addresses (Postfix's
 *       default {@code local_header_rewrite_clients})</td></tr>
 *   <tr><td>{@code smtpd_recipient_restrictions}</td><td>{@code permit_mynetworks, permit_sasl_authenticated,
 *       reject_unauth_destination}</td><td>Postfix names (see {@link RecipientRestriction}); a misspelled one is an
 *       error with the closest name; must contain {@code reject_unauth_destination},
 *       {@code defer_unauth_destination} or {@code reject} (no open relay)</td></tr>
 *   <tr><td>{@code smtpd_sender_restrictions}</td><td>(empty)</td><td>{@code reject_sender_login_mismatch}
 *       and the others of {@link SenderRestriction}</td></tr>
 *   <tr><td>{@code smtpd_sasl_auth_enable}</td><td>{@code no}</td><td>offer SMTP AUTH to the passwd_file
 *       users</td></tr>
 *   <tr><td>{@code disable_plaintext_auth}</td><td>{@code yes}</td><td>Dovecot's name: no AUTH before TLS</td></tr>
 *   <tr><td>{@code smtpd_tls_auth_only}</td><td>{@code no}</td><td>Postfix's name for the same; either one
 *       forbids AUTH before TLS ({@link #plaintextAuthAllowed()})</td></tr>
 *   <tr><td>{@code smtpd_tls_cert_file}, {@code smtpd_tls_key_file}</td><td>(empty)</td><td>PEM files, both
 *       or neither; neither: a self-signed certificate made at start</td></tr>
 *   <tr><td>{@code smtp_listen}</td><td>{@code 127.0.0.1:2525}</td><td rowspan="2">lists of {@code host:port}
 *       ({@code [::1]:25}, {@code *:25}); a bare port binds on every {@code inet_interfaces} address; empty =
 *       off. {@code smtps_listen}, {@code pop3s_listen} and {@code imaps_listen} are implicit TLS</td></tr>
 *   <tr><td>{@code submission_listen}, {@code smtps_listen}, {@code pop3_listen}, {@code pop3s_listen},
 *       {@code imap_listen}, {@code imaps_listen}</td><td>(empty)</td></tr>
 *   <tr><td>{@code relayhost}</td><td>(empty)</td><td>Postfix syntax: {@code [host]:port} without MX lookup,
 *       {@code domain} with; empty: by MX</td></tr>
 *   <tr><td>{@code defer_transports}</td><td>(empty)</td><td>{@code smtp}: remote mail waits in the queue
 *       ({@code status=deferred (deferred transport)}) and no remote delivery runs</td></tr>
 *   <tr><td>{@code smtp_sasl_auth_enable}, {@code smtp_sasl_password_maps}</td><td>{@code no}, (empty)</td>
 *       <td>AUTH at the relayhost, only after TLS: the map is a text file ({@code texthash:} or {@code hash:}
 *       prefix optional; a {@code hash:} map's text source is read) of {@code [host]:port user:password}
 *       lines</td></tr>
 *   <tr><td>{@code dns_resolver}</td><td>(empty)</td><td>Yubin: DNS servers as {@code ip} or {@code ip:port}
 *       ({@code [::1]:53}), like {@code dig @server}; empty: the system's resolvers</td></tr>
 *   <tr><td>{@code smtp_helo_name}</td><td>{@code $myhostname}</td><td></td></tr>
 *   <tr><td>{@code smtp_tls_security_level}</td><td>{@code may}</td><td>{@code none}, {@code may} or
 *       {@code encrypt} (the certificate is not verified)</td></tr>
 *   <tr><td>{@code smtp_tcp_port}</td><td>25</td><td>Yubin: the port of MX hosts (tests, closed networks)</td></tr>
 *   <tr><td>{@code smtp_connect_timeout}</td><td>30s</td><td></td></tr>
 *   <tr><td>{@code minimal_backoff_time}, {@code maximal_backoff_time}</td><td>300s, 4000s</td><td></td></tr>
 *   <tr><td>{@code maximal_queue_lifetime}, {@code bounce_queue_lifetime}</td><td>5d, 5d</td><td>0: one
 *       attempt</td></tr>
 *   <tr><td>{@code queue_run_delay}</td><td>300s</td><td>how often deferred mail is looked at</td></tr>
 *   <tr><td>{@code default_destination_concurrency_limit}</td><td>20</td><td>SMTP sessions per domain</td></tr>
 * </table>
 *
 * <p>Relative paths ({@code mail_root}, {@code queue_directory}, {@code passwd_file}, {@code maillog_file}, the TLS
 * files) resolve
 * against the directory of the configuration file, not the working directory; see {@link #path(String)}.
 *
 * <p>Use {@link #check()} to get every problem at once, with its line number and reason, as {@code postfix check}
 * does; the typed getters throw {@link ConfigException} on the first problem with the value they need.
 *
 * <p>Immutable and thread-safe. Getters expand on every call; a server reads them once at startup.
 */
public final class MainCf {

    private static final Duration ONE_SECOND = Duration.ofSeconds(1);
    private static final String TLS_CERT_FILE = "smtpd_tls_cert_file";
    private static final String TLS_KEY_FILE = "smtpd_tls_key_file";

    private final String fileName;
    private final Path baseDirectory;
    private final String localHostName;
    private final Map<String, Entry> entries;
    private final List<ConfigProblem> syntaxProblems;

    /** One {@code name = value} line as written. */
    private record Entry(String name, String value, int line) {
    }

    private MainCf(String fileName, Path baseDirectory, String localHostName, Map<String, Entry> entries,
            List<ConfigProblem> syntaxProblems) {
        this.fileName = fileName;
        this.baseDirectory = baseDirectory;
        this.localHostName = localHostName;
        this.entries = Collections.unmodifiableMap(entries);
        this.syntaxProblems = List.copyOf(syntaxProblems);
    }

    /**
     * Reads {@code file} (UTF-8). Relative paths in it resolve against the file's directory; problems name the
     * file as given. Syntax problems do not throw: see {@link #check()}.
     */
    public static MainCf read(Path file) throws IOException {
        String text = Files.readString(file, StandardCharsets.UTF_8);
        Path parent = file.toAbsolutePath().normalize().getParent();
        return parse(text, file.toString(), parent == null ? Path.of("").toAbsolutePath() : parent);
    }

    /**
     * Parses {@code text}; {@code fileName} is used in problem messages and relative paths resolve against
     * {@code baseDirectory}. {@code myhostname} defaults to this machine's canonical host name.
     */
    public static MainCf parse(String text, String fileName, Path baseDirectory) {
        return parse(text, fileName, baseDirectory, LocalHost.NAME);
    }

    /** As {@link #parse(String, String, Path)}, with {@code localHostName} standing for the machine's name. */
    public static MainCf parse(String text, String fileName, Path baseDirectory, String localHostName) {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(fileName, "fileName");
        Objects.requireNonNull(localHostName, "localHostName");
        Path base = baseDirectory.toAbsolutePath().normalize();
        Map<String, Entry> entries = new LinkedHashMap<>();
        List<ConfigProblem> problems = new ArrayList<>();
        String[] lines = text.split("\r?\n", -1);
        StringBuilder logical = null;
        int logicalLine = 0;
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            String stripped = line.strip();
            if (stripped.isEmpty() || stripped.startsWith("#")) {
                continue;
            }
            if (Character.isWhitespace(line.charAt(0))) {
                if (logical == null) {
                    problems.add(ConfigProblem.error(fileName, i + 1,
                            "logical line must not start with whitespace: \"" + abbreviate(stripped) + "\""));
                } else {
                    logical.append(' ').append(stripped);
                }
                continue;
            }
            if (logical != null) {
                addEntry(fileName, logicalLine, logical.toString(), entries, problems);
            }
            logical = new StringBuilder(line.stripTrailing());
            logicalLine = i + 1;
        }
        if (logical != null) {
            addEntry(fileName, logicalLine, logical.toString(), entries, problems);
        }
        return new MainCf(fileName, base, localHostName, entries, problems);
    }

    private static void addEntry(String fileName, int line, String text, Map<String, Entry> entries,
            List<ConfigProblem> problems) {
        int end = 0;
        while (end < text.length() && text.charAt(end) != '=' && !Character.isWhitespace(text.charAt(end))) {
            end++;
        }
        String name = text.substring(0, end);
        String rest = text.substring(end).stripLeading();
        if (name.isEmpty()) {
            problems.add(ConfigProblem.error(fileName, line, "missing parameter name before \"=\""));
            return;
        }
        if (!rest.startsWith("=")) {
            problems.add(ConfigProblem.error(fileName, line, "missing \"=\" after parameter name \"" + name + "\""));
            return;
        }
        if (!Expression.isName(name)) {
            problems.add(ConfigProblem.error(fileName, line, "bad parameter name \"" + abbreviate(name)
                    + "\" (letters, digits and \"_\" only)"));
            return;
        }
        String value = rest.substring(1).strip();
        Entry earlier = entries.remove(name);
        if (earlier != null) {
            problems.add(ConfigProblem.warning(fileName, line, "overriding earlier entry at line " + earlier.line()
                    + ": " + name + " = " + abbreviate(earlier.value())));
        }
        entries.put(name, new Entry(name, value, line));
    }

    /** The file name used in messages. */
    public String fileName() {
        return fileName;
    }

    /** The directory that relative paths resolve against (absolute). */
    public Path baseDirectory() {
        return baseDirectory;
    }

    /** The names of the known parameters, in documentation order. */
    public static Set<String> knownParameters() {
        return Parameter.names();
    }

    /** The names set in the file, in file order (Postfix {@code postconf -n}). */
    public Set<String> explicitNames() {
        return Collections.unmodifiableSet(new LinkedHashSet<>(entries.keySet()));
    }

    /** Whether {@code name} is set in the file rather than taken from its default. */
    public boolean isExplicit(String name) {
        return entries.containsKey(name);
    }

    /** The line where {@code name} is set, if it is. */
    public OptionalInt lineOf(String name) {
        Entry entry = entries.get(name);
        return entry == null ? OptionalInt.empty() : OptionalInt.of(entry.line());
    }

    /** The value as written (explicit) or the built-in default, before {@code $} expansion. */
    public String rawValue(String name) {
        Entry entry = entries.get(name);
        if (entry != null) {
            return entry.value();
        }
        Parameter parameter = requireKnown(name);
        if (!parameter.defaultValue().equals(Parameter.COMPUTED)) {
            return parameter.defaultValue();
        }
        return expectValid(() -> computedDefault(name, new Expansion()), name);
    }

    /**
     * Every problem: syntax, unknown names, undefined and circular references, bad values; sorted by line. An
     * error caused by another parameter's bad value is reported once, at that parameter. Empty when the file is
     * good.
     */
    public List<ConfigProblem> check() {
        List<ConfigProblem> problems = new ArrayList<>(syntaxProblems);
        Set<String> referenced = referencedNames();
        for (Entry entry : entries.values()) {
            if (Parameter.find(entry.name()).isEmpty() && !referenced.contains(entry.name())) {
                problems.add(ConfigProblem.error(fileName, entry.line(), unknownMessage(entry.name())));
            }
        }
        Map<String, Failure> failures = new HashMap<>();
        Map<String, Set<String>> touched = new HashMap<>();
        List<String> names = new ArrayList<>(entries.keySet());
        for (Parameter parameter : Parameter.all()) {
            if (!entries.containsKey(parameter.name())) {
                names.add(parameter.name());
            }
        }
        for (String name : names) {
            Expansion expansion = new Expansion();
            try {
                validate(name, expansion);
            } catch (Failure f) {
                failures.put(name, f);
            }
            touched.put(name, expansion.touched);
        }
        for (String name : names) {
            Failure failure = failures.get(name);
            if (failure == null) {
                continue;
            }
            boolean causedElsewhere = touched.get(name).stream()
                    .anyMatch(other -> !other.equals(name) && failures.containsKey(other));
            Entry entry = entries.get(name);
            // A cycle is reported at each explicit line on it; defaults caught in it add nothing.
            if (causedElsewhere && !(entry != null && failure.cycle.contains(name))) {
                continue;
            }
            if (entry != null) {
                problems.add(ConfigProblem.error(fileName, entry.line(), failure.getMessage()));
            } else {
                int line = touched.get(name).stream().filter(entries::containsKey)
                        .mapToInt(n -> entries.get(n).line()).min().orElse(0);
                problems.add(ConfigProblem.error(fileName, line, failure.getMessage() + " (in the default "
                        + name + " = " + rawDefault(name) + ")"));
            }
        }
        problems.sort(ConfigProblem.ORDER);
        return List.copyOf(problems);
    }

    /** Throws {@link ConfigException} listing every error of {@link #check()}; warnings do not count. */
    public void requireValid() {
        List<ConfigProblem> errors = check().stream().filter(ConfigProblem::isError).toList();
        if (!errors.isEmpty()) {
            throw new ConfigException(errors);
        }
    }

    /** The expanded value of a known or explicitly set parameter. */
    public String string(String name) {
        return expectValid(() -> expand(name, new Expansion()), name);
    }

    /** The expanded value split on commas and/or whitespace; empty items are dropped. */
    public List<String> list(String name) {
        return List.copyOf(Values.split(string(name)));
    }

    /** The expanded value as a number (digits only), at least the parameter's minimum. */
    public long integer(String name) {
        long min = Parameter.find(name).map(Parameter::min).orElse(0L);
        String value = string(name);
        return expectValid(() -> checked(name, () -> Values.number(value, min), value), name);
    }

    /** The expanded value as a Postfix boolean ({@code yes} or {@code no}). */
    public boolean bool(String name) {
        String value = string(name);
        return expectValid(() -> checked(name, () -> Values.bool(value), value), name);
    }

    /** The expanded value as a Postfix time ({@code 300s}, {@code 5m}, {@code 1h}, {@code 1d}, {@code 1w}). */
    public Duration duration(String name) {
        String value = string(name);
        return expectValid(() -> checked(name, () -> Values.duration(value, 's', ONE_SECOND), value), name);
    }

    /** The expanded value as a list of domains (for {@code mydestination}). */
    public List<Domain> domains(String name) {
        return expectValid(() -> {
            List<Domain> result = new ArrayList<>();
            for (String item : list(name)) {
                result.add(checked(name, () -> Values.destination(item), item));
            }
            return List.copyOf(result);
        }, name);
    }

    /** The expanded value as a list of networks (for {@code mynetworks}). */
    public NetworkList networks(String name) {
        String value = string(name);
        return expectValid(() -> networkList(name, value), name);
    }

    /**
     * The expanded value as a path; a relative one resolves against the configuration file's directory
     * ({@link #baseDirectory()}), not the working directory. Empty when the value is empty.
     */
    public Optional<Path> path(String name) {
        return expectValid(() -> resolvePath(name, string(name)), name);
    }

    /** {@code smtpd_recipient_restrictions}: who may send to which recipient. */
    public RecipientRestrictions recipientRestrictions() {
        String name = "smtpd_recipient_restrictions";
        String value = string(name);
        return expectValid(() -> recipientRestrictions(name, value), name);
    }

    /** {@code smtpd_sender_restrictions}: who may use which MAIL FROM ({@code reject_sender_login_mismatch}). */
    public SenderRestrictions senderRestrictions() {
        String name = "smtpd_sender_restrictions";
        String value = string(name);
        return expectValid(() -> senderRestrictions(name, value), name);
    }

    /**
     * Whether AUTH may be offered without TLS: only when both Dovecot's {@code disable_plaintext_auth} and
     * Postfix's {@code smtpd_tls_auth_only} say so (their defaults, {@code yes} and {@code no}, forbid it).
     */
    public boolean plaintextAuthAllowed() {
        return !bool("disable_plaintext_auth") && !bool("smtpd_tls_auth_only");
    }

    /**
     * The PEM files of {@code smtpd_tls_cert_file} (certificate chain) and {@code smtpd_tls_key_file} (private
     * key), resolved like {@link #path(String)}; empty when neither is set, and the server then makes a
     * self-signed certificate. Setting only one is an error.
     */
    public Optional<TlsFiles> tlsFiles() {
        for (String name : List.of(TLS_CERT_FILE, TLS_KEY_FILE)) {
            expectValid(() -> {
                validate(name, new Expansion());
                return name;
            }, name);
        }
        Optional<Path> certificate = path(TLS_CERT_FILE);
        Optional<Path> key = path(TLS_KEY_FILE);
        if (certificate.isEmpty() && key.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new TlsFiles(certificate.orElseThrow(), key.orElseThrow()));
    }

    /**
     * The TLS certificate chain and private key files of {@link #tlsFiles()}.
     *
     * @param certificateChain {@code smtpd_tls_cert_file}
     * @param privateKey {@code smtpd_tls_key_file}
     */
    public record TlsFiles(Path certificateChain, Path privateKey) {
        public TlsFiles {
            Objects.requireNonNull(certificateChain, "certificateChain");
            Objects.requireNonNull(privateKey, "privateKey");
        }
    }

    /**
     * The listener of a {@code *_listen} parameter, or empty when the value is empty (the server is off).
     * Host names are resolved now, so this may block briefly.
     */
    public Optional<ListenerConfig> listeners(String name) {
        return expectValid(() -> listenerConfig(name, new Expansion()), name);
    }

    // ---------------------------------------------------------------------------------------------- validation

    private void validate(String name, Expansion expansion) throws Failure {
        String value = expand(name, expansion);
        Parameter parameter = Parameter.find(name).orElse(null);
        if (parameter == null) {
            return;
        }
        switch (parameter.kind()) {
            case STRING:
                break;
            case NON_EMPTY_STRING:
                if (value.isEmpty()) {
                    throw new Failure(name + " must not be empty");
                }
                break;
            case HOST_NAME:
                checked(name, () -> Values.hostName(value), value);
                break;
            case DOMAIN_LIST:
                for (String item : Values.split(value)) {
                    checked(name, () -> Values.destination(item), item);
                }
                break;
            case INTERFACES:
                interfaces(value, name);
                break;
            case NETWORKS:
                networkList(name, value);
                break;
            case HOME_MAILBOX:
                checked(name, () -> {
                    Values.homeMailbox(value);
                    return value;
                }, value);
                break;
            case PATH:
            case REQUIRED_PATH:
                if (value.isEmpty() && parameter.kind() == Parameter.Kind.REQUIRED_PATH) {
                    throw new Failure(name + " must not be empty");
                }
                resolvePath(name, value);
                break;
            case NUMBER:
                checked(name, () -> Values.number(value, parameter.min()), value);
                break;
            case TIME:
                checked(name, () -> Values.duration(value, 's', Duration.ofSeconds(parameter.min())), value);
                break;
            case LISTEN:
                listenerConfig(name, expansion);
                break;
            case BOOLEAN:
                checked(name, () -> Values.bool(value), value);
                break;
            case RECIPIENT_RESTRICTIONS:
                recipientRestrictions(name, value);
                break;
            case SENDER_RESTRICTIONS:
                senderRestrictions(name, value);
                break;
            case TLS_FILE:
                Optional<Path> path = resolvePath(name, value);
                String partner = name.equals(TLS_CERT_FILE) ? TLS_KEY_FILE : TLS_CERT_FILE;
                if (path.isPresent() && expand(partner, expansion).isEmpty()) {
                    throw new Failure(name + " is set but " + partner + " is not: set both or neither");
                }
                break;
            case RELAYHOST:
                if (!value.isEmpty()) {
                    checked(name, () -> Relayhost.parse(value), value);
                }
                break;
            case TLS_LEVEL:
                if (!TLS_LEVELS.contains(value)) {
                    throw new Failure("bad value \"" + value + "\" for " + name + ": use none, may or encrypt");
                }
                break;
            case DNS_SERVERS:
                checked(name, () -> Values.dnsServers(value), value);
                break;
            default:
                throw new IllegalStateException("unhandled kind " + parameter.kind());
        }
    }

    private static final List<String> TLS_LEVELS = List.of("none", "may", "encrypt");

    /** Whether {@code defer_transports} names {@code smtp}: remote delivery is suspended. */
    public boolean remoteDeliverySuspended() {
        return list("defer_transports").contains("smtp");
    }

    /**
     * The relayhost's AUTH credentials from {@code smtp_sasl_password_maps} when {@code smtp_sasl_auth_enable}: the
     * line whose key is the relayhost as written ({@code [mail.isp.example]:587}) or its host alone.
     */
    public Optional<ClientSettings.Credentials> relayCredentials() throws IOException {
        Optional<Relayhost> relay = relayhost();
        if (!bool("smtp_sasl_auth_enable") || relay.isEmpty()) {
            return Optional.empty();
        }
        String map = string("smtp_sasl_password_maps").replaceFirst("^(texthash|hash):", "");
        if (map.isEmpty()) {
            throw new IOException("smtp_sasl_auth_enable = yes needs smtp_sasl_password_maps");
        }
        Path file = baseDirectory.resolve(map).normalize();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            String t = line.trim();
            if (t.isEmpty() || t.startsWith("#")) {
                continue;
            }
            String[] kv = t.split("\\s+", 2);
            int colon = kv.length == 2 ? kv[1].indexOf(':') : -1;
            if (colon > 0 && (kv[0].equals(string("relayhost")) || kv[0].equals(relay.get().host()))) {
                return Optional.of(new ClientSettings.Credentials(kv[1].substring(0, colon),
                        kv[1].substring(colon + 1)));
            }
        }
        throw new IOException(file + " has no user:password for " + string("relayhost"));
    }

    /** {@code relayhost}; empty: deliver by MX. */
    public Optional<Relayhost> relayhost() {
        String value = string("relayhost");
        return value.isEmpty() ? Optional.empty() : Optional.of(Relayhost.parse(value));
    }

    /** {@code smtp_tls_security_level}. */
    public ClientSettings.TlsLevel smtpTlsLevel() {
        return ClientSettings.TlsLevel.valueOf(string("smtp_tls_security_level").toUpperCase(java.util.Locale.ROOT));
    }

    /** {@code dns_resolver}: the DNS servers to ask; empty: the system's. */
    public List<InetSocketAddress> dnsServers() {
        return Values.dnsServers(string("dns_resolver"));
    }

    private RecipientRestrictions recipientRestrictions(String name, String value) throws Failure {
        List<String> items = Values.split(value);
        for (String item : items) {
            restrictionName(name, item, () -> RecipientRestriction.forName(item));
        }
        try {
            return RecipientRestrictions.parse(items);
        } catch (IllegalArgumentException e) {
            throw new Failure(name + ": " + e.getMessage());
        }
    }

    private SenderRestrictions senderRestrictions(String name, String value) throws Failure {
        List<String> items = Values.split(value);
        for (String item : items) {
            restrictionName(name, item, () -> SenderRestriction.forName(item));
        }
        return SenderRestrictions.parse(items);
    }

    /** {@code unknown restriction "x" in name (did you mean "y"?)}, like an unknown parameter name. */
    private static void restrictionName(String name, String item, Supplier<?> lookup) throws Failure {
        try {
            lookup.get();
        } catch (IllegalArgumentException e) {
            String head = "unknown restriction \"" + item + "\"";
            String message = e.getMessage();
            throw new Failure(message.startsWith(head)
                    ? head + " in " + name + message.substring(head.length()) : name + ": " + message);
        }
    }

    private NetworkList networkList(String name, String value) throws Failure {
        List<CidrBlock> blocks = new ArrayList<>();
        for (String item : Values.split(value)) {
            blocks.add(checked(name, () -> CidrBlock.parse(item), item));
        }
        return new NetworkList(blocks);
    }

    private Optional<Path> resolvePath(String name, String value) throws Failure {
        if (value.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(baseDirectory.resolve(value).normalize());
        } catch (InvalidPathException e) {
            throw new Failure("bad value \"" + abbreviate(value) + "\" for " + name + ": not a valid path");
        }
    }

    /** The addresses of inet_interfaces; empty list means every interface (the wildcard address). */
    private List<InetAddress> interfaces(String value, String name) throws Failure {
        List<String> items = Values.split(value);
        if (items.isEmpty()) {
            throw new Failure(name + " must not be empty (use all)");
        }
        String first = items.get(0).toLowerCase(Locale.ROOT);
        if (first.equals("all") || first.equals("loopback-only")) {
            if (items.size() > 1) {
                throw new Failure("bad value \"" + abbreviate(value) + "\" for " + name + ": \"" + first
                        + "\" must be the only item");
            }
            return first.equals("all") ? List.of() : List.of(InetAddress.getLoopbackAddress());
        }
        List<InetAddress> result = new ArrayList<>();
        for (String item : items) {
            if (item.equalsIgnoreCase("all") || item.equalsIgnoreCase("loopback-only")) {
                throw new Failure("bad value \"" + abbreviate(value) + "\" for " + name + ": \"" + item
                        + "\" must be the only item");
            }
            checked(name, () -> {
                Values.interfaceAddress(item);
                return item;
            }, item);
            String host = item.startsWith("[") ? item.substring(1, item.length() - 1) : item;
            try {
                Collections.addAll(result, InetAddress.getAllByName(host));
            } catch (UnknownHostException e) {
                throw new Failure("bad value \"" + item + "\" for " + name + ": unknown host");
            }
        }
        return result;
    }

    private Optional<ListenerConfig> listenerConfig(String name, Expansion expansion) throws Failure {
        List<String> items = Values.split(expand(name, expansion));
        if (items.isEmpty()) {
            return Optional.empty();
        }
        List<InetSocketAddress> addresses = new ArrayList<>();
        for (String item : items) {
            if (item.chars().allMatch(c -> c >= '0' && c <= '9')) {
                int port = checked(name, () -> (int) Values.number(item, 0), item);
                if (port > 65535) {
                    throw new Failure("bad value \"" + item + "\" for " + name + ": port out of range");
                }
                List<InetAddress> hosts = interfaces(expand("inet_interfaces", expansion), "inet_interfaces");
                if (hosts.isEmpty()) {
                    addresses.add(new InetSocketAddress(port));
                }
                for (InetAddress host : hosts) {
                    addresses.add(new InetSocketAddress(host, port));
                }
            } else {
                addresses.add(checked(name, () -> ListenerConfig.parseAddress(item), item));
            }
        }
        boolean tls = Parameter.find(name).map(Parameter::implicitTls).orElse(false);
        return Optional.of(new ListenerConfig(addresses, tls));
    }

    // ----------------------------------------------------------------------------------------------- expansion

    /** The state of one top-level expansion: the stack for cycle detection and the explicit names used. */
    private static final class Expansion {
        final Deque<String> stack = new ArrayDeque<>();
        /** Every parameter expanded on the way, the root included. */
        final Set<String> touched = new LinkedHashSet<>();
    }

    /** A problem with one value; cheap, no stack trace. */
    private static final class Failure extends Exception {
        private static final long serialVersionUID = 1L;
        /** The parameters on a circular reference, empty for other failures. */
        final Set<String> cycle;

        Failure(String message) {
            this(message, Set.of());
        }

        Failure(String message, Set<String> cycle) {
            super(message, null, false, false);
            this.cycle = cycle;
        }
    }

    private interface Parse<T> {
        T get() throws Failure;
    }

    private <T> T checked(String name, Supplier<T> parse, String shown) throws Failure {
        try {
            return parse.get();
        } catch (IllegalArgumentException e) {
            throw new Failure("bad value \"" + abbreviate(shown) + "\" for " + name + ": " + e.getMessage());
        }
    }

    private <T> T expectValid(Parse<T> parse, String name) {
        requireKnown(name);
        try {
            return parse.get();
        } catch (Failure f) {
            Entry entry = entries.get(name);
            throw new ConfigException(ConfigProblem.error(fileName, entry == null ? 0 : entry.line(),
                    f.getMessage()));
        }
    }

    private Parameter requireKnown(String name) {
        Parameter parameter = Parameter.find(name).orElse(null);
        if (parameter == null && !entries.containsKey(name)) {
            throw new IllegalArgumentException("unknown parameter \"" + name + "\"");
        }
        return parameter == null ? new Parameter(name, Parameter.Kind.STRING, "", 0) : parameter;
    }

    private String expand(String name, Expansion expansion) throws Failure {
        if (expansion.stack.contains(name)) {
            StringBuilder chain = new StringBuilder();
            List<String> path = new ArrayList<>(expansion.stack);
            Collections.reverse(path);
            List<String> cycle = path.subList(path.indexOf(name), path.size());
            for (String n : cycle) {
                chain.append('$').append(n).append(" -> ");
            }
            throw new Failure("circular reference: " + chain + "$" + name, Set.copyOf(cycle));
        }
        expansion.stack.push(name);
        expansion.touched.add(name);
        try {
            Entry entry = entries.get(name);
            String raw;
            if (entry != null) {
                raw = entry.value();
            } else {
                Parameter parameter = Parameter.find(name).orElse(null);
                if (parameter == null) {
                    throw new Failure("undefined parameter $" + name);
                }
                raw = parameter.defaultValue().equals(Parameter.COMPUTED)
                        ? computedDefault(name, expansion) : parameter.defaultValue();
            }
            return expandText(raw, expansion);
        } finally {
            expansion.stack.pop();
        }
    }

    private boolean isDefined(String name) {
        return entries.containsKey(name) || Parameter.find(name).isPresent();
    }

    /** Postfix's computed defaults (mail_params.c {@code check_myhostname}, {@code check_mydomainname}). */
    private String computedDefault(String name, Expansion expansion) throws Failure {
        if (name.equals("myhostname")) {
            if (localHostName.contains(".")) {
                return localHostName.replace("$", "$$");
            }
            String suffix = entries.containsKey("mydomain") ? ".$mydomain" : ".localdomain";
            return localHostName.replace("$", "$$") + suffix;
        }
        String host = expand("myhostname", expansion);
        int dot = host.indexOf('.');
        if (dot < 0 || host.indexOf('.', dot + 1) < 0) {
            return "localdomain";
        }
        return host.substring(dot + 1).replace("$", "$$");
    }

    private String rawDefault(String name) {
        Parameter parameter = Parameter.find(name).orElseThrow();
        if (!parameter.defaultValue().equals(Parameter.COMPUTED)) {
            return parameter.defaultValue();
        }
        return name.equals("myhostname") ? "(this machine's name)" : "(myhostname minus its first label)";
    }

    private String expandText(String text, Expansion expansion) throws Failure {
        StringBuilder out = new StringBuilder();
        List<Expression.Token> tokens;
        try {
            tokens = Expression.parse(text);
        } catch (IllegalArgumentException e) {
            throw new Failure(e.getMessage());
        }
        for (Expression.Token token : tokens) {
            if (token.name == null) {
                out.append(token.text);
            } else if (token.op == 0) {
                out.append(expand(token.name, expansion));
            } else {
                String value = isDefined(token.name) ? expand(token.name, expansion) : "";
                if ((token.op == '?') == !value.isEmpty()) {
                    out.append(expandText(token.text, expansion));
                }
            }
        }
        return out.toString();
    }

    /** The names referenced with {@code $} in explicit values (syntax errors are reported elsewhere). */
    private Set<String> referencedNames() {
        Set<String> names = new LinkedHashSet<>();
        for (Entry entry : entries.values()) {
            Expression.collectReferences(entry.value(), names);
        }
        return names;
    }

    private static String unknownMessage(String name) {
        String message = "unknown parameter \"" + name + "\"";
        return Suggestions.closest(name, Parameter.names(), 3).map(best -> message + " (did you mean \"" + best
                + "\"?)").orElse(message);
    }

    private static String abbreviate(String text) {
        return text.length() <= 60 ? text : text.substring(0, 57) + "...";
    }

    /** The machine's name, looked up once (it may ask DNS). */
    private static final class LocalHost {
        static final String NAME = lookup();

        private static String lookup() {
            try {
                InetAddress local = InetAddress.getLocalHost();
                String name = local.getCanonicalHostName();
                if (name.equals(local.getHostAddress()) || name.contains(":")) {
                    name = local.getHostName();
                }
                return name.isEmpty() ? "localhost" : name.toLowerCase(Locale.ROOT);
            } catch (UnknownHostException | SecurityException e) {
                return "localhost";
            }
        }
    }
}
