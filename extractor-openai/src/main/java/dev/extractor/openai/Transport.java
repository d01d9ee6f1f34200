package dev.extractor.openai;

import dev.extractor.Delta;
import dev.extractor.DeltaSource;
import dev.extractor.ExtractionListener;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
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
 * The HTTP side: posts a chat-completions request, retries what may be retried (before the first byte of the
 * answer), maps error responses and I/O failures to typed exceptions, and hands the body to the SSE decoder.
 * Immutable and thread-safe.
 */
final class Transport {

    /** Waits between retries; replaced in tests so that nothing really sleeps. */
    @FunctionalInterface
    interface Sleeper {
        void sleep(Duration duration, CancelHandle handle) throws InterruptedException;
    }

    static final Sleeper REAL_SLEEPER = (d, h) -> h.await(d);
    private static final MediaType JSON = MediaType.get("application/json; charset=utf-8");
    private static final long MAX_ERROR_BODY = 64 * 1024;

    final OkHttpClient client;
    private final HttpUrl endpoint;
    private final Headers headers;
    private final String apiKey;
    final RetryPolicy retryPolicy;
    private final Sleeper sleeper;
    private final Clock clock;
    private final DoubleSupplier random;

    Transport(OkHttpClient client, HttpUrl endpoint, Headers headers, String apiKey, RetryPolicy retryPolicy,
            Sleeper sleeper, Clock clock, DoubleSupplier random) {
        this.client = client;
        this.endpoint = endpoint;
        this.headers = headers;
        this.apiKey = apiKey;
        this.retryPolicy = retryPolicy;
        this.sleeper = sleeper;
        this.clock = clock;
        this.random = random;
    }

    HttpUrl endpoint() {
        return endpoint;
    }

    /**
     * Sends the request and returns a source of the answer's deltas, once the response headers have arrived.
     *
     * @param listener told of each retry ({@code onRetry}, before the wait) and of the response headers
     *     ({@code onOpen}), or null
     * @throws OpenAiApiException for an error status (after the retries)
     * @throws OpenAiConnectionException when the server cannot be reached (after the retries)
     */
    DeltaSource open(byte[] body, int choice, CancelHandle handle, ExtractionListener listener) {
        HttpSource source = new HttpSource(body, choice, handle, listener);
        source.connect();
        return source;
    }

    // ------------------------------------------------------------------ retries

    private void waitBeforeRetry(int retry, Headers failed, CancelHandle handle, ExtractionListener listener,
            RuntimeException cause) {
        Duration d = Backoff.delay(retryPolicy, retry, failed, clock.instant(), random.getAsDouble());
        if (listener != null) {
            listener.onRetry(retry, d, cause);
        }
        try {
            sleeper.sleep(d, handle);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CancellationException("Interrupted while waiting to retry");
        }
    }

    private static boolean retryable(Response response, OpenAiApiException error) {
        String should = response.header("x-should-retry");
        if ("true".equalsIgnoreCase(should)) {
            return true;
        }
        if ("false".equalsIgnoreCase(should)) {
            return false;
        }
        int code = response.code();
        if (code == 429) {
            return !"insufficient_quota".equals(error.errorCode()) && !"insufficient_quota".equals(error.errorType());
        }
        return code == 408 || code == 409 || code >= 500;
    }

    // ------------------------------------------------------------------ errors

    static String requestId(Response response) {
        String id = response.header("x-request-id");
        return id != null ? id : response.header("request-id");
    }

