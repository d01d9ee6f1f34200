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

    /** The HTTP status, or 0 for an error reported inside a stream. */
    private final int statusCode;
    /** The server's {@code error.message} (or its response body), or null. */
    private final String serverMessage;
    /** The server's {@code error.type}, or null. */
    private final String errorType;
    /** The server's {@code error.code}, or null. */
    private final String errorCode;
    /** The server's {@code error.param}, or null. */
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

    /**
     * The HTTP status code, or 0 when the error was reported inside a stream (whose HTTP status was 200).
     *
     * @return the status code, or 0
     */
    public int statusCode() {
        return statusCode;
    }

    /**
     * What the server said ({@code error.message}, or the response body when it held no error object); may be null.
     *
     * @return the server's message, or null
     */
    public String serverMessage() {
        return serverMessage;
    }

    /**
     * The server's error type, such as {@code invalid_request_error}; may be null.
     *
     * @return the error type, or null
     */
    public String errorType() {
        return errorType;
    }

    /**
     * The server's error code, such as {@code model_not_found} or {@code rate_limit_exceeded}; may be null.
     *
     * @return the error code, or null
     */
    public String errorCode() {
        return errorCode;
    }

    /**
     * The request parameter the error is about, such as {@code response_format}; may be null.
     *
     * @return the parameter, or null
     */
    public String errorParam() {
        return errorParam;
    }
}
