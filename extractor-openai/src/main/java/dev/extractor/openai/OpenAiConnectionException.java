package dev.extractor.openai;

/**
 * The connection to the server could not be made, or broke while the answer was streaming. Failures before the
 * first byte of the answer are retried according to the {@link RetryPolicy}; a connection that breaks later is not
 * (elements may have been delivered), and what was received is in {@link #rawText()}.
 */
public class OpenAiConnectionException extends OpenAiException {

    private static final long serialVersionUID = 1L;

    /**
     * See {@link OpenAiException#OpenAiException(String, String, Throwable)}.
     *
     * @param message what went wrong
     * @param requestId the server's id of the request ({@code x-request-id} header), or null
     * @param cause the underlying exception, or null
     */
    public OpenAiConnectionException(String message, String requestId, Throwable cause) {
        super(message, requestId, cause);
    }
}
