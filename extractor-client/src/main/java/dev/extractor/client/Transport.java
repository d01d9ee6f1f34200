package dev.extractor.client;

import dev.extractor.Delta;
import dev.extractor.DeltaSource;
import dev.extractor.ExtractionListener;
import dev.extractor.client.spi.DecodingSource;
import dev.extractor.client.spi.ErrorDetails;
import dev.extractor.client.spi.WireFormat;
import dev.extractor.client.spi.WireRequest;
import java.io.EOFException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.function.DoubleSupplier;
import okhttp3.Call;
import okhttp3.Headers;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;

/**
 * The HTTP side, the same for every provider: posts a wire format's request, retries what may be retried (before
 * the first byte of the answer; an error sent inside the stream, before any delta of the answer), maps error
 * responses and I/O failures to typed exceptions, and hands the body to the wire format's decoder. Immutable and
 * thread-safe.
 */
final class Transport {

    /** Waits between retries; replaced in tests so that nothing really sleeps. */
    @FunctionalInterface
    interface Sleeper {
        void sleep(Duration duration, CancelHandle handle) throws InterruptedException;
    }

    static final Sleeper REAL_SLEEPER = (d, h) -> h.await(d);
    private static final long MAX_ERROR_BODY = 64 * 1024;

    final OkHttpClient client;
    final WireFormat wire;
    private final Map<String, String> extraHeaders;
    private final Map<String, String> queryParameters;
    final RetryPolicy retryPolicy;
    private final Sleeper sleeper;
    private final Clock clock;
    private final DoubleSupplier random;
    private final List<String> secrets;
    private LoopHttp loops;

    Transport(OkHttpClient client, WireFormat wire, Map<String, String> extraHeaders,
            Map<String, String> queryParameters, RetryPolicy retryPolicy, Sleeper sleeper, Clock clock,
            DoubleSupplier random) {
        this.client = client.newBuilder().addNetworkInterceptor(this::keepSecretsAtTheirOrigin).build();
        this.wire = wire;
        this.extraHeaders = Map.copyOf(extraHeaders);
        this.queryParameters = Map.copyOf(queryParameters);
        this.retryPolicy = retryPolicy;
        this.sleeper = sleeper;
        this.clock = clock;
        this.random = random;
        this.secrets = wire.secrets().stream().filter(s -> s != null && s.length() >= 4).toList();
    }

    /**
     * Sends the request and returns a source of the answer's deltas, once the response headers have arrived.
     *
     * @param prose whether text the model writes is prose beside the answer ({@link Mode#TOOLS})
     * @param listener told of each retry ({@code onRetry}, before the wait) and of the response headers
     *     ({@code onOpen}), or null
     * @throws ApiException for an error status (after the retries)
     * @throws ConnectionException when the server cannot be reached (after the retries)
     */
    HttpSource open(WireRequest request, boolean prose, CancelHandle handle, ExtractionListener listener) {
        HttpSource source = new HttpSource(request, prose, handle, listener);
        source.connect();
        return source;
    }

    /**
     * The non-blocking exchange of {@code request} over the extractor's event loops (see {@link PushCall}); call
     * {@code start()} on it. The read, connect and call timeouts are the OkHttp client's.
     */
    PushCall push(WireRequest request, boolean prose, CancelHandle handle, ExtractionListener listener,
            PushCall.Sink sink) {
        return new PushCall(this, loops(), request, prose, handle, listener, sink,
                Duration.ofMillis(client.readTimeoutMillis()), Duration.ofMillis(client.callTimeoutMillis()));
    }

    /**
     * The pull source of {@code request} over the event loops ({@link LoopSource}), its response begun: what {@link
     * #open} gives on the blocking path, with the same failures thrown here.
     */
    DeltaSource loopSource(WireRequest request, boolean prose, CancelHandle handle, ExtractionListener listener) {
        LoopSource source = new LoopSource();
        source.start(push(request, prose, handle, listener, source));
        return source;
    }

    private synchronized LoopHttp loops() {
        if (loops == null) {
            loops = new LoopHttp(LoopHttp.defaultThreads(), Duration.ofMillis(client.connectTimeoutMillis()).toNanos());
        }
        return loops;
    }

