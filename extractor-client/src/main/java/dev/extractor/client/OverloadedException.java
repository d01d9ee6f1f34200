package dev.extractor.client;

import dev.extractor.client.spi.ErrorDetails;
import java.time.Duration;

/**
 * The provider is overloaded: status 529, or an {@code overloaded_error} (Anthropic sends both, the latter also
 * inside a stream). A {@link ServerException}: retried like one before the first byte of the answer.
 */
public class OverloadedException extends ServerException {

    private static final long serialVersionUID = 1L;

    /**
     * See {@link ApiException#ApiException(String, ErrorDetails, String, Duration)}.
     *
     * @param message the message
     * @param details what the server said
     * @param requestId the provider's request id, or null
     * @param retryAfter the wait the server asked for, or null
     */
    public OverloadedException(String message, ErrorDetails details, String requestId, Duration retryAfter) {
        super(message, details, requestId, retryAfter);
    }
}
