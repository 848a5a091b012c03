package dev.yubin.examples;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.nio.charset.StandardCharsets.UTF_8;

import dev.yubin.core.tls.TlsIdentity;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A private Postfix instance for integration tests, owned by the test: Debian's {@code postfix} binaries with a
 * {@code config_directory}, queue, data directory, maillog and mail spool in one temporary directory, one SMTP
 * listener on a loopback address and port, STARTTLS with a fresh self-signed certificate both ways, and no DNS.
 * The system's {@code /etc/postfix} is never read for configuration. Mail is delivered by virtual(8) as uid
 * {@value #MAIL_UID} (no passwd entry needed) under {@code <dir>/mail}.
 *
 * <p>Needs root, as {@code postfix start} does; fails, not skips, when postfix is not installed or the JVM is not
 * root (scripts/test-all.sh installs {@code postfix} without configuring or starting the system's instance).
 */
final class Postfix implements AutoCloseable {
    static final int MAIL_UID = 5000;

    private final Path dir;
    private final Path postfix;
    private boolean running;

    private Postfix(Path dir, Path postfix) {
        this.dir = dir;
        this.postfix = postfix;
    }

    /**
     * Writes {@code main.cf} (the paths, logging and no-DNS settings, then {@code mainCf}), {@code master.cf} with
     * smtpd on {@code host:port}, and {@code tables} (file name → content, as {@code texthash:$config_directory/name}
     * reads them) into {@code <dir>/etc}, starts Postfix and waits for its 220 greeting.
     */
    static Postfix start(Path dir, String host, int port, List<String> mainCf, Map<String, String> tables)
            throws IOException, InterruptedException {
        Path binary = Stream.concat(Stream.of(System.getenv().getOrDefault("PATH", "").split(":")),
                        Stream.of("/usr/sbin", "/sbin"))
                .filter(d -> !d.isEmpty()).map(d -> Path.of(d, "postfix")).filter(Files::isExecutable).findFirst()
                .orElseThrow(() -> new AssertionError("postfix is not installed: run scripts/test-all.sh or"
                        + " DEBIAN_FRONTEND=noninteractive apt-get install -y postfix"));
        if (!"root".equals(System.getProperty("user.name"))) {
            throw new AssertionError("postfix start needs root: run this test as root (the CI does)");
        }
        Postfix instance = new Postfix(dir, binary);
        instance.prepare(host, port, mainCf, tables);
        instance.running = true;
        try {
            instance.run("start");
            instance.awaitGreeting(host, port);
        } catch (IOException | InterruptedException | AssertionError e) {
            instance.stopQuietly();
            throw e;
        }
        return instance;
    }

    private void prepare(String host, int port, List<String> mainCf, Map<String, String> tables) throws IOException {
        // the daemons run as postfix and uid 5000: every directory on the way must be searchable
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        for (Path up = dir.toAbsolutePath().getParent(); up != null; up = up.getParent()) {
            if (!Files.getPosixFilePermissions(up).contains(PosixFilePermission.OTHERS_EXECUTE)) {
                throw new AssertionError(up + " is not searchable by the postfix user (chmod o+x it)");
            }
        }
        Path etc = Files.createDirectories(dir.resolve("etc"));
        Files.createDirectories(dir.resolve("queue")); // root:root 755; postfix start creates the rest
        Path data = Files.createDirectories(dir.resolve("data"));
        UserPrincipalLookupService users = dir.getFileSystem().getUserPrincipalLookupService();
        PosixFileAttributeView dataOwner = Files.getFileAttributeView(data, PosixFileAttributeView.class);
        dataOwner.setOwner(users.lookupPrincipalByName("postfix"));
        dataOwner.setGroup(users.lookupPrincipalByGroupName("postfix"));
        Path mail = Files.createDirectories(dir.resolve("mail"));
        Files.setAttribute(mail, "unix:uid", MAIL_UID);
        Files.setAttribute(mail, "unix:gid", MAIL_UID);

        String myhostname = mainCf.stream().filter(l -> l.startsWith("myhostname =")).findFirst()
                .map(l -> l.substring("myhostname =".length()).trim()).orElse("localhost");
        writeTls(etc, TlsIdentity.selfSigned(myhostname));
        List<String> lines = new ArrayList<>(List.of(
                "compatibility_level = 3.6",
                "queue_directory = " + dir.resolve("queue"),
                "data_directory = " + data,
                "command_directory = /usr/sbin",
                "daemon_directory = /usr/lib/postfix/sbin",
                "shlib_directory = /usr/lib/postfix",
                "meta_directory = /etc/postfix",
                "mail_owner = postfix",
                "setgid_group = postdrop",
                // no syslogd in a container: postlogd writes this file
                "maillog_file = " + dir.resolve("maillog"),
                "maillog_file_prefixes = " + dir,
                "syslog_name = postfix-test",
                // 127.0.0.x other than .1 is no interface address to Postfix; master.cf binds the listener itself
                "inet_interfaces = 127.0.0.1",
                "inet_protocols = ipv4",
                "smtp_dns_support_level = disabled",
                "smtpd_peername_lookup = no",
                "alias_maps =",
                "alias_database =",
                "biff = no",
                "smtpd_tls_cert_file = $config_directory/cert.pem",
                "smtpd_tls_key_file = $config_directory/key.pem",
                "smtpd_tls_security_level = may",
                "smtpd_tls_loglevel = 1",
                "smtp_tls_security_level = may",
                "smtp_tls_loglevel = 1",
                "virtual_mailbox_base = " + mail,
                "virtual_uid_maps = static:" + MAIL_UID,
                "virtual_gid_maps = static:" + MAIL_UID));
        lines.addAll(mainCf);
        Files.write(etc.resolve("main.cf"), lines, UTF_8);
        Files.write(etc.resolve("master.cf"), masterCf(host, port), UTF_8);
        for (Map.Entry<String, String> table : tables.entrySet()) {
            Files.writeString(etc.resolve(table.getKey()), table.getValue(), UTF_8);
        }
    }

    /** Debian's services without chroot, and one smtpd. */
    private static List<String> masterCf(String host, int port) {
        return List.of(
                "# service type  private unpriv  chroot  wakeup  maxproc command",
                host + ":" + port + " inet n - n - - smtpd",
                "pickup unix n - n 60 1 pickup",
                "cleanup unix n - n - 0 cleanup",
                "qmgr unix n - n 300 1 qmgr",
                "tlsmgr unix - - n 1000? 1 tlsmgr",
                "rewrite unix - - n - - trivial-rewrite",
                "bounce unix - - n - 0 bounce",
                "defer unix - - n - 0 bounce",
                "trace unix - - n - 0 bounce",
                "verify unix - - n - 1 verify",
                "flush unix n - n 1000? 0 flush",
                "proxymap unix - - n - - proxymap",
                "proxywrite unix - - n - 1 proxymap",
                "smtp unix - - n - - smtp",
                "relay unix - - n - - smtp",
                "showq unix n - n - - showq",
                "error unix - - n - - error",
                "retry unix - - n - - error",
                "discard unix - - n - - discard",
                "local unix - n n - - local",
                "virtual unix - n n - - virtual",
                "anvil unix - - n - 1 anvil",
                "scache unix - - n - 1 scache",
                "postlog unix-dgram n - n - 1 postlogd");
    }

    private static void writeTls(Path etc, TlsIdentity identity) throws IOException {
        Base64.Encoder pem = Base64.getMimeEncoder(64, new byte[] {'\n'});
        try {
            Files.writeString(etc.resolve("cert.pem"), "-----BEGIN CERTIFICATE-----\n"
                    + pem.encodeToString(identity.certificateChain().get(0).getEncoded())
                    + "\n-----END CERTIFICATE-----\n", US_ASCII);
        } catch (java.security.cert.CertificateEncodingException e) {
            throw new IOException(e);
        }
        Path key = etc.resolve("key.pem");
        Files.writeString(key, "", US_ASCII);
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
        Files.writeString(key, "-----BEGIN PRIVATE KEY-----\n" // PKCS#8
                + pem.encodeToString(identity.privateKey().getEncoded()) + "\n-----END PRIVATE KEY-----\n", US_ASCII);
    }

    /** {@code postfix -c <dir>/etc <command>}; fails with the reason, which postfix prints only to a terminal. */
    private void run(String command) throws IOException, InterruptedException {
        String[] argv = {postfix.toString(), "-c", dir.resolve("etc").toString(), command};
        // the daemons must not inherit our pipes, or a reader would wait for them: output goes to a file
        Path out = dir.resolve("postfix-" + command + ".out");
        Process process = new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        process.getOutputStream().close();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(String.join(" ", argv) + " did not finish within 30 s\n" + log());
        }
        if (process.exitValue() != 0) {
            throw new AssertionError(String.join(" ", argv) + " exited with " + process.exitValue() + ": "
                    + Files.readString(out, UTF_8) + reasonFromTerminal(argv) + "\nmaillog:\n" + log());
        }
    }

    /** postfix(1) writes its fatal errors to stderr only when that is a terminal: script(1) gives it one. */
    private String reasonFromTerminal(String[] argv) throws IOException, InterruptedException {
        String check = "'" + argv[0] + "' -c '" + argv[2] + "' check";
        Path out = dir.resolve("postfix-check.out");
        Process script = new ProcessBuilder("script", "-qec", check, "/dev/null").redirectErrorStream(true)
                .redirectOutput(out.toFile()).start();
        script.getOutputStream().close();
        if (!script.waitFor(30, TimeUnit.SECONDS)) {
            script.destroyForcibly();
        }
        return Files.readString(out, UTF_8).strip();
    }

    private void awaitGreeting(String host, int port) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        IOException last = null;
        while (System.nanoTime() < deadline) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(host, port), 1000);
                socket.setSoTimeout(5000);
                String greeting = TestServer.readLine(socket.getInputStream());
                if (greeting.startsWith("220 ")) {
                    socket.getOutputStream().write("QUIT\r\n".getBytes(US_ASCII));
                    return;
                }
                throw new AssertionError("Postfix greeted " + greeting + "\n" + log());
            } catch (IOException e) {
                last = e;
                Thread.sleep(50);
            }
        }
        throw new AssertionError("Postfix does not answer on " + host + ":" + port + ": " + last + "\n" + log());
    }

    /** What Postfix logged so far. */
    String log() {
        try {
            Path maillog = dir.resolve("maillog");
            return Files.exists(maillog) ? Files.readString(maillog, UTF_8) : "(no maillog)";
        } catch (IOException e) {
            return "(no maillog: " + e + ")";
        }
    }

    /** Waits until the maillog contains {@code text} and returns the whole log. */
    String awaitLog(String text, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        String log = log();
        while (!log.contains(text) && System.nanoTime() < deadline) {
            Thread.sleep(50);
            log = log();
        }
        if (!log.contains(text)) {
            throw new AssertionError("no \"" + text + "\" in Postfix's maillog:\n" + log);
        }
        return log;
    }

    /** The Maildir of a {@code virtual_mailbox_maps} entry {@code user/Maildir/}. */
    Path maildir(String user) {
        return dir.resolve("mail").resolve(user).resolve("Maildir");
    }

    /** Waits until one message is in {@code new/} of the user's Maildir and returns it. */
    Path awaitMessage(String user, Duration timeout) throws IOException, InterruptedException {
        Path inbox = maildir(user).resolve("new");
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            List<Path> files = List.of();
            if (Files.isDirectory(inbox)) {
                try (Stream<Path> s = Files.list(inbox)) {
                    files = s.sorted(Comparator.comparing(p -> p.getFileName().toString())).toList();
                }
            }
            if (!files.isEmpty() || System.nanoTime() > deadline) {
                if (files.size() != 1) {
                    throw new AssertionError("expected 1 message in " + inbox + ", found " + files + "\n" + log());
                }
                return files.get(0);
            }
            Thread.sleep(20);
        }
    }

    /** {@code postfix stop}; if that fails, kills the master whose pid Postfix wrote. */
    @Override
    public void close() {
        if (!running) {
            return;
        }
        running = false;
        try {
            run("stop");
        } catch (IOException | InterruptedException | AssertionError e) {
            masterPid().flatMap(ProcessHandle::of).ifPresent(ProcessHandle::destroyForcibly);
            throw new AssertionError("postfix stop failed; killed its master: " + e.getMessage(), e);
        }
    }

    /** After a failed start: whatever runs of it goes, and the start's failure is the one reported. */
    private void stopQuietly() {
        running = false;
        try {
            run("stop");
        } catch (IOException | InterruptedException | AssertionError e) {
            masterPid().flatMap(ProcessHandle::of).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    private Optional<Long> masterPid() {
        try {
            return Optional.of(Long.parseLong(Files.readString(dir.resolve("queue/pid/master.pid"), US_ASCII).trim()));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }
}