    /** Closes the event loops, if they were started, and their connections. */
    synchronized void closeLoops() {
        if (loops != null) {
            loops.close();
            loops = null;
        }
    }

    /** The headers of {@code request}: the wire format's, then the caller's extra headers. */
    Map<String, String> headers(WireRequest request) {
        Map<String, String> h = new java.util.LinkedHashMap<>(request.headers());
        h.putAll(extraHeaders);
        return h;
    }

    /** The URL the transport posts {@code request} to: the wire format's, with the caller's query parameters. */
    HttpUrl url(WireRequest request) {
        HttpUrl parsed = HttpUrl.parse(request.url());
        if (parsed == null) {
            throw new IllegalArgumentException("Not an http(s) URL: " + hideQuery(request.url()));
        }
        if (queryParameters.isEmpty()) {
            return parsed;
        }
        HttpUrl.Builder b = parsed.newBuilder();
        queryParameters.forEach(b::addQueryParameter);
        return b.build();
    }

    private static String hideQuery(String url) {
        int q = url.indexOf('?');
        return q < 0 ? url : url.substring(0, q) + "?(query hidden)";
    }

    // ------------------------------------------------------------------ retries

    private void waitBeforeRetry(int retry, Headers failed, Duration asked, CancelHandle handle,
            ExtractionListener listener, RuntimeException cause) {
        Duration d = retryDelay(retry, failed, asked, listener, cause);
        try {
            sleeper.sleep(d, handle);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CancellationException("Interrupted while waiting to retry");
        }
    }

    /**
     * The wait before retry number {@code retry} (the policy's backoff, or what the server asked for in its headers
     * or its body), told to the listener before it starts.
     */
    Duration retryDelay(int retry, Headers failed, Duration asked, ExtractionListener listener,
            RuntimeException cause) {
        Duration d = Backoff.delay(retryPolicy, retry, failed, clock.instant(), random.getAsDouble());
        if (asked != null && retryPolicy.respectRetryAfter() && (failed == null || Backoff.serverDelay(failed,
                clock.instant()) == null) && asked.compareTo(retryPolicy.maxRetryAfter()) <= 0) {
            d = asked; // the wait the server asked for in its body (Google's RetryInfo)
        }
        if (listener != null) {
            listener.onRetry(retry, d, cause);
        }
        return d;
    }

    /** Whether the waits are real (not replaced by a test's sleeper, which must then be called). */
    boolean realSleeper() {
        return sleeper == REAL_SLEEPER;
    }

    /** A test's sleeper, called on the thread that retries. */
    void sleep(Duration d, CancelHandle handle) throws InterruptedException {
        sleeper.sleep(d, handle);
    }

    // ------------------------------------------------------------------ errors

    private String requestId(Response response) {
        return wire.requestId(response::header);
    }

    private ApiException apiError(Response response, HttpUrl url, int retries) {
        String text;
        try {
            ResponseBody peek = response.peekBody(MAX_ERROR_BODY);
            text = peek.string();
        } catch (IOException | RuntimeException e) {
            text = "";
        }
        return apiError(response.code(), response.headers(), text, url, retries);
    }

    /** The typed exception for an error status, its body {@code text} (at most {@link #MAX_ERROR_BODY} used). */
    ApiException apiError(int code, Headers headers, String text, HttpUrl url, int retries) {
        if (text.length() > MAX_ERROR_BODY) {
            text = text.substring(0, (int) MAX_ERROR_BODY);
        }
        String contentType = headers.get("Content-Type");
        ErrorDetails e = wire.error(code, contentType, redact(text)).redacted(this::redact);
        String requestId = wire.requestId(headers::get);
        String what = switch (code) {
            case 400 -> "Bad request";
            case 401 -> "Authentication failed (check the API key)";
            case 403 -> "Permission denied";
            case 404 -> "Not found (check the model name and the base URL " + url.newBuilder().query(null).build()
                    + ")";
            case 408 -> "Request timeout";
            case 409 -> "Conflict";
            case 413 -> "Request too large";
            case 422 -> "Unprocessable request";
            case 429 -> "Rate limited";
            case 529 -> "Overloaded";
            default -> code >= 500 ? "Server error" : "HTTP error";
        };
        String type = isJson(contentType) || contentType == null ? "" : " (" + contentType.split(";")[0].strip() + ")";
        String message = "HTTP " + code + " " + what + type + ": " + e.describe()
                + (requestId == null ? "" : " [request id " + requestId + "]") + afterRetries(retries);
        Duration retryAfter = Backoff.serverDelay(headers, clock.instant());
        return ApiException.of(message, e, requestId, retryAfter);
    }

