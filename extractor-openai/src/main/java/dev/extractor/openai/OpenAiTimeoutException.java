package dev.extractor.openai;

/**
 * A timeout expired: connecting, waiting for the next bytes of the answer (the read timeout, which bounds the
 * silence between two chunks), or the whole call. The message says which.
 */
public class OpenAiTimeoutException extends OpenAiConnectionException {

    private static final long serialVersionUID = 1L;

    /** See {@link OpenAiException#OpenAiException(String, String, Throwable)}. */
    public OpenAiTimeoutException(String message, String requestId, Throwable cause) {
        super(message, requestId, cause);
    }
}
