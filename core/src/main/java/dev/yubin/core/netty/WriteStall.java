package dev.yubin.core.netty;

import io.netty.channel.ChannelHandlerContext;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Drops a client that does not read what is sent, as an idle one is dropped: when the channel stops being writable
 * a timer starts, writability coming back cancels it, and if it runs out {@code onStall} runs (it closes the
 * connection). Event loop only; one per channel. Not thread-safe.
 */
public final class WriteStall {
    private final Duration timeout;
    private final Runnable onStall;
    private ScheduledFuture<?> timer;

    /** @param onStall runs on the event loop when the channel stayed unwritable for {@code timeout} */
    public WriteStall(Duration timeout, Runnable onStall) {
        this.timeout = timeout;
        this.onStall = onStall;
    }

    /** From the handler's {@code channelWritabilityChanged}. */
    public void writabilityChanged(ChannelHandlerContext ctx) {
        if (ctx.channel().isWritable()) {
            cancel();
        } else if (timer == null) {
            timer = ctx.executor().schedule(() -> {
                timer = null;
                if (!ctx.channel().isWritable()) {
                    onStall.run();
                }
            }, timeout.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** Stops the timer, e.g. when the channel is gone. */
    public void cancel() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }
}