    private static boolean isJson(String contentType) {
        return contentType != null && contentType.toLowerCase(Locale.ROOT).contains("json");
    }

    /** The origin a request was sent to, kept on it (and on the requests OkHttp makes to follow its redirects). */
    record Origin(HttpUrl url) {}

    /**
     * On a redirect to another origin (scheme, host or port), drops every header that carries the API key and the
     * caller's extra headers ({@link ExtractorBuilder#header}): OkHttp itself drops only {@code Authorization}, and a
     * key sent as {@code x-api-key}, {@code api-key} or {@code x-goog-api-key} would go to the other server.
     */
    private okhttp3.Response keepSecretsAtTheirOrigin(okhttp3.Interceptor.Chain chain) throws IOException {
        Request r = chain.request();
        Origin o = r.tag(Origin.class);
        HttpUrl to = r.url();
        if (o == null || o.url().scheme().equals(to.scheme()) && o.url().host().equals(to.host())
                && o.url().port() == to.port()) {
            return chain.proceed(r);
        }
        Request.Builder b = r.newBuilder();
        for (String name : r.headers().names()) {
            boolean secret = extraHeaders.keySet().stream().anyMatch(name::equalsIgnoreCase);
            for (String value : r.headers(name)) {
                for (String key : secrets) {
                    secret |= value.contains(key);
                }
            }
            if (secret) {
                b.removeHeader(name);
            }
        }
        return chain.proceed(b.build());
    }

    /** Replaces the API key, should a server echo it, so that it never reaches a message or a log. */
    String redact(String s) {
        if (s == null) {
            return null;
        }
        for (String secret : secrets) {
            if (s.contains(secret)) {
                s = s.replace(secret, "<api key>");
            }
        }
        return s;
    }

    ConnectionException ioFailure(IOException e, HttpUrl url, String requestId, long bytes, int retries) {
        String host = url.host() + ":" + url.port();
        String after = afterRetries(retries);
        String cause = e.getMessage() == null ? null : redact(e.getMessage());
        if (e instanceof SocketTimeoutException) {
            String what = bytes > 0 ? "No data for longer than the read timeout ("
                    + Duration.ofMillis(client.readTimeoutMillis()) + ") after " + bytes + " bytes of the answer"
                    : isConnect(e) ? "Connecting to " + host + " timed out (connect timeout "
                            + Duration.ofMillis(client.connectTimeoutMillis()) + ")"
                    : "No response within the read timeout (" + Duration.ofMillis(client.readTimeoutMillis()) + ")";
            return new ProviderTimeoutException(what + after, requestId, e);
        }
        if (e instanceof InterruptedIOException && "timeout".equals(e.getMessage())) {
            return new ProviderTimeoutException("The call took longer than its timeout ("
                    + Duration.ofMillis(client.callTimeoutMillis()) + ")" + (bytes > 0 ? " after " + bytes
                            + " bytes of the answer" : "") + after, requestId, e);
        }
        if (e instanceof ConnectException || e instanceof UnknownHostException) {
            return new ConnectionException("Could not connect to " + host + (cause == null ? "" : ": " + cause) + after,
                    requestId, e);
        }
        if (isDisconnect(e)) {
            return new ConnectionException((bytes > 0 ? "The server closed the connection after " + bytes
                    + " bytes of the answer, before the answer ended"
                    : "The server " + host + " closed the connection before sending an answer") + after, requestId, e);
        }
        String why = e.getClass().getSimpleName() + (cause == null ? "" : ": " + cause);
        return new ConnectionException((bytes > 0 ? "The connection broke after " + bytes
                + " bytes of the answer: " : "The request to " + host + " failed: ") + why + after, requestId, e);
    }

