package dev.extractor.client;

import dev.extractor.Delta;
import dev.extractor.ExtractionListener;
import dev.extractor.client.spi.StreamDecoder;
import dev.extractor.client.spi.WireRequest;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Flow;
import okhttp3.Headers;
import okhttp3.HttpUrl;

/**
 * The non-blocking form of {@link Transport.HttpSource}: one request (and its HTTP retries) over the JDK's {@link
 * HttpClient}, whose selector thread hands each body buffer to the wire format's decoder and the decoded deltas to a
 * {@link Sink}, without a thread parked per stream. The decisions are the blocking path's, made by the same {@link
 * Transport} methods: what is retried (a connection failure or a timeout before the first byte of the body, a
 * retryable status, an in-band error before any delta of the answer), the waits ({@link Transport#retryDelay}), the
 * typed exceptions ({@link Transport#apiError}, {@link Transport#ioFailure}, {@link Transport#inBand}). Timeouts are
 * enforced by the shared {@link IdleTimer}: the read timeout as the longest silence before the headers and between
 * two reads, the call timeout for the whole exchange.
 *
 * <p>Every signal (the client's, the timer's, a cancellation's) is handled under this object's lock, so the sink
 * is called serially. Cancelling ({@link CancelHandle#cancel()}, {@link #abort()}) cancels the exchange, which
 * closes its HTTP/1.1 connection (or resets its HTTP/2 stream).
 */
final class PushCall {

    /** Receives one request's answer. Called serially, on the client's selector thread (or the timer's). */
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

    private static final ThreadLocal<byte[]> SCRATCH = ThreadLocal.withInitial(() -> new byte[16 * 1024]);

    private final Transport transport;
    private final HttpClient client;
    /** The request's body, once (each {@link WireRequest#body()} is a copy): sent again by each retry. */
    private final byte[] body;
    private final String contentType;
    private final HttpUrl url;
    private final URI uri;
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

    PushCall(Transport transport, HttpClient client, WireRequest request, boolean prose, CancelHandle handle,
            ExtractionListener listener, Sink sink, Duration idle, Duration call) {
        this.transport = transport;
        this.client = client;
        this.body = request.body();
        this.contentType = request.contentType();
        this.url = transport.url(request);
        this.uri = url.uri();
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

    private static Headers okHeaders(HttpHeaders h) {
        Headers.Builder b = new Headers.Builder();
        h.map().forEach((name, values) -> {
            if (!name.startsWith(":")) {
                values.forEach(v -> b.addUnsafeNonAscii(name, v));
            }
        });
        return b.build();
    }

    /** One attempt: a request and its response. Its callbacks take the call's lock and ignore it once finished. */
    private final class Exchange implements Flow.Subscriber<List<ByteBuffer>> {
        private volatile CompletableFuture<HttpResponse<Object>> response;
        private volatile Flow.Subscription subscription;
        private volatile IdleTimer.Watch watch;
        private StreamDecoder decoder;
        private String requestId;
        private long bytes;
        /** This attempt said all it will (its end, its failure, a retry); later signals are ignored. */
        boolean finished;
        /** The decoder said the answer is over: what follows is read and dropped, so the connection can be reused. */
        private boolean draining;
        /** A paced sink did not want more after the last buffer: no buffer is asked for until {@link #resume()}. */
        private final java.util.concurrent.atomic.AtomicBoolean paused = new java.util.concurrent.atomic.AtomicBoolean();

        void begin() {
            watch = IdleTimer.watch(idleNanos, callNanos, this::timedOut);
            try {
                HttpRequest.Builder b = HttpRequest.newBuilder(uri)
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body));
                if (!url.isHttps()) {
                    b.version(HttpClient.Version.HTTP_1_1); // no h2c upgrade for cleartext, as with OkHttp
                }
                headers.forEach(b::setHeader); // a header the JDK client refuses (Host, Connection, ...) fails here
                b.setHeader("Content-Type", contentType);
                response = client.sendAsync(b.build(), this::handle);
            } catch (RuntimeException e) {
                finished = true;
                watch.stop();
                end(e);
                return;
            }
            response.whenComplete(this::responded);
        }

        /** The response headers arrived: a body subscriber for them. */
        private HttpResponse.BodySubscriber<Object> handle(HttpResponse.ResponseInfo info) {
            synchronized (PushCall.this) {
                if (finished) {
                    return HttpResponse.BodySubscribers.fromSubscriber(new Dropping(), s -> null);
                }
                watch.touch();
                if (info.statusCode() / 100 != 2) {
                    return HttpResponse.BodySubscribers.mapping(HttpResponse.BodySubscribers.ofByteArray(), x -> x);
                }
                HttpHeaders h = info.headers();
                requestId = transport.wire.requestId(name -> h.firstValue(name).orElse(null));
                String contentType = h.firstValue("Content-Type").orElse(null);
                try {
                    if (listener != null) {
                        listener.onOpen(requestId);
                    }
                    decoder = transport.wire.decoder(contentType, this::decoded);
                    decoded(new Delta.Info(null, null, requestId));
                } catch (RuntimeException e) {
                    fail(e); // a listener that throws fails the call
                    return HttpResponse.BodySubscribers.fromSubscriber(new Dropping(), s -> null);
                }
                return HttpResponse.BodySubscribers.fromSubscriber(this, s -> null);
            }
        }

