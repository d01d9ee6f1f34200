package dev.extractor.openai;

/** 429 Too Many Requests: a rate limit or the quota was hit. Retried (before the first byte of the answer) according to the {@link RetryPolicy}, honouring {@code Retry-After}; thrown when the retries are used up, or at once when the quota is exhausted ({@code insufficient_quota}, which waiting does not fix). */
public class RateLimitException extends OpenAiApiException {

    private static final long serialVersionUID = 1L;

    /**
     * See {@link OpenAiApiException#OpenAiApiException(String, int, String, String, String, String, String)}.
     *
     * @param message the exception message
     * @param statusCode the HTTP status, or 0 for an error reported inside a stream
     * @param serverMessage the server's {@code error.message} (or its response body), or null
     * @param errorType the server's {@code error.type}, or null
     * @param errorCode the server's {@code error.code}, or null
     * @param errorParam the server's {@code error.param}, or null
     * @param requestId the {@code x-request-id} header, or null
     */
    public RateLimitException(String message, int statusCode, String serverMessage, String errorType, String errorCode,
            String errorParam, String requestId) {
        super(message, statusCode, serverMessage, errorType, errorCode, errorParam, requestId);
    }
}
