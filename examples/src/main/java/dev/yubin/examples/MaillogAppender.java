package dev.yubin.examples;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.UnsynchronizedAppenderBase;
import ch.qos.logback.core.encoder.Encoder;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * The maillog file, written the way Postfix's postlogd does it: callers format their line and queue it without
 * waiting or waking anybody; one writer thread appends whatever has queued every {@value #FLUSH_MILLIS} ms, in one
 * write. A burst of 5,000 messages a second is then a few hundred writes instead of 25,000 wake-ups and writes.
 * Lines are in the file at most {@value #FLUSH_MILLIS} ms after they were logged, and all of them once
 * {@link #stop()} returns. When more than {@value #MAX_QUEUED} lines wait (the disk is stuck), callers wait too,
 * rather than lines being dropped or memory growing without bound.
 */
final class MaillogAppender extends UnsynchronizedAppenderBase<ILoggingEvent> {
    static final int FLUSH_MILLIS = 20;
    static final int MAX_QUEUED = 65_536;

    private final Path file;
    private final Encoder<ILoggingEvent> encoder;
    private final ConcurrentLinkedQueue<byte[]> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queued = new AtomicInteger();
    private final Object writing = new Object();
    private OutputStream out;
    private Thread writer;
    private volatile boolean stopping;

    MaillogAppender(Path file, Encoder<ILoggingEvent> encoder) {
        this.file = Objects.requireNonNull(file, "file");
        this.encoder = Objects.requireNonNull(encoder, "encoder");
    }

    @Override
    public void start() {
        try {
            out = new FileOutputStream(file.toFile(), true);
        } catch (IOException e) {
            addError("cannot open " + file, e);
            return;
        }
        writer = new Thread(this::writeLoop, "maillog");
        writer.setDaemon(true);
        writer.start();
        super.start();
    }

    @Override
    protected void append(ILoggingEvent event) {
        queue.add(encoder.encode(event));
        if (queued.incrementAndGet() > MAX_QUEUED) {
            drain(); // the writer is behind: help it, under its lock
        }
    }

    private void writeLoop() {
        while (!stopping) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(FLUSH_MILLIS));
            drain();
        }
    }

    /** Appends every queued line in one write. */
    private void drain() {
        synchronized (writing) {
            if (queue.isEmpty()) {
                return;
            }
            int size = 0;
            int count = 0;
            byte[][] lines = new byte[Math.max(16, queued.get() + 16)][];
            byte[] line;
            while (count < lines.length && (line = queue.poll()) != null) {
                lines[count++] = line;
                size += line.length;
            }
            queued.addAndGet(-count);
            byte[] batch = new byte[size];
            int at = 0;
            for (int i = 0; i < count; i++) {
                System.arraycopy(lines[i], 0, batch, at, lines[i].length);
                at += lines[i].length;
            }
            try {
                out.write(batch);
                out.flush();
            } catch (IOException e) {
                addError("cannot write " + file, e);
            }
        }
    }

    @Override
    public void stop() {
        if (!isStarted()) {
            return;
        }
        super.stop();
        stopping = true;
        LockSupport.unpark(writer);
        try {
            writer.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        drain();
        synchronized (writing) {
            try {
                out.close();
            } catch (IOException e) {
                addError("cannot close " + file, e);
            }
        }
    }
}
