package dev.extractor.client.spi;

import dev.extractor.Delta;
import dev.extractor.DeltaSource;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A pull {@link DeltaSource} over a response body and a {@link ByteDecoder}: reads bytes as they come on the
 * caller's thread, decodes them and hands out the deltas one by one. Ends at the decoder's end marker or at the end
 * of the body; closing it closes the input (which, for an HTTP body, cancels the call) and makes {@link #next()}
 * throw a {@link CancellationException}, also in a read blocked on another thread. An error the decoder throws is
 * thrown after the deltas decoded before it have been handed out. Part of the wire-format SPI.
 */
public final class BodyDeltaSource implements DeltaSource {

    private final InputStream in;
    private final ArrayDeque<Delta> queue = new ArrayDeque<>();
    private final ByteDecoder decoder;
    private final Function<IOException, RuntimeException> ioErrors;
    private final byte[] buffer = new byte[8192];
    private long bytesRead;
    private boolean eof;
    private RuntimeException failure;
    private volatile boolean closed;
    private boolean released;

    /**
     * @param in the body; closed when the source ends or is closed
     * @param decoder makes the decoder, given the sink it must hand its deltas to
     * @param ioErrors makes the exception thrown for a failed read
     */
    public BodyDeltaSource(InputStream in, Function<Consumer<Delta>, ? extends ByteDecoder> decoder,
            Function<IOException, RuntimeException> ioErrors) {
        this.in = Objects.requireNonNull(in, "in");
        this.decoder = decoder.apply(queue::add);
        this.ioErrors = Objects.requireNonNull(ioErrors, "ioErrors");
    }

    /** Queues a delta to hand out before anything read (the request id from the HTTP headers, say). */
    public BodyDeltaSource prepend(Delta delta) {
        queue.addFirst(Objects.requireNonNull(delta, "delta"));
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
            try {
                if (n < 0) {
                    eof = true;
                    decoder.end();
                } else if (n > 0) {
                    bytesRead += n;
                    decoder.feed(buffer, 0, n);
                }
            } catch (RuntimeException e) {
                release(); // first hand out what was decoded before it
                failure = e;
            }
        }
        return queue.poll();
    }

    /** Bytes of the body read so far. */
    public long bytesRead() {
        return bytesRead;
    }

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