    private OpenAiApiException apiError(Response response, int retries) {
        String text;
        try {
            ResponseBody peek = response.peekBody(MAX_ERROR_BODY);
            text = peek.string();
        } catch (IOException | RuntimeException e) {
            text = "";
        }
        ErrorBody e = ErrorBody.parse(redact(text));
        int code = response.code();
        String requestId = requestId(response);
        String what = switch (code) {
            case 400 -> "Bad request";
            case 401 -> "Authentication failed (check the API key)";
            case 403 -> "Permission denied";
            case 404 -> "Not found (check the model name and the base URL " + endpoint.newBuilder().query(null)
                    .build() + ")";
            case 408 -> "Request timeout";
            case 409 -> "Conflict";
            case 422 -> "Unprocessable request";
            case 429 -> "Rate limited";
            default -> code >= 500 ? "Server error" : "HTTP error";
        };
        String message = "HTTP " + code + " " + what + ": " + e.describe()
                + (requestId == null ? "" : " [request id " + requestId + "]")
                + afterRetries(retries);
        String m = e.message();
        return switch (code) {
            case 400 -> new BadRequestException(message, code, m, e.type(), e.code(), e.param(), requestId);
            case 401 -> new AuthenticationException(message, code, m, e.type(), e.code(), e.param(), requestId);
            case 403 -> new PermissionDeniedException(message, code, m, e.type(), e.code(), e.param(), requestId);
            case 404 -> new NotFoundException(message, code, m, e.type(), e.code(), e.param(), requestId);
            case 429 -> new RateLimitException(message, code, m, e.type(), e.code(), e.param(), requestId);
            default -> code >= 500
                    ? new ServerException(message, code, m, e.type(), e.code(), e.param(), requestId)
                    : new OpenAiApiException(message, code, m, e.type(), e.code(), e.param(), requestId);
        };
    }

    /** Replaces the API key, should a server echo it, so that it never reaches a message or a log. */
    String redact(String s) {
        if (s == null || apiKey == null || apiKey.length() < 4 || !s.contains(apiKey)) {
            return s;
        }
        return s.replace(apiKey, "<api key>");
    }

    private OpenAiConnectionException ioFailure(IOException e, String requestId, long bytes, int retries) {
        String host = endpoint.host() + ":" + endpoint.port();
        String after = afterRetries(retries);
        String cause = redact(String.valueOf(e.getMessage()));
        if (e instanceof SocketTimeoutException) {
            String what = bytes > 0 ? "No data for longer than the read timeout ("
                    + Duration.ofMillis(client.readTimeoutMillis()) + ") after " + bytes + " bytes of the answer"
                    : isConnect(e) ? "Connecting to " + host + " timed out (connect timeout "
                            + Duration.ofMillis(client.connectTimeoutMillis()) + ")"
                    : "No response within the read timeout (" + Duration.ofMillis(client.readTimeoutMillis()) + ")";
            return new OpenAiTimeoutException(what + after, requestId, e);
        }
        if (e instanceof InterruptedIOException && "timeout".equals(e.getMessage())) {
            return new OpenAiTimeoutException("The call took longer than its timeout ("
                    + Duration.ofMillis(client.callTimeoutMillis()) + ")" + (bytes > 0 ? " after " + bytes
                            + " bytes of the answer" : "") + after, requestId, e);
        }
        if (e instanceof ConnectException || e instanceof UnknownHostException) {
            return new OpenAiConnectionException("Could not connect to " + host + ": " + cause + after, requestId, e);
        }
        return new OpenAiConnectionException((bytes > 0 ? "The connection broke after " + bytes
                + " bytes of the answer: " : "The request to " + host + " failed: ") + e.getClass().getSimpleName()
                + ": " + cause + after, requestId, e);
    }

    /** {@code " (after 2 retries)"}, the end of a failure's message; empty when there was no retry. */
    private static String afterRetries(int retries) {
        return retries == 0 ? "" : " (after " + retries + " retr" + (retries == 1 ? "y" : "ies") + ")";
    }

    private static boolean isConnect(IOException e) {
        String m = String.valueOf(e.getMessage()).toLowerCase(java.util.Locale.ROOT);
        return m.contains("connect");
    }

    // ------------------------------------------------------------------ the answer

    /**
     * The answer's deltas over one HTTP response. When the connection fails before the first byte of the body, the
     * request is sent again (within the retry budget); after that, failures are thrown. Closing cancels the call.
     */
    private final class HttpSource implements DeltaSource {
        private final byte[] body;
        private final int choice;
        private final CancelHandle handle;
        private final ExtractionListener listener;
        private int retries;
        private volatile Call call;
        private volatile SseDeltaSource current;
        private String requestId;
        private volatile boolean closed;

