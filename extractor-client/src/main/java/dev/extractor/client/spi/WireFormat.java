package dev.extractor.client.spi;

import dev.extractor.Delta;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A provider's wire format: everything about talking to one API that the provider-neutral client does not know.
 * Adding a provider is implementing this interface (and a builder for its configuration, see {@link
 * dev.extractor.client.ExtractorBuilder}); the calls, re-asks, repairs, schemas, validation, retries with backoff,
 * cancellation, timeouts and typed errors are the client's.
 *
 * <p>What the client does with it, per HTTP request:
 * <ol>
 *   <li>{@link #request(RequestSpec)}: the URL, headers (authentication) and body of the request;
 *   <li>the client sends it (adding the caller's headers and query parameters); on an error status it asks {@link
 *       #error} for the neutral fields of the body, {@link #retryable} whether to retry, and throws the typed
 *       exception ({@link dev.extractor.client.ApiException#of}) when not retrying;
 *   <li>on success, {@link #requestId} names the request, and {@link #decoder} turns the body into {@link Delta}s,
 *       pulled by the core as the caller iterates. Text the model writes in {@link dev.extractor.client.Mode#TOOLS}
 *       beside its tool calls ({@link Delta.Text}) is turned into {@link Delta.Prose} by the client: a decoder
 *       emits text as text in every mode.
 * </ol>
 * The strings of {@link #secrets()} are replaced in every message, exception and log line the client makes.
 *
 * <p>An implementation is immutable and thread-safe (one per extractor, shared by all its calls); its decoders are
 * not (one per response). {@code extractor-client/README.md} walks through adding a provider.
 */
public interface WireFormat {

    /**
     * The API's name, for messages: {@code "OpenAI Chat Completions"}, {@code "Anthropic Messages"}.
     *
     * @return the API's name, for messages
     */
    String name();

    /**
     * The HTTP request for {@code spec}.
     *
     * @throws IllegalArgumentException if the spec asks for something this API cannot do (a mode it lacks)
     * @param spec the neutral request
     * @return the HTTP request for {@code spec}
     */
    WireRequest request(RequestSpec spec);

    /**
     * A decoder of one successful response's body into deltas handed to {@code sink}.
     *
     * @param contentType the response's {@code Content-Type} ({@code text/event-stream; charset=utf-8}), or null;
     *     a server that ignored the request to stream may answer {@code application/json}
     * @param sink receives each delta, in order
     * @return a decoder of one successful response's body into deltas handed to {@code sink}
     */
    StreamDecoder decoder(String contentType, Consumer<? super Delta> sink);

    /**
     * The neutral fields of an error response. The default reads the common JSON shapes ({@link
     * ErrorDetails#parse}).
     *
     * @param status the HTTP status
     * @param contentType the response's content type, or null
     * @param body the response body (its first 64 KiB)
     * @return the neutral fields of an error response
     */
    default ErrorDetails error(int status, String contentType, String body) {
        return ErrorDetails.parse(status, contentType, body);
    }

    /**
     * Whether an error response may be retried (before the first byte of an answer, within the {@link
     * dev.extractor.client.RetryPolicy}). The default: an {@code x-should-retry} header decides when present;
     * otherwise 408, 409, 429 (but not {@code insufficient_quota}, which waiting does not fix) and 5xx.
     *
     * @param status the HTTP status
     * @param headers the response's headers, by name (case-insensitive; null when absent)
     * @param error what {@link #error} made of the body
     * @return whether to retry
     */
    default boolean retryable(int status, Function<String, String> headers, ErrorDetails error) {
        String should = headers.apply("x-should-retry");
        if (should != null) {
            if (should.equalsIgnoreCase("true")) {
                return true;
            }
            if (should.equalsIgnoreCase("false")) {
                return false;
            }
        }
        if (status == 429) {
            return !"insufficient_quota".equals(lower(error.code())) && !"insufficient_quota".equals(lower(error.type()));
        }
        return status == 408 || status == 409 || status >= 500;
    }

    private static String lower(String s) {
        return s == null ? null : s.toLowerCase(Locale.ROOT);
    }

    /**
     * The provider's id of the request, from the response headers, or null. The default: {@code x-request-id}, else
     * {@code request-id}.
     *
     * @param headers the headers, by name (case-insensitive; null when absent)
     * @return the provider's id of the request, from the response headers, or null
     */
    default String requestId(Function<String, String> headers) {
        String id = headers.apply("x-request-id");
        return id != null ? id : headers.apply("request-id");
    }

    /**
     * Strings never to show (the API key): replaced by {@code <api key>} wherever the client quotes the server.
     *
     * @return strings never to show (the API key)
     */
    default List<String> secrets() {
        return List.of();
    }
}
