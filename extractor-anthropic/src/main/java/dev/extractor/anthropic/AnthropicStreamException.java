package dev.extractor.anthropic;

import dev.extractor.ExtractionException;

/**
 * An error inside an Anthropic event stream: an {@code error} event ({@code overloaded_error} mid-answer, say), a
 * payload that is not JSON, or a JSON body where an event stream was expected. {@link #error()} holds the fields
 * the server sent, if any.
 */
final class AnthropicStreamException extends ExtractionException {

    private static final long serialVersionUID = 1L;

    private final transient AnthropicError error;

    AnthropicStreamException(String message, AnthropicError error, Throwable cause) {
        super(message, cause);
        this.error = error;
    }

    /** The server's error, or null when the stream itself was unreadable. */
    AnthropicError error() {
        return error;
    }
}
