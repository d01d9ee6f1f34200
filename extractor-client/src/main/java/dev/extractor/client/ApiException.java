package dev.extractor.client;

import dev.extractor.client.spi.ErrorDetails;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * The server answered with an error: an HTTP error status, or an error object inside the stream ({@link
 * #inBand()}). Carries what the server said: {@link #statusCode()}, {@link #serverMessage()}, {@link #errorType()},
 * {@link #errorCode()}, {@link #errorParam()}, the response's {@link #contentType()} and {@link #body()}, the wait it
 * asked for ({@link #retryAfter()}) and the {@link #requestId()}.
 *
 * <p>The common statuses have their own subclasses, and an error sent inside a stream is thrown as the same subclass
 * its HTTP status would have given (a {@code rate_limit_error} event as a {@link RateLimitException}, see {@link
 * ErrorDetails#statusFor}): {@link BadRequestException} (400), {@link AuthenticationException} (401), {@link
 * PermissionDeniedException} (403), {@link NotFoundException} (404), {@link RateLimitException} (429), {@link
 * OverloadedException} (529, {@code overloaded_error}) and {@link ServerException} (other 5xx, and errors inside a
 * stream whose type says nothing). Other statuses (409, 422, ...) are thrown as this class.
 */
public class ApiException extends ProviderException {

    private static final long serialVersionUID = 1L;

    /** What the server said. */
    private final ErrorDetails details;
    /** The wait the server asked for in a header, or null. */
    private final Duration retryAfter;

    /**
     * @param message the exception message
     * @param details what the server said
     * @param requestId the provider's request id, or null
     * @param retryAfter the wait the server asked for ({@code Retry-After}), or null
     */
    public ApiException(String message, ErrorDetails details, String requestId, Duration retryAfter) {
        super(message, requestId, null);
        this.details = Objects.requireNonNull(details, "details");
        this.retryAfter = retryAfter;
    }

    /**
     * The typed exception for {@code details}, by its status (for an error inside a stream, the status its type or
     * code stands for): what the client throws, and what a {@link dev.extractor.client.spi.StreamDecoder} throws for an
     * error event.
     *
     * @param message the exception message
     * @param details what the server said
     * @param requestId the provider's request id, or null
     * @param retryAfter the wait the server asked for, or null
     * @return the exception of the class the status stands for
     */
    public static ApiException of(String message, ErrorDetails details, String requestId, Duration retryAfter) {
        int code = details.status();
        if (code == 529 || "overloaded_error".equals(details.type())) {
            return new OverloadedException(message, details, requestId, retryAfter);
        }
        return switch (code) {
            case 400 -> new BadRequestException(message, details, requestId, retryAfter);
            case 401 -> new AuthenticationException(message, details, requestId, retryAfter);
            case 403 -> new PermissionDeniedException(message, details, requestId, retryAfter);
            case 404 -> new NotFoundException(message, details, requestId, retryAfter);
            case 429 -> new RateLimitException(message, details, requestId, retryAfter);
            default -> code >= 500 || code == 0 && details.inBand()
                    ? new ServerException(message, details, requestId, retryAfter)
                    : new ApiException(message, details, requestId, retryAfter);
        };
    }

    /**
     * The typed exception for an error sent inside a stream, with the message {@code "The server reported an error
     * inside the stream: ..."}.
     *
     * @param details what the server said
     * @return whether the error arrived inside a stream
     */
    public static ApiException inBand(ErrorDetails details) {
        return of("The server reported an error inside the stream: " + details.describe(), details, null, null);
    }

    /**
     * The HTTP status; for an error inside a stream (whose HTTP status was 200), the status its type or code stands
     * for, or 0 if it says nothing.
     *
     * @return the HTTP status
     */
    public int statusCode() {
        return details.status();
    }

    /**
     * Whether the error arrived inside the stream, after a 200 response, rather than as an error status.
     *
     * @return whether the error arrived inside the stream, after a 200 response, rather than as an error status
     */
    public boolean inBand() {
        return details.inBand();
    }

    /**
     * What the server said, on one line ({@code error.message}, or a summary of the body); may be null.
     *
     * @return what the server said, on one line ({@code error.message}, or a summary of the body)
     */
    public String serverMessage() {
        return details.message();
    }

    /**
     * The server's error type, such as {@code invalid_request_error} or {@code overloaded_error}; may be null.
     *
     * @return the server's error type, such as {@code invalid_request_error} or {@code overloaded_error}
     */
    public String errorType() {
        return details.type();
    }

    /**
     * The server's error code, such as {@code model_not_found} or {@code rate_limit_exceeded}; may be null.
     *
     * @return the server's error code, such as {@code model_not_found} or {@code rate_limit_exceeded}
     */
    public String errorCode() {
        return details.code();
    }

    /**
     * The request parameter the error is about, such as {@code response_format}; may be null.
     *
     * @return the request parameter the error is about, such as {@code response_format}
     */
    public String errorParam() {
        return details.param();
    }

    /**
     * The error response's content type ({@code text/html} for a proxy's page), or null.
     *
     * @return the error response's content type ({@code text/html} for a proxy's page), or null
     */
    public String contentType() {
        return details.contentType();
    }

    /**
     * The error response's body (or the error event's data) as received, API key redacted; up to 64 KiB.
     *
     * @return the error response's body (or the error event's data) as received, API key redacted
     */
    public String body() {
        return details.body();
    }

    /**
     * The wait the server asked for before a retry ({@code Retry-After}, {@code retry-after-ms}, or its body).
     *
     * @return the wait the server asked for before a retry ({@code Retry-After}, {@code retry-after-ms}, or its body)
     */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter != null ? retryAfter : details.retryAfter());
    }

    /**
     * All of what the server said, as one value.
     *
     * @return all of what the server said, as one value
     */
    public ErrorDetails details() {
        return details;
    }
}
