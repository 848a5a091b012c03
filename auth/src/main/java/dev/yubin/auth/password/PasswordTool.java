package dev.yubin.auth.password;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.ByteArrayOutputStream;
import java.io.Console;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.util.Arrays;
import java.util.Locale;

/**
 * Makes a passwd-file password from the command line, like {@code doveadm pw}:
 *
 * <pre>
 * PasswordTool [-s SCHEME] [-p PASSWORD] [-t STORED] [-l] [-h]
 *   -s SCHEME  scheme to hash with (default SHA512-CRYPT)
 *   -p PASSWORD  the password (visible to other users in the process list: prefer the prompt)
 *   -t STORED  instead of hashing, check the password against STORED
 *   -l         list the schemes
 * </pre>
 *
 * Without {@code -p} the password is read from the console without echo, twice, or as one line from standard input
 * when there is no console. Prints the {@code {SCHEME}data} value. Exit status: 0 done (or verified), 1 failed (the
 * passwords differ, no password, {@code -t} mismatch), 2 usage error (bad option, unknown scheme, malformed STORED).
 * Stateless and thread-safe.
 */
public final class PasswordTool {
    private static final String USAGE = "usage: PasswordTool [-s SCHEME] [-p PASSWORD] [-t STORED] [-l] [-h]";

    private PasswordTool() {
    }

    /** Runs the tool and exits with its status. */
    public static void main(String[] args) {
        System.exit(run(args, System.console(), System.in, System.out, System.err));
    }

    /** Runs the tool reading a password, when needed, as one line of {@code in}; returns the exit status. */
    public static int run(String[] args, InputStream in, PrintStream out, PrintStream err) {
        return run(args, null, in, out, err);
    }

    static int run(String[] args, Console console, InputStream in, PrintStream out, PrintStream err) {
        String scheme = PasswordHasher.DEFAULT_SCHEME;
        String password = null;
        String test = null;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            switch (arg) {
                case "-h", "--help" -> {
                    out.println(USAGE);
                    return 0;
                }
                case "-l" -> {
                    out.println(String.join(" ", PasswordHasher.SCHEMES));
                    return 0;
                }
                case "-s", "-p", "-t" -> {
                    if (++i == args.length) {
                        err.println("option " + arg + " needs an argument\n" + USAGE);
                        return 2;
                    }
                    switch (arg) {
                        case "-s" -> scheme = args[i];
                        case "-p" -> password = args[i];
                        default -> test = args[i];
                    }
                }
                default -> {
                    err.println("unknown argument " + arg + "\n" + USAGE);
                    return 2;
                }
            }
        }
        StoredPassword stored = null;
        if (test != null) {
            try {
                stored = PasswordSchemes.parse(test);
            } catch (IllegalArgumentException e) {
                err.println("-t: " + e.getMessage());
                return 2;
            }
        } else if (!PasswordHasher.SCHEMES.contains(scheme.toUpperCase(Locale.ROOT))) {
            err.println("unknown scheme " + scheme + "; supported: " + String.join(", ", PasswordHasher.SCHEMES));
            return 2;
        }
        byte[] secret;
        try {
            secret = password != null ? password.getBytes(UTF_8) : read(console, in, stored == null, err);
        } catch (IOException e) {
            err.println("cannot read the password: " + e.getMessage());
            return 1;
        }
        if (secret == null) {
            return 1;
        }
        if (secret.length == 0) {
            err.println("empty password");
            return 1;
        }
        try {
            if (stored != null) {
                boolean ok = stored.matches(secret);
                out.println(ok ? stored.scheme() + " (verified)" : stored.scheme() + " (password mismatch)");
                return ok ? 0 : 1;
            }
            out.println(PasswordHasher.hash(scheme, secret));
            return 0;
        } finally {
            Arrays.fill(secret, (byte) 0);
        }
    }

    /** The password from the console (twice when {@code confirm}) or one line of {@code in}; null after a message. */
    private static byte[] read(Console console, InputStream in, boolean confirm, PrintStream err) throws IOException {
        if (console == null) {
            byte[] line = readLine(in);
            if (line == null) {
                err.println("no password on standard input");
            }
            return line;
        }
        char[] first = console.readPassword(confirm ? "Enter new password: " : "Enter password: ");
        char[] second = confirm && first != null ? console.readPassword("Retype new password: ") : first;
        try {
            if (first == null || second == null) {
                err.println("no password entered");
                return null;
            }
            if (!Arrays.equals(first, second)) {
                err.println("Passwords don't match!");
                return null;
            }
            ByteBuffer bytes = UTF_8.encode(CharBuffer.wrap(first));
            byte[] result = Arrays.copyOfRange(bytes.array(), bytes.position(), bytes.limit());
            Arrays.fill(bytes.array(), (byte) 0);
            return result;
        } finally {
            if (first != null) {
                Arrays.fill(first, '\0');
            }
            if (second != null) {
                Arrays.fill(second, '\0');
            }
        }
    }

    /** One line of {@code in} without its end ({@code \n} or {@code \r\n}), or null at end of input. */
    private static byte[] readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != -1 && b != '\n') {
            line.write(b);
        }
        if (b == -1 && line.size() == 0) {
            return null;
        }
        byte[] bytes = line.toByteArray();
        int length = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
        return Arrays.copyOf(bytes, length);
    }
}
