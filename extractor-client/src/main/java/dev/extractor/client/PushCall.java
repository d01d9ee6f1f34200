package dev.extractor.client;

import dev.extractor.Delta;
import dev.extractor.ExtractionListener;
import dev.extractor.client.spi.StreamDecoder;
import dev.extractor.client.spi.WireRequest;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CancellationException;
import okhttp3.Headers;
import okhttp3.HttpUrl;

/**
 * The non-blocking form of {@link Transport.HttpSource}: one request (and its HTTP retries) over {@link LoopHttp},
 * whose event-loop thread hands each read's body bytes to the wire format's decoder and the decoded deltas to a
 * {@link Sink}, without a thread parked per stream. The decisions are the blocking path's, made by the same {@link
 * Transport} methods: what is retried (a connection failure or a timeout before the first byte of the body, a
 * retryable status, an in-band error before any delta of the answer), the waits ({@link Transport#retryDelay}), the
 * typed exceptions ({@link Transport#apiError}, {@link Transport#ioFailure}, {@link Transport#inBand}). Timeouts are
 * enforced by the shared {@link IdleTimer}: the read timeout as the longest silence before the headers and between
 * two reads, the call timeout for the whole exchange.
 *
 * <p>Every signal (the client's, the timer's, a cancellation's) is handled under this object's lock, so the sink
 * is called serially. Cancelling ({@link CancelHandle#cancel()}, {@link #abort()}) cancels the exchange, which
 * closes its connection.
 */
final class PushCall {

    /** Receives one request's answer. Called serially, on the client's loop thread (or the timer's). */
    interface Sink {
        /**
         * The next delta of the answer (the first is the response's {@link Delta.Info}, again after a retry).
         *
         * @param delta the delta
         */
        void delta(Delta delta);

        /**
         * The answer ended ({@code failure} null) or failed for good; called once, and nothing after it.
         *
         * @param failure the typed failure, a {@link CancellationException} when cancelled, or null
         */
        void end(RuntimeException failure);

        /**
         * Whether the sink paces the reading: then the body is asked for one buffer at a time, and the next only
         * while {@link #wantsMore()} (else, after {@link PushCall#resume()}). Otherwise it is read as it arrives.
         *
         * @return whether the sink paces the reading
         */
        default boolean paced() {
            return false;
        }

        /**
         * For a {@link #paced()} sink: whether to read the next buffer now.
         *
         * @return whether to read the next buffer now
         */
        default boolean wantsMore() {
            return true;
        }
    }

    /** The most of an error response's body kept for its exception. */
    private static final int MAX_ERROR_BODY = 1 << 20;

    private final Transport transport;
    private final LoopHttp loops;
    /** The request's body, once (each {@link WireRequest#body()} is a copy): sent again by each retry. */
    private final byte[] body;
    private final String contentType;
    private final HttpUrl url;
    private final Map<String, String> headers;
    private final boolean prose;
    private final CancelHandle handle;
    private final ExtractionListener listener;
    private final Sink sink;
    private final long idleNanos;
    private final long callNanos;
    private int retries;
    private boolean answered;
    private boolean ended;
    private volatile boolean cancelled;
    private volatile Exchange current;

    PushCall(Transport transport, LoopHttp loops, WireRequest request, boolean prose, CancelHandle handle,
            ExtractionListener listener, Sink sink, Duration idle, Duration call) {
        this.transport = transport;
        this.loops = loops;
        this.body = request.body();
        this.contentType = request.contentType();
        this.url = transport.url(request);
        this.headers = transport.headers(request);
        this.prose = prose;
        this.handle = handle;
        this.listener = listener;
        this.sink = sink;
        this.idleNanos = idle.toNanos();
        this.callNanos = call.toNanos();
    }

    /** Sends the request; the answer goes to the sink. */
    void start() {
        handle.attach(this::cancel);
        synchronized (this) {
            send();
        }
    }

    /** How many times the request was sent again before its answer began. */
    synchronized int retries() {
        return retries;
    }

    /** A {@link Sink#paced() paced} sink wants more again: reads the next buffer if reading had paused. */
    void resume() {
        Exchange x = current;
        if (x != null) {
            x.resume();
        }
    }

