package dev.yubin.benchmarks.mailserver;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;

/**
 * The server side of {@link IdleImapConnections}, run by it in a child JVM: starts one embedded server, prints
 * {@code ready <imap port> <pid>}, then answers each {@code measure} line on standard input with
 * {@code heap <bytes used after full GCs> threads <live threads>}, and stops at {@code quit} or end of input.
 */
public final class IdleImapServer {
    private IdleImapServer() {
    }

    public static void main(String[] args) throws Exception {
        String name = args[0];
        int maxConnections = Integer.parseInt(args[1]);
        try (EmbeddedServer server = EmbeddedServer.create(name, maxConnections)) {
            server.start();
            System.out.println("ready " + server.imapPort() + " " + ProcessHandle.current().pid());
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            for (String line = in.readLine(); line != null && !line.equals("quit"); line = in.readLine()) {
                if (line.equals("measure")) {
                    System.out.println("heap " + heapUsedAfterGc() + " threads "
                            + ManagementFactory.getThreadMXBean().getThreadCount());
                }
            }
        }
    }

    /** Used heap after a few full collections, when it stops shrinking: the live set, near enough. */
    private static long heapUsedAfterGc() throws InterruptedException {
        Runtime runtime = Runtime.getRuntime();
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            System.gc();
            Thread.sleep(100);
            long now = runtime.totalMemory() - runtime.freeMemory();
            if (now >= used) {
                return now;
            }
            used = now;
        }
        return used;
    }
}