    /**
     * An end of stream where more was due: {@code EOFException}, OkHttp's "unexpected end of stream", the JDK
     * client's "chunked transfer encoding, state: ..." (the connection closed inside a chunked body), "EOF reached
     * while reading" and "header parser received no bytes".
     */
    private static boolean isDisconnect(IOException e) {
        String m = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
        return e instanceof EOFException || m.contains("unexpected end of stream") || m.contains("end of input")
                || m.contains("connection reset") || m.contains("broken pipe")
                || m.contains("chunked transfer encoding") || m.contains("eof reached")
                || m.contains("header parser received no bytes");
    }

    /** {@code " (after 2 retries)"}, the end of a failure's message; empty when there was no retry. */
    static String afterRetries(int retries) {
        return retries == 0 ? "" : " (after " + retries + " retr" + (retries == 1 ? "y" : "ies") + ")";
    }

    private static boolean isConnect(IOException e) {
        String m = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
        return m.contains("connect");
    }

    // ------------------------------------------------------------------ the answer

    /**
     * The answer's deltas over one HTTP response. When the connection fails before the first byte of the body, or
     * the server reports a retryable error inside the stream before any delta of the answer, the request is sent
     * again (within the retry budget); after that, failures are thrown. Closing cancels the call.
     */
    final class HttpSource implements DeltaSource {
        private final WireRequest request;
        private final HttpUrl url;
        private final Headers headers;
        private final RequestBody body;
        private final boolean prose;
        private final CancelHandle handle;
        private final ExtractionListener listener;
        private int retries;
        private volatile Call call;
        private volatile DecodingSource current;
        private String requestId;
        private volatile boolean closed;
        /** Whether a delta of the answer (not just metadata or usage) has been handed out: no retry after that. */
        private boolean answered;

        HttpSource(WireRequest request, boolean prose, CancelHandle handle, ExtractionListener listener) {
            this.request = request;
            this.url = url(request);
            Headers.Builder h = new Headers.Builder();
            request.headers().forEach(h::set);
            extraHeaders.forEach(h::set);
            this.headers = h.build();
            this.body = RequestBody.create(request.body(), MediaType.get(request.contentType()));
            this.prose = prose;
            this.handle = handle;
            this.listener = listener;
        }

        /** How many times the request was sent again before its answer began. */
        int retries() {
            return retries;
        }

        void connect() {
            Response response = execute();
            requestId = requestId(response);
            if (listener != null) {
                try {
                    listener.onOpen(requestId);
                } catch (RuntimeException | Error e) {
                    response.close(); // a listener that throws fails the call: release the connection
                    throw e;
                }
            }
            ResponseBody rb = response.body();
            MediaType type = rb.contentType();
            String contentType = type == null ? null : type.toString();
            String rid = requestId;
            current = DecodingSource.of(rb.byteStream(), sink -> wire.decoder(contentType, sink),
                    e -> readFailure(e, rid));
            current.prepend(new Delta.Info(null, null, requestId));
        }

        /** Sends the request, again after each retryable failure within the budget; returns a 2xx response. */
        private Response execute() {
            while (true) {
                handle.check();
                Request r = new Request.Builder().url(url).headers(headers).post(body)
                        .tag(Origin.class, new Origin(url)).build();
                Call c = client.newCall(r);
                call = c;
                handle.attach(c);
                Response response;
                try {
                    response = c.execute();
                } catch (IOException e) {
                    handle.check();
                    ConnectionException failure = ioFailure(e, url, null, 0, retries);
                    if (retries < retryPolicy.maxRetries()) {
                        waitBeforeRetry(++retries, null, null, handle, listener, failure);
                        continue;
                    }
                    throw failure;
                }
                if (response.isSuccessful()) {
                    return response;
                }
                ApiException error;
                try (response) {
                    error = apiError(response, url, retries);
                }
                if (wire.retryable(response.code(), response::header, error.details())
                        && retries < retryPolicy.maxRetries()) {
                    waitBeforeRetry(++retries, response.headers(), error.details().retryAfter(), handle, listener,
                            error);
                    continue;
                }
                throw error;
            }
        }

