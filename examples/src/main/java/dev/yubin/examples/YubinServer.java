package dev.yubin.examples;

import dev.yubin.auth.UserDatabase;
import dev.yubin.mailserver.MailServer;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import dev.yubin.auth.AuthFailureThrottle;
import dev.yubin.auth.FailureDelay;
import dev.yubin.auth.password.PasswordTool;
import dev.yubin.auth.passwd.PasswdFileUserDatabase;
import dev.yubin.auth.sasl.LoginMechanism;
import dev.yubin.auth.sasl.PlainMechanism;
import dev.yubin.auth.sasl.SaslContext;
import dev.yubin.auth.sasl.SaslMechanisms;
import dev.yubin.core.message.ContentSpool;
import dev.yubin.core.net.Limits;
import dev.yubin.core.store.MailStore;
import dev.yubin.core.store.MailboxStore;
import dev.yubin.core.store.StoreException;
import dev.yubin.core.net.ListenerConfig;
import dev.yubin.delivery.local.LocalDeliveryAgent;
import dev.yubin.delivery.local.MissingHeaders;
import dev.yubin.delivery.maildir.MaildirStore;
import dev.yubin.delivery.mbox.MboxStore;
import dev.yubin.delivery.queue.FileQueueStore;
import dev.yubin.delivery.queue.RoutingSink;
import dev.yubin.delivery.remote.QueueManager;
import dev.yubin.dns.DnsMxResolver;
import dev.yubin.dns.MxResolver;
import dev.yubin.smtp.client.ClientSettings;
import dev.yubin.smtp.netty.SmtpClient;
import dev.yubin.examples.config.ConfigException;
import dev.yubin.examples.config.ConfigProblem;
import dev.yubin.examples.config.MainCf;
import dev.yubin.examples.config.PasswdUserDirectory;
import dev.yubin.core.address.Domain;
import dev.yubin.core.netty.NettyServer;
import dev.yubin.imap.fetch.StructureCache;
import dev.yubin.imap.netty.ImapServer;
import dev.yubin.imap.protocol.ImapLimits;
import dev.yubin.imap.server.ImapConfig;
import dev.yubin.imap.server.MailboxLocator;
import dev.yubin.pop3.netty.Pop3Server;
import dev.yubin.pop3.server.MaildropLocator;
import dev.yubin.pop3.server.MaildropLock;
import dev.yubin.pop3.server.Pop3Auth;
import dev.yubin.smtp.netty.SmtpServer;
import dev.yubin.smtp.policy.LocalDomains;
import dev.yubin.smtp.policy.StandardSmtpHandler;
import dev.yubin.smtp.server.SmtpAuth;
import dev.yubin.core.tls.TlsIdentity;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.LoggerFactory;

/**
 * The assembled mail server of the textbooks, configured by a Postfix-style {@code main.cf}: an SMTP listener
 * that accepts mail for {@code mydestination} users from a Dovecot-style {@code passwd_file}, refuses relaying,
 * and delivers into each user's Maildir, fsynced before {@code 250}.
 *
 * <pre>
 * java -jar yubin-server.jar                      # first run: writes data/main.cf and data/passwd, starts
 * java -jar yubin-server.jar --config main.cf     # a given configuration
 * java -jar yubin-server.jar --config main.cf --check   # report every configuration problem, exit 1 on errors
 * </pre>
 *
 * <p>Embedding: {@link #start(Path)} returns a running server; {@link #close()} stops it gracefully.
 */
public final class YubinServer implements AutoCloseable {
    private static final org.slf4j.Logger LOG = LoggerFactory.getLogger("yubin.master");
    private static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(10);
    private static final Path DEFAULT_DIRECTORY = Path.of("data");

    private final MailServer mail;
    private final FileQueueStore queue;
    private final QueueManager manager;
    private final SmtpClient smtpClient;
    private final QueueControl control;

    private final Runnable closeMaillog;

