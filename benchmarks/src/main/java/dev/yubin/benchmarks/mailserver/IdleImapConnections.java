package dev.yubin.benchmarks.mailserver;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Memory per idle IMAP connection: starts each named server in a child JVM ({@link IdleImapServer}, so that the
 * client's sockets are not in the figure), opens {@code --connections} connections to its IMAP port on loopback from
 * this process, reads each greeting and leaves the connection open, and reports how much the server's heap (used,
 * after full GCs) and its resident set ({@code VmRSS} of {@code /proc/<pid>/status}) grew, per connection.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.yubin.benchmarks.mailserver.IdleImapConnections \
 *     [--connections 10000] [--jvm-opts "-Xms1g -Xmx1g -XX:+AlwaysPreTouch"] yubin greenmail
 * </pre>
 *
 * <p>The child's heap is fixed and touched in advance by default, so that the RSS growth is memory outside the
 * heap (thread stacks, direct buffers, native allocations) and heap + RSS growth is the whole cost. Linux only
 * ({@code /proc}); each process needs a descriptor per connection ({@code ulimit -n}). Before the first figure, 200
 * connections are opened and closed, so that loading classes and the first buffers are not counted. If the server
 * stops accepting or answering (a connection gets no greeting within 10 s), the figure is taken at the connections
 * that got one, and the program says so.
 */
public final class IdleImapConnections {
    private static final int WARM_UP = 200;
    private static final long GREETING_TIMEOUT_MS = 10_000;

    private IdleImapConnections() {
    }

    public static void main(String[] args) throws Exception {
        int connections = 10_000;
        String jvmOpts = "-Xms1g -Xmx1g -XX:+AlwaysPreTouch";
        List<String> servers = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--connections")) {
                connections = Integer.parseInt(args[++i]);
            } else if (args[i].equals("--jvm-opts")) {
                jvmOpts = args[++i];
            } else {
                servers.add(args[i]);
            }
        }
        if (servers.isEmpty()) {
            servers = List.of(EmbeddedServer.YUBIN, EmbeddedServer.GREENMAIL);
        }
        for (String server : servers) {
            measure(server, connections, jvmOpts);
        }
    }

    private static void measure(String server, int connections, String jvmOpts) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        for (String opt : jvmOpts.trim().split("\\s+")) {
            if (!opt.isEmpty()) {
                command.add(opt);
            }
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), IdleImapServer.class.getName(), server,
                String.valueOf(connections + WARM_UP + 100)));
        Process child = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
        Writer in = new OutputStreamWriter(child.getOutputStream(), StandardCharsets.UTF_8);
        List<SocketChannel> open = new ArrayList<>();
        try (Selector selector = Selector.open()) {
            String[] ready = expect(out, "ready").split(" ");
            InetSocketAddress imap = new InetSocketAddress("127.0.0.1", Integer.parseInt(ready[1]));
            long pid = Long.parseLong(ready[2]);

            List<SocketChannel> warmUp = new ArrayList<>();
            for (int i = 0; i < WARM_UP; i++) {
                warmUp.add(connect(imap, selector));
            }
            for (SocketChannel c : warmUp) {
                c.close();
            }
            Thread.sleep(2000);
            long[] before = sample(in, out, pid);

            long t0 = System.nanoTime();
            String failure = null;
            while (open.size() < connections) {
                try {
                    open.add(connect(imap, selector));
                } catch (IOException e) {
                    failure = "connection " + (open.size() + 1) + " failed: " + e.getMessage();
                    break;
                }
            }
            double openSeconds = (System.nanoTime() - t0) / 1e9;
            Thread.sleep(2000);
            long[] after = sample(in, out, pid);
            int alive = countAlive(open, selector);

            int n = open.size();
            System.out.printf("%s: %d idle IMAP connections opened in %.1f s%s; %d still open at the end%n", server,
                    n, openSeconds, failure == null ? "" : " (" + failure + ")", alive);
            System.out.printf("  heap used  %,d -> %,d bytes: %,d bytes per connection%n", before[0], after[0],
                    n == 0 ? 0 : (after[0] - before[0]) / n);
            System.out.printf("  VmRSS      %,d -> %,d bytes: %,d bytes per connection%n", before[1], after[1],
                    n == 0 ? 0 : (after[1] - before[1]) / n);
            System.out.printf("  threads    %d -> %d%n", before[2], after[2]);
        } finally {
            for (SocketChannel c : open) {
                c.close();
            }
            try {
                in.write("quit\n");
                in.flush();
            } catch (IOException e) {
                // the child is gone already
            }
            if (!child.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
                child.destroyForcibly();
            }
        }
    }

    /** Connects and reads the greeting line, leaving the channel non-blocking and open. */
    private static SocketChannel connect(InetSocketAddress address, Selector selector) throws IOException {
        SocketChannel channel = SocketChannel.open(address);
        try {
            channel.configureBlocking(false);
            SelectionKey key = channel.register(selector, SelectionKey.OP_READ);
            ByteBuffer buffer = ByteBuffer.allocate(1024);
            long deadline = System.currentTimeMillis() + GREETING_TIMEOUT_MS;
            try {
                while (!endsLine(buffer)) {
                    long left = deadline - System.currentTimeMillis();
                    if (left <= 0) {
                        throw new IOException("no greeting within " + GREETING_TIMEOUT_MS + " ms");
                    }
                    selector.select(left);
                    selector.selectedKeys().clear();
                    if (channel.read(buffer) < 0) {
                        throw new IOException("closed before the greeting ended");
                    }
                }
            } finally {
                key.cancel();
                selector.selectNow(); // deregisters the cancelled key
            }
            return channel;
        } catch (IOException e) {
            channel.close();
            throw e;
        }
    }

    private static boolean endsLine(ByteBuffer buffer) {
        return buffer.position() > 0 && buffer.get(buffer.position() - 1) == '\n';
    }

    /** Connections the server has not closed: none should be readable (no data, no end of stream). */
    private static int countAlive(List<SocketChannel> channels, Selector selector) throws IOException {
        for (SocketChannel c : channels) {
            c.register(selector, SelectionKey.OP_READ);
        }
        selector.selectNow();
        int closed = 0;
        ByteBuffer buffer = ByteBuffer.allocate(1024);
        for (SelectionKey key : selector.selectedKeys()) {
            buffer.clear();
            if (((SocketChannel) key.channel()).read(buffer) < 0) {
                closed++;
            }
        }
        selector.selectedKeys().clear();
        return channels.size() - closed;
    }

    /** {heap used, VmRSS in bytes, threads} of the child. */
    private static long[] sample(Writer in, BufferedReader out, long pid) throws IOException {
        in.write("measure\n");
        in.flush();
        String[] heap = expect(out, "heap").split(" ");
        long rss = 0;
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                rss = Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        return new long[] {Long.parseLong(heap[1]), rss, Long.parseLong(heap[3])};
    }

    /** The next line of the child's output that starts with {@code word}; other lines are passed through. */
    private static String expect(BufferedReader out, String word) throws IOException {
        for (String line = out.readLine(); line != null; line = out.readLine()) {
            if (line.startsWith(word + " ")) {
                return line;
            }
            System.out.println("  (server) " + line);
        }
        throw new IOException("the server process ended before printing '" + word + "'");
    }
}
