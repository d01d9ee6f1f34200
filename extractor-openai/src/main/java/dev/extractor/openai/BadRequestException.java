package dev.extractor.openai;

/** 400 Bad Request: the server rejected the request (an unknown parameter, a schema strict mode does not accept, too many tokens, ...). Not retried. */
public class BadRequestException extends OpenAiApiException {

    private static final long serialVersionUID = 1L;

    /**
     * See {@link OpenAiApiException#OpenAiApiException(String, int, String, String, String, String, String)}.
     *
     * @param message the exception message
     * @param statusCode the HTTP status, or 0 for an error reported inside a stream
     * @param serverMessage the server's {@code error.message} (or its response body), or null
     * @param errorType the server's {@code error.type}, or null
     * @param errorCode the server's {@code error.code}, or null
     * @param errorParam the server's {@code error.param}, or null
     * @param requestId the {@code x-request-id} header, or null
     */
    public BadRequestException(String message, int statusCode, String serverMessage, String errorType, String errorCode,
            String errorParam, String requestId) {
        super(message, statusCode, serverMessage, errorType, errorCode, errorParam, requestId);
    }

    /**
     * Whether the server rejected the JSON schema sent with the request (strict structured outputs accept only a
     * subset of JSON Schema): the error is about {@code response_format} or {@code tools}, or says the schema is
     * invalid. Try {@link OpenAiExtractor.Builder#strict(boolean) strict(false)} or another {@link Mode}.
     *
     * @return whether the schema was rejected
     */
    public boolean isSchemaRejected() {
        String param = errorParam() == null ? "" : errorParam();
        String message = serverMessage() == null ? "" : serverMessage().toLowerCase(java.util.Locale.ROOT);
        return param.startsWith("response_format") || param.startsWith("tools")
                || message.contains("invalid schema") || message.contains("json_schema");
    }
}
