package dev.extractor.client;

/**
 * The server's event stream could not be understood: a payload that is not JSON, or an event of an unexpected
 * shape. Usually a proxy or gateway mangled the stream. The request id is set when the stream came from the
 * client's own HTTP call.
 */
public class StreamException extends ProviderException {

    private static final long serialVersionUID = 1L;

    /**
     * @param message what was wrong
     * @param cause the parse error, or null
     */
    public StreamException(String message, Throwable cause) {
        super(message, null, cause);
    }
}
