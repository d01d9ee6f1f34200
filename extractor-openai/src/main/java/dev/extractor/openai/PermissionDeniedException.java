package dev.extractor.openai;

/** 403 Forbidden: the key may not use this model or endpoint (or the region is not supported). Not retried. */
public class PermissionDeniedException extends OpenAiApiException {

    private static final long serialVersionUID = 1L;

    /** See {@link OpenAiApiException#OpenAiApiException(String, int, String, String, String, String, String)}. */
    public PermissionDeniedException(String message, int statusCode, String serverMessage, String errorType, String errorCode,
            String errorParam, String requestId) {
        super(message, statusCode, serverMessage, errorType, errorCode, errorParam, requestId);
    }
}
