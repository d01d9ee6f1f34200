package dev.extractor.openai;

import dev.extractor.ExtractionException;

/**
 * The base of the exceptions about talking to the server: an error response ({@link OpenAiApiException} and its
 * subclasses), a failed or timed-out connection ({@link OpenAiConnectionException}), or a stream that could not be
 * understood ({@link OpenAiStreamException}). Unchecked, like every {@link ExtractionException}; it never contains
 * the API key.
 */
public class OpenAiException extends ExtractionException {

    private static final long serialVersionUID = 1L;

    /** The server's id of the request, or null. */
    private final String requestId;

    /**
     * @param message what went wrong
     * @param requestId the server's id of the request ({@code x-request-id} header), or null
     * @param cause the underlying exception, or null
     */
    public OpenAiException(String message, String requestId, Throwable cause) {
        super(message, cause);
        this.requestId = requestId;
    }

    /**
     * The server's id of the request (the {@code x-request-id} response header), or null when unknown.
     *
     * @return the request id, or null
     */
    public String requestId() {
        return requestId;
    }
}
