package dev.yubin.examples;

import ch.qos.logback.classic.AsyncAppender;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.core.FileAppender;
import dev.yubin.core.net.Limits;
import dev.yubin.core.net.ListenerConfig;
import dev.yubin.delivery.local.LocalDeliveryAgent;
import dev.yubin.delivery.local.MissingHeaders;
import dev.yubin.delivery.maildir.MaildirStore;
import dev.yubin.examples.config.ConfigException;
import dev.yubin.examples.config.ConfigProblem;
import dev.yubin.examples.config.MainCf;
import dev.yubin.examples.config.PasswdUserDirectory;
import dev.yubin.smtp.netty.SmtpServer;
import dev.yubin.smtp.policy.LocalDomains;
import dev.yubin.smtp.policy.RelayPolicy;
import dev.yubin.smtp.policy.StandardSmtpHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
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

    private final SmtpServer smtp;

    private YubinServer(SmtpServer smtp) {
        this.smtp = smtp;
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
        openMaillog(cf.path("maillog_file"));

        String myhostname = cf.string("myhostname");
        Path mailRoot = Files.createDirectories(cf.path("mail_root").orElseThrow());
        Path queue = Files.createDirectories(cf.path("queue_directory").orElseThrow());
        Path spool = Files.createDirectories(queue.resolve("incoming"));

        MaildirStore store = MaildirStore.builder().hostname(myhostname).mailRoot(mailRoot).build();
        StandardSmtpHandler handler = StandardSmtpHandler.builder()
                .localDomains(LocalDomains.of(cf.domains("mydestination")))
                .users(users)
                .sink(new LocalDeliveryAgent(users, store, myhostname).withMissingHeaders(
                        cf.bool("always_add_missing_headers") ? MissingHeaders.ALWAYS : MissingHeaders.LOCAL_CLIENTS))
                .relayPolicy(RelayPolicy.DENY_ALL)
                .lookupsInMemory(true) // the passwd file is read at start
                .build();
        Optional<ListenerConfig> listen = cf.listeners("smtp_listen");
        if (listen.isEmpty()) {
            throw new ConfigException(ConfigProblem.error(cf.fileName(), cf.lineOf("smtp_listen").orElse(0),
                    "smtp_listen is empty: there is nothing to start"));
        }
        SmtpServer smtp = SmtpServer.builder()
                .hostname(myhostname)
                .listen(listen.get())
                .limits(limits(cf))
                .spoolDirectory(spool)
                .banner(banner(cf.string("smtpd_banner"), myhostname))
                .handler(handler)
                .build()
                .start();
        LOG.info("daemon started -- version {}, configuration {}", version(), configFile.toAbsolutePath());
        return new YubinServer(smtp);
    }

    /** The first bound SMTP port; useful with port 0. */
    public int smtpPort() {
        return smtp.port();
    }

    /** Every bound SMTP address. */
    public List<InetSocketAddress> smtpAddresses() {
        return smtp.localAddresses();
    }

    /** Stops accepting and lets sessions in flight finish for up to ten seconds. */
    @Override
    public void close() {
        smtp.closeGracefully(SHUTDOWN_GRACE);
        LOG.info("terminating on signal or request");
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
    private static void openMaillog(Optional<Path> file) throws IOException {
        if (file.isEmpty() || !(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
            return;
        }
        Path path = file.get().toAbsolutePath();
        if (path.getParent() != null) {
            Files.createDirectories(path.getParent());
        }
        Logger mail = context.getLogger("yubin");
        String name = "maillog:" + path;
        if (mail.getAppender(name) != null) {
            return;
        }
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        String host = Optional.ofNullable(context.getProperty("HOSTNAME")).orElse("localhost");
        encoder.setPattern("%d{MMM dd HH:mm:ss} " + host + " %logger[%thread]: %msg%n");
        encoder.start();
        FileAppender<ch.qos.logback.classic.spi.ILoggingEvent> appender = new FileAppender<>();
        appender.setContext(context);
        appender.setName(name + ":file");
        appender.setFile(path.toString());
        appender.setAppend(true);
        appender.setEncoder(encoder);
        appender.start();
        AsyncAppender async = new AsyncAppender();
        async.setContext(context);
        async.setName(name);
        async.setQueueSize(8192);
        async.setDiscardingThreshold(0); // never drop mail log lines
        async.addAppender(appender);
        async.start();
        mail.addAppender(async);
    }

    public static void main(String[] args) {
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
            System.out.println("Yubin is running: SMTP on " + server.smtpAddresses() + ", configuration "
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

    private static void usage(PrintStream out, String problem) {
        if (problem != null) {
            out.println("yubin-server: " + problem);
        }
        out.println("usage: java -jar yubin-server.jar [--config main.cf] [--check]");
        out.println("  without --config, data/main.cf is used (and written with defaults on first run)");
    }
}
