package dev.extractor.client;

import dev.extractor.client.spi.ErrorDetails;
import java.time.Duration;

/**
 * 5xx: the server failed; or an error arrived inside the stream whose type stands for a server failure ({@code
 * server_error}, {@code api_error}) or says nothing. Statuses 500 and up are retried before the first byte of the
 * answer according to the {@link RetryPolicy}; errors inside a stream ({@link #inBand()}) only while nothing of the
 * answer has been handed out, since after that part of it may have been delivered.
 */
public class ServerException extends ApiException {

    private static final long serialVersionUID = 1L;

    /**
     * See {@link ApiException#ApiException(String, ErrorDetails, String, Duration)}.
     *
     * @param message the message
     * @param details what the server said
     * @param requestId the provider's request id, or null
     * @param retryAfter the wait the server asked for, or null
     */
    public ServerException(String message, ErrorDetails details, String requestId, Duration retryAfter) {
        super(message, details, requestId, retryAfter);
    }
}