    private YubinServer(MailServer mail, FileQueueStore queue, QueueManager manager,
            SmtpClient smtpClient, QueueControl control, Runnable closeMaillog) {
        this.closeMaillog = closeMaillog;
        this.mail = mail;
        this.queue = queue;
        this.manager = manager;
        this.smtpClient = smtpClient;
        this.control = control;
    }

    /**
     * Reads {@code configFile}, checks it and starts every configured listener.
     *
     * @throws ConfigException when the configuration or the passwd file has errors
     * @throws IOException when a directory cannot be created or a listener cannot be bound
     */
    public static YubinServer start(Path configFile) throws IOException {
        MainCf cf = MainCf.read(configFile);
        cf.requireValid();
        PasswdUserDirectory users = PasswdUserDirectory.load(cf);
        List<ConfigProblem> errors = users.problems().stream().filter(ConfigProblem::isError).toList();
        if (!errors.isEmpty()) {
            throw new ConfigException(errors);
        }
        users.problems().forEach(problem -> LOG.warn("{}", problem));
        Runnable closeMaillog = openMaillog(cf.path("maillog_file"));

        String myhostname = cf.string("myhostname");
        Path mailRoot = Files.createDirectories(cf.path("mail_root").orElseThrow());
        Path queueDirectory = Files.createDirectories(cf.path("queue_directory").orElseThrow());
        Path spool = Files.createDirectories(queueDirectory.resolve("spool"));
        Map<MailServer.Service, ListenerConfig> listeners = new LinkedHashMap<>();
        for (MailServer.Service service : MailServer.Service.values()) {
            cf.listeners(service.key() + "_listen").ifPresent(at -> listeners.put(service, at));
        }
        if (listeners.isEmpty()) {
            throw new ConfigException(ConfigProblem.error(cf.fileName(), cf.lineOf("smtp_listen").orElse(0),
                    "every *_listen is empty: there is nothing to start"));
        }
        boolean logins = cf.bool("smtpd_sasl_auth_enable") || listeners.keySet().stream()
                .anyMatch(service -> service != MailServer.Service.SMTP);
        // one user database for every protocol, read at start and again when the file changes
        UserDatabase logins0 = logins ? passwdDatabase(cf) : login -> Optional.empty();
        Optional<ClientSettings.Credentials> relayAuth = cf.relayCredentials(); // fails before anything listens
        FileQueueStore queue;
        try {
            queue = FileQueueStore.open(queueDirectory);
        } catch (StoreException e) {
            throw new IOException("cannot open the queue in " + queueDirectory + ": " + e.getMessage(), e);
        }
        // remote recipients wait in the queue; the queue manager hears of each new message at once
        boolean suspended = cf.remoteDeliverySuspended();
        AtomicReference<QueueManager> managerRef = new AtomicReference<>();
        AtomicReference<RoutingSink> routingRef = new AtomicReference<>();
        MailServer.Builder mail = MailServer.builder()
                .keepMaillog(false) // the events go to maillog_file; nothing here reads maillog()
                .hostname(myhostname)
                .users(users, logins0)
                .store(mailStore(cf, myhostname, mailRoot))
                .loginDomain(cf.string("mydomain"))
                .limits(limits(cf))
                .banner(banner(cf.string("smtpd_banner"), myhostname))
                .spoolDirectory(spool)
                .tls(tlsIdentity(cf, myhostname))
                .failureDelay(AuthFailureThrottle.withDefaults())
                .smtpAuth(cf.bool("smtpd_sasl_auth_enable"))
                .smtpPlaintextAuth(cf.plaintextAuthAllowed())
                .plaintextAuth(!cf.bool("disable_plaintext_auth"))
                .missingHeaders(cf.bool("always_add_missing_headers") ? MissingHeaders.ALWAYS
                        : MissingHeaders.LOCAL_CLIENTS)
                .policy(handler -> handler
                        .mynetworks(cf.networks("mynetworks"))
                        .recipientRestrictions(cf.recipientRestrictions())
                        .senderRestrictions(cf.senderRestrictions())
                        .lookupsInMemory(true)) // the passwd file is read at start
                .delivery(agent -> {
                    // the RoutingSink in front logs the queue manager's lines for the whole message
                    LocalDeliveryAgent local = agent.withoutQueueManagerLines();
                    RoutingSink relaying = new RoutingSink(LocalDomains.of(cf.domains("mydestination").stream()
                            .map(Domain::ascii).toArray(String[]::new))::contains, local, queue)
                            .withRemoteHeaders(local::relayHeaders) // Received: for the next hop, as smtpd does
                            .withMailLog(local.mailLog()); // the sessions' MailLog (maillog() when kept)
                    RoutingSink routing = suspended ? relaying.suspended("deferred transport")
                            : relaying.withQueueListener(id -> {
                                QueueManager m = managerRef.get();
                                if (m != null) {
                                    m.submit(id); // delivered at once, without a scan of the queue
                                }
                            });
                    routingRef.set(routing);
                    return routing;
                });
        cf.domains("mydestination").forEach(d -> mail.domain(d.ascii()));
        listeners.forEach(mail::listen);
        MailServer server = mail.build();
        try {
            server.start();
        } catch (IOException | RuntimeException e) {
            queue.close();
            throw e;
        }
        SmtpClient smtpClient = SmtpClient.builder()
                .settings(new ClientSettings(cf.string("smtp_helo_name"), cf.smtpTlsLevel(), relayAuth,
                        false)) // AUTH at the relayhost only after TLS
                .connectTimeout(cf.duration("smtp_connect_timeout"))
                .mailLog(server.localDeliveryAgent().mailLog()) // the sessions' MailLog, as above
                .build();
        QueueManager manager = QueueManager.builder()
                .queue(queue)
                .resolver(dnsResolver(cf))
                .transport(smtpClient::deliver)
                .bounces(routingRef.get())
                .myhostname(myhostname)
                .relayhost(cf.relayhost().orElse(null))
                .smtpPort((int) cf.integer("smtp_tcp_port"))
                .localAddresses(smtpAddresses(server)) // an MX host that is this server is not tried (loop)
                .backoff(cf.duration("minimal_backoff_time"), cf.duration("maximal_backoff_time"))
                .lifetimes(cf.duration("maximal_queue_lifetime"), cf.duration("bounce_queue_lifetime"))
                .queueRunDelay(cf.duration("queue_run_delay"))
                .concurrency(20, clamp(cf.integer("default_destination_concurrency_limit")))
                .mailLog(server.localDeliveryAgent().mailLog())
                .build();
        managerRef.set(manager);
        QueueControl control;
        try {
            control = QueueControl.open(queueDirectory, queue, suspended ? null : manager);
        } catch (IOException e) {
            server.close(Duration.ZERO);
            manager.close();
            smtpClient.close();
            queue.close();
            throw new IOException("cannot open the queue control socket in " + queueDirectory + ": " + e, e);
        }
        if (suspended) {
            LOG.info("remote delivery suspended: defer_transports = {}", cf.string("defer_transports"));
        } else {
            manager.start();
        }
        LOG.info("daemon started -- version {}, configuration {}", version(), configFile.toAbsolutePath());
        return new YubinServer(server, queue, manager, smtpClient, control, closeMaillog);
    }