        /** The response future: a failure before the body, or an error status with its body. */
        private void responded(HttpResponse<Object> r, Throwable error) {
            synchronized (PushCall.this) {
                if (finished) {
                    return;
                }
                Throwable t = error instanceof CompletionException && error.getCause() != null ? error.getCause()
                        : error;
                if (t != null) {
                    if (t instanceof IOException io) {
                        failedRead(io);
                    } else if (cancelled || t instanceof CancellationException) {
                        finish();
                        end(new CancellationException("The extraction was cancelled"));
                    } else {
                        fail(t instanceof RuntimeException re ? re : new ConnectionException("The request to "
                                + url.host() + ":" + url.port() + " failed: " + t, null, t));
                    }
                    return;
                }
                if (r.statusCode() / 100 == 2) {
                    return; // the body subscriber reads it
                }
                watch.stop();
                Headers h = okHeaders(r.headers());
                byte[] body = r.body() instanceof byte[] b ? b : new byte[0];
                ApiException e = transport.apiError(r.statusCode(), h, new String(body, StandardCharsets.UTF_8),
                        url, retries);
                finished = true;
                if (transport.wire.retryable(r.statusCode(), h::get, e.details())
                        && retries < transport.retryPolicy.maxRetries()) {
                    retry(h, e.details().retryAfter(), e);
                } else {
                    end(e);
                }
            }
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            boolean stop;
            synchronized (PushCall.this) {
                stop = finished && !draining;
            }
            if (stop) {
                s.cancel();
            } else {
                s.request(sink.paced() ? 1 : Long.MAX_VALUE);
            }
        }

        @Override
        public void onNext(List<ByteBuffer> buffers) {
            synchronized (PushCall.this) {
                if (finished) {
                    return;
                }
                watch.touch();
                for (ByteBuffer b : buffers) {
                    int n = b.remaining();
                    bytes += n;
                    try {
                        feed(b, n);
                    } catch (RuntimeException e) {
                        decodeFailed(e);
                        return;
                    }
                    if (decoder.done()) {
                        finished = true;
                        draining = true; // the watch stays: a server that keeps the connection open is cut off
                        end(null);
                        subscription.request(Long.MAX_VALUE);
                        return;
                    }
                }
            }
            if (sink.paced()) {
                if (sink.wantsMore()) {
                    subscription.request(1);
                } else {
                    watch.hold(true);
                    paused.set(true);
                    if (sink.wantsMore()) { // demand came meanwhile: resume() may have missed the pause
                        resume();
                    }
                }
            }
        }

        void resume() {
            if (paused.compareAndSet(true, false)) {
                watch.hold(false);
                subscription.request(1);
            }
        }

        private void feed(ByteBuffer b, int n) {
            if (b.hasArray()) {
                decoder.feed(b.array(), b.arrayOffset() + b.position(), n);
                return;
            }
            byte[] scratch = SCRATCH.get();
            while (b.hasRemaining()) {
                int k = Math.min(scratch.length, b.remaining());
                b.get(scratch, 0, k);
                decoder.feed(scratch, 0, k);
                if (decoder.done()) {
                    return;
                }
            }
        }

        private void decoded(Delta d) {
            if (Transport.HttpSource.isAnswer(d)) {
                answered = true;
            }
            sink.delta(prose && d instanceof Delta.Text t ? new Delta.Prose(t.text()) : d);
        }

        @Override
        public void onError(Throwable t) {
            synchronized (PushCall.this) {
                if (finished) {
                    watch.stop();
                    return;
                }
                failedRead(t instanceof IOException io ? io : new IOException(t));
            }
        }

        @Override
        public void onComplete() {
            synchronized (PushCall.this) {
                watch.stop();
                if (finished) {
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
            IOException io = e instanceof HttpConnectTimeoutException ? new SocketTimeoutException("connect timed out")
                    : e;
            ConnectionException failure = transport.ioFailure(io, url, requestId, bytes, retries);
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

        /** Cancels the request and the body (closing an HTTP/1.1 connection). Thread-safe, does not block. */
        void cancel() {
            if (watch != null) {
                watch.stop();
            }
            CompletableFuture<HttpResponse<Object>> r = response;
            if (r != null) {
                r.cancel(true);
            }
            Flow.Subscription s = subscription;
            if (s != null) {
                s.cancel();
            }
        }
    }

    /** Takes a body nobody wants, cancelling it at once. */
    private static final class Dropping implements Flow.Subscriber<List<ByteBuffer>> {
        @Override
        public void onSubscribe(Flow.Subscription s) {
            s.cancel();
        }

        @Override
        public void onNext(List<ByteBuffer> item) {}

        @Override
        public void onError(Throwable throwable) {}

        @Override
        public void onComplete() {}
    }
}
