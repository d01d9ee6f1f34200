package dev.extractor.client;

import dev.extractor.client.spi.ErrorDetails;
import java.time.Duration;

/**
 * 429 Too Many Requests (or a {@code rate_limit_error} inside the stream): a rate limit or the quota was hit.
 * Retried (before the first byte of the answer) according to the {@link RetryPolicy}, honouring {@code
 * Retry-After}; thrown when the retries are used up, or at once when the quota is exhausted ({@code
 * insufficient_quota}, which waiting does not fix). {@link #retryAfter()} says how long the server asked to wait.
 */
public class RateLimitException extends ApiException {

    private static final long serialVersionUID = 1L;

    /**
     * See {@link ApiException#ApiException(String, ErrorDetails, String, Duration)}.
     *
     * @param message the message
     * @param details what the server said
     * @param requestId the provider's request id, or null
     * @param retryAfter the wait the server asked for, or null
     */
    public RateLimitException(String message, ErrorDetails details, String requestId, Duration retryAfter) {
        super(message, details, requestId, retryAfter);
    }
}