    /**
     * Postfix's choice: an empty {@code home_mailbox} delivers to the mbox {@code mail_spool_directory/<user>},
     * otherwise to the Maildir {@code home_mailbox} under the user's home (or {@code mail_root}).
     */
    private static MailStore mailStore(MainCf cf, String myhostname, Path mailRoot) throws IOException {
        // both stores are also a MailboxStore, for IMAP
        if (cf.string("home_mailbox").isEmpty()) {
            Path spool = Files.createDirectories(cf.path("mail_spool_directory").orElseThrow());
            return MboxStore.builder().spoolDirectory(spool).build();
        }
        return MaildirStore.builder().hostname(myhostname).mailRoot(mailRoot).build();
    }

    private static PasswdFileUserDatabase passwdDatabase(MainCf cf) {
        Path file = cf.path("passwd_file").orElseThrow(() -> new ConfigException(ConfigProblem.error(
                cf.fileName(), cf.lineOf("passwd_file").orElse(0), "logins need a passwd_file")));
        try {
            return PasswdFileUserDatabase.builder(file).localDomains(cf.domains("mydestination")).open();
        } catch (IOException e) {
            throw new ConfigException(ConfigProblem.error(cf.fileName(), cf.lineOf("passwd_file").orElse(0),
                    "cannot read passwd_file " + file + ": " + e.getMessage()));
        }
    }

