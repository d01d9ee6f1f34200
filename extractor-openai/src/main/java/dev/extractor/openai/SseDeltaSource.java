package dev.extractor.openai;

import dev.extractor.Delta;
import dev.extractor.DeltaSource;
import dev.extractor.client.spi.SseFramer;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.concurrent.CancellationException;
import java.util.function.Function;

/**
 * A pull {@link DeltaSource} over an event-stream body: reads bytes as they come, frames them, decodes the chunks
 * and hands out the deltas one by one. Ends at {@code [DONE]} or at the end of the body; closing it closes the
 * input (which, for an HTTP body, cancels the call).
 */
class SseDeltaSource implements DeltaSource {

    private final InputStream in;
    private final ArrayDeque<Delta> queue = new ArrayDeque<>();
    private final ChunkDecoder decoder;
    private final SseFramer framer;
    private final Function<IOException, RuntimeException> ioErrors;
    private final byte[] buffer = new byte[8192];
    private long bytesRead;
    private boolean eof;
    private RuntimeException failure;
    private volatile boolean closed;
    private boolean released;

    SseDeltaSource(InputStream in, int choice, Function<IOException, RuntimeException> ioErrors) {
        this.in = in;
        this.decoder = new ChunkDecoder(queue::add, choice);
        this.framer = new SseFramer(decoder);
        this.ioErrors = ioErrors;
    }

    /** Queues a delta to hand out before anything read (the request id from the HTTP headers, say). */
    SseDeltaSource prepend(Delta delta) {
        queue.addFirst(delta);
        return this;
    }

    @Override
    public Delta next() {
        while (queue.isEmpty()) {
            if (failure != null) {
                throw failure;
            }
            if (closed) {
                throw cancelled();
            }
            if (eof || decoder.done()) {
                release();
                return null;
            }
            int n;
            try {
                n = in.read(buffer, 0, buffer.length);
            } catch (IOException e) {
                if (closed) {
                    throw cancelled();
                }
                release();
                throw ioErrors.apply(e);
            }
            if (n < 0) {
                eof = true;
                framer.end();
            } else if (n > 0) {
                bytesRead += n;
                try {
                    framer.feed(buffer, 0, n);
                } catch (RuntimeException e) {
                    // an error event or a bad payload: first hand out what was decoded before it
                    release();
                    failure = e;
                }
            }
        }
        return queue.poll();
    }

    /** Bytes of the body read so far. */
    long bytesRead() {
        return bytesRead;
    }

    /** The decoder, for its statistics. */
    ChunkDecoder decoder() {
        return decoder;
    }

    /** The framer, for its statistics. */
    SseFramer framer() {
        return framer;
    }

    /**
     * Closes the input and makes {@link #next()} throw a {@link CancellationException} (also in a read blocked on
     * another thread): a closed source has not reached the end of the answer, and must not look as if it had.
     */
    @Override
    public void close() {
        closed = true;
        release();
    }

    private static CancellationException cancelled() {
        return new CancellationException("The event stream was closed");
    }

    private synchronized void release() {
        if (released) {
            return;
        }
        released = true;
        try {
            in.close();
        } catch (IOException | RuntimeException ignored) {
            // closing is best effort; the caller is done with the stream
        }
    }
}
