package dev.extractor.client;

import dev.extractor.ExtractionException;

/**
 * The base of the exceptions about talking to a provider: an error the server reported ({@link ApiException} and
 * its subclasses, whether as an HTTP status or inside the stream), a failed or timed-out connection ({@link
 * ConnectionException}), or a stream that could not be understood ({@link StreamException}). Unchecked, like every
 * {@link ExtractionException}; it never contains the API key.
 */
public class ProviderException extends ExtractionException {

    private static final long serialVersionUID = 1L;

    /** The provider's id of the request, or null. */
    private String requestId;

    /**
     * @param message what went wrong
     * @param requestId the provider's id of the request (its {@code x-request-id} header, say), or null
     * @param cause the underlying exception, or null
     */
    public ProviderException(String message, String requestId, Throwable cause) {
        super(message, cause);
        this.requestId = requestId;
    }

    /**
     * The provider's id of the request (a response header such as {@code x-request-id}), or null when unknown.
     *
     * @return the provider's id of the request (a response header such as {@code x-request-id}), or null when unknown
     */
    public String requestId() {
        return requestId;
    }

    /** Sets the request id if none is known yet: a decoder does not know it, the HTTP response does. */
    void attachRequestId(String id) {
        if (requestId == null) {
            requestId = id;
        }
    }
}
