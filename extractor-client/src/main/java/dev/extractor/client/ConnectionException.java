package dev.extractor.client;

/**
 * The connection to the server could not be made, or broke while the answer was streaming. Failures before the
 * first byte of the answer are retried according to the {@link RetryPolicy}; a connection that breaks later is not
 * (elements may have been delivered), and what was received is in {@link #rawText()}.
 */
public class ConnectionException extends ProviderException {

    private static final long serialVersionUID = 1L;

    /**
     * See {@link ProviderException#ProviderException(String, String, Throwable)}.
     *
     * @param message the message
     * @param requestId the provider's request id, or null
     * @param cause the underlying exception, or null
     */
    public ConnectionException(String message, String requestId, Throwable cause) {
        super(message, requestId, cause);
    }
}
