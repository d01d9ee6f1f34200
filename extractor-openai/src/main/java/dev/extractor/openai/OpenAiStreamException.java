package dev.extractor.openai;

/**
 * The server's event stream could not be understood: a {@code data:} payload that is not JSON, or a chunk of an
 * unexpected shape. Usually a proxy or gateway mangled the stream.
 */
public class OpenAiStreamException extends OpenAiException {

    private static final long serialVersionUID = 1L;

    /**
     * @param message what was wrong
     * @param cause the parse error, or null
     */
    public OpenAiStreamException(String message, Throwable cause) {
        super(message, null, cause);
    }
}
