package dev.extractor.client;

import dev.extractor.client.spi.ErrorDetails;
import java.time.Duration;

/** 403 Forbidden: the key may not use this model or endpoint (or this region). Not retried. */
public class PermissionDeniedException extends ApiException {

    private static final long serialVersionUID = 1L;

    /**
     * See {@link ApiException#ApiException(String, ErrorDetails, String, Duration)}.
     *
     * @param message the message
     * @param details what the server said
     * @param requestId the provider's request id, or null
     * @param retryAfter the wait the server asked for, or null
     */
    public PermissionDeniedException(String message, ErrorDetails details, String requestId, Duration retryAfter) {
        super(message, details, requestId, retryAfter);
    }
}
