package dev.extractor.client;

import dev.extractor.client.spi.ErrorDetails;
import java.time.Duration;

/** 401 Unauthorized: the API key is missing, wrong or revoked. Not retried. */
public class AuthenticationException extends ApiException {

    private static final long serialVersionUID = 1L;

    /**
     * See {@link ApiException#ApiException(String, ErrorDetails, String, Duration)}.
     *
     * @param message the message
     * @param details what the server said
     * @param requestId the provider's request id, or null
     * @param retryAfter the wait the server asked for, or null
     */
    public AuthenticationException(String message, ErrorDetails details, String requestId, Duration retryAfter) {
        super(message, details, requestId, retryAfter);
    }
}