    /** The certificate of {@code smtpd_tls_cert_file}/{@code smtpd_tls_key_file}, or a self-signed one. */
    private static TlsIdentity tlsIdentity(MainCf cf, String myhostname) throws IOException {
        Optional<MainCf.TlsFiles> files = cf.tlsFiles();
        if (files.isPresent()) {
            return TlsIdentity.fromPem(files.get().certificateChain(), files.get().privateKey());
        }
        LOG.info("no smtpd_tls_cert_file: using a self-signed certificate for {}", myhostname);
        return TlsIdentity.selfSigned(myhostname);
    }

    /** The first bound port of the {@code smtp_listen} listener; useful with port 0. */
    public int smtpPort() {
        return port("smtp");
    }

    /**
     * The first bound port of a listener: {@code "smtp"}, {@code "submission"}, {@code "smtps"}, {@code "pop3"},
     * {@code "pop3s"}, {@code "imap"} or {@code "imaps"}.
     *
     * @throws IllegalArgumentException when that listener is not configured
     */
    public int port(String service) {
        for (MailServer.Service s : mail.services()) {
            if (s.key().equals(service)) {
                return mail.port(s);
            }
        }
        throw new IllegalArgumentException("no " + service + " listener is configured");
    }

    /** Every bound address of every listener. */
    public List<InetSocketAddress> smtpAddresses() {
        return mail.services().stream().flatMap(s -> mail.addresses(s).stream()).toList();
    }

    /** {@code smtp 127.0.0.1:2525, submission 127.0.0.1:2587, smtps 127.0.0.1:2465}. */
    String describeListeners() {
        StringBuilder out = new StringBuilder();
        mail.services().forEach(service -> mail.addresses(service).forEach(address -> {
            out.append(out.length() == 0 ? "" : ", ").append(service.key()).append(' ')
                    .append(address.getAddress().getHostAddress()).append(':').append(address.getPort());
        }));
        return out.toString();
    }

    /** Stops accepting and lets sessions in flight finish for up to ten seconds. */
    @Override
    public void close() {
        mail.close(SHUTDOWN_GRACE);
        control.close();
        manager.close(); // deliveries in flight stop; their recipients stay queued
        smtpClient.close();
        queue.close();
        LOG.info("terminating on signal or request");
        closeMaillog.run(); // a second server in this JVM no longer writes to this one's maillog
    }

    private static java.util.Set<java.net.InetSocketAddress> smtpAddresses(MailServer server) {
        java.util.Set<java.net.InetSocketAddress> addresses = new java.util.HashSet<>();
        for (MailServer.Service s : List.of(MailServer.Service.SMTP, MailServer.Service.SUBMISSION,
                MailServer.Service.SMTPS)) {
            addresses.addAll(server.addresses(s));
        }
        return addresses;
    }

    /** {@code dns_resolver}'s servers, or the system's. */
    private static MxResolver dnsResolver(MainCf cf) {
        DnsMxResolver.Builder dns = DnsMxResolver.builder();
        cf.dnsServers().forEach(dns::server);
        return dns.build();
    }

