package dev.yubin.benchmarks.mailserver;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The first start of an embedded server in a fresh JVM, which no JMH figure shows: classes loaded, nothing compiled.
 * Run without {@code --once}, it starts a child JVM per run, alternating between the servers named, and prints the
 * median of each step:
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.yubin.benchmarks.mailserver.ColdStart [--runs 9] yubin greenmail
 * </pre>
 *
 * <p>Steps, in milliseconds: {@code build} (constructing the server; Yubin's self-signed certificate waits for the
 * first TLS handshake), {@code start} (until SMTP, POP3 and IMAP are bound), {@code close}, and {@code uptime}, the
 * JVM's age when the listeners were bound (JVM start-up and the loading of this class included).
 */
public final class ColdStart {
    private static final String[] STEPS = {"build", "start", "close", "uptime"};

    private ColdStart() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 2 && args[0].equals("--once")) {
            once(args[1]);
            return;
        }
        int runs = 9;
        List<String> servers = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--runs")) {
                runs = Integer.parseInt(args[++i]);
            } else {
                servers.add(args[i]);
            }
        }
        if (servers.isEmpty()) {
            servers = List.of(EmbeddedServer.YUBIN, EmbeddedServer.GREENMAIL);
        }
        Map<String, List<double[]>> results = new LinkedHashMap<>();
        for (int run = 0; run < runs; run++) {
            for (String server : servers) {
                double[] figures = child(server);
                results.computeIfAbsent(server, k -> new ArrayList<>()).add(figures);
                System.out.printf("run %d %-9s %s%n", run + 1, server, line(figures));
            }
        }
        System.out.printf("median of %d fresh JVMs (ms):%n", runs);
        for (Map.Entry<String, List<double[]>> e : results.entrySet()) {
            double[] median = new double[STEPS.length];
            for (int step = 0; step < STEPS.length; step++) {
                int s = step;
                median[step] = median(e.getValue().stream().mapToDouble(f -> f[s]).toArray());
            }
            System.out.printf("  %-9s %s%n", e.getKey(), line(median));
        }
    }

    /** Runs {@code --once server} in a child JVM with this JVM's class path and reads its one line of figures. */
    private static double[] child(String server) throws IOException, InterruptedException {
        String java = ProcessHandle.current().info().command().orElse("java");
        Process process = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                ColdStart.class.getName(), "--once", server).redirectErrorStream(true).start();
        String last = null;
        StringBuilder all = new StringBuilder();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            for (String l = out.readLine(); l != null; l = out.readLine()) {
                all.append(l).append('\n');
                last = l;
            }
        }
        if (process.waitFor() != 0 || last == null || !last.startsWith("figures ")) {
            throw new IllegalStateException("child for " + server + " failed:\n" + all);
        }
        return Arrays.stream(last.substring("figures ".length()).split(" ")).mapToDouble(Double::parseDouble)
                .toArray();
    }

    private static void once(String server) throws IOException {
        long t0 = System.nanoTime();
        EmbeddedServer s = EmbeddedServer.create(server, 1000);
        long built = System.nanoTime();
        s.start();
        long bound = System.nanoTime();
        s.close();
        long closed = System.nanoTime();
        // read the uptime only now, so that loading the management classes is not counted in the steps
        double uptimeAtBound = ManagementFactory.getRuntimeMXBean().getUptime() - (System.nanoTime() - bound) / 1e6;
        System.out.printf("figures %.1f %.1f %.1f %.0f%n", (built - t0) / 1e6, (bound - built) / 1e6,
                (closed - bound) / 1e6, uptimeAtBound);
    }

    private static String line(double[] figures) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < STEPS.length; i++) {
            b.append(String.format("%s %7.1f  ", STEPS[i], figures[i]));
        }
        return b.toString().trim();
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
