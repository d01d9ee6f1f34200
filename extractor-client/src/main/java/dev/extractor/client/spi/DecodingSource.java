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
 * A pull {@link DeltaSource} over a response body and a {@link StreamDecoder}: reads bytes as they are pulled (on
 * the caller's thread), decodes them, and hands the deltas out one by one. It ends when the decoder is {@link
 * StreamDecoder#done() done} or the body ends; closing it closes the body (which, for an HTTP body, cancels the
 * call). Used by the client for every response, and by wire formats' "bring your own HTTP client" entry points
 * ({@code OpenAiSse.deltas}).
 *
 * <p>A failure of the decoder (an error event, a payload it cannot read) is thrown after the deltas decoded before
 * it have been handed out, and again at every later {@link #next()}. Not thread-safe, except {@link #close()}.
 */
public final class DecodingSource implements DeltaSource {

    private final InputStream in;
    private final ArrayDeque<Delta> queue = new ArrayDeque<>();
    private final StreamDecoder decoder;
    private final Function<IOException, RuntimeException> ioErrors;
    private final byte[] buffer = new byte[8192];
    private long bytesRead;
    private boolean eof;
    private RuntimeException failure;
    private volatile boolean closed;
    private final java.util.concurrent.atomic.AtomicBoolean released = new java.util.concurrent.atomic.AtomicBoolean();

    private DecodingSource(InputStream in, Function<? super Consumer<? super Delta>, ? extends StreamDecoder> decoder,
            Function<IOException, RuntimeException> ioErrors) {
        this.in = Objects.requireNonNull(in, "in");
        Consumer<Delta> sink = queue::add;
        this.decoder = Objects.requireNonNull(decoder.apply(sink), "decoder");
        this.ioErrors = Objects.requireNonNull(ioErrors, "ioErrors");
    }

    /**
     * A source of the deltas decoded from {@code body}.
     *
     * @param body the response body; closed when the source ends or is closed
     * @param decoder makes the decoder, given the sink its deltas go to (a wire format's {@code decoder(type, sink)})
     * @param ioErrors turns a failed read into the exception to throw (a {@link dev.extractor.client.ConnectionException})
     * @return this source
     */
    public static DecodingSource of(InputStream body,
            Function<? super Consumer<? super Delta>, ? extends StreamDecoder> decoder,
            Function<IOException, RuntimeException> ioErrors) {
        return new DecodingSource(body, decoder, ioErrors);
    }

    /**
     * Queues a delta to hand out before anything read (the request id from the HTTP headers, say).
     *
     * @param delta the delta
     * @return this source
     */
    public DecodingSource prepend(Delta delta) {
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
                // an error event or a bad payload: first hand out what was decoded before it
                release();
                failure = e;
            }
        }
        return queue.poll();
    }

    /**
     * Bytes of the body read so far.
     *
     * @return bytes of the body read so far
     */
    public long bytesRead() {
        return bytesRead;
    }

    /**
     * Closes the body and makes {@link #next()} throw a {@link CancellationException} (also in a read blocked on
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

    /** Closes the body once; no lock held (closing an HTTP body may read what is left, briefly). */
    private void release() {
        if (!released.compareAndSet(false, true)) {
            return;
        }
        try {
            in.close();
        } catch (IOException | RuntimeException ignored) {
            // closing is best effort; the caller is done with the stream
        }
    }
}
