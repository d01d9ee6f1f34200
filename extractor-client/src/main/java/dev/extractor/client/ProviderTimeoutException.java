package dev.extractor.client;

/**
 * A timeout expired: connecting, waiting for the next bytes of the answer (the read timeout, which bounds the
 * silence between two chunks), or the whole call. The message says which.
 */
public class ProviderTimeoutException extends ConnectionException {

    private static final long serialVersionUID = 1L;

    /**
     * See {@link ProviderException#ProviderException(String, String, Throwable)}.
     *
     * @param message the message
     * @param requestId the provider's request id, or null
     * @param cause the underlying exception, or null
     */
    public ProviderTimeoutException(String message, String requestId, Throwable cause) {
        super(message, requestId, cause);
    }
}