    /** Stops the exchange without telling the sink (it asked for it). */
    void abort() {
        cancelled = true;
        Exchange x = current;
        if (x != null) {
            x.cancel();
        }
    }

    /** The extraction was cancelled: stop the exchange (from any thread, without blocking), then tell the sink. */
    private void cancel() {
        abort();
        IdleTimer.schedule(() -> {
            synchronized (this) {
                Exchange x = current;
                if (x != null) {
                    x.finished = true;
                }
                end(new CancellationException("The extraction was cancelled"));
            }
        }, 0);
    }

    private void send() {
        if (ended) {
            return;
        }
        if (cancelled || handle.isCancelled()) {
            end(new CancellationException("The extraction was cancelled"));
            return;
        }
        Exchange x = new Exchange();
        current = x;
        x.begin();
    }

    private void end(RuntimeException failure) {
        if (!ended) {
            ended = true;
            sink.end(failure);
        }
    }

    private void retry(Headers failed, Duration asked, RuntimeException cause) {
        Duration d;
        try {
            d = transport.retryDelay(++retries, failed, asked, listener, cause);
        } catch (RuntimeException | Error e) {
            end(e instanceof RuntimeException r ? r : new IllegalStateException(e)); // a listener threw
            return;
        }
        if (transport.realSleeper()) {
            IdleTimer.schedule(() -> {
                synchronized (this) {
                    send();
                }
            }, d.toNanos());
            return;
        }
        try {
            transport.sleep(d, handle); // a test's sleeper: records the wait
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            end(new CancellationException("Interrupted while waiting to retry"));
            return;
        }
        send();
    }

    /** One attempt: a request and its response. Its callbacks take the call's lock and ignore it once finished. */
    private final class Exchange implements LoopHttp.Listener {
        private volatile LoopHttp.Exchange http;
        private volatile IdleTimer.Watch watch;
        private StreamDecoder decoder;
        private String requestId;
        private long bytes;
        /** An error status: its headers, and its body as it arrives (up to {@link #MAX_ERROR_BODY}). */
        private int errorStatus;
        private Headers errorHeaders;
        private java.io.ByteArrayOutputStream errorBody;
        /** This attempt said all it will (its end, its failure, a retry); later signals are ignored. */
        boolean finished;
        /** The decoder said the answer is over: what follows is read and dropped, so the connection can be reused. */
        private boolean draining;
        /** A paced sink did not want more after the last read: nothing is read until {@link #resume()}. */
        private final java.util.concurrent.atomic.AtomicBoolean paused = new java.util.concurrent.atomic.AtomicBoolean();

        void begin() {
            watch = IdleTimer.watch(idleNanos, callNanos, this::timedOut);
            try {
                Map<String, String> h = new java.util.LinkedHashMap<>(headers);
                h.put("Content-Type", contentType);
                http = loops.post(url, h, body, this);
            } catch (RuntimeException e) {
                finished = true;
                watch.stop();
                end(e); // a header the client sets itself, or one with CR/LF
            }
        }

        @Override
        public void head(int status, Headers h) {
            synchronized (PushCall.this) {
                if (finished) {
                    return;
                }
                watch.touch();
                if (status / 100 != 2) {
                    errorStatus = status;
                    errorHeaders = h;
                    errorBody = new java.io.ByteArrayOutputStream();
                    return;
                }
                requestId = transport.wire.requestId(h::get);
                try {
                    if (listener != null) {
                        listener.onOpen(requestId);
                    }
                    decoder = transport.wire.decoder(h.get("Content-Type"), this::decoded);
                    decoded(new Delta.Info(null, null, requestId));
                } catch (RuntimeException e) {
                    fail(e); // a listener that throws fails the call
                }
            }
        }

        @Override
        public void body(byte[] b, int off, int len) {
            synchronized (PushCall.this) {
                if (finished) {
                    return;
                }
                watch.touch();
                if (errorBody != null) {
                    errorBody.write(b, off, Math.min(len, MAX_ERROR_BODY - errorBody.size()));
                    return;
                }
                bytes += len;
                try {
                    decoder.feed(b, off, len);
                } catch (RuntimeException e) {
                    decodeFailed(e);
                    return;
                }
                if (decoder.done()) {
                    finished = true;
                    draining = true; // the watch stays: a server that keeps the connection open is cut off
                    end(null);
                }
            }
        }

