package dev.extractor.openai;

/**
 * A timeout expired: connecting, waiting for the next bytes of the answer (the read timeout, which bounds the
 * silence between two chunks), or the whole call. The message says which.
 */
public class OpenAiTimeoutException extends OpenAiConnectionException {

    private static final long serialVersionUID = 1L;

    /**
     * See {@link OpenAiException#OpenAiException(String, String, Throwable)}.
     *
     * @param message what went wrong
     * @param requestId the server's id of the request ({@code x-request-id} header), or null
     * @param cause the underlying exception, or null
     */
    public OpenAiTimeoutException(String message, String requestId, Throwable cause) {
        super(message, requestId, cause);
    }
}
