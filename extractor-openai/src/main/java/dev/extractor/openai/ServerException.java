package dev.extractor.openai;

/** 5xx: the server failed; or an error object arrived inside the stream ({@code event: error} or {@code {"error": ...}}, with {@link #statusCode()} 0). Statuses 500 and up are retried before the first byte of the answer according to the {@link RetryPolicy}; errors inside a stream are not, since part of the answer may have been delivered. */
public class ServerException extends OpenAiApiException {

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
    public ServerException(String message, int statusCode, String serverMessage, String errorType, String errorCode,
            String errorParam, String requestId) {
        super(message, statusCode, serverMessage, errorType, errorCode, errorParam, requestId);
    }
}
