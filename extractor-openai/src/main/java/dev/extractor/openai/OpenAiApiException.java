package dev.extractor.openai;

/**
 * The server answered with an error: an HTTP error status, or an error object inside the stream. Carries what the
 * server said: {@link #statusCode()}, {@link #serverMessage()}, {@link #errorType()}, {@link #errorCode()},
 * {@link #errorParam()} and {@link #requestId()}.
 *
 * <p>The common statuses have their own subclasses: {@link BadRequestException} (400), {@link
 * AuthenticationException} (401), {@link PermissionDeniedException} (403), {@link NotFoundException} (404), {@link
 * RateLimitException} (429) and {@link ServerException} (5xx, and errors reported inside a stream). Other statuses
 * (409, 422, ...) are thrown as this class.
 */
public class OpenAiApiException extends OpenAiException {

    private static final long serialVersionUID = 1L;

    private final int statusCode;
    private final String serverMessage;
    private final String errorType;
    private final String errorCode;
    private final String errorParam;

    /**
     * @param message the exception message
     * @param statusCode the HTTP status, or 0 for an error reported inside a stream
     * @param serverMessage the server's {@code error.message} (or its response body), or null
     * @param errorType the server's {@code error.type}, or null
     * @param errorCode the server's {@code error.code}, or null
     * @param errorParam the server's {@code error.param}, or null
     * @param requestId the {@code x-request-id} header, or null
     */
    public OpenAiApiException(String message, int statusCode, String serverMessage, String errorType,
            String errorCode, String errorParam, String requestId) {
        super(message, requestId, null);
        this.statusCode = statusCode;
        this.serverMessage = serverMessage;
        this.errorType = errorType;
        this.errorCode = errorCode;
        this.errorParam = errorParam;
    }

    /** The HTTP status code, or 0 when the error was reported inside a stream (whose HTTP status was 200). */
    public int statusCode() {
        return statusCode;
    }

    /** What the server said ({@code error.message}, or the response body when it held no error object); may be null. */
    public String serverMessage() {
        return serverMessage;
    }

    /** The server's error type, such as {@code invalid_request_error}; may be null. */
    public String errorType() {
        return errorType;
    }

    /** The server's error code, such as {@code model_not_found} or {@code rate_limit_exceeded}; may be null. */
    public String errorCode() {
        return errorCode;
    }

    /** The request parameter the error is about, such as {@code response_format}; may be null. */
    public String errorParam() {
        return errorParam;
    }
}
