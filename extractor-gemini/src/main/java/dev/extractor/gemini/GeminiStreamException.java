package dev.extractor.gemini;

import dev.extractor.ExtractionException;

/**
 * An error in a Gemini response body: an error object (inside the stream, or the whole body of an error served as
 * an event stream), a payload that is not JSON, or streamed function arguments that cannot be assembled.
 * {@link #error()} holds the fields the server sent, if any.
 */
final class GeminiStreamException extends ExtractionException {

    private static final long serialVersionUID = 1L;

    private final transient GeminiError error;

    GeminiStreamException(String message, GeminiError error, Throwable cause) {
        super(message, cause);
        this.error = error;
    }

    /** The server's error, or null when the body itself was unreadable. */
    GeminiError error() {
        return error;
    }
}