        HttpSource(byte[] body, int choice, CancelHandle handle, ExtractionListener listener) {
            this.body = body;
            this.choice = choice;
            this.handle = handle;
            this.listener = listener;
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
            InputStream in = rb.byteStream();
            MediaType type = rb.contentType();
            if (type != null && "json".equals(type.subtype())) {
                in = wholeCompletion(rb, response);
            }
            String rid = requestId;
            current = new SseDeltaSource(in, choice, e -> readFailure(e, rid));
            current.prepend(new Delta.Info(null, null, requestId));
        }

        /** Sends the request, again after each retryable failure within the budget; returns a 2xx response. */
        private Response execute() {
            while (true) {
                handle.check();
                Request request = new Request.Builder().url(endpoint).headers(headers)
                        .post(RequestBody.create(body, JSON)).build();
                Call c = client.newCall(request);
                call = c;
                handle.attach(c);
                Response response;
                try {
                    response = c.execute();
                } catch (IOException e) {
                    handle.check();
                    OpenAiConnectionException failure = ioFailure(e, null, 0, retries);
                    if (retries < retryPolicy.maxRetries()) {
                        waitBeforeRetry(++retries, null, handle, listener, failure);
                        continue;
                    }
                    throw failure;
                }
                if (response.isSuccessful()) {
                    return response;
                }
                OpenAiApiException error;
                try (response) {
                    error = apiError(response, retries);
                }
                if (retryable(response, error) && retries < retryPolicy.maxRetries()) {
                    waitBeforeRetry(++retries, response.headers(), handle, listener, error);
                    continue;
                }
                throw error;
            }
        }

        /** A server that ignored {@code stream: true} sent one JSON completion: framed here as one event. */
        private InputStream wholeCompletion(ResponseBody rb, Response response) {
            byte[] bytes;
            try (response) {
                bytes = rb.bytes();
            } catch (IOException e) {
                throw ioFailure(e, requestId(response), 0, retries);
            }
            for (int i = 0; i < bytes.length; i++) {
                if (bytes[i] == '\n' || bytes[i] == '\r') {
                    bytes[i] = ' '; // JSON strings cannot hold raw line breaks: these are whitespace
                }
            }
            byte[] framed = new byte[bytes.length + 8];
            System.arraycopy("data: ".getBytes(StandardCharsets.US_ASCII), 0, framed, 0, 6);
            System.arraycopy(bytes, 0, framed, 6, bytes.length);
            framed[framed.length - 2] = '\n';
            framed[framed.length - 1] = '\n';
            return new ByteArrayInputStream(framed);
        }

        private RuntimeException readFailure(IOException e, String rid) {
            if (closed || handle.isCancelled()) {
                return new CancellationException("The extraction was cancelled");
            }
            return ioFailure(e, rid, current.bytesRead(), retries);
        }

        @Override
        public Delta next() {
            while (true) {
                try {
                    return current.next();
                } catch (ServerException e) {
                    throw inBand(e);
                } catch (OpenAiConnectionException e) {
                    if (closed || current.bytesRead() > 0 || retries >= retryPolicy.maxRetries()) {
                        throw e;
                    }
                    // nothing of the answer was received: nothing was delivered, so the request may be sent again
                    waitBeforeRetry(++retries, null, handle, listener, e);
                    connect();
                }
            }
        }

        /**
         * An error the server reported inside the stream: the decoder cannot know the key, so redact here (a server
         * may echo it) and add this response's request id.
         */
        private ServerException inBand(ServerException e) {
            ServerException x = new ServerException(redact(e.getMessage()), e.statusCode(), redact(e.serverMessage()),
                    e.errorType(), e.errorCode(), redact(e.errorParam()), e.requestId() != null ? e.requestId() : requestId);
            x.setStackTrace(e.getStackTrace());
            return x;
        }

        @Override
        public void close() {
            closed = true;
            Call c = call;
            if (c != null) {
                c.cancel(); // wakes a read blocked on another thread; the extraction's other calls are unaffected
            }
            SseDeltaSource source = current;
            if (source != null) {
                source.close();
            }
        }
    }
}