    /** The queue manager: flush ({@code postqueue -f}) and tests. */
    public QueueManager queueManager() {
        return manager;
    }

    static Limits limits(MainCf cf) {
        long size = cf.integer("message_size_limit");
        long perClient = cf.integer("smtpd_client_connection_count_limit");
        return Limits.defaults()
                .withMaxMessageSize(size == 0 ? Long.MAX_VALUE : size)
                .withMaxRecipients(clamp(cf.integer("smtpd_recipient_limit")))
                .withIdleTimeout(cf.duration("smtpd_timeout"))
                .withMaxErrors(clamp(cf.integer("smtpd_hard_error_limit")))
                .withMaxConnectionsPerClient(perClient == 0 ? Integer.MAX_VALUE : clamp(perClient))
                .withMaxTextLineLength(clamp(cf.integer("line_length_limit")));
    }

    /** Postfix's {@code smtpd_banner} starts with {@code $myhostname}; the server writes the name itself. */
    static String banner(String smtpdBanner, String myhostname) {
        String prefix = myhostname + " ";
        return smtpdBanner.regionMatches(true, 0, prefix, 0, prefix.length())
                ? smtpdBanner.substring(prefix.length()).strip()
                : smtpdBanner;
    }

    private static int clamp(long value) {
        return (int) Math.min(Integer.MAX_VALUE, value);
    }

    private static String version() {
        String version = YubinServer.class.getPackage().getImplementationVersion();
        return version == null ? "development" : version;
    }

