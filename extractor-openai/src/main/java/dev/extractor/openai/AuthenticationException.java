package dev.extractor.openai;

/** 401 Unauthorized: the API key is missing, wrong or revoked. Not retried. */
public class AuthenticationException extends OpenAiApiException {

    private static final long serialVersionUID = 1L;

    /** See {@link OpenAiApiException#OpenAiApiException(String, int, String, String, String, String, String)}. */
    public AuthenticationException(String message, int statusCode, String serverMessage, String errorType, String errorCode,
            String errorParam, String requestId) {
        super(message, statusCode, serverMessage, errorType, errorCode, errorParam, requestId);
    }
}
