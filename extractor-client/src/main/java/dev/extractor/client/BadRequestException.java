package dev.extractor.client;

import dev.extractor.client.spi.ErrorDetails;
import java.time.Duration;

/** 400 Bad Request: the server rejected the request (an unknown parameter, a schema strict mode does not accept, too many tokens, ...). Not retried. */
public class BadRequestException extends ApiException {

    private static final long serialVersionUID = 1L;

    /**
     * See {@link ApiException#ApiException(String, ErrorDetails, String, Duration)}.
     *
     * @param message the message
     * @param details what the server said
     * @param requestId the provider's request id, or null
     * @param retryAfter the wait the server asked for, or null
     */
    public BadRequestException(String message, ErrorDetails details, String requestId, Duration retryAfter) {
        super(message, details, requestId, retryAfter);
    }

    /**
     * Whether the server rejected the JSON schema sent with the request (structured outputs accept only a subset of
     * JSON Schema): the error is about {@code response_format}, {@code text.format}, {@code output_format}, {@code
     * generationConfig} or {@code tools}, or says the schema is invalid. Try {@code strict(false)} on the
     * extractor's builder, or another {@link Mode}.
     *
     * @return whether the schema sent was rejected
     */
    public boolean isSchemaRejected() {
        String param = errorParam() == null ? "" : errorParam();
        String message = serverMessage() == null ? "" : serverMessage().toLowerCase(java.util.Locale.ROOT);
        return param.startsWith("response_format") || param.startsWith("tools") || param.startsWith("text.format")
                || param.startsWith("output_format") || param.startsWith("generationConfig")
                || message.contains("invalid schema") || message.contains("json_schema");
    }
}
