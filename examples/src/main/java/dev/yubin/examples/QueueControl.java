package dev.yubin.examples;

import dev.yubin.core.message.QueueId;
import dev.yubin.core.store.StoreException;
import dev.yubin.delivery.queue.FileQueueStore;
import dev.yubin.delivery.queue.QueueListing;
import dev.yubin.delivery.queue.QueueStore;
import dev.yubin.delivery.remote.QueueManager;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.ZoneId;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The queue commands of {@code yubin-server.jar queue}, Postfix's {@code postqueue -p}, {@code postqueue -f} and
 * {@code postsuper -d}: {@code list}, {@code flush}, {@code delete ID…}. A running server answers them on the UNIX
 * socket {@code queue_directory/control} (mode 0600: only the server's user); when none runs, {@code list} and
 * {@code delete} work on the queue directory itself, and {@code flush} has nothing to wake (nor under
 * {@code defer_transports = smtp}).
 */
final class QueueControl implements AutoCloseable {
    static final String SOCKET = "control";
    private static final Logger LOG = LoggerFactory.getLogger(QueueControl.class);

    private final ServerSocketChannel server;
    private final Path socket;
    private final QueueStore queue;
    private final QueueManager manager;
    private final Thread acceptor;

    private QueueControl(ServerSocketChannel server, Path socket, QueueStore queue, QueueManager manager) {
        this.server = server;
        this.socket = socket;
        this.queue = queue;
        this.manager = manager;
        this.acceptor = new Thread(this::serve, "queue-control");
        acceptor.setDaemon(true);
    }

    /** Listens on {@code queueDirectory/control} for the running server. */
    static QueueControl open(Path queueDirectory, QueueStore queue, QueueManager manager) throws IOException {
        Path socket = queueDirectory.resolve(SOCKET);
        Files.deleteIfExists(socket); // left by a server that was killed; the queue's lock says no other runs
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
        Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-------"));
        QueueControl control = new QueueControl(server, socket, queue, manager);
        control.acceptor.start();
        return control;
    }

    private void serve() {
        while (server.isOpen()) {
            try (SocketChannel client = server.accept()) {
                BufferedReader in = new BufferedReader(new InputStreamReader(Channels.newInputStream(client),
                        StandardCharsets.UTF_8));
                String line = in.readLine();
                java.io.ByteArrayOutputStream text = new java.io.ByteArrayOutputStream();
                int status;
                try (PrintStream out = new PrintStream(text, true, StandardCharsets.UTF_8)) {
                    status = run(line == null ? List.of() : List.of(line.trim().split("\\s+")), queue, manager, out);
                }
                // the exit status on the first line, then what the command printed
                PrintStream reply = new PrintStream(Channels.newOutputStream(client), false, StandardCharsets.UTF_8);
                reply.print(status + "\n");
                reply.write(text.toByteArray());
                reply.flush();
            } catch (IOException e) {
                if (server.isOpen()) {
                    LOG.warn("queue control: {}", e.toString());
                }
            }
        }
    }

    /** Runs one command against a queue (and the manager, when the server runs); returns the exit status. */
    static int run(List<String> command, QueueStore queue, QueueManager manager, PrintStream out) {
        try {
            switch (command.isEmpty() ? "" : command.get(0)) {
                case "list":
                    out.print(QueueListing.format(queue.list(), ZoneId.systemDefault()));
                    return 0;
                case "flush":
                    if (manager == null) {
                        out.println("queue: no remote delivery runs (the server is stopped, or defer_transports"
                                + " suspends it): nothing to flush");
                        return 1;
                    }
                    manager.flush();
                    out.println("queue: flushing the queue");
                    return 0;
                case "delete":
                    int status = command.size() > 1 ? 0 : 2;
                    for (String id : command.subList(1, command.size())) {
                        if (queue.remove(new QueueId(id))) { // the queue logs "<qid>: removed"
                            out.println("queue: " + id + ": removed");
                        } else {
                            out.println("queue: " + id + ": no such message");
                            status = 1;
                        }
                    }
                    if (command.size() == 1) {
                        out.println("queue: delete needs queue ids");
                    }
                    return status;
                default:
                    out.println("queue: unknown command " + String.join(" ", command)
                            + " (use list, flush or delete ID...)");
                    return 2;
            }
        } catch (StoreException | IllegalArgumentException e) {
            out.println("queue: " + e.getMessage());
            return 1;
        }
    }

    /**
     * {@code yubin-server.jar queue …}: asks the running server, or works on the queue directory when none runs.
     */
    static int client(Path queueDirectory, List<String> command, PrintStream out) throws IOException {
        Path socket = queueDirectory.resolve(SOCKET);
        if (Files.exists(socket)) {
            try (SocketChannel channel = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
                channel.write(java.nio.ByteBuffer.wrap((String.join(" ", command) + "\n")
                        .getBytes(StandardCharsets.UTF_8)));
                channel.shutdownOutput();
                String answer = new String(Channels.newInputStream(channel).readAllBytes(), StandardCharsets.UTF_8);
                int newline = answer.indexOf('\n');
                out.print(answer.substring(newline + 1));
                return newline > 0 ? Integer.parseInt(answer.substring(0, newline)) : 1;
            } catch (java.net.SocketException stale) {
                // a socket left by a server that died: fall through to the queue directory
            }
        }
        try (FileQueueStore queue = FileQueueStore.open(queueDirectory)) {
            return run(command, queue, null, out);
        } catch (StoreException e) {
            out.println("queue: cannot open " + queueDirectory + ": " + e.getMessage());
            return 1;
        }
    }

    @Override
    public void close() {
        try {
            server.close();
            Files.deleteIfExists(socket);
        } catch (IOException e) {
            LOG.debug("closing the control socket", e);
        }
    }
}
