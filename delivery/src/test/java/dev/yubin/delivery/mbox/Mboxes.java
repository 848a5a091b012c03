package dev.yubin.delivery.mbox;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.yubin.core.message.MessageContent;
import dev.yubin.core.store.Maildrop;
import dev.yubin.core.store.StoredMessage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;

/** Test fixtures for the mbox store. */
final class Mboxes {
    /** 2020-07-23 19:03:23 in Tokyo: {@code Thu Jul 23 19:03:23 2020}. */
    static final Clock CLOCK = Clock.fixed(Instant.parse("2020-07-23T10:03:23Z"), ZoneId.of("Asia/Tokyo"));

    private Mboxes() {
    }

    static MboxStore store(Path spool) {
        return MboxStore.builder().spoolDirectory(spool).clock(CLOCK).build();
    }

    static MessageContent content(String text) {
        return MessageContent.ofBytes(text.getBytes(UTF_8));
    }

    static String read(Maildrop drop, StoredMessage message) throws Exception {
        try (InputStream in = drop.open(message)) {
            return new String(in.readAllBytes(), UTF_8);
        }
    }

    /** Content whose stream fails after {@code goodBytes}, as a disk or spool error would. */
    static final class FailingContent implements MessageContent {
        private final int goodBytes;

        FailingContent(int goodBytes) {
            this.goodBytes = goodBytes;
        }

        @Override
        public long size() {
            return goodBytes * 2L;
        }

        @Override
        public InputStream openStream() {
            return new InputStream() {
                private int sent;

                @Override
                public int read() throws IOException {
                    if (sent >= goodBytes) {
                        throw new IOException("disk on fire");
                    }
                    sent++;
                    return sent % 80 == 0 ? '\n' : 'x';
                }
            };
        }

        @Override
        public long transferTo(WritableByteChannel target) throws IOException {
            target.write(ByteBuffer.wrap(new byte[goodBytes]));
            throw new IOException("disk on fire");
        }

        @Override
        public void close() {
        }
    }
}
