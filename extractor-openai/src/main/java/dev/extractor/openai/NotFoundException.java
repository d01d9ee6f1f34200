package dev.extractor.openai;

/** 404 Not Found: most often the model does not exist or the key has no access to it (see {@link #errorCode()}, {@code model_not_found}), or the base URL is wrong. Not retried. */
public class NotFoundException extends OpenAiApiException {

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
    public NotFoundException(String message, int statusCode, String serverMessage, String errorType, String errorCode,
            String errorParam, String requestId) {
        super(message, statusCode, serverMessage, errorType, errorCode, errorParam, requestId);
    }
}
