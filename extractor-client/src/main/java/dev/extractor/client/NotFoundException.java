package dev.extractor.client;

import dev.extractor.client.spi.ErrorDetails;
import java.time.Duration;

/** 404 Not Found: usually a wrong model name or base URL. Not retried. */
public class NotFoundException extends ApiException {

    private static final long serialVersionUID = 1L;

    /** See {@link ApiException#ApiException(String, ErrorDetails, String, Duration)}. */
    public NotFoundException(String message, ErrorDetails details, String requestId, Duration retryAfter) {
        super(message, details, requestId, retryAfter);
    }
}