    /** Adds a file appender for the mail loggers ({@code yubin.*}), the equivalent of Postfix's maillog. */
    /** Sends the maillog loggers to {@code maillog_file}; returns what detaches that file again. */
    private static Runnable openMaillog(Optional<Path> file) throws IOException {
        if (file.isEmpty() || !(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
            return () -> { };
        }
        Path path = file.get().toAbsolutePath();
        if (path.getParent() != null) {
            Files.createDirectories(path.getParent());
        }
        Logger mail = context.getLogger("yubin");
        String name = "maillog:" + path;
        if (mail.getAppender(name) != null) {
            return () -> { }; // another server in this JVM writes the same file and detaches it
        }
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        String host = Optional.ofNullable(context.getProperty("HOSTNAME")).orElse("localhost");
        encoder.setPattern("%d{MMM dd HH:mm:ss} " + host + " %logger[%thread]: %msg%n");
        encoder.start();
        MaillogAppender appender = new MaillogAppender(path, encoder);
        appender.setContext(context);
        appender.setName(name);
        appender.start();
        mail.addAppender(appender);
        mail.setAdditive(false); // as Postfix with maillog_file: the mail log goes to the file only
        return () -> {
            mail.detachAppender(appender);
            appender.stop(); // writes what is still queued
            if (!mail.iteratorForAppenders().hasNext()) {
                mail.setAdditive(true);
            }
        };
    }

    public static void main(String[] args) {
        if (args.length > 0 && args[0].equals("pw")) { // like doveadm pw: a hash for the passwd file
            System.exit(PasswordTool.run(java.util.Arrays.copyOfRange(args, 1, args.length), System.in, System.out,
                    System.err));
        }
        if (args.length > 0 && args[0].equals("queue")) { // like postqueue -p / -f and postsuper -d
            System.exit(queueCommand(java.util.Arrays.copyOfRange(args, 1, args.length)));
        }
        Path config = null;
        boolean check = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--config", "-c" -> {
                    if (i + 1 == args.length) {
                        usage(System.err, "--config needs a file");
                        System.exit(2);
                    }
                    config = Path.of(args[++i]);
                }
                case "--check" -> check = true;
                case "--help", "-h" -> {
                    usage(System.out, null);
                    return;
                }
                default -> {
                    usage(System.err, "unknown argument: " + args[i]);
                    System.exit(2);
                }
            }
        }
        try {
            if (config == null) {
                config = defaultConfiguration();
            }
            if (check) {
                System.exit(check(config, System.out));
            }
            YubinServer server = start(config);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                server.close();
                if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
                    context.stop(); // drains the asynchronous appenders
                }
            }, "shutdown"));
            System.out.println("Yubin is running: " + server.describeListeners() + "; configuration "
                    + config.toAbsolutePath());
        } catch (ConfigException e) {
            e.problems().forEach(problem -> System.err.println("fatal: " + problem));
            System.exit(1);
        } catch (IOException e) {
            System.err.println("fatal: " + e.getMessage());
            if (e.getMessage() != null && e.getMessage().contains("cannot listen on")) {
                System.err.println("(another server uses that port? change smtp_listen in " + config + ")");
            }
            System.exit(1);
        }
    }

    /** Prints every problem of the configuration and its passwd file; 0 when there are no errors. */
    static int check(Path config, PrintStream out) throws IOException {
        MainCf cf = MainCf.read(config);
        List<ConfigProblem> problems = new ArrayList<>(cf.check());
        if (problems.stream().noneMatch(ConfigProblem::isError)) {
            problems.addAll(PasswdUserDirectory.load(cf).problems());
        }
        problems.forEach(out::println);
        boolean failed = problems.stream().anyMatch(ConfigProblem::isError);
        out.println(config + ": " + (failed ? "errors found" : "ok"));
        return failed ? 1 : 0;
    }

    /** {@code data/main.cf}, written with the textbook's example domain and users when it does not exist yet. */
    private static Path defaultConfiguration() throws IOException {
        Path config = DEFAULT_DIRECTORY.resolve("main.cf");
        if (!Files.exists(config)) {
            Files.createDirectories(DEFAULT_DIRECTORY);
            copyResource("default-main.cf", config);
            copyResource("default-passwd", DEFAULT_DIRECTORY.resolve("passwd"));
            System.out.println("Wrote the default configuration " + config.toAbsolutePath()
                    + " (users abe, kato, sato, postmaster; password \"password\")");
        }
        return config;
    }

    private static void copyResource(String name, Path target) throws IOException {
        try (InputStream in = YubinServer.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IOException("missing resource " + name);
            }
            Files.copy(in, target);
        }
    }

    /** {@code queue [--config main.cf] list|flush|delete ID…}. */
    private static int queueCommand(String[] args) {
        List<String> command = new ArrayList<>(List.of(args));
        Path config = null;
        if (command.size() >= 2 && (command.get(0).equals("--config") || command.get(0).equals("-c"))) {
            config = Path.of(command.get(1));
            command = command.subList(2, command.size());
        }
        if (command.isEmpty()) {
            usage(System.err, "queue needs a command: list, flush or delete ID...");
            return 2;
        }
        try {
            MainCf cf = MainCf.read(config == null ? defaultConfiguration() : config);
            cf.requireValid();
            return QueueControl.client(cf.path("queue_directory").orElseThrow(), command, System.out);
        } catch (ConfigException e) {
            e.problems().forEach(problem -> System.err.println("fatal: " + problem));
            return 1;
        } catch (IOException e) {
            System.err.println("fatal: " + e.getMessage());
            return 1;
        }
    }

    private static void usage(PrintStream out, String problem) {
        if (problem != null) {
            out.println("yubin-server: " + problem);
        }
        out.println("usage: java -jar yubin-server.jar [--config main.cf] [--check]");
        out.println("       java -jar yubin-server.jar pw [-s SCHEME] [-p PASSWORD] [-t STORED] [-l]");
        out.println("       java -jar yubin-server.jar queue [--config main.cf] list|flush|delete ID...");
        out.println("  without --config, data/main.cf is used (and written with defaults on first run)");
    }
}