        @Override
        public boolean readMore() {
            if (finished || !sink.paced() || sink.wantsMore()) {
                return true; // once finished (draining), read to the end, so that the connection is kept
            }
            watch.hold(true);
            paused.set(true);
            if (sink.wantsMore()) { // demand came meanwhile: resume() may have missed the pause
                resume();
            }
            return false;
        }

        void resume() {
            if (paused.compareAndSet(true, false)) {
                watch.hold(false);
                LoopHttp.Exchange x = http;
                if (x != null) {
                    x.resume();
                }
            }
        }

        @Override
        public void complete() {
            synchronized (PushCall.this) {
                watch.stop();
                if (finished) {
                    return;
                }
                if (errorBody != null) {
                    errorStatus();
                    return;
                }
                try {
                    decoder.end();
                } catch (RuntimeException e) {
                    decodeFailed(e);
                    return;
                }
                finished = true;
                end(null);
            }
        }

        /** An error status with its whole body: the typed failure, retried where the status says so. */
        private void errorStatus() {
            ApiException e = transport.apiError(errorStatus, errorHeaders,
                    errorBody.toString(StandardCharsets.UTF_8), url, retries);
            finished = true;
            if (transport.wire.retryable(errorStatus, errorHeaders::get, e.details())
                    && retries < transport.retryPolicy.maxRetries()) {
                retry(errorHeaders, e.details().retryAfter(), e);
            } else {
                end(e);
            }
        }

        @Override
        public void failed(IOException e) {
            synchronized (PushCall.this) {
                if (finished) {
                    watch.stop();
                    return;
                }
                failedRead(e);
            }
        }

        private void decoded(Delta d) {
            if (Transport.HttpSource.isAnswer(d)) {
                answered = true;
            }
            sink.delta(prose && d instanceof Delta.Text t ? new Delta.Prose(t.text()) : d);
        }

        /** The decoder failed: an in-band error (retried while nothing of the answer was delivered), or bad data. */
        private void decodeFailed(RuntimeException e) {
            if (e instanceof ApiException a && a.inBand()) {
                ApiException error = transport.inBand(a, requestId);
                if (!answered && !cancelled && retries < transport.retryPolicy.maxRetries()
                        && transport.wire.retryable(error.statusCode(), name -> null, error.details())) {
                    finish();
                    cancel();
                    retry(null, error.details().retryAfter(), error);
                    return;
                }
                fail(retries == 0 ? error : Transport.withRetries(error, retries));
                return;
            }
            if (e instanceof ProviderException p) {
                p.attachRequestId(requestId);
            }
            fail(e);
        }

        /** A read failed (or timed out): retried while nothing of the body arrived, else the typed failure. */
        private void failedRead(IOException e) {
            if (cancelled || handle.isCancelled()) {
                finish();
                end(new CancellationException("The extraction was cancelled"));
                return;
            }
            ConnectionException failure = transport.ioFailure(e, url, requestId, bytes, retries);
            finish();
            cancel();
            if (bytes == 0 && retries < transport.retryPolicy.maxRetries()) {
                retry(null, null, failure);
            } else {
                end(failure);
            }
        }

        private void timedOut(boolean call) {
            synchronized (PushCall.this) {
                if (draining) {
                    cancel();
                    return;
                }
                if (finished) {
                    return;
                }
                failedRead(call ? new InterruptedIOException("timeout") : new SocketTimeoutException("read timed out"));
            }
        }

        private void fail(RuntimeException e) {
            finish();
            cancel();
            end(e);
        }

        private void finish() {
            finished = true;
            watch.stop();
        }

        /** Cancels the request and closes its connection. Thread-safe, does not block. */
        void cancel() {
            if (watch != null) {
                watch.stop();
            }
            LoopHttp.Exchange x = http;
            if (x != null) {
                x.cancel();
            }
        }
    }
}