        private RuntimeException readFailure(IOException e, String rid) {
            if (closed || handle.isCancelled()) {
                return new CancellationException("The extraction was cancelled");
            }
            return ioFailure(e, url, rid, current.bytesRead(), retries);
        }

        @Override
        public Delta next() {
            while (true) {
                Delta d;
                try {
                    d = current.next();
                } catch (ApiException e) {
                    if (!e.inBand()) {
                        throw e;
                    }
                    ApiException error = inBand(e);
                    if (!retryableInBand(error)) {
                        throw retries == 0 ? error : withRetries(error);
                    }
                    // nothing of the answer was handed out: the request may be sent again, as for its HTTP status
                    waitBeforeRetry(++retries, null, error.details().retryAfter(), handle, listener, error);
                    current.close();
                    connect();
                    continue;
                } catch (ConnectionException e) {
                    e.attachRequestId(requestId);
                    if (closed || current.bytesRead() > 0 || retries >= retryPolicy.maxRetries()) {
                        throw e;
                    }
                    // nothing of the answer was received: nothing was delivered, so the request may be sent again
                    waitBeforeRetry(++retries, null, null, handle, listener, e);
                    connect();
                    continue;
                } catch (ProviderException e) {
                    e.attachRequestId(requestId);
                    throw e;
                }
                if (isAnswer(d)) {
                    answered = true;
                }
                return prose && d instanceof Delta.Text t ? new Delta.Prose(t.text()) : d;
            }
        }

        /**
         * Whether {@code d} is part of the answer: text, a tool call, a refusal, thinking, prose, a finish; not the
         * response's metadata or usage (Anthropic's {@code message_start}), nor an empty fragment (a role-only chunk).
         */
        static boolean isAnswer(Delta d) {
            if (d == null || d instanceof Delta.Info || d instanceof Delta.UsageReport) {
                return false;
            }
            String text = d instanceof Delta.Text t ? t.text() : d instanceof Delta.Prose p ? p.text()
                    : d instanceof Delta.Refusal r ? r.text() : d instanceof Delta.Thinking k ? k.text() : null;
            return text == null || !text.isEmpty();
        }

        /**
         * Whether an error the server sent inside the stream may be retried: only while nothing of the answer has
         * been handed out (response metadata and usage may have been), within the {@link RetryPolicy}, and when the
         * wire format would retry the HTTP status the error stands for (429 but not {@code insufficient_quota},
         * 5xx, {@code overloaded_error}, ...). The response's own headers belong to its 200 status, so they are not
         * asked ({@code x-should-retry}); a wait asked for in the error (Google's {@code RetryInfo}) is honoured.
         */
        private boolean retryableInBand(ApiException error) {
            return !answered && !closed && !handle.isCancelled() && retries < retryPolicy.maxRetries()
                    && wire.retryable(error.statusCode(), name -> null, error.details());
        }

        private ApiException withRetries(ApiException error) {
            return Transport.withRetries(error, retries);
        }

        private ApiException inBand(ApiException e) {
            return Transport.this.inBand(e, requestId);
        }

        @Override
        public void close() {
            closed = true;
            Call c = call;
            if (c != null) {
                c.cancel(); // wakes a read blocked on another thread; the extraction's other calls are unaffected
            }
            DecodingSource source = current;
            if (source != null) {
                source.close();
            }
        }

        @Override
        public String toString() {
            return "HttpSource[" + request + "]";
        }
    }

    /** {@code error} with " (after n retries)" at the end of its message, like an HTTP error after retries. */
    static ApiException withRetries(ApiException error, int retries) {
        ApiException x = ApiException.of(error.getMessage() + afterRetries(retries), error.details(),
                error.requestId(), error.retryAfter().orElse(null));
        x.setStackTrace(error.getStackTrace());
        return x;
    }

    /**
     * An error the server reported inside the stream: the decoder cannot know the key, so redact here (a server
     * may echo it) and add this response's request id.
     */
    ApiException inBand(ApiException e, String requestId) {
        ErrorDetails d = e.details().redacted(this::redact);
        ApiException x = ApiException.of(redact(e.getMessage()), d,
                e.requestId() != null ? e.requestId() : requestId, e.retryAfter().orElse(null));
        x.setStackTrace(e.getStackTrace());
        return x;
    }
}
